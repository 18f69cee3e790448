#include "edit/edited_rows.h"

#include <algorithm>
#include <bit>

namespace memlens {

EditedRows::EditedRows(std::shared_ptr<const InstanceSet> base)
    : base_(std::move(base)),
      chunks_((base_->size() + kChunkRows - 1) / kChunkRows),
      live_(chunks_.size()),
      size_(base_->size()),
      width_(base_->width) {}

EditedRows::Leaf& EditedRows::writable(size_t i) {
  std::shared_ptr<Chunk>& c = chunks_[i / kChunkRows];
  if (!c) {
    c = std::make_shared<Chunk>();
  } else if (c.use_count() > 1) {
    // Shared with another copy of the rows (a committed state, a preview): this copy's own
    // pointers; the leaves stay shared until written.
    c = std::make_shared<Chunk>(*c);
  }
  std::shared_ptr<Leaf>& l = (*c)[i / kLeafRows % kLeaves];
  if (!l) {
    // The first change to a leaf of the base: this copy's own rows from here on (none when the
    // leaf lies past the base, where rows are appended).
    const size_t begin = i / kLeafRows * kLeafRows;
    const size_t end = std::max(begin, std::min(begin + kLeafRows, base_->size()));
    const auto w = static_cast<size_t>(width_);
    l = std::make_shared<Leaf>();
    l->features.reserve(kLeafRows * w);
    l->features.assign(base_->features.begin() + static_cast<std::ptrdiff_t>(begin * w),
                       base_->features.begin() + static_cast<std::ptrdiff_t>(end * w));
    std::copy(base_->classes.begin() + static_cast<std::ptrdiff_t>(begin),
              base_->classes.begin() + static_cast<std::ptrdiff_t>(end), l->classes.begin());
    std::copy(base_->sources.begin() + static_cast<std::ptrdiff_t>(begin),
              base_->sources.begin() + static_cast<std::ptrdiff_t>(end), l->sources.begin());
    l->rows = end - begin;
  } else if (l.use_count() > 1) {
    l = std::make_shared<Leaf>(*l);
  }
  return *l;
}

void EditedRows::setLive(size_t i, bool live) {
  std::shared_ptr<Bits>& b = live_[i / kChunkRows];
  if (!b) {
    b = std::make_shared<Bits>();
    b->fill(~uint64_t{0});
  } else if (b.use_count() > 1) {
    b = std::make_shared<Bits>(*b);
  }
  uint64_t& word = (*b)[i % kChunkRows / 64];
  const uint64_t bit = uint64_t{1} << (i % 64);
  word = live ? word | bit : word & ~bit;
}

void EditedRows::setClass(size_t i, uint32_t classId) {
  writable(i).classes[i % kLeafRows] = classId;
}

void EditedRows::setFeatures(size_t i, std::span<const uint32_t> features) {
  Leaf& l = writable(i);
  std::copy(features.begin(), features.end(),
            l.features.begin() + static_cast<std::ptrdiff_t>((i % kLeafRows) * features.size()));
}

void EditedRows::append(std::span<const uint32_t> features, uint32_t classId, uint64_t source,
                        bool live) {
  if (size_ / kChunkRows == chunks_.size()) {
    chunks_.emplace_back();
    live_.emplace_back();
  }
  Leaf& l = writable(size_);
  l.features.insert(l.features.end(), features.begin(), features.end());
  l.classes[l.rows] = classId;
  l.sources[l.rows] = source;
  ++l.rows;
  setLive(size_++, live);
}

void EditedRows::popBack() {
  --size_;
  Leaf& l = writable(size_);
  l.features.resize(l.features.size() - static_cast<size_t>(width_));
  --l.rows;
  if (l.rows == 0) (*chunks_[size_ / kChunkRows])[size_ / kLeafRows % kLeaves].reset();
  chunks_.resize((size_ + kChunkRows - 1) / kChunkRows);
  live_.resize(chunks_.size());
}

InstanceSet EditedRows::liveInstances() const {
  InstanceSet set;
  set.width = width_;
  size_t n = 0;
  for (size_t k = 0; k < live_.size(); ++k) {
    const size_t rows = std::min(kChunkRows, size_ - k * kChunkRows);
    if (!live_[k]) {
      n += rows;
      continue;
    }
    const Bits& b = *live_[k];
    for (size_t w = 0; w < rows / 64; ++w) n += static_cast<size_t>(std::popcount(b[w]));
    if (rows % 64) n += static_cast<size_t>(std::popcount(b[rows / 64] << (64 - rows % 64)));
  }
  set.reserve(n);
  for (size_t i = 0; i < size_; ++i) {
    if (!live(i)) continue;
    const auto f = features(i);
    set.features.insert(set.features.end(), f.begin(), f.end());
    set.classes.push_back(classOf(i));
    set.sources.push_back(source(i));
  }
  return set;
}

}  // namespace memlens
