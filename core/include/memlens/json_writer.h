#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace memlens {

// A small streaming JSON writer for run records, traces and CLI output. Commas and nesting are
// tracked so callers only say what comes next. Strings are escaped; non-finite numbers become
// null (JSON has no NaN). One object per thread.
class JsonWriter {
 public:
  JsonWriter& beginObject();
  JsonWriter& endObject();
  JsonWriter& beginArray();
  JsonWriter& endArray();
  JsonWriter& key(std::string_view name);
  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(double d);
  JsonWriter& value(int64_t i);
  JsonWriter& value(uint64_t u);
  JsonWriter& value(int i) { return value(static_cast<int64_t>(i)); }
  JsonWriter& value(uint32_t u) { return value(static_cast<uint64_t>(u)); }
  JsonWriter& value(bool b);
  JsonWriter& null();

  template <typename T>
  JsonWriter& field(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }

  const std::string& str() const { return out_; }
  static std::string quote(std::string_view s);

 private:
  void separate();
  std::string out_;
  std::vector<bool> first_;  // per open container: nothing written in it yet
  bool afterKey_ = false;
};

}  // namespace memlens
