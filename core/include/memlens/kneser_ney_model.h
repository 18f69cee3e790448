#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "memlens/instance_set.h"
#include "memlens/job_control.h"
#include "memlens/result.h"
#include "memlens/smoothed_distribution.h"

namespace memlens {

class ByteReader;
class ByteWriter;

struct KneserNeyOptions {
  int order = 3;  // n of the n-gram: the last order-1 context tokens are used
};

// Interpolated Kneser-Ney n-gram model: the smoothed base distribution that gives every token,
// seen or not, a probability above zero (for perplexity and for interpolation with memories).
//   top order:    p(w|h) = max(c(hw) - D, 0) / c(h) + D·N1+(h•) / c(h) · p(w|h')
//   lower orders: the same with continuation counts N1+(•hw) in place of c(hw)
//   order 1:      interpolated with the uniform distribution over vocabSize + 1 outcomes
// (every vocabulary id, plus one "unknown" outcome for ids outside the vocabulary). A context
// never seen backs off entirely to the next order. Discounts per order: D = n1 / (n1 + 2·n2) over
// that order's counts-of-counts (Ney et al. 1994).
// The n-grams come from an InstanceSet: the last order-1 features and the class of each
// instance, so padding and block boundaries are exactly those of the memory it serves.
// Immutable after train(): any number of threads may query it at once.
class KneserNeyModel {
 public:
  static Result<std::unique_ptr<KneserNeyModel>> train(const InstanceSet& instances,
                                                       uint32_t vocabSize,
                                                       const KneserNeyOptions& options = {},
                                                       JobControl* job = nullptr);
  // The top-order n-gram counts a model is fitted from. Counts of consecutive parts of the
  // training instances add up to the counts of the whole (n-grams do not cross instances), so a
  // sharded run (docs/spec/distributed.md) counts each block, merges the records and fits one
  // model: fromCounts() of the merged counts is train() of the whole. Not thread-safe.
  class Counts {
   public:
    explicit Counts(int order);
    Counts(Counts&&) noexcept;
    Counts& operator=(Counts&&) noexcept;
    ~Counts();

    int order() const { return order_; }
    // Counts the n-grams of `instances` (their class ids below `vocabSize`).
    Status add(const InstanceSet& instances, uint32_t vocabSize, JobControl* job = nullptr);
    // The counts as flat records: order() ids, then the count, per distinct n-gram.
    std::vector<uint32_t> records() const;
    // Adds records() of other counts of the same order; false when they are malformed.
    bool addRecords(std::span<const uint32_t> records);

   private:
    friend class KneserNeyModel;
    struct Grams;
    int order_;
    std::unique_ptr<Grams> grams_;
  };
  // The model of `counts` (of at least one n-gram), as train() fits it from its instances.
  static Result<std::unique_ptr<KneserNeyModel>> fromCounts(Counts counts, uint32_t vocabSize,
                                                            JobControl* job = nullptr);

  KneserNeyModel(const KneserNeyModel&) = delete;
  KneserNeyModel& operator=(const KneserNeyModel&) = delete;
  ~KneserNeyModel();

  int order() const;
  uint32_t vocabSize() const;
  // The discount used at each order, index 0 = unigrams.
  std::vector<double> discounts() const;

  // p(token | context). `context` holds at least order-1 ids, nearest last (an instance's
  // features); ids >= vocabSize count as unknown.
  double probability(std::span<const uint32_t> context, uint32_t token) const;

  // The whole distribution, sparse: explicit values for the outcomes the context's n-grams
  // touched, scale · unigram elsewhere. Sums to 1 over vocabSize + 1 outcomes.
  void smoothed(std::span<const uint32_t> context, SmoothedDistribution& out) const;
  // The same, dense: out[id] for every vocabulary id, out[vocabSize] = unknown.
  void distribution(std::span<const uint32_t> context, std::vector<double>& out) const;

  // The order-1 distribution (vocabSize + 1 entries), the same values sorted ascending, each
  // outcome's u·log2(u), and the sums Σu and Σ u·log2(u), which SmoothedDistribution needs for
  // ranks and entropy.
  const std::vector<double>& unigram() const;
  const std::vector<double>& sortedUnigram() const;
  const std::vector<double>& unigramPlogps() const;
  double unigramMass() const;
  double unigramPlogp() const;

  // For memory files: the fitted model as it is (no recount on load). load() checks the sizes
  // and indexes the contexts, viewing their followers in the file; a context's followers are
  // checked (below `vocabSize`, ascending) when a query first reaches it, and a damaged one
  // reads as unseen. checkAll() checks them all now (verifyMemory()): the first failure, or ok.
  void save(ByteWriter& out) const;
  static Result<std::unique_ptr<KneserNeyModel>> load(ByteReader& in, uint32_t vocabSize);
  Status checkAll() const;

 private:
  struct Impl;
  explicit KneserNeyModel(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace memlens
