#include "edit/vector_overlay.h"

#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>

#include <algorithm>
#include <bit>

#include "base/huge_pages.h"

namespace memlens {

namespace {

// Marks a change whose vector the overlay lacked before the batch, until the batch's new entries
// are numbered.
constexpr uint32_t kPending = 0x80000000u;

}  // namespace

VectorOverlay::VectorOverlay(const VectorOverlay& other)
    : base_(other.base_),
      width_(other.width_),
      liveCounts_(other.liveCounts_),
      slots_(other.slots_),
      masked_(other.masked_),
      occupied_(other.occupied_) {
  const size_t n = other.entries_.size(), room = n / 8 + 64;
  entries_.reserve(n + room);
  adviseHugePages(entries_.data(), entries_.capacity() * sizeof(Entry));
  entries_ = other.entries_;
  values_.reserve((n + room) * width_);
  adviseHugePages(values_.data(), values_.capacity() * sizeof(uint32_t));
  values_ = other.values_;
  counts_.reserve(liveCounts_ + 2 * room);
  adviseHugePages(counts_.data(), counts_.capacity() * sizeof(Count));
  for (Entry& e : entries_) {
    const auto from = other.counts_.begin() + static_cast<std::ptrdiff_t>(e.begin);
    e.begin = counts_.size();
    counts_.insert(counts_.end(), from, from + e.size);
  }
}

uint64_t VectorOverlay::hashOf(const uint32_t* features, size_t width) {
  uint64_t h = 0xCBF29CE484222325ull;
  for (size_t f = 0; f < width; ++f) h = (h ^ features[f]) * 0x100000001B3ull;
  // A multiply carries upwards only: the low bits (the slot) mixed from the high ones.
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  return h ^ (h >> 33);
}

size_t VectorOverlay::slotOf(const uint32_t* features, uint64_t hash) const {
  const size_t mask = slots_.size() - 1;
  const uint64_t tag = hash >> 32;
  for (size_t s = hash & mask;; s = (s + 1) & mask) {
    const uint64_t slot = slots_[s];
    if (slot == 0) return s;
    if ((slot >> 32) == tag &&
        std::equal(features, features + width_, featuresOf(static_cast<uint32_t>(slot) - 1)))
      return s;
  }
}

void VectorOverlay::rehash(size_t capacity, uint32_t entries) {
  slots_ = hugePageVector<uint64_t>(capacity, 0);
  for (uint32_t e = 0; e < entries; ++e) {
    const uint64_t h = hashOf(featuresOf(e), width_);
    slots_[slotOf(featuresOf(e), h)] = (h >> 32) << 32 | (uint64_t{e} + 1);
  }
}

std::vector<uint32_t> VectorOverlay::entriesOf(std::span<const Change> changes) {
  const size_t n = changes.size();
  std::vector<uint64_t> hashes = hugePageVector<uint64_t>(n);
  std::vector<uint32_t> entryOf = hugePageVector<uint32_t>(n);
  // The entries the overlay holds already, on all cores (a cache miss or two each).
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 4096), [&](const auto& range) {
    for (size_t i = range.begin(); i != range.end(); ++i) {
      hashes[i] = hashOf(changes[i].features, width_);
      const uint64_t slot = slots_.empty() ? 0 : slots_[slotOf(changes[i].features, hashes[i])];
      entryOf[i] = slot == 0 ? kPending : static_cast<uint32_t>(slot) - 1;
    }
  });
  // The others enter the table in order, each vector numbered by its first change as one change
  // at a time would: one probe each, where sorting them by hash to find each vector's first
  // change took a tenth of a second for a document removal at 100M (and the table probe after).
  const size_t pending = static_cast<size_t>(std::count(entryOf.begin(), entryOf.end(), kPending));
  const auto firstNew = static_cast<uint32_t>(entries_.size());
  if (pending == 0) return entryOf;
  const size_t slotsBefore = slots_.size();
  if (2 * (firstNew + pending) > slots_.size())
    rehash(std::bit_ceil(std::max<size_t>(2 * (firstNew + pending), 16)), firstNew);
  if (firstNew + pending > entries_.capacity()) {
    entries_.reserve(std::max(firstNew + pending, 2 * entries_.capacity()));
    adviseHugePages(entries_.data(), entries_.capacity() * sizeof(Entry));
    values_.reserve(entries_.capacity() * width_);
    adviseHugePages(values_.data(), values_.capacity() * sizeof(uint32_t));
  }
  values_.resize((firstNew + pending) * width_);  // cut to the new vectors' below
  std::vector<uint32_t> firstChange;
  firstChange.reserve(pending);
  adviseHugePages(firstChange.data(), pending * sizeof(uint32_t));
  for (uint32_t i = 0; i < n; ++i) {
    if (entryOf[i] != kPending) continue;
    const uint32_t* f = changes[i].features;
    const size_t s = slotOf(f, hashes[i]);
    if (slots_[s] != 0) {
      entryOf[i] = static_cast<uint32_t>(slots_[s]) - 1;
      continue;
    }
    const auto e = static_cast<uint32_t>(firstNew + firstChange.size());
    std::copy(f, f + width_, values_.data() + size_t{e} * width_);
    slots_[s] = (hashes[i] >> 32) << 32 | (uint64_t{e} + 1);
    entryOf[i] = e;
    firstChange.push_back(i);
  }
  const size_t added = firstChange.size();
  values_.resize((firstNew + added) * width_);
  entries_.resize(firstNew + added);
  // Room was made for every pending change: the table as the entries alone would size it (a
  // batch changing vectors several times each made it up to twice that).
  if (const size_t fits =
          std::max(slotsBefore, std::bit_ceil(std::max<size_t>(2 * entries_.size(), 16)));
      fits < slots_.size())
    rehash(fits, static_cast<uint32_t>(entries_.size()));
  // The base's vectors on both cores: each lookup is a cache miss or two in a table of millions.
  tbb::parallel_for(tbb::blocked_range<size_t>(0, added, 1024), [&](const auto& range) {
    for (size_t k = range.begin(); k != range.end(); ++k) {
      Entry& entry = entries_[firstNew + k];
      entry.baseId = base_->find({changes[firstChange[k]].features, width_});
      // The counts it enters with (applyCounts writes them).
      if (entry.baseId != InstanceBase::kNone)
        entry.size = static_cast<uint32_t>(base_->distribution(entry.baseId).size());
    }
  });
  for (size_t k = 0; k < added; ++k)
    masked_ += entries_[firstNew + k].baseId != InstanceBase::kNone ? 1 : 0;
  return entryOf;
}

