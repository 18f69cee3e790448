#include "memlens/run_record.h"

#include "memlens/json_writer.h"
#include "memlens/sha256.h"

namespace memlens {

namespace {

void writeMetrics(JsonWriter& json, const Metrics& m) {
  json.beginObject()
      .field("tokens", m.tokens)
      .field("accuracy", m.accuracy())
      .field("top5", m.top5())
      .field("mrr", m.meanReciprocalRank())
      .field("crossEntropyBits", m.crossEntropyBits())
      .field("perplexity", m.perplexity())
      .endObject();
}

}  // namespace

const char* algorithmName(Algorithm a) {
  switch (a) {
    case Algorithm::kIb1: return "ib1";
    case Algorithm::kIgTree: return "igtree";
    case Algorithm::kTribl2: return "tribl2";
    case Algorithm::kVectorMemory: return "vector";
  }
  return "?";
}

const char* weightingName(FeatureWeighting w) {
  switch (w) {
    case FeatureWeighting::kNone: return "none";
    case FeatureWeighting::kGainRatio: return "gain-ratio";
    case FeatureWeighting::kInfoGain: return "information-gain";
    case FeatureWeighting::kChiSquare: return "chi-square";
    case FeatureWeighting::kSharedVariance: return "shared-variance";
  }
  return "?";
}

const char* distanceWeightingName(DistanceWeighting d) {
  switch (d) {
    case DistanceWeighting::kZero: return "Z";
    case DistanceWeighting::kInverseLinear: return "IL";
    case DistanceWeighting::kInverseDistance: return "ID";
    case DistanceWeighting::kExponentialDecay: return "ED";
  }
  return "?";
}

std::vector<RunRecord::CorpusFile> RunRecord::describeCorpus(const Corpus& corpus) {
  std::vector<CorpusFile> files;
  for (size_t d = 0; d < corpus.documentCount(); ++d) {
    const Document& doc = corpus.document(d);
    Sha256 hash;
    if (doc.bomBytes) hash.update("\xEF\xBB\xBF");
    hash.update(doc.text);
    files.push_back({doc.path, doc.sizeBytes, hash.hex()});
  }
  return files;
}

std::string RunRecord::toJson() const {
  JsonWriter json;
  json.beginObject().field("created", created);
  json.key("corpus").beginArray();
  for (const CorpusFile& f : corpus) {
    json.beginObject().field("path", f.path).field("bytes", f.bytes).field("sha256", f.sha256).endObject();
  }
  json.endArray();
  json.key("tokeniser")
      .beginObject()
      .field("name", tokeniserName)
      .field("lowercase", tokeniser.lowercase)
      .field("vocab", tokeniser.vocabPath)
      .field("merges", tokeniser.mergesPath)
      .field("vocabularySize", vocabularySize)
      .endObject();
  json.key("instances")
      .beginObject()
      .field("width", options.window.width)
      .field("blocks", options.window.blocks == BlockMode::kLine ? "line" : "olifant")
      .endObject();
  const ClassifierOptions& c = options.classifier;
  json.key("model")
      .beginObject()
      .field("algorithm", algorithmName(c.algorithm))
      .field("k", c.k)
      .field("weighting", weightingName(c.weighting))
      .field("distanceWeighting", distanceWeightingName(c.distanceWeighting))
      .field("edAlpha", c.edAlpha)
      .field("edBeta", c.edBeta);
  if (c.algorithm == Algorithm::kVectorMemory) {
    json.key("vectorMemory")
        .beginObject()
        .field("dimensions", c.wordVectors.dimensions)
        .field("keys", c.wordVectors.dimensions > 0 ? "PPMI-SVD word vectors of the train part" : "one-hot")
        .field("topK", c.vectorMemory.topK)
        .field("indexedPositions", c.vectorMemory.indexedPositions)
        .field("candidateWords", c.vectorMemory.candidateWords)
        .endObject();
  }
  json.endObject();
  json.key("split")
      .beginObject()
      .field("unit", "line")
      .field("train", options.split.trainFraction)
      .field("validation", options.split.validationFraction)
      .field("seed", options.split.seed)
      .field("maxTestTokens", options.maxTestTokens)
      .endObject();
  json.key("smoothing")
      .beginObject()
      .field("description", smoothing)
      .field("ngramOrder", options.ngramOrder)
      .field("beta", smoothingBeta);
  if (c.algorithm == Algorithm::kVectorMemory) {
    json.field("temperature", memoryTemperature)
        .field("temperatureTuned", !options.memoryTemperature.has_value())
        .field("lambda", memoryLambda)
        .field("lambdaTuned", !options.memoryLambda.has_value())
        .field("tuningTokens", tuningTokens);
  }
  json.field("tunedOn", validationInstances ? "validation" : "nothing (no validation lines): default")
      .field("vocabulary", "closed: every type of the corpus; types unseen in training get only the uniform share")
      .endObject();
  json.key("sizes")
      .beginObject()
      .field("trainInstances", trainInstances)
      .field("validationInstances", validationInstances)
      .field("testInstances", testInstances)
      .field("storedVectors", storedVectors)
      .endObject();
  json.key("seconds").beginObject().field("train", trainSeconds).field("evaluate", evaluateSeconds).endObject();
  json.field("latencyMeanMicros", latencyMeanMicros).field("latencyP99Micros", latencyP99Micros);
  json.key("test");
  writeMetrics(json, test);
  json.key("baseAlone");
  writeMetrics(json, baseTest);
  json.key("bands").beginArray();
  for (const FrequencyBand& b : bands) {
    json.beginObject().field("trainFrequency", b.label).key("metrics");
    writeMetrics(json, b.metrics);
    json.endObject();
  }
  json.endArray().endObject();
  return json.str();
}

}  // namespace memlens
