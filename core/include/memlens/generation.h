#pragma once

#include <cstdint>
#include <span>
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

}  // namespace memlens
