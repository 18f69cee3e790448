#include "inspect/inspect_snapshot.h"

#include <algorithm>

namespace memlens::views {

namespace {

InspectSnapshot ofTrace(Trace t) {
  InspectSnapshot s;
  s.context = t.context;
  s.featureWeights = t.featureWeights;
  s.prediction = t.prediction.classId;
  s.distance = t.prediction.distance;
  s.tie = t.prediction.tie;
  s.entropyBits = t.entropyBits;
  s.memoryWeight = t.memoryWeight;
  s.top = t.top;
  s.path = t.path;
  const auto add = [&s](int bucket, const NeighbourTrace& n, double weight) {
    const auto matched = std::count(n.matches.begin(), n.matches.end(), true);
    s.neighbours.push_back({bucket, n.storedVector, n.values, n.matches, n.contributions,
                            n.distance, weight, static_cast<int>(matched), n.counts,
                            n.instanceCount, n.provenance});
  };
  for (size_t b = 0; b < t.buckets.size(); ++b) {
    for (const NeighbourTrace& n : t.buckets[b].neighbours)
      add(static_cast<int>(b + 1), n, t.buckets[b].weight);
    s.unlistedVectors += t.buckets[b].unlistedVectors;
  }
  // No vote (IGTree): the answering node's vectors take the neighbours' place. TRIBL2's exact
  // match has its one vector as bucket 1 already.
  if (t.buckets.empty() && t.evidence.storedVectors > 0) {
    s.nodeEvidence = true;
    s.nodeVectors = t.evidence.storedVectors;
    s.nodeInstances = t.evidence.instances;
    for (size_t i = 0; i < t.evidence.shown.size(); ++i) {
      const NeighbourTrace& n = t.evidence.shown[i];
      add(static_cast<int>(i + 1), n,
          static_cast<double>(n.instanceCount) / static_cast<double>(t.evidence.instances));
    }
  }
  s.trace = std::make_shared<const Trace>(std::move(t));
  return s;
}

InspectSnapshot ofVectorTrace(VectorTrace t) {
  InspectSnapshot s;
  s.vectorMemory = true;
  s.algorithm = Algorithm::kVectorMemory;
  s.context = t.context;
  s.featureWeights = t.featureWeights;
  s.prediction = t.memoryPrediction;
  s.distance = t.slots.empty() ? 0.0 : t.slots.front().distance;
  s.memoryWeight = t.lambda;
  s.temperature = t.temperature;
  for (const VectorOutcome& o : t.top) s.top.emplace_back(o.token, o.interpolated);
  for (size_t i = 0; i < t.slots.size(); ++i) {
    const VectorSlotTrace& slot = t.slots[i];
    InspectNeighbour& n = s.neighbours.emplace_back();
    n.bucket = static_cast<int>(i + 1);
    n.storedVector = slot.slot;
    n.values = slot.values;
    for (size_t j = 0; j < slot.values.size(); ++j) {
      n.matches.push_back(j < t.context.size() && slot.values[j] == t.context[j]);
      n.matchedFeatures += n.matches.back() ? 1 : 0;
    }
    n.contributions = slot.terms;
    n.distance = slot.distance;
    n.weight = slot.attention;
    n.counts = slot.counts;
    n.instanceCount = slot.instanceCount;
    n.provenance = slot.provenance;
  }
  s.vectorTrace = std::make_shared<const VectorTrace>(std::move(t));
  return s;
}

// Its vocabulary, owned with the experiment that holds it.
std::shared_ptr<const Vocabulary> vocabularyOf(const std::shared_ptr<const Experiment>& e) {
  return std::shared_ptr<const Vocabulary>(e, &e->corpus().vocab);
}

}  // namespace

InspectSnapshot InspectSnapshot::fromTrace(std::shared_ptr<const Experiment> experiment, Trace t) {
  InspectSnapshot s = ofTrace(std::move(t));
  s.algorithm = experiment->record().options.classifier.algorithm;
  s.vocabulary = vocabularyOf(experiment);
  s.experiment = std::move(experiment);
  return s;
}

InspectSnapshot InspectSnapshot::fromVectorTrace(std::shared_ptr<const Experiment> experiment,
                                                 VectorTrace t) {
  InspectSnapshot s = ofVectorTrace(std::move(t));
  s.vocabulary = vocabularyOf(experiment);
  s.experiment = std::move(experiment);
  return s;
}

InspectSnapshot InspectSnapshot::fromDocument(TraceDocument document, QString file) {
  InspectSnapshot s = document.trace ? ofTrace(std::move(*document.trace))
                                     : ofVectorTrace(std::move(*document.vectorTrace));
  s.algorithm = document.algorithm;
  s.vocabulary = std::move(document.vocabulary);
  s.file = std::move(file);
  return s;
}

std::string InspectSnapshot::json() const {
  return trace ? traceToJson(*trace, *vocabulary, algorithm)
               : traceToJson(*vectorTrace, *vocabulary);
}

QString InspectSnapshot::tokenText(uint32_t id) const {
  const Vocabulary& vocab = *vocabulary;
  if (id >= vocab.size()) return QStringLiteral("<unknown>");
  const std::string_view text = vocab.text(id);
  return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

}  // namespace memlens::views
