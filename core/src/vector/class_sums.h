#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <utility>
#include <vector>

namespace memlens {

// Sums of masses by class index in a dense array that is kept for the next use (attend() keeps
// one per thread): only the classes added to since the last take() are marked (a bitmap and a
// list), and take() reads them back in ascending class index and resets them, so a use costs its
// additions, not the number of classes. Each sum adds its masses in the order add() gets them.
class ClassSums {
 public:
  // Room for classes [0, classes) and `pairs` touches, before anything is added (so that add()
  // cannot throw and leave marks behind).
  void reserve(uint32_t classes, size_t pairs) {
    if (mass_.size() < classes) {  // the marks first: mass_'s size says both have room
      marks_.resize((size_t(classes) + 63) / 64, 0);
      mass_.resize(classes, 0.0);
    }
    touched_.reserve(pairs);
  }
  void add(uint32_t classIndex, double mass) {
    uint64_t& word = marks_[classIndex / 64];
    const uint64_t bit = uint64_t{1} << (classIndex % 64);
    if (!(word & bit)) {
      word |= bit;
      touched_.push_back(classIndex);
    }
    mass_[classIndex] += mass;
  }
  size_t touched() const { return touched_.size(); }
  // Every sum 0 and nothing marked (what take() leaves), also after a take() that f threw in.
  void clear() {
    for (uint32_t ci : touched_) {
      marks_[ci / 64] = 0;
      mass_[ci] = 0.0;
    }
    touched_.clear();
  }
  // f(class index, its sum) in ascending class index; leaves every sum 0 and nothing marked.
  template <typename F>
  void take(F&& f) {
    uint32_t lo = UINT32_MAX, hi = 0;
    for (uint32_t ci : touched_) {
      lo = std::min(lo, ci / 64);
      hi = std::max(hi, ci / 64);
    }
    // Few classes over a wide range (a large vocabulary) are sorted; else the marks are scanned.
    if (touched_.size() * 16 < size_t(hi - lo + 1)) {
      std::sort(touched_.begin(), touched_.end());
      for (uint32_t ci : touched_) {
        marks_[ci / 64] = 0;
        f(ci, std::exchange(mass_[ci], 0.0));
      }
    } else if (!touched_.empty()) {
      for (uint32_t w = lo; w <= hi; ++w) {
        for (uint64_t bits = std::exchange(marks_[w], 0); bits; bits &= bits - 1) {
          const uint32_t ci = w * 64 + uint32_t(std::countr_zero(bits));
          f(ci, std::exchange(mass_[ci], 0.0));
        }
      }
    }
    touched_.clear();
  }

 private:
  std::vector<double> mass_;
  std::vector<uint64_t> marks_;  // a bit per class index: touched by this read
  std::vector<uint32_t> touched_;
};

}  // namespace memlens
