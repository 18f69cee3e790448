#include "flat_json.h"

#include <string>

#include "memlens/utf8.h"
#include "unicode.h"

namespace memlens {

namespace {

// A recursive-descent reader for the one shape of file we accept; the first error wins.
class FlatJsonParser {
 public:
  FlatJsonParser(std::string_view json, std::string_view fileName)
      : json_(json), fileName_(fileName) {}

  Result<std::vector<std::pair<std::string, int64_t>>> parse() {
    std::vector<std::pair<std::string, int64_t>> members;
    skipSpace();
    if (!expect('{', "the file to start with '{'")) return error_;
    skipSpace();
    if (peek() == '}') {
      ++pos_;
    } else {
      for (;;) {
        std::string key;
        int64_t value = 0;
        skipSpace();
        if (!readString(key)) return error_;
        skipSpace();
        if (!expect(':', "':' after a key")) return error_;
        skipSpace();
        if (!readInteger(value)) return error_;
        members.emplace_back(std::move(key), value);
        skipSpace();
        if (peek() == ',') {
          ++pos_;
          continue;
        }
        if (!expect('}', "',' or '}' after a value")) return error_;
        break;
      }
    }
    skipSpace();
    if (pos_ != json_.size()) {
      fail("unexpected text after the closing '}'");
      return error_;
    }
    return members;
  }

 private:
  int peek() const { return pos_ < json_.size() ? static_cast<unsigned char>(json_[pos_]) : -1; }

  void skipSpace() {
    while (pos_ < json_.size() && (json_[pos_] == ' ' || json_[pos_] == '\t' ||
                                   json_[pos_] == '\n' || json_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool fail(const std::string& what) {
    const LineColumn where = lineColumnAt(json_, pos_);
    error_ = Status::corrupt(std::string(fileName_) + " line " + std::to_string(where.line) +
                             ", byte " + std::to_string(where.byteInLine + 1) + ": " + what);
    return false;
  }

  bool expect(char c, const char* what) {
    if (peek() == static_cast<unsigned char>(c)) {
      ++pos_;
      return true;
    }
    return fail(std::string("expected ") + what +
                (pos_ < json_.size() ? "" : ", but the file ends (truncated?)"));
  }

  bool readHex4(uint32_t& value) {
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

  bool readEscape(std::string& out) {
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

  bool readString(std::string& out) {
    if (!expect('"', "a string key")) return false;
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

  bool readInteger(int64_t& value) {
    const bool negative = peek() == '-';
    if (negative) ++pos_;
    const size_t first = pos_;
    value = 0;
    while (peek() >= '0' && peek() <= '9') {
      if (value > (INT64_MAX - 9) / 10) return fail("integer too large");
      value = value * 10 + (peek() - '0');
      ++pos_;
    }
    if (pos_ == first) {
      return fail(pos_ < json_.size()
                      ? "expected an integer value"
                      : "expected an integer value, but the file ends (truncated?)");
    }
    if (peek() == '.' || peek() == 'e' || peek() == 'E') return fail("expected an integer value");
    if (negative) value = -value;
    return true;
  }

  std::string_view json_;
  std::string_view fileName_;
  size_t pos_ = 0;
  Status error_;
};

}  // namespace

Result<std::vector<std::pair<std::string, int64_t>>> parseFlatJsonObject(
    std::string_view json, std::string_view fileName) {
  if (const size_t bad = findInvalidUtf8(json); bad != std::string_view::npos) {
    const LineColumn where = lineColumnAt(json, bad);
    return Status::corrupt(std::string(fileName) + " line " + std::to_string(where.line) +
                           ", byte " + std::to_string(where.byteInLine + 1) + ": invalid UTF-8");
  }
  return FlatJsonParser(json, fileName).parse();
}

}  // namespace memlens
