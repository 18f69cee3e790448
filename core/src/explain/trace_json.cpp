#include "memlens/trace_json.h"

#include "memlens/json_writer.h"

namespace memlens {

namespace {

// Opens the object with the fields every trace starts with: its context and feature weights.
void beginTrace(JsonWriter& json, const Vocabulary& vocab, const std::vector<uint32_t>& context,
                const std::vector<double>& featureWeights) {
  json.beginObject().key("context").beginArray();
  for (uint32_t id : context) json.value(vocab.displayText(id));
  json.endArray().key("featureWeights").beginArray();
  for (double w : featureWeights) json.value(w);
  json.endArray();
}

// How many instances a stored vector holds and where the first of them came from.
void writeProvenance(JsonWriter& json, uint64_t instances,
                     const std::vector<ProvenanceRef>& provenance) {
  json.field("instances", instances).key("provenance").beginArray();
  for (const ProvenanceRef& p : provenance) {
    json.beginObject()
        .field("path", p.path)
        .field("line", p.line)
        .field("byteOffset", p.byteOffset)
        .field("snippet", p.snippet)
        .endObject();
  }
  json.endArray();
}

// A stored vector as a trace shows it: a k-NN neighbour or a tree node's evidence.
void writeNeighbour(JsonWriter& json, const Vocabulary& vocab, const NeighbourTrace& n) {
  json.beginObject().field("storedVector", n.storedVector).key("values").beginArray();
  for (uint32_t v : n.values) json.value(vocab.displayText(v));
  json.endArray().key("matches").beginArray();
  for (bool m : n.matches) json.value(m);
  json.endArray().key("contributions").beginArray();
  for (double c : n.contributions) json.value(c);
  json.endArray().key("counts").beginArray();
  for (const ClassVote& c : n.counts)
    json.beginObject()
        .field("token", vocab.displayText(c.classId))
        .field("count", c.weight)
        .endObject();
  json.endArray();
  writeProvenance(json, n.instanceCount, n.provenance);
  json.endObject();
}

}  // namespace

std::string traceToJson(const Trace& t, const Experiment& e) {
  return traceToJson(t, e.corpus().vocab, e.record().options.classifier.algorithm);
}

std::string traceToJson(const VectorTrace& t, const Experiment& e) {
  return traceToJson(t, e.corpus().vocab);
}

std::string traceToJson(const Trace& t, const Vocabulary& vocab, Algorithm algorithm) {
  JsonWriter json;
  beginTrace(json, vocab, t.context, t.featureWeights);
  json.field("prediction", vocab.displayText(t.prediction.classId))
      .field("distance", t.prediction.distance)
      .field("matchDepth", t.prediction.matchDepth)
      .field("tie", t.prediction.tie)
      .field("memoryWeight", t.memoryWeight)
      .field("entropyBits", t.entropyBits);
  json.key("votes").beginArray();
  for (const ClassVote& v : t.prediction.distribution) {
    json.beginObject()
        .field("token", vocab.displayText(v.classId))
        .field("weight", v.weight)
        .endObject();
  }
  json.endArray().key("probabilities").beginArray();
  for (const auto& [id, p] : t.top)
    json.beginObject().field("token", vocab.displayText(id)).field("p", p).endObject();
  json.endArray()
      .key("treePath")
      .beginObject()
      .field("answer", treeAnswerName(t.path.answer))
      .field("depth", t.path.depth)
      .key("steps")
      .beginArray();
  for (const TreeStep& s : t.path.steps) {
    json.beginObject()
        .field("depth", s.depth)
        .field("default", vocab.displayText(s.defaultClass))
        .field("classes", s.classes)
        .field("instances", s.instances)
        .field("tested", s.tested);
    if (algorithm == Algorithm::kTribl2)
      json.field("storedVectors", s.storedVectors);  // IGTree's nodes do not count them
    if (s.tested) {
      json.field("feature", s.feature)
          .field("value", vocab.displayText(s.value))
          .field("matched", s.matched);
    }
    json.endObject();
  }
  json.endArray().endObject();
  json.key("buckets").beginArray();
  for (const BucketTrace& b : t.buckets) {
    json.beginObject()
        .field("distance", b.distance)
        .field("weight", b.weight)
        .key("neighbours")
        .beginArray();
    for (const NeighbourTrace& n : b.neighbours) writeNeighbour(json, vocab, n);
    json.endArray();
    // Only capped buckets have it, so a trace that lists every neighbour is as it was.
    if (b.unlistedVectors > 0) {
      json.key("unlisted")
          .beginObject()
          .field("storedVectors", b.unlistedVectors)
          .key("counts")
          .beginArray();
      for (const ClassVote& c : b.unlistedCounts)
        json.beginObject()
            .field("token", vocab.displayText(c.classId))
            .field("count", c.weight)
            .endObject();
      json.endArray().endObject();
    }
    json.endObject();
  }
  json.endArray();
  // Only tree answers have it, so IB1's output is as it was before the field existed.
  if (t.evidence.storedVectors > 0) {
    json.key("treeEvidence")
        .beginObject()
        .field("storedVectors", t.evidence.storedVectors)
        .field("instances", t.evidence.instances)
        .key("shown")
        .beginArray();
    for (const NeighbourTrace& n : t.evidence.shown) writeNeighbour(json, vocab, n);
    json.endArray().endObject();
  }
  json.endObject();
  return json.str();
}

std::string traceToJson(const VectorTrace& t, const Vocabulary& vocab) {
  JsonWriter json;
  beginTrace(json, vocab, t.context, t.featureWeights);
  json.field("temperature", t.temperature)
      .field("lambda", t.lambda)
      .field("memoryPrediction", vocab.displayText(t.memoryPrediction));
  json.key("outcomes").beginArray();
  for (const VectorOutcome& o : t.top) {
    json.beginObject()
        .field("token", vocab.displayText(o.token))
        .field("memory", o.memory)
        .field("base", o.base)
        .field("final", o.interpolated)
        .endObject();
  }
  json.endArray().key("slots").beginArray();
  for (const VectorSlotTrace& s : t.slots) {
    json.beginObject().field("slot", s.slot).key("values").beginArray();
    for (uint32_t v : s.values) json.value(vocab.displayText(v));
    json.endArray()
        .field("distance", s.distance)
        .field("attention", s.attention)
        .key("counts")
        .beginArray();
    for (const ClassVote& c : s.counts) {
      json.beginObject()
          .field("token", vocab.displayText(c.classId))
          .field("count", c.weight)
          .endObject();
    }
    json.endArray().key("terms").beginArray();
    for (double term : s.terms) json.value(term);
    json.endArray();
    writeProvenance(json, s.instanceCount, s.provenance);
    json.endObject();
  }
  json.endArray().endObject();
  return json.str();
}

}  // namespace memlens
