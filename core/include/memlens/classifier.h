#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "memlens/instance_base.h"
#include "memlens/instance_set.h"
#include "memlens/job_control.h"
#include "memlens/prediction.h"
#include "memlens/result.h"
#include "memlens/status.h"
#include "memlens/tree_path.h"
#include "memlens/vector_memory.h"

namespace memlens {

// TiMBL -a0, -a1, -a4; kVectorMemory: the attention read of docs/spec/vector-memory.md
enum class Algorithm { kIb1, kIgTree, kTribl2, kVectorMemory };
enum class FeatureWeighting {  // TiMBL -w0 .. -w4
  kNone,
  kGainRatio,
  kInfoGain,
  kChiSquare,
  kSharedVariance
};
enum class DistanceWeighting {  // TiMBL -dZ, -dIL, -dID, -dED:a:b
  kZero,
  kInverseLinear,
  kInverseDistance,
  kExponentialDecay
};

enum class Metric {  // TiMBL -mO, -mM
  kOverlap,
  kMvdm  // modified value difference
};

struct ClassifierOptions {
  Algorithm algorithm = Algorithm::kIb1;
  int k = 1;  // distance buckets (IB1, TRIBL2)
  FeatureWeighting weighting = FeatureWeighting::kGainRatio;
  DistanceWeighting distanceWeighting = DistanceWeighting::kZero;
  double edAlpha = 1.0;  // exp(-alpha * d^beta)
  double edBeta = 1.0;
  Metric metric = Metric::kOverlap;  // IB1 and TRIBL2; IGTree always matches values exactly
  int mvdmThreshold = 1;             // TiMBL -L: under MVDM, values seen fewer times differ by 1
  // kVectorMemory: the read, and word vectors learnt from the memory's own contexts
  // (wordVectors.dimensions = 0: one-hot words, the overlap distance of IB1).
  VectorMemoryOptions vectorMemory;
  WordVectorOptions wordVectors;
  // IB1, IGTree, TRIBL2: feature weights (original feature order, one per feature, finite, ≥ 0)
  // used instead of computing them from the memory by `weighting`; they then stay fixed however
  // the memory changes (train, add). Empty: computed (TiMBL's behaviour).
  std::vector<double> fixedWeights;
  // IGTree, TRIBL2: the tree's feature order (a permutation of the original feature indices),
  // used instead of descending weight. A base read from a TiMBL file keeps the permutation its
  // tree was stored in, whatever weights it is then given (timbl -i with -w FILE). Empty: by
  // weight.
  std::vector<int> fixedOrder;
};

// A memory-based classifier (engine/spec semantics, TiMBL 6.5 parity). Created by
// createClassifier(). train() replaces the memory, add() grows it; predict() classifies a batch
// in parallel.
// Thread-safety: const calls (predict, predictOne, accessors) may run concurrently with each
// other; train() and add() must not run concurrently with anything else on the same object.
class Classifier {
 public:
  Classifier() = default;
  Classifier(const Classifier&) = delete;
  Classifier& operator=(const Classifier&) = delete;
  virtual ~Classifier() = default;

  // Replaces the memory with `instances`. On cancel or error the previous memory is kept.
  virtual Status train(const InstanceSet& instances, JobControl* job = nullptr) = 0;
  // Adds instances to the memory; weights are recomputed from maintained counts (unless fixed,
  // see ClassifierOptions::fixedWeights). IB1 and TRIBL2 grow their indexes in place; IGTree
  // rebuilds its tree. On cancel the memory is unchanged.
  virtual Status add(const InstanceSet& instances, JobControl* job = nullptr) = 0;

  // Classifies every instance of `queries` (its classes are ignored). Parallel (oneTBB).
  virtual Result<std::vector<Prediction>> predict(const InstanceSet& queries,
                                                  const PredictOptions& options = {},
                                                  JobControl* job = nullptr) const = 0;
  // One query, for tracing.
  virtual Prediction predictOne(std::span<const uint32_t> features,
                                const PredictOptions& options = {}) const = 0;
  // The tree walk behind predictOne(features), for tracing; empty (Answer::kNone) for
  // classifiers without a tree.
  virtual TreePath treePath(std::span<const uint32_t> /*features*/) const { return {}; }

  virtual const ClassifierOptions& options() const = 0;
  virtual const InstanceBase& memory() const = 0;
  // Feature weights in original feature order.
  virtual const std::vector<double>& weights() const = 0;
};

Result<std::unique_ptr<Classifier>> createClassifier(const ClassifierOptions& options);

}  // namespace memlens
