#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <unordered_map>
#include <vector>

#include "memlens/feature_weights.h"
#include "memlens/instance_set.h"
#include "memlens/job_control.h"
#include "memlens/result.h"
#include "memlens/status.h"
#include "memlens/storage.h"

namespace memlens {

class ByteReader;
class ByteWriter;

// The memory of a memory-based classifier: identical feature vectors are merged into one stored
// vector holding a class-count distribution and the sources (InstanceSet::sources) of every
// instance merged into it. Classes get dense indices in order of first appearance, the order
// TiMBL uses for ties and output. Per-feature value/class counts are maintained for weighting.
// Not thread-safe for add(); concurrent const calls are safe.
class InstanceBase {
 public:
  static constexpr uint32_t kNone = 0xFFFFFFFFu;

  explicit InstanceBase(int width = 0);

  // Merges `instances` (same width) into the memory. On cancel nothing is changed.
  Status add(const InstanceSet& instances, JobControl* job = nullptr);
  // A run of identical instances for fromRuns(): `count` instances of class `classIndex` (an index
  // into fromRuns()'s classIds) with the values of stored vector `vector`.
  struct Run {
    uint32_t vector = 0;
    uint32_t classIndex = 0;
    uint32_t count = 0;
  };
  // The memory add() builds from the instances `runs` expand to, in order, with `sources` (one
  // per instance; empty: numbered from 0), for a source that has told its distinct vectors apart
  // already (the leaves of a TiMBL instance base, the kept vectors of a pruned memory): `values`
  // holds them (vectorCount * width values), numbered in the order of their first run, and no
  // instance is hashed. Classes take classIds' indices (add()
  // numbers them by first appearance). Vectors must be distinct, each with a run, runs in range
  // and not empty: else an error. Cancellable; nothing is kept on cancel. kSkip leaves out the
  // per-feature counts (featureCounts() then counts nothing): for a memory that is only walked by a
  // tree of a given feature order, never weighted nor saved (a subtree an edit rebuilds), whose
  // counting would cost more than the rest.
  enum class FeatureCounting { kCount, kSkip };
  static Result<InstanceBase> fromRuns(int width, std::vector<uint32_t> values,
                                       const std::vector<uint32_t>& classIds,
                                       std::span<const Run> runs, JobControl* job = nullptr,
                                       FeatureCounting counting = FeatureCounting::kCount,
                                       std::vector<uint64_t> sources = {});
  // Per instance, in insertion order, the stored vector holding it (from the source lists, no
  // hashing): how an edit keeps a memory's vectors without adding its instances again. An error
  // when the lists do not hold every instance once (a damaged file). Cancellable.
  Result<std::vector<uint32_t>> instanceVectors(JobControl* job = nullptr) const;
  // Registers a class before any instance of it is added (its index when already known), so that
  // a memory read from a file keeps the file's class order, which decides ties.
  uint32_t addClass(uint32_t classId);

  int width() const { return width_; }
  uint32_t vectorCount() const { return static_cast<uint32_t>(single_.size()); }
  uint64_t instanceCount() const { return sources_.size(); }
  std::span<const uint32_t> vector(uint32_t id) const {
    const size_t at = static_cast<size_t>(id) * width_;
    return {(checks_ ? checkedValues(at, at + width_) : values_.data()) + at,
            static_cast<size_t>(width_)};
  }
  const uint32_t* values() const {
    return checks_ ? checkedValues(0, values_.size()) : values_.data();
  }
  std::span<const ClassCount> distribution(uint32_t id) const {
    if (checks_) return checkedDistribution(id);
    if (multi_[id] == 0) return {&single_[id], 1};
    const size_t m = multi_[id] - 1;
    if (multiStart_.empty()) return multiStore_[m];
    return {multiFlat_.data() + multiStart_[m], multiStart_[m + 1] - multiStart_[m]};
  }
  // Sources of the instances merged into stored vector `id`, in insertion order; the first
  // `limit` only (a vector can hold millions: the one of an empty context at every block start).
  std::vector<uint64_t> sources(uint32_t id, size_t limit = SIZE_MAX) const;
  // The first of them, or 0 for a vector without instances (the Memory tab shows it per visible
  // row); read as sources() reads, so a damaged file's links stay inside the arrays.
  uint64_t firstSource(uint32_t id) const {
    const std::vector<uint64_t> first = sources(id, 1);
    return first.empty() ? 0 : first.front();
  }
  // The stored vector equal to `features`, or kNone.
  uint32_t find(std::span<const uint32_t> features) const;

