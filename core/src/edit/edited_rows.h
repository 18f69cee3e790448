#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "memlens/instance_set.h"

namespace memlens {

// An edited memory's instances as rows (features, class, source, live), stored as persistent
// arrays shared between copies: the rows in chunks of 256 leaves of 64 rows, the live flags apart
// in blocks of 16k bits. Copying the rows copies two pointers per 16k rows; a change copies what
// it writes to (copy on write): a live flag its block of bits (2 KB), a class or features its
// chunk (256 pointers) and leaf (64 rows). What no edit has touched is the training instances'
// own rows, read in place. So making the rows of a 100M-instance memory copies nothing, and a
// preview, which copies the memory's rows and edits the copy, costs what the edit touched, not
// the memory's size, even when its instances are spread over the whole memory (a frequent stored
// vector's instances lie in every copy of a repeated corpus: with chunks of 16k rows copied per
// change, deleting one such vector from a 73M-instance memory copied gigabytes).
// Not thread-safe for changes; const calls and copies may run concurrently.
class EditedRows {
 public:
  EditedRows() = default;
  // Every instance of `base`, live.
  explicit EditedRows(std::shared_ptr<const InstanceSet> base);

  size_t size() const { return size_; }
  int width() const { return width_; }
  std::span<const uint32_t> features(size_t i) const {
    const Leaf* l = leaf(i);
    if (!l) return base_->instance(i);
    return {l->features.data() + (i % kLeafRows) * static_cast<size_t>(width_),
            static_cast<size_t>(width_)};
  }
  uint32_t classOf(size_t i) const {
    const Leaf* l = leaf(i);
    return l ? l->classes[i % kLeafRows] : base_->classes[i];
  }
  uint64_t source(size_t i) const {
    const Leaf* l = leaf(i);
    return l ? l->sources[i % kLeafRows] : base_->sources[i];
  }
  bool live(size_t i) const {
    const Bits* b = live_[i / kChunkRows].get();
    return !b || ((*b)[i % kChunkRows / 64] >> (i % 64) & 1) != 0;
  }

  void setLive(size_t i, bool live);
  void setClass(size_t i, uint32_t classId);
  void setFeatures(size_t i, std::span<const uint32_t> features);
  void append(std::span<const uint32_t> features, uint32_t classId, uint64_t source, bool live);
  void popBack();

  // The live rows, in order.
  InstanceSet liveInstances() const;

 private:
  static constexpr size_t kLeafRows = 64;
  static constexpr size_t kLeaves = 256;  // per chunk
  static constexpr size_t kChunkRows = kLeafRows * kLeaves;
  // Rows [begin, begin + rows) of a leaf; rows past the base are inserted ones.
  struct Leaf {
    std::vector<uint32_t> features;
    std::array<uint32_t, kLeafRows> classes{};
    std::array<uint64_t, kLeafRows> sources{};
    size_t rows = 0;
  };
  // Null leaves: the base's rows, unchanged and live.
  using Chunk = std::array<std::shared_ptr<Leaf>, kLeaves>;
  // The live flags of a chunk's rows, one bit each.
  using Bits = std::array<uint64_t, kChunkRows / 64>;

  const Leaf* leaf(size_t i) const {
    const Chunk* c = chunks_[i / kChunkRows].get();
    return c ? (*c)[i / kLeafRows % kLeaves].get() : nullptr;
  }
  Leaf& writable(size_t i);

  std::shared_ptr<const InstanceSet> base_;
  // Null: the base's rows of that chunk, unchanged (chunks_) and live (live_).
  std::vector<std::shared_ptr<Chunk>> chunks_;
  std::vector<std::shared_ptr<Bits>> live_;
  size_t size_ = 0;
  int width_ = 0;
};

}  // namespace memlens
