#include "edit/edited_rows.h"

#include <algorithm>

namespace memlens {

EditedRows::EditedRows(const InstanceSet& instances) : width_(instances.width) {
  for (size_t i = 0; i < instances.size(); ++i)
    append(instances.instance(i), instances.classes[i], instances.sources[i], true);
}

EditedRows::Chunk& EditedRows::writable(size_t i) {
  std::shared_ptr<Chunk>& c = chunks_[i / kRows];
  // Shared with another copy of the rows (a committed state, a preview): this copy's own.
  if (c.use_count() > 1) c = std::make_shared<Chunk>(*c);
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
  for (const auto& c : chunks_)
    n += static_cast<size_t>(std::count(c->live.begin(), c->live.end(), 1));
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
