#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace memlens {

// Instances for a memory-based classifier: `width` feature value ids and one class id each,
// all ids from one Vocabulary. Row-major: features of instance i are [i*width, (i+1)*width).
// f1 = farthest context token, f_width = nearest. `source` says where each instance came from:
// the target's token index in a TokenStream, or the 1-based line of an instance file.
// A plain value: safe to read from many threads.
struct InstanceSet {
  // Memories and instance windows take 1 to kMaxWidth features (match patterns are 32-bit).
  static constexpr int kMaxWidth = 32;

  int width = 0;
  std::vector<uint32_t> features;
  std::vector<uint32_t> classes;
  std::vector<uint64_t> sources;

  size_t size() const { return classes.size(); }
  std::span<const uint32_t> instance(size_t i) const {
    return {features.data() + i * static_cast<size_t>(width), static_cast<size_t>(width)};
  }
  // Instances [begin, end), copied.
  InstanceSet slice(size_t begin, size_t end) const {
    InstanceSet out;
    out.width = width;
    const auto w = static_cast<size_t>(width);
    out.features.assign(features.begin() + static_cast<std::ptrdiff_t>(begin * w),
                        features.begin() + static_cast<std::ptrdiff_t>(end * w));
    out.classes.assign(classes.begin() + static_cast<std::ptrdiff_t>(begin),
                       classes.begin() + static_cast<std::ptrdiff_t>(end));
    out.sources.assign(sources.begin() + static_cast<std::ptrdiff_t>(begin),
                       sources.begin() + static_cast<std::ptrdiff_t>(end));
    return out;
  }
  void reserve(size_t n) {
    features.reserve(n * static_cast<size_t>(width));
    classes.reserve(n);
    sources.reserve(n);
  }
};

}  // namespace memlens
