#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "memlens/experiment.h"
#include "memlens/memory_smoother.h"

namespace memlens {

struct TraceOptions {
  size_t maxProvenance = 5;     // corpus positions shown per neighbour (the full count is kept)
  size_t snippetBytes = 100;    // of the source line around the instance's target
  size_t topOutcomes = 10;      // of the smoothed distribution
  size_t maxTreeEvidence = 50;  // stored vectors listed under a tree's answering node (all counted)
  // Stored vectors listed per bucket (all counted): a bucket of a 100M-instance memory can hold
  // hundreds of thousands, each listed with its provenance.
  size_t maxBucketNeighbours = 100;
};

// Where one instance merged into a stored vector came from.
struct ProvenanceRef {
  uint64_t token = 0;  // the target's index in the corpus token stream
  std::string path;
  uint64_t line = 0;
  uint64_t byteOffset = 0;
  std::string snippet;  // the source line (cut to snippetBytes around the target)
};

struct NeighbourTrace {
  uint32_t storedVector = 0;
  std::vector<uint32_t> values;
  std::vector<bool> matches;          // per context position
  std::vector<double> contributions;  // per position: its weight where it mismatches, else 0
  double distance = 0.0;              // Σ contributions
  std::vector<ClassVote> counts;      // the stored vector's class counts, by class id
  uint64_t instanceCount = 0;
  std::vector<ProvenanceRef> provenance;  // the first maxProvenance of instanceCount
};

struct BucketTrace {
  double distance = 0.0;
  double weight = 1.0;  // distance weight applied to every count in the bucket
  std::vector<NeighbourTrace> neighbours;
  // The bucket's stored vectors beyond `neighbours` (TraceOptions::maxBucketNeighbours) and
  // their summed class counts: with the listed ones', the bucket's share of the vote.
  uint64_t unlistedVectors = 0;
  std::vector<ClassVote> unlistedCounts;
};

// The stored vectors under the tree node whose own distribution answered (IGTree; TRIBL2 on an
// exact match): those agreeing with the query on every feature the walk matched. Their class
// counts sum to that node's distribution, the tree's answer.
struct TreeEvidence {
  uint32_t storedVectors = 0;  // all of them; 0 when no node answered (IB1, TRIBL2's IB1 fallback)
  uint64_t instances = 0;      // Σ of their class counts: the node's instances
  // The maxTreeEvidence of them with the most instances, most first (ties: lower id first).
  // Their distances are over every position, so the features the walk never consulted count.
  std::vector<NeighbourTrace> shown;
};

// Why a memory predicted what it did for one context (consistent by construction: the buckets
// are the ones the vote used, and Σ weight × counts over them is the prediction's distribution;
// a tree's answer is the summed counts of every vector `evidence` counts).
struct Trace {
  std::vector<uint32_t> context;
  std::vector<double> featureWeights;
  Prediction prediction;
  double memoryWeight = 0.0;  // λ of the smoothing
  double entropyBits = 0.0;
  std::vector<std::pair<uint32_t, double>> top;  // most probable outcomes, smoothed
  std::vector<BucketTrace> buckets;              // IB1 and TRIBL2; IGTree answers from its tree
  TreePath path;          // IGTree and TRIBL2: the walk down the tree (path.depth == matchDepth)
  TreeEvidence evidence;  // IGTree, and TRIBL2 on an exact match (then also its one bucket)
};

// Where the first options.maxProvenance instances of stored vector `v` came from (none when the
// memory has no provenance, e.g. a TiMBL base read without its text).
std::vector<ProvenanceRef> provenanceOf(const Experiment& experiment, uint32_t v,
                                        const TraceOptions& options = {});

// Where token `token` of `tokens` (a stream over `corpus`'s documents, which may be one block of
// a sharded corpus) came from; `ref.token` is `token`.
ProvenanceRef positionOf(const Corpus& corpus, const TokenStream& tokens, uint64_t token,
                         size_t snippetBytes);

// Stored vector `v` of `memory` against `context`: its values, matches, contributions, distance
// and class counts; no provenance (provenanceOf gives it).
NeighbourTrace storedVectorTrace(const InstanceBase& memory, uint32_t v,
                                 std::span<const uint32_t> context,
                                 const std::vector<double>& weights);

// The tree evidence (TreeEvidence) of `classifier`'s memory for t.context, t.path.depth and
// t.featureWeights, without provenance; `storedVector` ids are the memory's.
TreeEvidence treeEvidence(const Classifier& classifier, const Trace& t,
                          const TraceOptions& options = {});

// Fills t.memoryWeight, t.entropyBits and t.top from t.prediction and t.context.
void smoothTrace(const MemorySmoother& smoother, Trace& t, const TraceOptions& options = {});

// Traces `context` (width ids, nearest last; kUnknown allowed) against the experiment's memory.
Trace traceContext(const Experiment& experiment, std::span<const uint32_t> context,
                   const TraceOptions& options = {});

// The last `width` ids of `tokens`, padded on the left as at a block start.
std::vector<uint32_t> contextWindow(std::span<const uint32_t> tokens, int width, uint32_t padding);

}  // namespace memlens
