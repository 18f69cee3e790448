#include "memlens/instance_base.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

#include "base/hash_mix.h"
#include "base/huge_pages.h"
#include "base/release_if_cancelled.h"
#include "memory/instance_base_file_checks.h"
#include "memory/pending_feature_counts.h"

namespace memlens {
namespace {

constexpr uint32_t kNoSource = 0xFFFFFFFFu;
constexpr size_t kPollEvery = 4096;

}  // namespace

InstanceBase::InstanceBase(int width) : width_(width), featureCounts_(static_cast<size_t>(width)) {}

uint64_t InstanceBase::hashOf(const uint32_t* features) const {
  uint64_t h = 0x9e3779b97f4a7c15ULL;
  for (int i = 0; i < width_; ++i) h = hashMix(h ^ (features[i] + 0x100000001b3ULL * (i + 1)));
  return h;
}

uint32_t InstanceBase::findHashed(const uint32_t* features, uint64_t hash) const {
  if (slots_.empty()) return kNone;
  const size_t mask = slots_.size() - 1;
  const size_t bytes = sizeof(uint32_t) * static_cast<size_t>(width_);
  // Bounded and range-checked, so that a damaged table read from a file (no free slot, a slot
  // past the stored vectors) ends the search instead of looping or reading out of bounds.
  for (size_t s = hash & mask, probes = 0; probes < slots_.size(); s = (s + 1) & mask, ++probes) {
    const uint32_t slot = slots_[s];
    if (slot == 0 || slot > vectorCount()) return kNone;
    if (std::memcmp(vector(slot - 1).data(), features, bytes) == 0) return slot - 1;
  }
  return kNone;
}

uint32_t InstanceBase::find(std::span<const uint32_t> features) const {
  if (features.size() != static_cast<size_t>(width_)) return kNone;
  return findHashed(features.data(), hashOf(features.data()));
}

void InstanceBase::growTable() { rebuildTable(std::max<size_t>(16, slots_.size() * 2)); }

uint32_t InstanceBase::rebuildTable(size_t capacity) {
  while (capacity < static_cast<size_t>(vectorCount()) * 2) capacity *= 2;
  std::vector<uint32_t> slots = hugePageVector<uint32_t>(capacity, 0);
  const size_t mask = slots.size() - 1;
  const size_t bytes = sizeof(uint32_t) * static_cast<size_t>(width_);
  uint32_t duplicate = kNone;
  for (uint32_t id = 0; id < vectorCount(); ++id) {
    const uint32_t* v = values_.data() + static_cast<size_t>(id) * width_;
    size_t s = hashOf(v) & mask;
    for (; slots[s] != 0; s = (s + 1) & mask)
      if (duplicate == kNone &&
          std::memcmp(values_.data() + static_cast<size_t>(slots[s] - 1) * width_, v, bytes) == 0)
        duplicate = id;
    slots[s] = id + 1;
  }
  slots_ = std::move(slots);
  return duplicate;
}

uint32_t InstanceBase::classIndex(uint32_t classId) const {
  auto it = classIndexOf_.find(classId);
  return it == classIndexOf_.end() ? kNone : it->second;
}

uint32_t InstanceBase::addClass(uint32_t classId) {
  auto [it, isNew] = classIndexOf_.try_emplace(classId, classCount());
  if (isNew) {
    classIds_.push_back(classId);
    classTotals_.push_back(0);
  }
  return it->second;
}

std::vector<uint64_t> InstanceBase::sources(uint32_t id, size_t limit) const {
  std::vector<uint64_t> out;
  const uint64_t tokens = checks_ ? checks_->sourceLimit : UINT64_MAX;
  // Lists only link forward (they are appended to): a link that does not, or that leaves the
  // arrays, or a source past the token stream (a damaged file) ends the list.
  uint64_t next = 0;
  for (uint32_t s = firstSource_[id]; out.size() < limit && s != kNoSource && s >= next &&
                                      s < sources_.size() && sources_[s] < tokens;
       s = nextSource_[s]) {
    out.push_back(sources_[s]);
    next = uint64_t{s} + 1;
  }
  return out;
}

Status InstanceBase::add(const InstanceSet& instances, JobControl* job) {
  if (checks_) {
    // What changes a memory read from a file must rely on all of it.
    if (Status s = checkAll(job); !s) return s;
    checks_.reset();
  }
  if (pending_) {
    featureCounts_ = pendingFeatureCounts();
    pending_.reset();
  }
  if (instances.width != width_)
    return Status::invalidArgument("instances have " + std::to_string(instances.width) +
                                   " features, the memory has " + std::to_string(width_));
  if (instanceCount() + instances.size() >= kNoSource)
    return Status::invalidArgument("too many instances for one memory (limit 4294967294)");
  // Remember the sizes so that a cancelled add can be undone exactly.
  const uint32_t oldVectors = vectorCount();
  const size_t oldInstances = sources_.size();
  const uint32_t oldClasses = classCount();
  // Nothing to keep, not even classes registered by addClass(): a cancel may start afresh.
  const bool fresh = oldInstances == 0 && oldClasses == 0;
  std::vector<size_t> oldValueCounts(width_);
  for (int f = 0; f < width_; ++f) oldValueCounts[f] = featureCounts_[f].valueTotals.size();
  std::vector<uint32_t> touched;  // vector id per added instance, for undo

  const size_t n = instances.size();
  for (size_t i = 0; i < n; ++i) {
    if (i % kPollEvery == 0) {
      if (cancelRequested(job)) {
        // A first add has nothing to keep: starting afresh is O(1) where the undo is O(n), and
        // what was built is freed off the caller's time (gigabytes at 100M instances).
        if (fresh) {
          releaseInBackground(std::exchange(*this, InstanceBase(width_)));
          return Status::cancelled();
        }
        // Undo in reverse: counts first, then truncate what was appended.
        for (size_t j = touched.size(); j-- > 0;) {
          const uint32_t cls = classIndexOf_.at(instances.classes[j]);
          removeCount(touched[j], cls);
          --classTotals_[cls];
          const uint32_t* fv = instances.features.data() + j * static_cast<size_t>(width_);
          for (int f = 0; f < width_; ++f) {
            FeatureCounts& fc = featureCounts_[f];
            const uint32_t v = fc.valueIndex.at(fv[f]);
            --fc.valueTotals[v];
            --*fc.valueClass.find((static_cast<uint64_t>(v) << 32) | cls);
          }
        }
        values_.resize(static_cast<size_t>(oldVectors) * width_);
        single_.resize(oldVectors);
        multi_.resize(oldVectors);
        firstSource_.resize(oldVectors);
        lastSource_.resize(oldVectors);
        for (uint32_t id = 0; id < oldVectors; ++id) {
          uint32_t s = firstSource_[id];
          while (nextSource_[s] != kNoSource && nextSource_[s] < oldInstances) s = nextSource_[s];
          nextSource_.mutableAt(s) = kNoSource;
          lastSource_.mutableAt(id) = s;
        }
        rebuildTable();
        sources_.resize(oldInstances);
        nextSource_.resize(oldInstances);
        for (uint32_t c = oldClasses; c < classCount(); ++c) classIndexOf_.erase(classIds_[c]);
        classIds_.resize(oldClasses);
        classTotals_.resize(oldClasses);
        for (int f = 0; f < width_; ++f) {
          FeatureCounts& fc = featureCounts_[f];
          for (auto it = fc.valueIndex.begin(); it != fc.valueIndex.end();)
            it = it->second >= oldValueCounts[f] ? fc.valueIndex.erase(it) : std::next(it);
          fc.valueTotals.resize(oldValueCounts[f]);
        }
        return Status::cancelled();
      }
      reportProgress(job, static_cast<double>(i) / static_cast<double>(n), "building memory");
    }
    const uint32_t* fv = instances.features.data() + i * static_cast<size_t>(width_);
    const uint32_t classId = instances.classes[i];
    auto [cit, newClass] = classIndexOf_.try_emplace(classId, classCount());
    if (newClass) {
      classIds_.push_back(classId);
      classTotals_.push_back(0);
    }
    const uint32_t cls = cit->second;
    ++classTotals_[cls];

    const uint64_t h = hashOf(fv);
    uint32_t id = findHashed(fv, h);
    if (id == kNone) {
      if ((vectorCount() + 1) * 2 > slots_.size()) growTable();
      id = vectorCount();
      values_.append(fv, fv + width_);
      single_.push_back({0, 0});
      multi_.push_back(0);
      firstSource_.push_back(kNoSource);
      lastSource_.push_back(kNoSource);
      const size_t mask = slots_.size() - 1;
      size_t s = h & mask;
      while (slots_[s] != 0) s = (s + 1) & mask;
      slots_.mutableAt(s) = id + 1;
    }
    if (!fresh) touched.push_back(id);  // a first add is undone by starting afresh
    addCount(id, cls);
    const auto src = static_cast<uint32_t>(sources_.size());
    sources_.push_back(i < instances.sources.size() ? instances.sources[i] : i + 1);
    nextSource_.push_back(kNoSource);
    if (lastSource_[id] == kNoSource) {
      firstSource_.mutableAt(id) = src;
    } else {
      nextSource_.mutableAt(lastSource_[id]) = src;
    }
    lastSource_.mutableAt(id) = src;

    for (int f = 0; f < width_; ++f) {
      FeatureCounts& fc = featureCounts_[f];
      auto [vit, newValue] =
          fc.valueIndex.try_emplace(fv[f], static_cast<uint32_t>(fc.valueTotals.size()));
      if (newValue) fc.valueTotals.push_back(0);
      ++fc.valueTotals[vit->second];
      ++fc.valueClass[(static_cast<uint64_t>(vit->second) << 32) | cls];
    }
  }
  reportProgress(job, 1.0, "building memory");
  return Status::ok();
}

std::vector<std::vector<ClassCount>>& InstanceBase::multiStore() {
  if (!multiStart_.empty()) {
    for (size_t m = 0; m + 1 < multiStart_.size(); ++m)
      multiStore_.emplace_back(multiFlat_.begin() + multiStart_[m],
                               multiFlat_.begin() + multiStart_[m + 1]);
    multiStart_.clear();
    multiFlat_.clear();
  }
  return multiStore_;
}

void InstanceBase::addCount(uint32_t id, uint32_t cls, uint32_t n) {
  if (multi_[id] != 0) {
    auto& dist = multiStore()[multi_[id] - 1];
    for (ClassCount& c : dist)
      if (c.classIndex == cls) {
        c.count += n;
        return;
      }
    dist.push_back({cls, n});
    return;
  }
  ClassCount& one = single_.mutableAt(id);
  if (one.count == 0 || one.classIndex == cls) {
    one.classIndex = cls;
    one.count += n;
    return;
  }
  multiStore().push_back({one, {cls, n}});
  multi_.mutableAt(id) = static_cast<uint32_t>(multiStore_.size());
}

void InstanceBase::removeCount(uint32_t id, uint32_t cls) {
  if (multi_[id] == 0) {
    --single_.mutableAt(id).count;
    return;
  }
  auto& dist = multiStore()[multi_[id] - 1];
  for (auto it = dist.begin(); it != dist.end(); ++it)
    if (it->classIndex == cls) {
      if (--it->count == 0) dist.erase(it);
      return;
    }
}

const std::vector<FeatureWeightDetail>* InstanceBase::weightDetails() const {
  return pending_ ? &pending_->details : nullptr;
}

const std::vector<FeatureCounts>& InstanceBase::pendingFeatureCounts() const {
  PendingCounts& p = *pending_;
  std::call_once(p.built, [&] {
    for (size_t f = 0; f < p.counts.size(); ++f) {
      const ValueClassRows& rows = p.rows[f];
      CountTable& table = p.counts[f].valueClass;
      table.reserve(rows.cells.size());
      for (size_t v = 0; v + 1 < rows.rowStart.size(); ++v)
        for (uint32_t i = rows.rowStart[v]; i < rows.rowStart[v + 1]; ++i)
          table[(static_cast<uint64_t>(v) << 32) | rows.cells[i].classIndex] = rows.cells[i].count;
    }
  });
  return p.counts;
}

size_t InstanceBase::memoryBytes() const {
  size_t b = values_.capacity() * 4 + slots_.capacity() * 4 + sources_.capacity() * 8 +
             nextSource_.capacity() * 4 + firstSource_.capacity() * 8 + single_.capacity() * 8 +
             multi_.capacity() * 4 + multiStart_.capacity() * 8 + multiFlat_.capacity() * 8 +
             multiStore_.capacity() * sizeof(std::vector<ClassCount>);
  for (const auto& d : multiStore_) b += d.capacity() * sizeof(ClassCount) + 16;
  for (const auto& fc : pending_ ? pending_->counts : featureCounts_)
    b += fc.valueIndex.size() * 32 + fc.valueTotals.capacity() * 8 + fc.valueClass.memoryBytes();
  if (pending_)
    for (const ValueClassRows& rows : pending_->rows)
      b += rows.rowStart.capacity() * 4 + rows.cells.capacity() * sizeof(ClassCount);
  return b;
}

}  // namespace memlens
