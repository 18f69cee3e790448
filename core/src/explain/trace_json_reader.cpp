#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <string>

#include "json/json_value.h"
#include "memlens/trace_json.h"

namespace memlens {

namespace {

// Reads the fields of one JSON object into C++ values, naming the object's place in the trace
// ("buckets[0].neighbours[3]") in every error. The first error sticks; later reads do nothing.
class FieldReader {
 public:
  FieldReader(const JsonValue& object, std::string where, Status& status, Vocabulary& vocab)
      : object_(object), where_(std::move(where)), status_(status), vocab_(vocab) {
    if (status_ && object_.kind() != JsonValue::Kind::kObject) fail("is not an object");
  }

  const std::string& where() const { return where_; }
  bool has(std::string_view name) const { return object_.find(name) != nullptr; }

  template <typename T>
  T number(std::string_view name) {
    T out{};
    const JsonValue* v = member(name);
    if (!v) return out;
    // JsonWriter writes a non-finite double as null.
    if constexpr (std::is_same_v<T, double>) {
      if (v->kind() == JsonValue::Kind::kNull) return std::numeric_limits<double>::quiet_NaN();
    }
    if (!v->get(out)) fail("\"" + std::string(name) + "\" is not a number of the expected kind");
    return out;
  }
  bool boolean(std::string_view name) {
    bool out = false;
    if (const JsonValue* v = member(name); v && !v->get(out))
      fail("\"" + std::string(name) + "\" is not true or false");
    return out;
  }
  std::string text(std::string_view name) {
    std::string out;
    if (const JsonValue* v = member(name); v && !v->get(out))
      fail("\"" + std::string(name) + "\" is not a string");
    return out;
  }
  uint32_t token(std::string_view name) { return tokenId(text(name)); }
  // The array `name`'s items (empty after an error).
  const std::vector<JsonValue>& array(std::string_view name) {
    static const std::vector<JsonValue> kNone;
    const JsonValue* v = member(name);
    if (!v) return kNone;
    if (v->kind() != JsonValue::Kind::kArray) {
      fail("\"" + std::string(name) + "\" is not an array");
      return kNone;
    }
    return v->items();
  }
  std::vector<uint32_t> tokens(std::string_view name) {
    std::vector<uint32_t> out;
    for (const JsonValue& item : array(name)) {
      std::string s;
      if (!item.get(s)) {
        fail("\"" + std::string(name) + "\" holds a non-string");
        return {};
      }
      out.push_back(tokenId(s));
    }
    return out;
  }
  std::vector<double> numbers(std::string_view name) {
    std::vector<double> out;
    for (const JsonValue& item : array(name)) {
      double d = 0.0;
      if (item.kind() == JsonValue::Kind::kNull) {
        d = std::numeric_limits<double>::quiet_NaN();
      } else if (!item.get(d)) {
        fail("\"" + std::string(name) + "\" holds a non-number");
        return {};
      }
      out.push_back(d);
    }
    return out;
  }
  std::vector<bool> booleans(std::string_view name) {
    std::vector<bool> out;
    for (const JsonValue& item : array(name)) {
      bool b = false;
      if (!item.get(b)) {
        fail("\"" + std::string(name) + "\" holds a non-boolean");
        return {};
      }
      out.push_back(b);
    }
    return out;
  }
  // The object `name`, or the array item `name[i]`, to read further.
  FieldReader object(std::string_view name) {
    static const JsonValue kNull;
    const JsonValue* v = member(name);
    return FieldReader(v ? *v : kNull, where_ + "." + std::string(name), status_, vocab_);
  }
  FieldReader item(const JsonValue& v, std::string_view name, size_t i) {
    return FieldReader(v, where_ + "." + std::string(name) + "[" + std::to_string(i) + "]", status_,
                       vocab_);
  }
  void fail(const std::string& what) {
    if (status_) status_ = Status::corrupt("trace JSON: " + where_ + " " + what);
  }

 private:
  const JsonValue* member(std::string_view name) {
    if (!status_) return nullptr;
    const JsonValue* v = object_.find(name);
    if (!v) fail("has no \"" + std::string(name) + "\"");
    return v;
  }
  // The writer shows every id outside the vocabulary as "<unknown>": read back as such.
  uint32_t tokenId(const std::string& s) {
    return s == "<unknown>" ? Vocabulary::kUnknown : vocab_.intern(s);
  }

