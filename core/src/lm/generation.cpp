#include "memlens/generation.h"

#include <algorithm>
#include <numeric>
#include <random>

#include "memlens/json_writer.h"
#include "memlens/trace.h"

namespace memlens {

Result<std::vector<GeneratedToken>> generate(const Experiment& experiment,
                                             std::span<const uint32_t> prompt,
                                             const GenerationOptions& options, JobControl* job) {
  if (options.topK < 0) return Status::invalidArgument("top-k must be 0 (greedy) or more");
  const int width = experiment.record().options.window.width;
  const uint32_t padding = experiment.corpus().paddingId;
  const uint32_t unknown = experiment.base().vocabSize();
  const MemorySmoother smoother = experiment.smoother();
  PredictOptions predictOptions;
  predictOptions.neighbours = true;

  std::vector<uint32_t> text(prompt.begin(), prompt.end());
  std::vector<GeneratedToken> out;
  std::mt19937_64 rng(options.seed);
  SmoothedDistribution smoothed;
  std::vector<double> dense;
  for (size_t step = 0; step < options.tokens; ++step) {
    if (cancelRequested(job)) return Status::cancelled();
    GeneratedToken g;
    g.context = contextWindow(text, width, padding);
    g.prediction = experiment.classifier().predictOne(g.context, predictOptions);
    smoother.smoothed(g.prediction, g.context, smoothed);

    if (options.topK == 0 && g.prediction.classId != Prediction::kNoClass) {
      g.id = g.prediction.classId;
    } else {
      smoothed.toDense(dense);
      dense.resize(unknown);  // never emit the unknown outcome
      std::vector<uint32_t> order(dense.size());
      std::iota(order.begin(), order.end(), 0u);
      const size_t k = std::min<size_t>(options.topK == 0 ? 1 : size_t(options.topK), order.size());
      std::partial_sort(order.begin(), order.begin() + std::ptrdiff_t(k), order.end(),
                        [&](uint32_t a, uint32_t b) { return dense[a] > dense[b]; });
      std::vector<double> weights(k);
      for (size_t i = 0; i < k; ++i) weights[i] = dense[order[i]];
      std::discrete_distribution<size_t> pick(weights.begin(), weights.end());
      g.id = order[pick(rng)];
    }
    g.probability = smoothed.probability(std::min(g.id, unknown));
    text.push_back(g.id);
    out.push_back(std::move(g));
    reportProgress(job, double(step + 1) / double(options.tokens), "generating");
  }
  return out;
}

size_t neighbourCount(const Prediction& prediction) {
  size_t n = 0;
  for (const NeighbourBucket& b : prediction.neighbours) n += b.storedVectors.size();
  return n;
}

std::string generationToJson(const std::vector<GeneratedToken>& tokens,
                             std::span<const uint32_t> prompt, const Vocabulary& vocab) {
  JsonWriter json;
  json.beginObject().key("prompt").beginArray();
  for (uint32_t id : prompt) json.value(vocab.displayText(id));
  json.endArray().key("tokens").beginArray();
  for (const GeneratedToken& g : tokens) {
    json.beginObject()
        .field("token", vocab.displayText(g.id))
        .field("probability", g.probability)
        .field("prediction", vocab.displayText(g.prediction.classId))
        .field("matchDepth", g.prediction.matchDepth)
        .field("distance", g.prediction.distance)
        .field("neighbours", static_cast<uint64_t>(neighbourCount(g.prediction)))
        .endObject();
  }
  json.endArray().endObject();
  return json.str();
}

}  // namespace memlens
