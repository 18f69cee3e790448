#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "memlens/instance_set.h"

namespace memlens {

// An edited memory's instances as rows (features, class, source, live), stored in fixed-size
// chunks shared between copies: copying the rows copies one pointer per chunk, and a change
// copies only the chunk it touches (copy on write). A chunk no edit has touched is the training
// instances' own rows, read in place: making the rows of a 100M-instance memory copies nothing,
// and a preview, which copies the memory's rows and edits the copy, costs what the edit touched,
// not the memory's size (a 100M-instance memory has ~6k chunks).
// Not thread-safe for changes; const calls and copies may run concurrently.
class EditedRows {
 public:
  EditedRows() = default;
  // Every instance of `base`, live.
  explicit EditedRows(std::shared_ptr<const InstanceSet> base);

  size_t size() const { return size_; }
  int width() const { return width_; }
  std::span<const uint32_t> features(size_t i) const {
    const Chunk* c = chunks_[i / kRows].get();
    if (!c) return base_->instance(i);
    return {c->features.data() + (i % kRows) * static_cast<size_t>(width_),
            static_cast<size_t>(width_)};
  }
  uint32_t classOf(size_t i) const {
    const Chunk* c = chunks_[i / kRows].get();
    return c ? c->classes[i % kRows] : base_->classes[i];
  }
  uint64_t source(size_t i) const {
    const Chunk* c = chunks_[i / kRows].get();
    return c ? c->sources[i % kRows] : base_->sources[i];
  }
  bool live(size_t i) const {
    const Chunk* c = chunks_[i / kRows].get();
    return !c || c->live[i % kRows] != 0;
  }

  void setLive(size_t i, bool live);
  void setClass(size_t i, uint32_t classId);
  void setFeatures(size_t i, std::span<const uint32_t> features);
  void append(std::span<const uint32_t> features, uint32_t classId, uint64_t source, bool live);
  void popBack();

  // The live rows, in order.
  InstanceSet liveInstances() const;

 private:
  static constexpr size_t kRows = size_t{1} << 14;
  struct Chunk {
    std::vector<uint32_t> features, classes;
    std::vector<uint64_t> sources;
    std::vector<uint8_t> live;
  };
  Chunk& writable(size_t i);

  std::shared_ptr<const InstanceSet> base_;
  // Null: the base's rows of that chunk, unchanged and live.
  std::vector<std::shared_ptr<Chunk>> chunks_;
  size_t size_ = 0;
  int width_ = 0;
};

}  // namespace memlens