  const JsonValue& object_;
  std::string where_;
  Status& status_;
  Vocabulary& vocab_;
};

std::vector<ClassVote> votes(FieldReader& r, std::string_view name, std::string_view weightKey) {
  std::vector<ClassVote> out;
  const auto& items = r.array(name);
  for (size_t i = 0; i < items.size(); ++i) {
    FieldReader v = r.item(items[i], name, i);
    out.push_back({v.token("token"), v.number<double>(weightKey)});
  }
  return out;
}

std::vector<ProvenanceRef> provenance(FieldReader& r) {
  std::vector<ProvenanceRef> out;
  const auto& items = r.array("provenance");
  for (size_t i = 0; i < items.size(); ++i) {
    FieldReader p = r.item(items[i], "provenance", i);
    ProvenanceRef& ref = out.emplace_back();
    ref.path = p.text("path");
    ref.line = p.number<uint64_t>("line");
    ref.byteOffset = p.number<uint64_t>("byteOffset");
    ref.snippet = p.text("snippet");
  }
  return out;
}

NeighbourTrace neighbour(FieldReader r, size_t width) {
  NeighbourTrace n;
  n.storedVector = r.number<uint32_t>("storedVector");
  n.values = r.tokens("values");
  n.matches = r.booleans("matches");
  n.contributions = r.numbers("contributions");
  n.counts = votes(r, "counts", "count");
  n.instanceCount = r.number<uint64_t>("instances");
  n.provenance = provenance(r);
  if (n.values.size() != width || n.matches.size() != width || n.contributions.size() != width)
    r.fail("does not have one value, match and contribution per context position (" +
           std::to_string(width) + ")");
  return n;
}

std::vector<NeighbourTrace> neighbours(FieldReader& r, std::string_view name, size_t width) {
  std::vector<NeighbourTrace> out;
  const auto& items = r.array(name);
  for (size_t i = 0; i < items.size(); ++i)
    out.push_back(neighbour(r.item(items[i], name, i), width));
  return out;
}

TreePath::Answer treeAnswer(FieldReader& r) {
  const std::string name = r.text("answer");
  for (auto a :
       {TreePath::Answer::kNone, TreePath::Answer::kRootMajority, TreePath::Answer::kDeepestDefault,
        TreePath::Answer::kExactMatch, TreePath::Answer::kIb1Fallback}) {
    if (name == treeAnswerName(a)) return a;
  }
  r.fail("has the unknown answer \"" + name + "\"");
  return TreePath::Answer::kNone;
}

// A k-NN or tree trace; `tribl2` is set when its tree steps count stored vectors, which only
// TRIBL2's do.
Trace knnTrace(FieldReader& r, bool& tribl2) {
  Trace t;
  t.context = r.tokens("context");
  t.featureWeights = r.numbers("featureWeights");
  const size_t width = t.context.size();
  if (t.featureWeights.size() != width) r.fail("has not one feature weight per context position");
  t.prediction.classId = r.token("prediction");
  t.prediction.distance = r.number<double>("distance");
  t.prediction.matchDepth = r.number<int>("matchDepth");
  t.prediction.tie = r.boolean("tie");
  t.memoryWeight = r.number<double>("memoryWeight");
  t.entropyBits = r.number<double>("entropyBits");
  t.prediction.distribution = votes(r, "votes", "weight");
  const auto& probabilities = r.array("probabilities");
  for (size_t i = 0; i < probabilities.size(); ++i) {
    FieldReader p = r.item(probabilities[i], "probabilities", i);
    t.top.emplace_back(p.token("token"), p.number<double>("p"));
  }
  FieldReader path = r.object("treePath");
  t.path.answer = treeAnswer(path);
  t.path.depth = path.number<int>("depth");
  const auto& steps = path.array("steps");
  tribl2 = false;
  for (size_t i = 0; i < steps.size(); ++i) {
    FieldReader s = path.item(steps[i], "steps", i);
    TreeStep& step = t.path.steps.emplace_back();
    step.depth = s.number<int>("depth");
    step.defaultClass = s.token("default");
    step.classes = s.number<uint32_t>("classes");
    step.instances = s.number<uint64_t>("instances");
    step.tested = s.boolean("tested");
    if (i == 0) tribl2 = s.has("storedVectors");
    if (tribl2) step.storedVectors = s.number<uint32_t>("storedVectors");
    if (step.tested) {
      step.feature = s.number<int>("feature");
      step.value = s.token("value");
      step.matched = s.boolean("matched");
      if (step.feature < 0 || static_cast<size_t>(step.feature) >= width)
        s.fail("tests feature " + std::to_string(step.feature) + " of a context of " +
               std::to_string(width));
    }
  }
  const auto& buckets = r.array("buckets");
  for (size_t i = 0; i < buckets.size(); ++i) {
    FieldReader b = r.item(buckets[i], "buckets", i);
    BucketTrace& bucket = t.buckets.emplace_back();
    bucket.distance = b.number<double>("distance");
    bucket.weight = b.number<double>("weight");
    bucket.neighbours = neighbours(b, "neighbours", width);
    if (b.has("unlisted")) {
      FieldReader u = b.object("unlisted");
      bucket.unlistedVectors = u.number<uint64_t>("storedVectors");
      bucket.unlistedCounts = votes(u, "counts", "count");
      if (bucket.unlistedVectors == 0) u.fail("counts no stored vectors");
    }
  }
  if (r.has("treeEvidence")) {
    FieldReader e = r.object("treeEvidence");
    t.evidence.storedVectors = e.number<uint32_t>("storedVectors");
    t.evidence.instances = e.number<uint64_t>("instances");
    t.evidence.shown = neighbours(e, "shown", width);
    if (t.evidence.storedVectors == 0) e.fail("counts no stored vectors");
  }
  return t;
}

VectorTrace vectorTrace(FieldReader& r) {
  VectorTrace t;
  t.context = r.tokens("context");
  t.featureWeights = r.numbers("featureWeights");
  const size_t width = t.context.size();
  if (t.featureWeights.size() != width) r.fail("has not one feature weight per context position");
  t.temperature = r.number<double>("temperature");
  t.lambda = r.number<double>("lambda");
  t.memoryPrediction = r.token("memoryPrediction");
  const auto& outcomes = r.array("outcomes");
  for (size_t i = 0; i < outcomes.size(); ++i) {
    FieldReader o = r.item(outcomes[i], "outcomes", i);
    VectorOutcome& out = t.top.emplace_back();
    out.token = o.token("token");
    out.memory = o.number<double>("memory");
    out.base = o.number<double>("base");
    out.interpolated = o.number<double>("final");
  }
  const auto& slots = r.array("slots");
  for (size_t i = 0; i < slots.size(); ++i) {
    FieldReader s = r.item(slots[i], "slots", i);
    VectorSlotTrace& slot = t.slots.emplace_back();
    slot.slot = s.number<uint32_t>("slot");
    slot.values = s.tokens("values");
    slot.distance = s.number<double>("distance");
    slot.attention = s.number<double>("attention");
    slot.counts = votes(s, "counts", "count");
    slot.terms = s.numbers("terms");
    // Traces written before slots had provenance lack both.
    if (s.has("instances") || s.has("provenance")) {
      slot.instanceCount = s.number<uint64_t>("instances");
      slot.provenance = provenance(s);
    }
    if (slot.values.size() != width || slot.terms.size() != width)
      s.fail("does not have one value and term per context position (" + std::to_string(width) +
             ")");
  }
  return t;
}

}  // namespace

Result<TraceDocument> traceFromJson(std::string_view json) {
  auto root = JsonValue::parse(json);
  if (!root) return Status::corrupt("not a trace: " + root.status().message());
  if (root->kind() != JsonValue::Kind::kObject)
    return Status::corrupt(
        "not a trace: the JSON is not an object (memlens-cli explain --json writes one object "
        "per trace)");
  auto vocab = std::make_shared<Vocabulary>();
  Status status;
  FieldReader r(*root, "trace", status, *vocab);
  TraceDocument doc;
  if (status && !r.has("context"))
    return Status::corrupt(
        "not a trace: a JSON object without \"context\" (memlens-cli explain --json writes "
        "traces)");
  if (r.has("slots")) {
    doc.algorithm = Algorithm::kVectorMemory;
    doc.vectorTrace = vectorTrace(r);
  } else {
    bool tribl2 = false;
    doc.trace = knnTrace(r, tribl2);
    doc.algorithm = tribl2                          ? Algorithm::kTribl2
                    : doc.trace->path.steps.empty() ? Algorithm::kIb1
                                                    : Algorithm::kIgTree;
  }
  if (!status) return status;
  if ((doc.trace && doc.trace->context.empty()) ||
      (doc.vectorTrace && doc.vectorTrace->context.empty()))
    return Status::corrupt("trace JSON: the context is empty");
  doc.vocabulary = std::move(vocab);
  return doc;
}

Result<TraceDocument> readTraceFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::ioError(path + ": cannot open (" + std::strerror(errno) + ")");
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  // A trace lists tens of neighbours, a wide k a few thousand: far below this.
  constexpr std::streamoff kMaxBytes = std::streamoff{1} << 30;
  if (size < 0 || size > kMaxBytes)
    return Status::invalidArgument(path + ": over 1 GB, too large for a trace");
  std::string text(static_cast<size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(text.data(), size)) return Status::ioError(path + ": read failed");
  auto doc = traceFromJson(text);
  if (!doc) return Status::corrupt(path + ": " + doc.status().message());
  return doc;
}

}  // namespace memlens
