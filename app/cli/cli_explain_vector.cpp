#include "cli_explain_vector.h"

#include <cstdio>
#include <string>

#include "cli_common.h"
#include "memlens/json_writer.h"
#include "memlens/vector_trace.h"

namespace memlens::cli {

namespace {

constexpr size_t kSlotsShown = 12;  // in the text view; --json has every slot read
constexpr int kWordColumn = 10;     // characters of a slot's word in an attention-map cell

std::string cut(std::string text, size_t width) {
  if (text.size() > width) text = text.substr(0, width - 1) + "~";
  return text;
}

std::string slotContext(const VectorSlotTrace& s, const Vocabulary& vocab) {
  std::string text;
  for (uint32_t v : s.values) text += (text.empty() ? "" : " ") + tokenText(vocab, v);
  text += " ->";
  for (const ClassVote& c : s.counts) {
    text += " " + tokenText(vocab, c.classId) + " x" + std::to_string(static_cast<uint64_t>(c.weight));
  }
  return text;
}

void printText(const VectorTrace& t, const Experiment& e) {
  const Vocabulary& vocab = e.corpus().vocab;
  std::printf("context   ");
  for (uint32_t id : t.context) std::printf(" %-16s", cut(tokenText(vocab, id), 16).c_str());
  std::printf("\nweights   ");
  for (double w : t.featureWeights) std::printf(" %-16.4f", w);
  std::printf("\n\nvector memory: %zu slots read, T = %g; p = %.3g * p_mem + %.3g * p_base "
              "(interpolated Kneser-Ney)\nmemory prediction: %s\n",
              t.slots.size(), t.temperature, t.lambda, 1.0 - t.lambda,
              tokenText(vocab, t.memoryPrediction).c_str());

  std::printf("\n%-18s %9s %9s %9s\n", "outcome", "p_mem", "p_base", "final");
  for (const VectorOutcome& o : t.top) {
    std::printf("%-18s %9.4f %9.4f %9.4f\n", cut(tokenText(vocab, o.token), 18).c_str(), o.memory,
                o.base, o.interpolated);
  }

  const size_t shown = std::min(kSlotsShown, t.slots.size());
  std::printf("\nslots read, nearest first (%zu of %zu)\n  %-9s %8s %9s  %s\n", shown, t.slots.size(),
              "slot", "alpha", "distance", "context -> next-token counts");
  for (size_t i = 0; i < shown; ++i) {
    const VectorSlotTrace& s = t.slots[i];
    std::printf("  #%-8u %8.4f %9.4f  %s\n", s.slot, s.attention, s.distance, slotContext(s, vocab).c_str());
  }

  std::printf("\nattention map: per context position the slot's word and its distance term\n"
              "w_j * |e(x_j) - e(s_j)|^2 / T (0: the query's own word); alpha ~ count * exp(-sum)\n");
  std::printf("  %-9s", "slot");
  for (uint32_t id : t.context) std::printf(" %-*s", kWordColumn + 7, cut(tokenText(vocab, id), kWordColumn + 7).c_str());
  std::printf(" %8s %8s\n", "sum", "alpha");
  for (size_t i = 0; i < shown; ++i) {
    const VectorSlotTrace& s = t.slots[i];
    std::printf("  #%-8u", s.slot);
    double sum = 0.0;
    for (size_t j = 0; j < s.terms.size(); ++j) {
      std::printf(" %-*s %6.2f", kWordColumn, cut(tokenText(vocab, s.values[j]), kWordColumn).c_str(), s.terms[j]);
      sum += s.terms[j];
    }
    std::printf(" %8.2f %8.4f\n", sum, s.attention);
  }
}

void printJson(const VectorTrace& t, const Experiment& e) {
  const Vocabulary& vocab = e.corpus().vocab;
  JsonWriter json;
  beginTraceJson(json, vocab, t.context, t.featureWeights);
  json.field("temperature", t.temperature)
      .field("lambda", t.lambda)
      .field("memoryPrediction", tokenText(vocab, t.memoryPrediction));
  json.key("outcomes").beginArray();
  for (const VectorOutcome& o : t.top) {
    json.beginObject()
        .field("token", tokenText(vocab, o.token))
        .field("memory", o.memory)
        .field("base", o.base)
        .field("final", o.interpolated)
        .endObject();
  }
  json.endArray().key("slots").beginArray();
  for (const VectorSlotTrace& s : t.slots) {
    json.beginObject().field("slot", s.slot).key("values").beginArray();
    for (uint32_t v : s.values) json.value(tokenText(vocab, v));
    json.endArray().field("distance", s.distance).field("attention", s.attention).key("counts").beginArray();
    for (const ClassVote& c : s.counts) {
      json.beginObject().field("token", tokenText(vocab, c.classId)).field("count", c.weight).endObject();
    }
    json.endArray().key("terms").beginArray();
    for (double term : s.terms) json.value(term);
    json.endArray().endObject();
  }
  json.endArray().endObject();
  std::printf("%s\n", json.str().c_str());
}

}  // namespace

int explainVectorMemory(const Experiment& experiment, std::span<const uint32_t> context, bool json) {
  auto trace = traceVectorMemory(experiment, context);
  if (!trace) return reportError(trace.status());
  if (json) {
    printJson(*trace, experiment);
  } else {
    printText(*trace, experiment);
  }
  return 0;
}

}  // namespace memlens::cli
