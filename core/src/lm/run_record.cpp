#include "memlens/run_record.h"

#include <cmath>

#include "base/sha256.h"
#include "json/json_value.h"
#include "memlens/json_writer.h"
#include "memlens/option_names.h"

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

// Reads the fields of one JSON object by path; the first missing or mistyped one is the error.
class FieldReader {
 public:
  explicit FieldReader(const JsonValue& root) : root_(root) {}

  template <typename T>
  void read(const JsonValue* object, const char* path, const char* name, T& out) {
    const JsonValue* v = object ? object->find(name) : nullptr;
    if (!v || !v->get(out)) fail(std::string(path) + name);
  }
  template <typename T>
  void read(const char* name, T& out) {
    read(&root_, "", name, out);
  }
  // `name`, a string, as the option value it names.
  template <typename E>
  void readOption(const JsonValue* object, const char* path, const char* name, E& out) {
    std::string text;
    read(object, path, name, text);
    if (const std::optional<E> value = optionNamed<E>(text)) {
      out = *value;
    } else {
      fail(std::string(path) + name);
    }
  }
  Metrics metrics(const JsonValue* object, const std::string& path) {
    Metrics m;
    double accuracy = 0, top5 = 0, mrr = 0, bits = 0;
    const char* p = path.c_str();
    read(object, p, "tokens", m.tokens);
    read(object, p, "accuracy", accuracy);
    read(object, p, "top5", top5);
    read(object, p, "mrr", mrr);
    read(object, p, "crossEntropyBits", bits);
    const auto n = static_cast<double>(m.tokens);
    m.correct = static_cast<uint64_t>(std::llround(accuracy * n));
    m.inTop5 = static_cast<uint64_t>(std::llround(top5 * n));
    m.reciprocalRankSum = mrr * n;
    m.log2ProbabilitySum = -bits * n;
    return m;
  }
  void fail(const std::string& field) {
    if (error_.isOk())
      error_ = Status::corrupt("run record: missing or invalid field '" + field + "'");
  }
  const Status& error() const { return error_; }

 private:
  const JsonValue& root_;
  Status error_;
};

}  // namespace

