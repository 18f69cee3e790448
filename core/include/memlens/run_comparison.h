#pragma once

#include <cstdint>
#include <vector>

#include "memlens/evaluation.h"

namespace memlens {

// Token-by-token comparison of two evaluations of the same test tokens (matched by source).
struct RunComparison {
  struct Flip {
    uint64_t source = 0;  // corpus token index
    size_t indexA = 0;    // into a.tokens
    size_t indexB = 0;    // into b.tokens
  };
  uint64_t shared = 0;  // test tokens present in both runs
  uint64_t bothRight = 0;
  uint64_t bothWrong = 0;
  std::vector<Flip> rightToWrong;  // right in a, wrong in b
  std::vector<Flip> wrongToRight;
};

RunComparison compareRuns(const EvaluationReport& a, const EvaluationReport& b);

}  // namespace memlens
