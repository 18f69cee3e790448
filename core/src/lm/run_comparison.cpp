#include "memlens/run_comparison.h"

#include <unordered_map>

namespace memlens {

RunComparison compareRuns(const EvaluationReport& a, const EvaluationReport& b) {
  std::unordered_map<uint64_t, size_t> inB;
  inB.reserve(b.tokens.size());
  for (size_t i = 0; i < b.tokens.size(); ++i) inB.emplace(b.tokens[i].source, i);

  RunComparison c;
  for (size_t i = 0; i < a.tokens.size(); ++i) {
    auto it = inB.find(a.tokens[i].source);
    if (it == inB.end()) continue;
    ++c.shared;
    const bool rightA = a.tokens[i].rank == 1, rightB = b.tokens[it->second].rank == 1;
    if (rightA && rightB) {
      ++c.bothRight;
    } else if (!rightA && !rightB) {
      ++c.bothWrong;
    } else {
      (rightA ? c.rightToWrong : c.wrongToRight).push_back({a.tokens[i].source, i, it->second});
    }
  }
  return c;
}

}  // namespace memlens
