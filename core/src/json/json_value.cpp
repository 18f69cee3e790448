#include "json/json_value.h"

#include <charconv>
#include <cmath>
#include <tuple>

#include "json/json_scanner.h"
#include "unicode/utf8.h"

namespace memlens {

class JsonValue::Parser : JsonScanner {
 public:
  explicit Parser(std::string_view json) : JsonScanner(json, "JSON") {}

  Result<JsonValue> parse() {
    JsonValue root;
    skipSpace();
    if (!readValue(root, 0)) return error_;
    skipSpace();
    if (pos_ != json_.size()) {
      fail("unexpected text after the value");
      return error_;
    }
    return root;
  }

 private:
  bool readValue(JsonValue& out, int depth) {
    if (depth > 64) return fail("nested more than 64 levels deep");
    const int c = peek();
    if (c == '{') return readObject(out, depth);
    if (c == '[') return readArray(out, depth);
    if (c == '"') {
      out.kind_ = Kind::kString;
      return readString(out.string_, "a string");
    }
    if (c == '-' || (c >= '0' && c <= '9')) return readNumber(out);
    for (auto [word, kind, value] : {std::tuple{"true", Kind::kBool, true},
                                     {"false", Kind::kBool, false},
                                     {"null", Kind::kNull, false}}) {
      if (json_.substr(pos_).starts_with(word)) {
        pos_ += std::string_view(word).size();
        out.kind_ = kind;
        out.boolean_ = value;
        return true;
      }
    }
    return fail(c < 0 ? "expected a value, but the text ends (truncated?)" : "expected a value");
  }

  bool readObject(JsonValue& out, int depth) {
    out.kind_ = Kind::kObject;
    ++pos_;
    skipSpace();
    if (peek() == '}') return ++pos_, true;
    for (;;) {
      std::string name;
      skipSpace();
      if (!readString(name, "a member name")) return false;
      skipSpace();
      if (!expect(':', "':' after a member name")) return false;
      skipSpace();
      JsonValue value;
      if (!readValue(value, depth + 1)) return false;
      out.members_.emplace_back(std::move(name), std::move(value));
      skipSpace();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      return expect('}', "',' or '}' in an object");
    }
  }

  bool readArray(JsonValue& out, int depth) {
    out.kind_ = Kind::kArray;
    ++pos_;
    skipSpace();
    if (peek() == ']') return ++pos_, true;
    for (;;) {
      skipSpace();
      JsonValue item;
      if (!readValue(item, depth + 1)) return false;
      out.items_.push_back(std::move(item));
      skipSpace();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      return expect(']', "',' or ']' in an array");
    }
  }

  // The RFC 8259 number grammar, then from_chars (locale-independent, unlike strtod).
  bool readNumber(JsonValue& out) {
    const size_t first = pos_;
    const auto digits = [this] {
      const size_t from = pos_;
      while (peek() >= '0' && peek() <= '9') ++pos_;
      return pos_ > from;
    };
    if (peek() == '-') ++pos_;
    if (peek() == '0') {
      ++pos_;
    } else if (!digits()) {
      return fail("expected a digit");
    }
    if (peek() == '.' && (++pos_, !digits())) return fail("expected a digit after '.'");
    if (peek() == 'e' || peek() == 'E') {
      ++pos_;
      if (peek() == '+' || peek() == '-') ++pos_;
      if (!digits()) return fail("expected a digit in the exponent");
    }
    out.kind_ = Kind::kNumber;
    const auto [end, error] =
        std::from_chars(json_.data() + first, json_.data() + pos_, out.number_);
    if (error != std::errc() || end != json_.data() + pos_) return fail("number out of range");
    return true;
  }
};

Result<JsonValue> JsonValue::parse(std::string_view text) {
  if (const size_t bad = findInvalidUtf8(text); bad != std::string_view::npos) {
    return Status::corrupt("JSON byte " + std::to_string(bad + 1) + ": invalid UTF-8");
  }
  return Parser(text).parse();
}

const JsonValue* JsonValue::find(std::string_view name) const {
  for (const auto& [key, value] : members_) {
    if (key == name) return &value;
  }
  return nullptr;
}

bool JsonValue::get(double& out) const {
  if (kind_ != Kind::kNumber) return false;
  out = number_;
  return true;
}

bool JsonValue::get(uint64_t& out) const {
  if (kind_ != Kind::kNumber || number_ < 0.0 || number_ > 9007199254740992.0 ||
      number_ != std::floor(number_))
    return false;
  out = static_cast<uint64_t>(number_);
  return true;
}

bool JsonValue::get(uint32_t& out) const {
  uint64_t u = 0;
  if (!get(u) || u > UINT32_MAX) return false;
  out = static_cast<uint32_t>(u);
  return true;
}

bool JsonValue::get(int& out) const {
  if (kind_ != Kind::kNumber || std::abs(number_) > 2147483647.0 || number_ != std::floor(number_))
    return false;
  out = static_cast<int>(number_);
  return true;
}

bool JsonValue::get(bool& out) const {
  if (kind_ != Kind::kBool) return false;
  out = boolean_;
  return true;
}

bool JsonValue::get(std::string& out) const {
  if (kind_ != Kind::kString) return false;
  out = string_;
  return true;
}

}  // namespace memlens
