#pragma once

#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "memfile/checksum64.h"
#include "memlens/job_control.h"
#include "memlens/status.h"
#include "memlens/storage.h"

namespace memlens {

// Writes the body of one memory-file section to a stream: plain values and bulk arrays in the
// machine's byte order, arrays 8-byte aligned within the section so they could be viewed in
// place. Checksums what it writes. Errors (a full disk, a cancel through `job`) are sticky:
// later writes do nothing and status() says what went wrong.
// One thread at a time.
class ByteWriter {
 public:
  ByteWriter(std::FILE* file, uint64_t offset, JobControl* job)
      : file_(file), offset_(offset), job_(job) {}

  template <typename T>
  void put(const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    write({reinterpret_cast<const char*>(&value), sizeof(T)});
  }
  // A count (u64), padding to 8 bytes, then the elements.
  template <typename T>
  void putArray(std::span<const T> values) {
    static_assert(std::is_trivially_copyable_v<T>);
    put<uint64_t>(values.size());
    alignTo(8);
    write({reinterpret_cast<const char*>(values.data()), values.size_bytes()});
    alignTo(8);
  }
  template <typename T>
  void putArray(const std::vector<T>& values) {
    putArray(std::span<const T>(values));
  }
  template <typename T>
  void putArray(const Storage<T>& values) {
    putArray(values.span());
  }
  void putString(std::string_view s) { putArray(std::span<const char>(s.data(), s.size())); }
  // Zero bytes up to the next multiple of `alignment` from the start of the file.
  void alignTo(uint64_t alignment);

  // Starts a new checksum (a new section).
  void restartChecksum() { checksum_ = Checksum64(); }
  uint64_t checksum() const { return checksum_.value(); }
  uint64_t offset() const { return offset_; }
  const Status& status() const { return status_; }

 private:
  void write(std::string_view bytes);

  std::FILE* file_;
  uint64_t offset_;
  JobControl* job_;
  Checksum64 checksum_;
  Status status_;
};

}  // namespace memlens
