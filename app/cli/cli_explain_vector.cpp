#include "cli_explain_vector.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "cli_common.h"
#include "memlens/json_writer.h"
#include "memlens/trace_json.h"
#include "memlens/vector_trace.h"

namespace memlens::cli {

namespace {

constexpr size_t kSlotsShown = 12;  // in the text view; --json has every slot read
constexpr int kWordColumn = 10;     // characters of a slot's word in an attention-map cell

std::string cut(std::string text, size_t width) {
  if (text.size() > width) text = text.substr(0, width - 1) + "~";
  return text;
}

// "context -> next-token counts" of a stored vector: its values and its class counts (in the
// memory's order), the most frequent tokens first.
std::string slotContext(std::span<const uint32_t> values, std::vector<ClassVote> counts,
                        const Vocabulary& vocab) {
  constexpr size_t kTokensShown = 8;
  std::string text;
  for (uint32_t v : values) text += (text.empty() ? "" : " ") + tokenText(vocab, v);
  text += " ->";
  std::stable_sort(counts.begin(), counts.end(),
                   [](const ClassVote& a, const ClassVote& b) { return a.weight > b.weight; });
  for (size_t i = 0; i < counts.size() && i < kTokensShown; ++i)
    text += " " + tokenText(vocab, counts[i].classId) + " x" +
            std::to_string(static_cast<uint64_t>(counts[i].weight));
  if (counts.size() > kTokensShown) text += " ... (" + std::to_string(counts.size()) + " tokens)";
  return text;
}

void printSequence(const SequenceAttention& a, const Experiment& e) {
  const Vocabulary& vocab = e.corpus().vocab;
  std::printf(
      "attention over the sequence: row = a token, read with the context before it;\n"
      "column = one of the %zu slots most attended over all rows; cell = alpha ('.': not read)\n\n",
      a.slots.size());
  std::printf("%-14s %-14s", "token", "memory says");
  for (size_t c = 0; c < a.slots.size(); ++c)
    std::printf(" %6s", ("s" + std::to_string(c + 1)).c_str());
  std::printf("\n");
  for (size_t r = 0; r < a.tokens.size(); ++r) {
    std::printf("%-14s %-14s", cut(tokenText(vocab, a.tokens[r]), 14).c_str(),
                cut(tokenText(vocab, a.predictions[r]), 14).c_str());
    for (double alpha : a.attention[r]) {
      if (alpha > 0.0)
        std::printf(" %6.3f", alpha);
      else
        std::printf(" %6s", ".");
    }
    std::printf("\n");
  }
  std::printf("\nslots\n");
  for (size_t c = 0; c < a.slots.size(); ++c)
    std::printf("  s%-3zu #%-8u %s\n", c + 1, a.slots[c],
                slotContext(a.values[c], a.counts[c], vocab).c_str());
}

void printSequenceJson(const SequenceAttention& a, const Experiment& e) {
  const Vocabulary& vocab = e.corpus().vocab;
  JsonWriter json;
  json.beginObject().key("slots").beginArray();
  for (size_t c = 0; c < a.slots.size(); ++c)
    json.beginObject()
        .field("slot", a.slots[c])
        .field("context", slotContext(a.values[c], a.counts[c], vocab))
        .endObject();
  json.endArray().key("rows").beginArray();
  for (size_t r = 0; r < a.tokens.size(); ++r) {
    json.beginObject()
        .field("token", tokenText(vocab, a.tokens[r]))
        .field("memoryPrediction", tokenText(vocab, a.predictions[r]))
        .key("attention")
        .beginArray();
    for (double alpha : a.attention[r]) json.value(alpha);
    json.endArray().endObject();
  }
  json.endArray().endObject();
  std::printf("%s\n", json.str().c_str());
}

void printText(const VectorTrace& t, const Experiment& e) {
  const Vocabulary& vocab = e.corpus().vocab;
  std::printf("context   ");
  for (uint32_t id : t.context) std::printf(" %-16s", cut(tokenText(vocab, id), 16).c_str());
  std::printf("\nweights   ");
  for (double w : t.featureWeights) std::printf(" %-16.4f", w);
  std::printf(
      "\n\nvector memory: %zu slots read, T = %g; p = %.3g * p_mem + %.3g * p_base "
      "(interpolated Kneser-Ney)\nmemory prediction: %s\n",
      t.slots.size(), t.temperature, t.lambda, 1.0 - t.lambda,
      tokenText(vocab, t.memoryPrediction).c_str());

  std::printf("\n%-18s %9s %9s %9s\n", "outcome", "p_mem", "p_base", "final");
  for (const VectorOutcome& o : t.top) {
    std::printf("%-18s %9.4f %9.4f %9.4f\n", cut(tokenText(vocab, o.token), 18).c_str(), o.memory,
                o.base, o.interpolated);
  }

  const size_t shown = std::min(kSlotsShown, t.slots.size());
  std::printf("\nslots read, nearest first (%zu of %zu)\n  %-9s %8s %9s  %s\n", shown,
              t.slots.size(), "slot", "alpha", "distance", "context -> next-token counts");
  for (size_t i = 0; i < shown; ++i) {
    const VectorSlotTrace& s = t.slots[i];
    std::printf("  #%-8u %8.4f %9.4f  %s\n", s.slot, s.attention, s.distance,
                slotContext(s.values, s.counts, vocab).c_str());
  }

  std::printf(
      "\nattention map: per context position the slot's word and its distance term\n"
      "w_j * |e(x_j) - e(s_j)|^2 / T (0: the query's own word); alpha ~ count * exp(-sum)\n");
  std::printf("  %-9s", "slot");
  for (uint32_t id : t.context)
    std::printf(" %-*s", kWordColumn + 7, cut(tokenText(vocab, id), kWordColumn + 7).c_str());
  std::printf(" %8s %8s\n", "sum", "alpha");
  for (size_t i = 0; i < shown; ++i) {
    const VectorSlotTrace& s = t.slots[i];
    std::printf("  #%-8u", s.slot);
    double sum = 0.0;
    for (size_t j = 0; j < s.terms.size(); ++j) {
      std::printf(" %-*s %6.2f", kWordColumn,
                  cut(tokenText(vocab, s.values[j]), kWordColumn).c_str(), s.terms[j]);
      sum += s.terms[j];
    }
    std::printf(" %8.2f %8.4f\n", sum, s.attention);
  }
}

}  // namespace

int explainVectorSequence(const Experiment& experiment, std::span<const uint32_t> tokens,
                          bool json) {
  auto attention = traceVectorSequence(experiment, tokens);
  if (!attention) return reportError(attention.status());
  return printVectorSequence(*attention, experiment, json);
}

int printVectorSequence(const SequenceAttention& attention, const Experiment& experiment,
                        bool json) {
  if (json)
    printSequenceJson(attention, experiment);
  else
    printSequence(attention, experiment);
  return 0;
}

int explainVectorMemory(const Experiment& experiment, std::span<const uint32_t> context,
                        bool json) {
  auto trace = traceVectorMemory(experiment, context);
  if (!trace) return reportError(trace.status());
  return printVectorTrace(*trace, experiment, json);
}

int printVectorTrace(const VectorTrace& trace, const Experiment& experiment, bool json) {
  if (json) {
    std::printf("%s\n", traceToJson(trace, experiment).c_str());
  } else {
    printText(trace, experiment);
  }
  return 0;
}

}  // namespace memlens::cli