void VectorOverlay::applyCounts(std::span<const Change> changes,
                                const std::vector<uint32_t>& entryOf, uint32_t firstNew) {
  // The changes by entry, each entry's in order: a counting sort over the entries they touch.
  const auto [lo, hi] = std::minmax_element(entryOf.begin(), entryOf.end());
  const uint32_t first = *lo;
  const size_t range = size_t{*hi} - first + 1;
  std::vector<uint32_t> end = hugePageVector<uint32_t>(range, 0);
  for (uint32_t e : entryOf) ++end[e - first];
  // Per entry, its counts' room in counts_ (those it holds and one per change) after the rest.
  std::vector<size_t> at = hugePageVector<size_t>(range + 1, 0);
  at[0] = counts_.size();
  for (size_t r = 0; r < range; ++r) {
    const Entry& entry = entries_[first + r];
    at[r + 1] = at[r] + (end[r] == 0 ? 0 : entry.size + end[r]);
    if (r > 0) end[r] += end[r - 1];
  }
  std::vector<uint32_t> order = hugePageVector<uint32_t>(changes.size());
  for (size_t i = changes.size(); i-- > 0;)
    order[--end[entryOf[i] - first]] = static_cast<uint32_t>(i);
  // end[r] is now entry first + r's first change in order; the next's its end.
  if (at[range] > counts_.capacity()) {
    counts_.reserve(std::max(at[range], 2 * counts_.capacity()));
    adviseHugePages(counts_.data(), counts_.capacity() * sizeof(Count));
  }
  counts_.resize(at[range]);
  std::vector<uint32_t> sizeBefore = hugePageVector<uint32_t>(range, 0);
  tbb::parallel_for(tbb::blocked_range<size_t>(0, range, 1024), [&](const auto& rows) {
    for (size_t r = rows.begin(); r != rows.end(); ++r) {
      if (at[r + 1] == at[r]) continue;
      const auto e = static_cast<uint32_t>(first + r);
      Entry& entry = entries_[e];
      Count* out = counts_.data() + at[r];
      size_t size = 0;
      if (e < firstNew) {
        sizeBefore[r] = entry.size;
        for (const Count& c : countsOf(e)) out[size++] = c;
      } else if (entry.baseId != InstanceBase::kNone) {
        // A base vector enters with the counts it has in the base, which the changes then move.
        for (const ClassCount& c : base_->distribution(entry.baseId))
          out[size++] = {base_->classId(c.classIndex), c.count};
      }
      const size_t to = r + 1 < range ? end[r + 1] : changes.size();
      for (size_t k = end[r]; k < to; ++k) {
        const Change& change = changes[order[k]];
        Count* c = std::find_if(out, out + size,
                                [&](const Count& cc) { return cc.first == change.classId; });
        if (c == out + size) {
          out[size++] = {change.classId, change.delta};
        } else if ((c->second += change.delta) == 0) {
          std::copy(c + 1, out + size, c);
          --size;
        }
      }
      entry.begin = at[r];
      entry.size = static_cast<uint32_t>(size);
    }
  });
  for (size_t r = 0; r < range; ++r) {
    if (at[r + 1] == at[r]) continue;
    const Entry& entry = entries_[first + r];
    liveCounts_ += entry.size;
    liveCounts_ -= sizeBefore[r];
    occupied_ += (entry.size > 0 ? 1u : 0u) - (sizeBefore[r] > 0 ? 1u : 0u);
  }
}

void VectorOverlay::change(std::span<const Change> changes,
                           const std::function<void(std::span<const uint32_t>)>& beside) {
  if (changes.empty()) return beside({});
  // The runs left behind outgrew the live ones: compacted, entries in order.
  if (counts_.size() > 2 * liveCounts_ + 1024) {
    std::vector<Count> live;
    live.reserve(liveCounts_);
    for (Entry& e : entries_) {
      const size_t begin = live.size();
      live.insert(live.end(), counts_.begin() + static_cast<std::ptrdiff_t>(e.begin),
                  counts_.begin() + static_cast<std::ptrdiff_t>(e.begin + e.size));
      e.begin = begin;
    }
    counts_ = std::move(live);
  }
  const auto firstNew = static_cast<uint32_t>(entries_.size());
  const std::vector<uint32_t> entryOf = entriesOf(changes);
  tbb::parallel_invoke([&] { applyCounts(changes, entryOf, firstNew); }, [&] { beside(entryOf); });
}

uint32_t VectorOverlay::find(std::span<const uint32_t> features) const {
  if (slots_.empty() || features.size() != width_) return kNone;
  const uint64_t slot = slots_[slotOf(features.data(), hashOf(features.data(), width_))];
  return slot == 0 ? kNone : static_cast<uint32_t>(slot) - 1;
}

}  // namespace memlens
