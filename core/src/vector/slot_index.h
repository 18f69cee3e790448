#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "memlens/instance_base.h"
#include "vector/word_clusters.h"

namespace memlens {

// A memory's stored vectors ordered by their word at one context position (a group per word),
// then by their word at a second position (a run per word within a group), each entry with a copy
// of its values so that a group is read in one sequential pass. A vector-memory read bounds a
// whole group or run by those two positions' distances before it reads any of its slots, and each
// block of a run (up to kBlockEntries entries) by the clusters its words fall in at every other
// position (a mask per position: the read knows the least distance to each cluster), and each
// entry by the fine clusters of its words there. A run's entries are ordered by their word's fine
// cluster at a third position, so that its blocks hold few clusters there. Immutable: may be read
// from several threads at once.
class SlotIndex {
 public:
  static constexpr uint32_t kNone = 0xFFFFFFFFu;

  // 32 against 16: fewer block bounds for a few more entries fine-bounded, about 3 % less CPU
  // for a whole KJV eval (8: 2.5–5 % more; 64: no better than 32).
  static constexpr uint32_t kBlockEntries = 32;

  // `sub` < 0: one run per group; `third` < 0: entries of a run in slot order.
  SlotIndex(const InstanceBase& memory, int position, int sub, int third,
            const WordClusters& clusters);

  int position() const { return position_; }
  int sub() const { return sub_; }
  // The positions other than position() and sub(), in order.
  std::span<const size_t> rest() const { return rest_; }
  // Words 0 .. groupCount() − 1 may have a group (an empty one for words never at position()).
  uint32_t groupCount() const { return static_cast<uint32_t>(groupRuns_.size()) - 1; }
  uint32_t groupSize(uint32_t word) const {
    return runStart_[groupRuns_[word + 1]] - runStart_[groupRuns_[word]];
  }
  // The runs of `word`'s group are firstRun(word) .. firstRun(word + 1) − 1.
  uint32_t firstRun(uint32_t word) const { return groupRuns_[word]; }
  uint32_t runWord(uint32_t run) const { return runs_[run].word; }  // its word at sub()
  // The run's entries are runBegin(run) .. runBegin(run + 1) − 1.
  uint32_t runBegin(uint32_t run) const { return runStart_[run]; }
  // The run of `word`'s group whose word at sub() is `subWord`, or kNone.
  uint32_t findRun(uint32_t word, uint32_t subWord) const;

  // The run's blocks are firstBlock(run) .. firstBlock(run + 1) − 1; a block's entries are
  // blockBegin(block) .. blockBegin(block + 1) − 1.
  uint32_t firstBlock(uint32_t run) const { return runs_[run].firstBlock; }
  uint32_t blockBegin(uint32_t block) const {
    return static_cast<uint32_t>(blocks_[size_t(block) * blockStride()]);
  }
  // Per position of rest(), in that order: the clusters of the block's words there.
  const WordClusters::Mask* masks(uint32_t block) const {
    return blocks_.data() + size_t(block) * blockStride() + 1;
  }

  uint32_t slot(uint32_t entry) const { return record(entry)[width_]; }
  const uint32_t* values(uint32_t entry) const { return record(entry); }
  // Per position of rest(), in that order: the fine cluster of the entry's word there.
  const WordClusters::FineId* fineClusters(uint32_t entry) const {
    return restClusters_.data() + size_t(entry) * rest_.size();
  }

 private:
  int position_, sub_;
  size_t width_;
  std::vector<size_t> rest_;
  std::vector<uint32_t> groupRuns_;  // per word + 1: index of the group's first run
  std::vector<uint32_t> runStart_;   // per run + 1: index of the run's first entry
  // Per run + 1: a read scanning a group's runs by word finds where their blocks are in the
  // same cache line.
  struct Run {
    uint32_t word;        // at sub()
    uint32_t firstBlock;  // the index of the run's first block
  };
  std::vector<Run> runs_;
  // Per block + 1: the index of its first entry, then its rest_.size() masks (all that bounds a
  // block, in one place).
  std::vector<uint64_t> blocks_;
  size_t blockStride() const { return 1 + rest_.size(); }
  // Per entry: its values (width each), then its stored-vector id. A read goes from an entry's
  // values to its id only when it passes the bounds: one record, so that this costs no second
  // cache miss (the index is larger than the caches, and the entries that pass are scattered).
  size_t recordWords_;
  std::vector<uint32_t> records_;
  // Per entry: rest_.size() fine cluster ids, a bound from a few ids and a small table before
  // the entry's exact distances (tables of the whole vocabulary) are looked up; apart from the
  // records, so that the entries a read bounds this way stream through the cache.
  std::vector<WordClusters::FineId> restClusters_;
  const uint32_t* record(uint32_t entry) const {
    return records_.data() + size_t(entry) * recordWords_;
  }
};

}  // namespace memlens
