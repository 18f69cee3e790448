#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "distributed/communicator.h"
#include "memlens/classifier.h"
#include "memlens/instance_base.h"
#include "memlens/result.h"

namespace memlens {

// The statistics that decide answers, over the whole training set although each rank holds only
// its block of it: the classes in order of first appearance (tie rules, output order), their
// totals, and the feature weights. Blocks are contiguous and in rank order, so first
// appearances merged in rank order are the single process's, and weights computed from the
// merged counts (computeFeatureWeights sums in that canonical order) are bitwise its weights.
// A plain value once reduced.
class GlobalStatistics {
 public:
  static constexpr uint32_t kNone = InstanceBase::kNone;

  // Collective: `block` is this rank's block as an instance base. Rank 0 merges the ranks'
  // counts and broadcasts the result. options.fixedWeights, when given, are the weights.
  static Result<GlobalStatistics> reduce(Communicator& comm, const InstanceBase& block,
                                         const ClassifierOptions& options);
  // Collective: reduce() of `block` counted in an instance base of its own, freed before the
  // shard is built (and a failed count on any rank fails every rank).
  static Result<GlobalStatistics> ofBlock(Communicator& comm, const InstanceSet& block,
                                          const ClassifierOptions& options, JobControl* job);

  // Statistics reduced before and kept (a shard file's): one total per class, no class twice.
  static Result<GlobalStatistics> of(std::vector<uint32_t> classIds,
                                     std::vector<uint64_t> classTotals,
                                     std::vector<double> weights);

  // Vocabulary ids of the classes by global class index.
  const std::vector<uint32_t>& classIds() const { return classIds_; }
  const std::vector<uint64_t>& classTotals() const { return classTotals_; }
  uint32_t classIndex(uint32_t classId) const {
    auto it = classIndexOf_.find(classId);
    return it == classIndexOf_.end() ? kNone : it->second;
  }
  // The global class index of each class of `shard` (its classes are among the global ones).
  std::vector<uint32_t> globalIndices(const InstanceBase& shard) const {
    std::vector<uint32_t> out(shard.classCount());
    for (uint32_t c = 0; c < shard.classCount(); ++c) out[c] = classIndex(shard.classId(c));
    return out;
  }
  uint64_t instanceCount() const { return instanceCount_; }
  // In original feature order.
  const std::vector<double>& weights() const { return weights_; }

 private:
  std::vector<uint32_t> classIds_;
  std::vector<uint64_t> classTotals_;
  std::unordered_map<uint32_t, uint32_t> classIndexOf_;
  uint64_t instanceCount_ = 0;
  std::vector<double> weights_;
};

}  // namespace memlens
