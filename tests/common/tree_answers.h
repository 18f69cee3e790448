#pragma once

// Comparisons of answers and IGTree traces for the incremental edit tests: an edited memory must
// answer as one retrained from its instances.
#include "memlens/classifier.h"
#include "memlens/tree_path.h"

namespace memlens::test {

// Same answer: class, nearest distance, votes and tie (the vote's whole outcome).
inline bool sameAnswer(const Prediction& a, const Prediction& b) {
  if (a.classId != b.classId || a.distance != b.distance || a.tie != b.tie ||
      a.instances != b.instances || a.distribution.size() != b.distribution.size())
    return false;
  for (size_t i = 0; i < a.distribution.size(); ++i)
    if (a.distribution[i].classId != b.distribution[i].classId ||
        a.distribution[i].weight != b.distribution[i].weight)
      return false;
  return true;
}

// IGTree's answer also says how deep its walk matched and whether it ended at a leaf; its trace
// (explain --json) walks the same nodes.
inline bool sameTreeAnswer(const Prediction& a, const Prediction& b) {
  return sameAnswer(a, b) && a.matchDepth == b.matchDepth && a.leaf == b.leaf;
}

inline bool sameTrace(const TreePath& a, const TreePath& b) {
  if (a.depth != b.depth || a.answer != b.answer || a.steps.size() != b.steps.size()) return false;
  for (size_t i = 0; i < a.steps.size(); ++i) {
    const TreeStep &x = a.steps[i], &y = b.steps[i];
    if (x.depth != y.depth || x.defaultClass != y.defaultClass || x.classes != y.classes ||
        x.instances != y.instances || x.tested != y.tested || x.feature != y.feature ||
        x.value != y.value || x.matched != y.matched)
      return false;
  }
  return true;
}

}  // namespace memlens::test
