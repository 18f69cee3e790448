#include "memlens/vector_trace.h"

#include <algorithm>
#include <map>
#include <numeric>

#include "memlens/trace.h"

namespace memlens {

void addVectorOutcomes(const MemorySmoother& smoother, const VectorRead& r, size_t topOutcomes,
                       VectorTrace& t) {
  t.memoryPrediction = r.classId;
  // Dense distributions: one query, so O(vocabulary) is cheap and exact.
  Prediction prediction;
  prediction.classId = r.classId;
  prediction.distribution = r.memory;
  t.lambda = smoother.memoryWeight(prediction);
  std::vector<double> interpolated, base;
  smoother.distribution(prediction, t.context, interpolated);
  smoother.base().distribution(t.context, base);
  interpolated.pop_back();  // the unknown outcome is no token to show
  std::vector<double> mem(interpolated.size(), 0.0);
  for (const ClassVote& v : r.memory) {
    if (v.classId < mem.size()) mem[v.classId] = v.weight;
  }
  std::vector<uint32_t> order(interpolated.size());
  std::iota(order.begin(), order.end(), 0u);
  const size_t top = std::min(topOutcomes, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(top), order.end(),
                    [&](uint32_t a, uint32_t b) { return interpolated[a] > interpolated[b]; });
  for (size_t i = 0; i < top; ++i) {
    const uint32_t id = order[i];
    t.top.push_back({id, mem[id], base[id], interpolated[id]});
  }
}

Result<VectorTrace> traceVectorMemory(const Experiment& experiment,
                                      std::span<const uint32_t> context, size_t topOutcomes) {
  const VectorMemory* read = experiment.vectorMemory();
  if (!read) return Status::invalidArgument("the experiment's memory is not a vector memory");
  const InstanceBase& memory = experiment.classifier().memory();
  if (context.size() != static_cast<size_t>(memory.width())) {
    return Status::invalidArgument("the context must have " + std::to_string(memory.width()) +
                                   " tokens");
  }
  VectorTrace t;
  t.context.assign(context.begin(), context.end());
  t.featureWeights = experiment.classifier().weights();
  t.temperature = read->options().temperature;
  const VectorRead r = read->read(context);
  const auto terms = read->attentionTerms(context, r.slots, t.temperature);
  for (size_t i = 0; i < r.slots.size(); ++i) {
    VectorSlotTrace& s = t.slots.emplace_back();
    s.slot = r.slots[i].slot;
    const auto values = memory.vector(s.slot);
    s.values.assign(values.begin(), values.end());
    s.distance = r.slots[i].distance;
    s.attention = r.slots[i].attention;
    for (const ClassCount& c : memory.distribution(s.slot)) {
      s.counts.push_back({memory.classId(c.classIndex), static_cast<double>(c.count)});
    }
    s.terms = terms[i];
    s.instanceCount = memory.sources(s.slot).size();
    s.provenance = provenanceOf(experiment, s.slot);
  }

  addVectorOutcomes(experiment.smoother(), r, topOutcomes, t);
  return t;
}

SequenceAttention sequenceAttention(std::span<const uint32_t> tokens,
                                    std::span<const VectorRead> reads, size_t maxSlots) {
  SequenceAttention out;
  std::map<uint32_t, double> total;  // per slot read anywhere: Σ α over the rows
  for (size_t t = 0; t < reads.size(); ++t) {
    out.tokens.push_back(tokens[t]);
    out.predictions.push_back(reads[t].classId);
    for (const SlotRead& s : reads[t].slots) total[s.slot] += s.attention;
  }
  std::vector<std::pair<uint32_t, double>> ranked(total.begin(), total.end());
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  ranked.resize(std::min(maxSlots, ranked.size()));
  for (const auto& [slot, sum] : ranked) out.slots.push_back(slot);
  for (const VectorRead& r : reads) {
    std::vector<double>& cells = out.attention.emplace_back(out.slots.size(), 0.0);
    for (const SlotRead& s : r.slots) {
      const auto it = std::find(out.slots.begin(), out.slots.end(), s.slot);
      if (it != out.slots.end()) cells[static_cast<size_t>(it - out.slots.begin())] = s.attention;
    }
  }
  return out;
}

Result<SequenceAttention> traceVectorSequence(const Experiment& experiment,
                                              std::span<const uint32_t> tokens, size_t maxSlots) {
  const VectorMemory* read = experiment.vectorMemory();
  if (!read) return Status::invalidArgument("the experiment's memory is not a vector memory");
  if (tokens.empty()) return Status::invalidArgument("the sequence has no tokens");
  const InstanceBase& memory = experiment.classifier().memory();
  std::vector<VectorRead> reads;
  for (size_t t = 0; t < tokens.size(); ++t)
    reads.push_back(
        read->read(contextWindow(tokens.first(t), memory.width(), experiment.corpus().paddingId)));
  SequenceAttention out = sequenceAttention(tokens, reads, maxSlots);
  for (const uint32_t slot : out.slots) {
    const auto values = memory.vector(slot);
    out.values.emplace_back(values.begin(), values.end());
    std::vector<ClassVote>& counts = out.counts.emplace_back();
    for (const ClassCount& c : memory.distribution(slot))
      counts.push_back({memory.classId(c.classIndex), static_cast<double>(c.count)});
  }
  return out;
}

}  // namespace memlens