  uint32_t classCount() const { return static_cast<uint32_t>(classIds_.size()); }
  uint32_t classId(uint32_t classIndex) const { return classIds_[classIndex]; }
  uint32_t classIndex(uint32_t classId) const;  // kNone for a class never seen
  const std::vector<uint64_t>& classTotals() const { return classTotals_; }
  const std::vector<FeatureCounts>& featureCounts() const {
    if (pending_) return pendingFeatureCounts();
    return checks_ ? checkedFeatureCounts() : featureCounts_;
  }
  // The features' weight statistics when they came with the memory, else null (then computed
  // from featureCounts()). fromRuns() gives them and builds featureCounts()' value×class tables
  // only when first asked: weighting needs the statistics alone, MVDM, edits and memory files
  // the tables.
  const std::vector<FeatureWeightDetail>* weightDetails() const;

  // Approximate heap bytes held.
  size_t memoryBytes() const;

  // For memory files: every array as it is (hash table and source lists included), so the loaded
  // memory answers, grows and iterates exactly as this one. load() checks every count and index
  // first: feature values and class ids below `vocabSize`, sources below `sourceLimit`. A reader
  // with an owner gives a memory viewing its big arrays in the file, copied on first change.
  // Opening checks only what is small (sizes, classes, per-feature value tables); the big arrays
  // are checked a chunk at a time as readers first touch them (their pages stay on disk until
  // then), the value×class counts when featureCounts() is first called (weighting, MVDM, edits),
  // every reader is bounds-safe whatever they hold, and an unsafe element is replaced by a safe
  // one (instance_base_file.cpp). checkAll() makes every deferred check now (verifyMemory(), and
  // add() before it changes a memory read from a file): the first failure, or ok. Cancellable.
  void save(ByteWriter& out) const;
  static Result<InstanceBase> load(ByteReader& in, uint32_t vocabSize, uint64_t sourceLimit);
  Status checkAll(JobControl* job = nullptr) const;

 private:
  uint32_t findHashed(const uint32_t* features, uint64_t hash) const;
  void growTable();
  // Returns a stored vector equal to an earlier one (never, once add() has merged them), or kNone.
  uint32_t rebuildTable(size_t capacity = 16);
  void addCount(uint32_t id, uint32_t classIndex, uint32_t n = 1);
  void removeCount(uint32_t id, uint32_t classIndex);
  // The multi-class distributions as vectors that can grow (a loaded memory keeps them flat).
  std::vector<std::vector<ClassCount>>& multiStore();
  uint64_t hashOf(const uint32_t* features) const;
  // The deferred checks of a memory read from a file (null otherwise) and the readers that
  // make them.
  struct FileChecks;
  const uint32_t* checkedValues(size_t begin, size_t end) const;
  std::span<const ClassCount> checkedDistribution(uint32_t id) const;
  const std::vector<FeatureCounts>& checkedFeatureCounts() const;
  // fromRuns()'s counts, the tables built on first call.
  struct PendingCounts;
  const std::vector<FeatureCounts>& pendingFeatureCounts() const;

  int width_ = 0;
  Storage<uint32_t> values_;  // vectorCount * width
  // Most stored vectors have a single class: kept inline; the others in multiStore_, or, as a
  // memory file holds them, flat: distribution m is multiFlat_[multiStart_[m], multiStart_[m+1]).
  Storage<ClassCount> single_;
  Storage<uint32_t> multi_;  // 1-based index of the distribution, 0 = single
  std::vector<std::vector<ClassCount>> multiStore_;
  Storage<uint64_t> multiStart_;  // empty unless flat
  Storage<ClassCount> multiFlat_;
  Storage<uint32_t> slots_;  // open addressing: vector id + 1, 0 = empty
  // Sources as per-vector linked lists over instances (append-only).
  Storage<uint64_t> sources_;
  Storage<uint32_t> nextSource_;
  Storage<uint32_t> firstSource_, lastSource_;  // per vector
  std::vector<uint32_t> classIds_;
  std::vector<uint64_t> classTotals_;
  std::unordered_map<uint32_t, uint32_t> classIndexOf_;
  std::vector<FeatureCounts> featureCounts_;
  std::shared_ptr<const FileChecks> checks_;
  std::shared_ptr<PendingCounts> pending_;  // null once featureCounts_ holds the counts
};

}  // namespace memlens
