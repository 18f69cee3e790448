#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

namespace memlens {

// The elements of a big array read from a memory file, checked a chunk at a time the first time a
// reader asks for one of them, instead of all of them on opening (which reads every page of a
// multi-gigabyte file before the first answer, and keeps them resident). An element that fails
// its check is never handed out: the first failure makes a repaired copy of the whole array
// (every failing element replaced by a value readers can rely on) and every read from then on,
// in any chunk, comes from that copy; damage() says what was found. A damaged file thus gives
// wrong answers, never a read out of bounds, and verifyMemory() checks every chunk.
// Default-constructed (a memory built in memory, not read from a file), it checks nothing.
// Copies share the chunks' state. Thread-safe: concurrent reads may check the same chunk twice,
// which is harmless.
template <typename T>
class LazyCheckedArray {
 public:
  // Elements per chunk: one 4 KB page of 4-byte elements, so that a query that reads one element
  // makes few other pages resident.
  static constexpr size_t kChunk = 1024;
  // Whether element `i` (value `v`) is unsafe for readers.
  using Test = std::function<bool(const T& v, size_t i)>;
  // What readers get instead of an unsafe element.
  using Repair = std::function<T(const T& v, size_t i)>;
  // What is wrong with element `i` ("stored vector 3 holds value 99999, past the vocabulary").
  using Describe = std::function<std::string(size_t i)>;

  LazyCheckedArray() = default;
  LazyCheckedArray(std::span<const T> elements, Test bad, Repair repair, Describe describe)
      : state_(std::make_shared<State>()) {
    State& s = *state_;
    s.elements = elements;
    s.bad = std::move(bad);
    s.repair = std::move(repair);
    s.describe = std::move(describe);
    s.chunks = std::make_unique<std::atomic<uint8_t>[]>((elements.size() + kChunk - 1) / kChunk);
  }

  // The array's elements, with [begin, end) checked; `own` is what the owner holds (returned
  // when nothing is checked).
  const T* checked(const T* own, size_t begin, size_t end) const {
    if (!state_) return own;
    State& s = *state_;
    end = std::min(end, s.elements.size());
    for (size_t c = begin / kChunk; c * kChunk < end; ++c) check(s, c);
    return s.damaged.load(std::memory_order_acquire) ? s.repaired.data() : s.elements.data();
  }
  const T* checkedAll(const T* own) const {
    return checked(own, 0, state_ ? state_->elements.size() : 0);
  }
  // What the checks found so far; empty when nothing.
  std::string damage() const {
    if (!state_ || !state_->damaged.load(std::memory_order_acquire)) return {};
    return state_->message;
  }

 private:
  struct State {
    std::span<const T> elements;
    Test bad;
    Repair repair;
    Describe describe;
    std::unique_ptr<std::atomic<uint8_t>[]> chunks;  // 0 unchecked, 1 checked
    std::once_flag repairOnce;
    std::vector<T> repaired;
    std::string message;
    std::atomic<bool> damaged{false};
  };

  static void check(State& s, size_t c) {
    if (s.chunks[c].load(std::memory_order_acquire) != 0) return;
    const size_t begin = c * kChunk, end = std::min(s.elements.size(), begin + kChunk);
    bool any = false;
    for (size_t i = begin; i < end; ++i) any |= s.bad(s.elements[i], i);
    if (any) repairAll(s, begin);
    s.chunks[c].store(1, std::memory_order_release);
  }
  static void repairAll(State& s, size_t from) {
    std::call_once(s.repairOnce, [&] {
      s.repaired.assign(s.elements.begin(), s.elements.end());
      size_t first = s.elements.size();
      for (size_t i = 0; i < s.repaired.size(); ++i)
        if (s.bad(s.elements[i], i)) {
          first = std::min(first, i);
          s.repaired[i] = s.repair(s.elements[i], i);
        }
      s.message = s.describe(first < s.elements.size() ? first : from);
      s.damaged.store(true, std::memory_order_release);
    });
  }

  std::shared_ptr<State> state_;
};

}  // namespace memlens
