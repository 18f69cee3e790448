#pragma once

#include <cstdint>
#include <vector>

namespace memlens {

// One level of a tree classifier's walk (IGTree, TRIBL2): the node reached after matching the
// first `depth` features in tree order, and the test made there toward the next level.
struct TreeStep {
  int depth = 0;
  uint32_t defaultClass = 0;   // Vocabulary id: best of the node's distribution (tie rules 2-3)
  uint32_t classes = 0;        // classes in the node's distribution
  uint64_t instances = 0;      // Σ of the node's class counts
  uint32_t storedVectors = 0;  // below the node; TRIBL2 only (IGTree's nodes do not count them)
  bool tested = false;         // false where the walk ends with nothing to test (a leaf)
  int feature = -1;            // the context position tested (original order, 0 = farthest)
  uint32_t value = 0;          // the query's value there
  bool matched = false;        // the node has a child with that value
};

// How a tree classifier reached its answer for one query, for tracing.
struct TreePath {
  enum class Answer {
    kNone,            // not a tree classifier (IB1), or an untrained memory
    kRootMajority,    // IGTree: no match at the first feature; the root's default
    kDeepestDefault,  // IGTree: the default of the deepest matched node
    kExactMatch,      // TRIBL2: every feature matched; the leaf's distribution
    kIb1Fallback,     // TRIBL2: IB1 over the steps.back().storedVectors vectors under the
                      // deepest matched node, on the features not yet matched
  };
  std::vector<TreeStep> steps;  // root first, one per level reached: depth + 1 of them
  int depth = 0;                // features matched (Prediction::matchDepth)
  Answer answer = Answer::kNone;
};

// "none", "root-majority", "deepest-default", "exact-match", "ib1-fallback" (for JSON).
const char* treeAnswerName(TreePath::Answer a);

}  // namespace memlens
