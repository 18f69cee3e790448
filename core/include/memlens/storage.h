#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <span>
#include <utility>
#include <vector>

namespace memlens {

// The elements of a big array: either its own std::vector, or a view of bytes someone else keeps
// (a mapped memory file, kept alive by the shared owner the view holds), so that opening a memory
// file copies nothing. Reading is the same in both forms; the first mutation of a view copies it
// into a vector of its own (copy on write), so a mapped memory can still be grown and edited.
// Writing goes through the named mutators only, never operator[], so that no read copies a view
// by accident. Copies share a view and copy a vector. Concurrent const calls are
// safe; a mutation is not safe alongside any other call.
template <typename T>
class Storage {
 public:
  using value_type = T;
  using const_iterator = const T*;

  Storage() = default;
  Storage(std::vector<T> elements) : owned_(std::move(elements)) {}  // NOLINT: as a vector
  // `elements` stay valid as long as `owner` lives.
  Storage(std::span<const T> elements, std::shared_ptr<const void> owner)
      : view_(elements), owner_(std::move(owner)) {}

  bool isView() const { return owner_ != nullptr; }
  size_t size() const { return isView() ? view_.size() : owned_.size(); }
  bool empty() const { return size() == 0; }
  const T* data() const { return isView() ? view_.data() : owned_.data(); }
  const T& operator[](size_t i) const { return data()[i]; }
  const T& front() const { return data()[0]; }
  const T& back() const { return data()[size() - 1]; }
  const T* begin() const { return data(); }
  const T* end() const { return data() + size(); }
  std::span<const T> span() const { return {data(), size()}; }
  // Elements allocated on the heap (a view has none: its pages belong to the file).
  size_t capacity() const { return owned_.capacity(); }
  operator std::span<const T>() const { return span(); }  // NOLINT: reads like a vector
  friend bool operator==(const Storage& a, const Storage& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  }

  // The elements as a vector of their own, copied out of the view the first time.
  std::vector<T>& mutate() {
    if (isView()) {
      owned_.assign(view_.begin(), view_.end());
      view_ = {};
      owner_.reset();
    }
    return owned_;
  }
  T& mutableAt(size_t i) { return mutate()[i]; }
  void push_back(const T& value) { mutate().push_back(value); }
  void resize(size_t n) { mutate().resize(n); }
  void reserve(size_t n) { mutate().reserve(n); }
  void clear() { *this = Storage(); }
  template <typename It>
  void append(It first, It last) {
    std::vector<T>& v = mutate();
    v.insert(v.end(), first, last);
  }

 private:
  std::vector<T> owned_;
  std::span<const T> view_;
  std::shared_ptr<const void> owner_;
};

}  // namespace memlens
