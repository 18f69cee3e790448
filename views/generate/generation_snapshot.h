#pragma once

#include <memory>
#include <vector>

#include "memlens/experiment.h"
#include "memlens/generation.h"

namespace memlens::views {

// A finished generate(): the prompt as encoded and the tokens that continued it, with the memory
// that produced them (for the tokens' text and for inspecting their contexts).
struct GenerationSnapshot {
  std::shared_ptr<const Experiment> experiment;
  std::vector<uint32_t> prompt;
  GenerationOptions options;
  std::vector<GeneratedToken> tokens;
};

}  // namespace memlens::views
