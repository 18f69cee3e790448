#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "memlens/experiment.h"

namespace memlens {

struct GenerationOptions {
  size_t tokens = 20;
  int topK = 0;  // 0: greedy (the memory's prediction); else sample among the k most probable
  uint64_t seed = 1;
};

// One generated token with what produced it: the query it was predicted from and the memory's
// answer (with neighbours where the algorithm has them), for tracing.
struct GeneratedToken {
  uint32_t id = 0;
  double probability = 0.0;  // smoothed p of this token given its context
  std::vector<uint32_t> context;
  Prediction prediction;
};

// Continues `prompt` (corpus vocabulary ids; kUnknown allowed) token by token: each step's
// context is the last `width` tokens, padded on the left as at a block start.
Result<std::vector<GeneratedToken>> generate(const Experiment& experiment,
                                             std::span<const uint32_t> prompt,
                                             const GenerationOptions& options = {},
                                             JobControl* job = nullptr);

// The prompt and the generated tokens as one JSON object, the format `memlens-cli generate --json`
// prints: per token its text, smoothed probability, the memory's own answer, match depth,
// distance and the number of neighbours behind it.
std::string generationToJson(const std::vector<GeneratedToken>& tokens,
                             std::span<const uint32_t> prompt, const Vocabulary& vocab);

// Stored vectors over all of a prediction's neighbour buckets.
size_t neighbourCount(const Prediction& prediction);

}  // namespace memlens
