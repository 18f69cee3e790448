#pragma once

#include <QMetaType>
#include <QString>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "memlens/experiment.h"
#include "memlens/trace.h"
#include "memlens/trace_json.h"
#include "memlens/vector_trace.h"

namespace memlens::views {

// One row of the Inspect view: a stored vector a k-NN vote used (IB1, TRIBL2), one under the
// tree node that answered (IGTree), or a slot the vector memory read, in the shape every
// Inspect pane shows it.
struct InspectNeighbour {
  // 1-based distance bucket; the rank by distance (vector memory) or by instances (tree)
  int bucket = 0;
  uint32_t storedVector = 0;
  std::vector<uint32_t> values;
  std::vector<bool> matches;          // per context position
  std::vector<double> contributions;  // per position: its share of the distance
  double distance = 0.0;
  // The bucket's distance weight, the slot's attention α, or (tree) its share of the node's
  // instances.
  double weight = 0.0;
  int matchedFeatures = 0;  // context positions where it has the query's value
  std::vector<ClassVote> counts;
  uint64_t instanceCount = 0;
  std::vector<ProvenanceRef> provenance;  // empty for the vector memory (its trace has none)
};

// What the Inspect view shows for one context: an immutable snapshot made on the job runner
// from a core Trace or VectorTrace. It holds the experiment it was traced against, so the
// vocabulary and the corpus the ids refer to stay alive as long as the snapshot; a trace read
// from a file (File ▸ Open Trace) has no experiment, only the vocabulary read with it.
struct InspectSnapshot {
  std::shared_ptr<const Experiment> experiment;  // null for a trace read from a file
  std::shared_ptr<const Vocabulary> vocabulary;  // the ids' (the experiment's, or the file's)
  QString file;                                  // the trace file it was read from, if any
  Algorithm algorithm = Algorithm::kIb1;         // of the traced memory
  bool vectorMemory = false;
  // Set when a corpus position was inspected: the target's token index and its true token.
  std::optional<uint64_t> token;
  uint32_t target = Prediction::kNoClass;

  std::vector<uint32_t> context;
  std::vector<double> featureWeights;
  uint32_t prediction = Prediction::kNoClass;  // the memory's own answer (argmax of its vote)
  double distance = 0.0;                       // of the nearest neighbour
  bool tie = false;
  std::optional<double> entropyBits;             // of the smoothed distribution (k-NN traces only)
  double memoryWeight = 0.0;                     // λ given to the memory against Kneser-Ney
  std::optional<double> temperature;             // the vector memory's T
  std::vector<std::pair<uint32_t, double>> top;  // most probable outcomes, smoothed
  std::vector<InspectNeighbour> neighbours;      // nearest first
  TreePath path;
  // Set when `neighbours` are the stored vectors under the tree node that answered (IGTree),
  // the most frequent first, rather than a vote's: how many there are in all and their instances.
  bool nodeEvidence = false;
  uint32_t nodeVectors = 0;
  uint64_t nodeInstances = 0;
  // A vote's stored vectors its trace counts but does not list (capped buckets), in all buckets.
  uint64_t unlistedVectors = 0;
  // The core trace the fields above were taken from (exactly one is set), kept to export as is.
  std::shared_ptr<const Trace> trace;
  std::shared_ptr<const VectorTrace> vectorTrace;

  static InspectSnapshot fromTrace(std::shared_ptr<const Experiment> experiment, Trace t);
  static InspectSnapshot fromVectorTrace(std::shared_ptr<const Experiment> experiment,
                                         VectorTrace t);
  static InspectSnapshot fromDocument(TraceDocument document, QString file);

  // The trace as `memlens-cli explain --json` writes it.
  std::string json() const;
  // Whether its provenance can be shown in the corpus text (a memory that has it, not a file).
  bool hasCorpusText() const { return experiment && experiment->hasProvenance(); }
  // A token's text in the vocabulary; "<unknown>" for ids outside it.
  QString tokenText(uint32_t id) const;
  int width() const { return static_cast<int>(context.size()); }
};

}  // namespace memlens::views

Q_DECLARE_METATYPE(std::shared_ptr<const memlens::views::InspectSnapshot>)
