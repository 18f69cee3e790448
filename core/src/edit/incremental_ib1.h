#pragma once

#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "edit/incremental_classifier.h"
#include "edit/overlay_index.h"
#include "edit/reweighted_distances.h"
#include "edit/vector_overlay.h"
#include "memory/merged_buckets.h"
#include "memory/overlap_memory.h"

namespace memlens {

// IB1 under the overlap metric with fixed feature weights over an edited memory, without
// retraining: the trained base's nearest buckets with the overlay's base vectors masked out (their
// counts subtracted, asking the base for more buckets while fewer than k + 1 are left), merged
// exactly with the overlay's vectors (MergedBuckets, as a sharded memory merges its ranks) and
// voted over the edited memory's classes. It answers as IB1 trained on the edited instances.
// TRIBL2's fallback (a query whose first tree value no stored vector has) is this search too.
// Under recomputed weights that keep the base's order of match distances (ReweightedDistances) it
// searches by the base's weights and reports the new ones and the distances under them.
// Thread-safety as Classifier.
class IncrementalIb1 final : public IncrementalClassifier {
 public:
  // `base`: an IB1 or TRIBL2 classifier (overlapMemoryOf(*base) not null) with `options`' fixed
  // weights.
  // `previous`: the engine of the memory `overlay` was copied from and appended to (its index is
  // shared), or null. `reweighted`: the edited memory's weights when recomputed ones differ from
  // the base's (null: the base's); bounds and votes stay in the base's distances.
  IncrementalIb1(const ClassifierOptions& options, std::shared_ptr<const Classifier> base,
                 std::shared_ptr<const VectorOverlay> overlay, ClassOrder classes,
                 std::function<const InstanceSet&()> instances,
                 const IncrementalIb1* previous = nullptr,
                 std::shared_ptr<const ReweightedDistances> reweighted = nullptr);

  const std::vector<double>& weights() const override {
    return reweighted_ ? reweighted_->weights() : IncrementalClassifier::weights();
  }

  // The buckets a vote read, up to its reach (Bound::reach): the k nearest when it was not tied,
  // else k + 1 (fewer when the memory holds fewer), nearest first, each with its class counts.
  // Every stored vector within the reach is in one of them.
  struct Vote {
    std::vector<double> distances;
    std::vector<uint32_t> ends;                        // per bucket, the end of its counts
    std::vector<std::pair<uint32_t, int64_t>> counts;  // (class id, count > 0)
    bool whole = false;                                // every bucket there is (fewer than k + 1)
  };
  // A stored vector's change at `distance` from a query: `delta` instances of class `classId`.
  struct Change {
    double distance;
    uint32_t classId;
    int64_t delta;
  };

  // Bound::reach: the distance beyond which no stored vector's change can change the answer: the
  // k-th merged bucket's (MergedBuckets::kthDistance) when the vote was not tied, else the
  // (k + 1)-th's (MergedBuckets::reach).
  void answer(const uint32_t* query, const PredictOptions& options, Prediction& out,
              Bound& bound) const override;
  // As answer(), also giving the buckets the vote read when they hold at most kMaxVoteCounts
  // counts (else null).
  void answer(const uint32_t* query, const PredictOptions& options, Prediction& out, Bound& bound,
              std::shared_ptr<const Vote>& vote) const;
  // The answer again from `kept`, the vote of the memory this one was edited from (same query,
  // over the stored vectors agreeing with it on `required`, as search()), and `changes`: every
  // change this memory's edit made to such a stored vector within `kept`'s reach, without a
  // search. False (out, bound and vote undefined) when that cannot be exact: a bucket emptied so
  // fewer than k are known, or the new vote is tied without a (k + 1)-th, unless `kept` was
  // whole (a TRIBL2 prefix's few vectors); or every bucket emptied.
  bool revote(const Vote& kept, std::span<const Change> changes, const PredictOptions& options,
              Prediction& out, Bound& bound, std::shared_ptr<const Vote>& vote,
              uint32_t required = 0) const;
  // Above this many counts a vote's buckets are not kept (a far bucket holds thousands of
  // classes): such a query is searched again when an edit reaches it.
  static constexpr size_t kMaxVoteCounts = 256;

  // The edited memory's overlap search, for TRIBL2: IB1 over the stored vectors agreeing with
  // `query` on every feature of `required` (answer() passes 0), with the buckets its vote read
  // when `vote` is given (as answer()); whether some stored vector agrees with it on `mask`; the
  // class counts (class id, count) of stored vector `features` (empty: the memory has no such
  // vector).
  void search(const uint32_t* query, uint32_t required, const PredictOptions& options,
              Prediction& out, Bound& bound, std::shared_ptr<const Vote>* vote = nullptr) const;
  bool hasGroup(const uint32_t* query, uint32_t mask) const;
  std::vector<std::pair<uint32_t, int64_t>> exactCounts(std::span<const uint32_t> features) const;
  // The index of the overlay's entries.
  const OverlayIndex& index() const { return index_; }

 private:
  // After `merged` decided `out`: its bound, the buckets it read within reach into `vote`, and
  // its distance under the edited memory's weights. `complete`: `merged` was given every bucket
  // up to its (k + 1)-th (a search, or a re-vote of a whole vote), so fewer are all there are.
  void finish(const MergedBuckets& merged, uint32_t required, bool complete, Prediction& out,
              Bound& bound, std::shared_ptr<const Vote>* vote) const;

  const OverlapMemory& memory_;
  std::shared_ptr<const VectorOverlay> overlay_;
  OverlayIndex index_;                 // over overlay_
  std::vector<uint32_t> editedIndex_;  // by base class index
  std::shared_ptr<const ReweightedDistances> reweighted_;
};

}  // namespace memlens