Result<RunRecord> RunRecord::fromJson(std::string_view json) {
  auto parsed = JsonValue::parse(json);
  if (!parsed) return Status::corrupt("run record: " + parsed.status().message());
  const JsonValue& root = *parsed;
  FieldReader in(root);
  RunRecord r;
  ExperimentOptions& o = r.options;
  ClassifierOptions& c = o.classifier;
  in.read("created", r.created);
  if (const JsonValue* files = root.find("corpus");
      files && files->kind() == JsonValue::Kind::kArray) {
    for (const JsonValue& f : files->items()) {
      CorpusFile file;
      in.read(&f, "corpus.", "path", file.path);
      in.read(&f, "corpus.", "bytes", file.bytes);
      in.read(&f, "corpus.", "sha256", file.sha256);
      r.corpus.push_back(std::move(file));
    }
  } else {
    in.fail("corpus");
  }
  const JsonValue* tokeniser = root.find("tokeniser");
  in.read(tokeniser, "tokeniser.", "name", r.tokeniserName);
  in.read(tokeniser, "tokeniser.", "lowercase", r.tokeniser.lowercase);
  in.read(tokeniser, "tokeniser.", "vocab", r.tokeniser.vocabPath);
  in.read(tokeniser, "tokeniser.", "merges", r.tokeniser.mergesPath);
  in.read(tokeniser, "tokeniser.", "vocabularySize", r.vocabularySize);
  r.tokeniser.kind = !r.tokeniser.vocabPath.empty() ? TokeniserKind::kGpt2
                     : r.tokeniserName == "spaces"  ? TokeniserKind::kSpaces
                                                    : TokeniserKind::kWord;
  const JsonValue* instances = root.find("instances");
  in.read(instances, "instances.", "width", o.window.width);
  in.readOption(instances, "instances.", "blocks", o.window.blocks);
  const JsonValue* model = root.find("model");
  in.readOption(model, "model.", "algorithm", c.algorithm);
  in.read(model, "model.", "k", c.k);
  in.readOption(model, "model.", "weighting", c.weighting);
  in.readOption(model, "model.", "distanceWeighting", c.distanceWeighting);
  in.read(model, "model.", "edAlpha", c.edAlpha);
  in.read(model, "model.", "edBeta", c.edBeta);
  const JsonValue* smoothing = root.find("smoothing");
  if (c.algorithm == Algorithm::kVectorMemory) {
    const JsonValue* vm = model ? model->find("vectorMemory") : nullptr;
    in.read(vm, "model.vectorMemory.", "dimensions", c.wordVectors.dimensions);
    in.read(vm, "model.vectorMemory.", "topK", c.vectorMemory.topK);
    in.read(vm, "model.vectorMemory.", "indexedPositions", c.vectorMemory.indexedPositions);
    in.read(vm, "model.vectorMemory.", "candidateWords", c.vectorMemory.candidateWords);
    bool temperatureTuned = true, lambdaTuned = true;
    in.read(smoothing, "smoothing.", "temperature", r.memoryTemperature);
    in.read(smoothing, "smoothing.", "temperatureTuned", temperatureTuned);
    in.read(smoothing, "smoothing.", "lambda", r.memoryLambda);
    in.read(smoothing, "smoothing.", "lambdaTuned", lambdaTuned);
    in.read(smoothing, "smoothing.", "tuningTokens", r.tuningTokens);
    if (!temperatureTuned) o.memoryTemperature = r.memoryTemperature;
    if (!lambdaTuned) o.memoryLambda = r.memoryLambda;
  }
  const JsonValue* split = root.find("split");
  in.read(split, "split.", "train", o.split.trainFraction);
  in.read(split, "split.", "validation", o.split.validationFraction);
  in.read(split, "split.", "seed", o.split.seed);
  in.read(split, "split.", "maxTestTokens", o.maxTestTokens);
  in.read(smoothing, "smoothing.", "description", r.smoothing);
  in.read(smoothing, "smoothing.", "ngramOrder", o.ngramOrder);
  in.read(smoothing, "smoothing.", "beta", r.smoothingBeta);
  const JsonValue* sizes = root.find("sizes");
  in.read(sizes, "sizes.", "trainInstances", r.trainInstances);
  in.read(sizes, "sizes.", "validationInstances", r.validationInstances);
  in.read(sizes, "sizes.", "testInstances", r.testInstances);
  in.read(sizes, "sizes.", "storedVectors", r.storedVectors);
  const JsonValue* seconds = root.find("seconds");
  in.read(seconds, "seconds.", "train", r.trainSeconds);
  in.read(seconds, "seconds.", "evaluate", r.evaluateSeconds);
  in.read("latencyMeanMicros", r.latencyMeanMicros);
  in.read("latencyP99Micros", r.latencyP99Micros);
  r.test = in.metrics(root.find("test"), "test.");
  r.baseTest = in.metrics(root.find("baseAlone"), "baseAlone.");
  if (const JsonValue* bands = root.find("bands");
      bands && bands->kind() == JsonValue::Kind::kArray) {
    for (const JsonValue& b : bands->items()) {
      FrequencyBand band;
      in.read(&b, "bands.", "trainFrequency", band.label);
      band.metrics = in.metrics(b.find("metrics"), "bands.metrics.");
      r.bands.push_back(std::move(band));
    }
  } else {
    in.fail("bands");
  }
  if (!in.error()) return in.error();
  return r;
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
    json.beginObject()
        .field("path", f.path)
        .field("bytes", f.bytes)
        .field("sha256", f.sha256)
        .endObject();
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
      .field("blocks", optionLabel(options.window.blocks))
      .endObject();
  const ClassifierOptions& c = options.classifier;
  json.key("model")
      .beginObject()
      .field("algorithm", optionLabel(c.algorithm))
      .field("k", c.k)
      .field("weighting", optionLabel(c.weighting))
      .field("distanceWeighting", optionLabel(c.distanceWeighting))
      .field("edAlpha", c.edAlpha)
      .field("edBeta", c.edBeta);
  if (c.algorithm == Algorithm::kVectorMemory) {
    json.key("vectorMemory")
        .beginObject()
        .field("dimensions", c.wordVectors.dimensions)
        .field("keys",
               c.wordVectors.dimensions > 0 ? "PPMI-SVD word vectors of the train part" : "one-hot")
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
  json.field("tunedOn",
             validationInstances ? "validation" : "nothing (no validation lines): default")
      .field(
          "vocabulary",
          "closed: every type of the corpus; types unseen in training get only the uniform share")
      .endObject();
  json.key("sizes")
      .beginObject()
      .field("trainInstances", trainInstances)
      .field("validationInstances", validationInstances)
      .field("testInstances", testInstances)
      .field("storedVectors", storedVectors)
      .endObject();
  json.key("seconds")
      .beginObject()
      .field("train", trainSeconds)
      .field("evaluate", evaluateSeconds)
      .endObject();
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
