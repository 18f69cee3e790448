#include "json/json_scanner.h"

#include "unicode/unicode.h"
#include "unicode/utf8.h"

namespace memlens {

void JsonScanner::skipSpace() {
  while (pos_ < json_.size() && (json_[pos_] == ' ' || json_[pos_] == '\t' || json_[pos_] == '\n' ||
                                 json_[pos_] == '\r')) {
    ++pos_;
  }
}

bool JsonScanner::fail(const std::string& what) {
  const LineColumn where = lineColumnAt(json_, pos_);
  error_ = Status::corrupt(std::string(fileName_) + " line " + std::to_string(where.line) +
                           ", byte " + std::to_string(where.byteInLine + 1) + ": " + what);
  return false;
}

bool JsonScanner::expect(char c, const char* what) {
  if (peek() == static_cast<unsigned char>(c)) {
    ++pos_;
    return true;
  }
  return fail(std::string("expected ") + what +
              (pos_ < json_.size() ? "" : ", but the file ends (truncated?)"));
}

bool JsonScanner::readHex4(uint32_t& value) {
  value = 0;
  for (int i = 0; i < 4; ++i, ++pos_) {
    const int c = peek();
    value <<= 4;
    if (c >= '0' && c <= '9') {
      value |= static_cast<uint32_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      value |= static_cast<uint32_t>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      value |= static_cast<uint32_t>(c - 'A' + 10);
    } else {
      return fail("expected four hex digits after \\u");
    }
  }
  return true;
}

bool JsonScanner::readEscape(std::string& out) {
  const int c = peek();
  ++pos_;
  switch (c) {
    case '"':
      out += '"';
      return true;
    case '\\':
      out += '\\';
      return true;
    case '/':
      out += '/';
      return true;
    case 'b':
      out += '\b';
      return true;
    case 'f':
      out += '\f';
      return true;
    case 'n':
      out += '\n';
      return true;
    case 'r':
      out += '\r';
      return true;
    case 't':
      out += '\t';
      return true;
    case 'u':
      break;
    default:
      --pos_;
      return fail("unknown escape in a string");
  }
  uint32_t unit = 0;
  if (!readHex4(unit)) return false;
  if (unit >= 0xDC00 && unit <= 0xDFFF) return fail("unpaired low surrogate in \\u escape");
  if (unit >= 0xD800 && unit <= 0xDBFF) {
    uint32_t low = 0;
    if (json_.substr(pos_, 2) != "\\u") return fail("high surrogate without a low surrogate");
    pos_ += 2;
    if (!readHex4(low)) return false;
    if (low < 0xDC00 || low > 0xDFFF) return fail("high surrogate without a low surrogate");
    unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
  }
  unicode::appendUtf8(out, unit);
  return true;
}

bool JsonScanner::readString(std::string& out, const char* what) {
  if (!expect('"', what)) return false;
  for (;;) {
    const int c = peek();
    if (c < 0) return fail("the file ends inside a string (truncated?)");
    ++pos_;
    if (c == '"') return true;
    if (c < 0x20) {
      --pos_;
      return fail("control character inside a string");
    }
    if (c == '\\') {
      if (!readEscape(out)) return false;
    } else {
      out += static_cast<char>(c);
    }
  }
}

}  // namespace memlens
