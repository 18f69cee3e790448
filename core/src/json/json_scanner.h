#pragma once

#include <string>
#include <string_view>

#include "memlens/status.h"

namespace memlens {

// The lexical half of the JSON readers (flat_json, JsonValue): whitespace, punctuation and
// strings (escapes and surrogate pairs unescaped into UTF-8), with the first error kept as a
// Status naming the file, the line and the byte. The input must be valid UTF-8 already.
class JsonScanner {
 protected:
  JsonScanner(std::string_view json, std::string_view fileName)
      : json_(json), fileName_(fileName) {}

  int peek() const { return pos_ < json_.size() ? static_cast<unsigned char>(json_[pos_]) : -1; }
  void skipSpace();
  bool fail(const std::string& what);
  bool expect(char c, const char* what);
  bool readString(std::string& out, const char* what = "a string key");

  std::string_view json_;
  std::string_view fileName_;
  size_t pos_ = 0;
  Status error_;

 private:
  bool readHex4(uint32_t& value);
  bool readEscape(std::string& out);
};

}  // namespace memlens
