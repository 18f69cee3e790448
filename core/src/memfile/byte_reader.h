#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "memlens/storage.h"

namespace memlens {

// Reads back what ByteWriter wrote to one section, checking every length against the bytes left
// before it is used. The first failure is sticky: later reads return false and give empty or
// zero values, and error() says what was wrong ("an array of 4294967296 elements runs past the
// section's end"). Loaders add their own consistency checks through fail().
// Reads a view (the mapped file): the bytes must outlive it. Given their `owner`, arrays read
// into a Storage view the bytes in place (holding the owner) instead of copying them.
// One thread at a time.
class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes, std::shared_ptr<const void> owner = nullptr)
      : bytes_(bytes), owner_(std::move(owner)) {}

  template <typename T>
  bool get(T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    value = T{};
    if (!take(sizeof(T), "a value")) return false;
    std::memcpy(&value, bytes_.data() + at_ - sizeof(T), sizeof(T));
    return true;
  }
  template <typename T>
  T get() {
    T value{};
    get(value);
    return value;
  }
  // The count, padding and elements putArray() wrote; at most `maxCount` elements.
  template <typename T>
  bool getArray(std::vector<T>& values, uint64_t maxCount = UINT64_MAX) {
    static_assert(std::is_trivially_copyable_v<T>);
    values.clear();
    std::string_view raw;
    if (!getRaw(sizeof(T), maxCount, raw)) return false;
    values.resize(raw.size() / sizeof(T));
    if (!raw.empty()) std::memcpy(values.data(), raw.data(), raw.size());
    return true;
  }
  // The same array, viewed in place when the reader has an owner and the elements are aligned
  // (putArray() aligns them to 8 bytes, sections start on 64), copied otherwise.
  template <typename T>
  bool getArray(Storage<T>& values, uint64_t maxCount = UINT64_MAX) {
    static_assert(std::is_trivially_copyable_v<T> && alignof(T) <= 8);
    values = Storage<T>();
    std::string_view raw;
    if (!getRaw(sizeof(T), maxCount, raw)) return false;
    if (owner_ && reinterpret_cast<uintptr_t>(raw.data()) % alignof(T) == 0) {
      values = Storage<T>(
          std::span<const T>(reinterpret_cast<const T*>(raw.data()), raw.size() / sizeof(T)),
          owner_);
      return true;
    }
    std::vector<T> copy(raw.size() / sizeof(T));
    if (!raw.empty()) std::memcpy(copy.data(), raw.data(), raw.size());
    values = Storage<T>(std::move(copy));
    return true;
  }
  bool getString(std::string& s) {
    std::string_view raw;
    if (!getRaw(1, UINT64_MAX, raw)) return false;
    s.assign(raw);
    return true;
  }

  // Records the first inconsistency; returns false so loaders can `return r.fail(...)`.
  bool fail(std::string message);
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  // Fails unless `starts` (the offsets of consecutive runs in an array of `end` elements, plus
  // `end` itself) starts at 0, never decreases and ends at `end`: then runs i read
  // [starts[i], starts[i + 1]) safely. `what` names the runs in the message.
  bool checkStarts(std::span<const uint64_t> starts, uint64_t end, const std::string& what);
  // Fails unless every byte of the section was read.
  bool expectEnd();

 private:
  bool take(uint64_t n, const char* what);
  bool getRaw(size_t elementSize, uint64_t maxCount, std::string_view& raw);
  void alignTo(uint64_t alignment);

  std::string_view bytes_;
  std::shared_ptr<const void> owner_;
  uint64_t at_ = 0;
  std::string error_;
};

}  // namespace memlens
