#include "json/flat_json.h"

#include <string>

#include "json/json_scanner.h"
#include "unicode/utf8.h"

namespace memlens {

namespace {

// A recursive-descent reader for the one shape of file we accept; the first error wins.
class FlatJsonParser : JsonScanner {
 public:
  FlatJsonParser(std::string_view json, std::string_view fileName) : JsonScanner(json, fileName) {}

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
