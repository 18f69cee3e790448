#pragma once

#include <cstdint>
#include <vector>

#include "memlens/instance_base.h"

namespace memlens {

// A memory's stored vectors ordered by their word at one context position (a group per word),
// then by their word at a second position (a run per word within a group), each entry with a copy
// of its words at every other position, so that a vector-memory read scans a whole group in one
// sequential pass without touching the memory. Immutable: may be read from several threads at
// once.
class SlotIndex {
 public:
  static constexpr uint32_t kNone = 0xFFFFFFFFu;

  // `sub` < 0: one run per group.
  SlotIndex(const InstanceBase& memory, int position, int sub);

  int position() const { return position_; }
  int sub() const { return sub_; }
  // Words 0 .. groupCount() − 1 may have a group (an empty one for words never at position()).
  uint32_t groupCount() const { return static_cast<uint32_t>(groupRuns_.size()) - 1; }
  // The group of `word` is entries groupBegin(word) .. groupBegin(word + 1) − 1.
  uint32_t groupBegin(uint32_t word) const { return runStart_[groupRuns_[word]]; }
  uint32_t groupSize(uint32_t word) const { return groupBegin(word + 1) - groupBegin(word); }
  // The run's entries are runBegin(run) .. runBegin(run + 1) − 1.
  uint32_t runBegin(uint32_t run) const { return runStart_[run]; }
  // The run of `word`'s group whose word at sub() is `subWord`, or kNone.
  uint32_t findRun(uint32_t word, uint32_t subWord) const;

  // The entry's words at every position but position(), in position order (width − 1 of them).
  const uint32_t* words(uint32_t entry) const {
    return words_.data() + size_t(entry) * (width_ - 1);
  }
  // The entry's word at position j (its group's word `groupWord` at position()).
  uint32_t wordAt(uint32_t entry, uint32_t groupWord, size_t j) const {
    return int(j) == position_ ? groupWord : words(entry)[j < size_t(position_) ? j : j - 1];
  }
  uint32_t slot(uint32_t entry) const { return slots_[entry]; }

 private:
  int position_, sub_;
  size_t width_;
  std::vector<uint32_t> groupRuns_;  // per word + 1: index of the group's first run
  std::vector<uint32_t> runStart_;   // per run + 1: index of the run's first entry
  std::vector<uint32_t> runWord_;    // per run: its word at sub()
  std::vector<uint32_t> words_;      // per entry: width − 1 words
  std::vector<uint32_t> slots_;      // per entry: its stored-vector id
};

}  // namespace memlens
