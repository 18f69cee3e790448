#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "memlens/result.h"

namespace memlens {

// A parsed JSON document, for reading back what JsonWriter wrote (run records in a project).
// Numbers are doubles (JsonWriter's integers fit them exactly up to 2^53); object members keep
// their file order. A plain value: safe to read from many threads.
class JsonValue {
 public:
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };

  // Strict RFC 8259 (no comments, no trailing commas), at most 64 levels deep; errors name the
  // byte offset.
  static Result<JsonValue> parse(std::string_view text);

  Kind kind() const { return kind_; }
  // The member `name` of an object, or null when absent or not an object.
  const JsonValue* find(std::string_view name) const;
  const std::vector<JsonValue>& items() const { return items_; }  // an array's
  // The value as a C++ type; false when it is of another kind (an integer must be exact).
  bool get(double& out) const;
  bool get(uint64_t& out) const;
  bool get(int& out) const;
  bool get(uint32_t& out) const;
  bool get(bool& out) const;
  bool get(std::string& out) const;

 private:
  class Parser;

  Kind kind_ = Kind::kNull;
  bool boolean_ = false;
  double number_ = 0.0;
  std::string string_;
  std::vector<JsonValue> items_;
  std::vector<std::pair<std::string, JsonValue>> members_;
};

}  // namespace memlens
