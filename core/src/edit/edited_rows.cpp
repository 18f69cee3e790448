#include "edit/edited_rows.h"

#include <algorithm>

namespace memlens {

EditedRows::EditedRows(std::shared_ptr<const InstanceSet> base)
    : base_(std::move(base)),
      chunks_((base_->size() + kRows - 1) / kRows),
      size_(base_->size()),
      width_(base_->width) {}

EditedRows::Chunk& EditedRows::writable(size_t i) {
  std::shared_ptr<Chunk>& c = chunks_[i / kRows];
  if (!c) {
    // The first change to a chunk of the base: this copy's own rows from here on.
    const size_t begin = i / kRows * kRows, end = std::min(begin + kRows, base_->size());
    const auto w = static_cast<size_t>(width_);
    c = std::make_shared<Chunk>();
    c->features.reserve(kRows * w);
    c->features.assign(base_->features.begin() + static_cast<std::ptrdiff_t>(begin * w),
                       base_->features.begin() + static_cast<std::ptrdiff_t>(end * w));
    c->classes.reserve(kRows);
    c->classes.assign(base_->classes.begin() + static_cast<std::ptrdiff_t>(begin),
                      base_->classes.begin() + static_cast<std::ptrdiff_t>(end));
    c->sources.reserve(kRows);
    c->sources.assign(base_->sources.begin() + static_cast<std::ptrdiff_t>(begin),
                      base_->sources.begin() + static_cast<std::ptrdiff_t>(end));
    c->live.reserve(kRows);
    c->live.assign(end - begin, 1);
  } else if (c.use_count() > 1) {
    // Shared with another copy of the rows (a committed state, a preview): this copy's own.
    c = std::make_shared<Chunk>(*c);
  }
  return *c;
}

void EditedRows::setLive(size_t i, bool live) { writable(i).live[i % kRows] = live ? 1 : 0; }

void EditedRows::setClass(size_t i, uint32_t classId) { writable(i).classes[i % kRows] = classId; }

void EditedRows::setFeatures(size_t i, std::span<const uint32_t> features) {
  Chunk& c = writable(i);
  std::copy(features.begin(), features.end(),
            c.features.begin() + static_cast<std::ptrdiff_t>((i % kRows) * features.size()));
}

void EditedRows::append(std::span<const uint32_t> features, uint32_t classId, uint64_t source,
                        bool live) {
  if (size_ % kRows == 0) {
    auto c = std::make_shared<Chunk>();
    c->features.reserve(kRows * static_cast<size_t>(width_));
    c->classes.reserve(kRows);
    c->sources.reserve(kRows);
    c->live.reserve(kRows);
    chunks_.push_back(std::move(c));
  }
  Chunk& c = writable(size_);
  c.features.insert(c.features.end(), features.begin(), features.end());
  c.classes.push_back(classId);
  c.sources.push_back(source);
  c.live.push_back(live ? 1 : 0);
  ++size_;
}

void EditedRows::popBack() {
  --size_;
  Chunk& c = writable(size_);
  c.features.resize(c.features.size() - static_cast<size_t>(width_));
  c.classes.pop_back();
  c.sources.pop_back();
  c.live.pop_back();
  if (c.classes.empty()) chunks_.pop_back();
}

InstanceSet EditedRows::liveInstances() const {
  InstanceSet set;
  set.width = width_;
  size_t n = 0;
  for (size_t k = 0; k < chunks_.size(); ++k) {
    const Chunk* c = chunks_[k].get();
    n += c ? static_cast<size_t>(std::count(c->live.begin(), c->live.end(), 1))
           : std::min(kRows, size_ - k * kRows);
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
