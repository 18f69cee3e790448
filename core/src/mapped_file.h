#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "memlens/result.h"

namespace memlens {

// A read-only memory map of a whole file (empty files map to an empty view). The mapping lives
// as long as the object. Immutable: safe to read from many threads.
class MappedFile {
 public:
  static Result<std::unique_ptr<MappedFile>> open(const std::string& path);
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::string_view bytes() const { return {data_, size_}; }

 private:
  MappedFile(const char* data, size_t size) : data_(data), size_(size) {}
  const char* data_;
  size_t size_;
};

}  // namespace memlens
