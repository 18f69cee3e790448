#pragma once

#include <cstdint>
#include <vector>

#include "memlens/instance_base.h"

namespace memlens {

// The contents of a TiMBL instance-base file (.ibase), as written by `timbl -I`: a trie over
// the feature values in permutation order, every node with its default class and (where the
// file keeps them) its class distribution. Complete bases (IB1, TRIBL2) hold every stored
// vector down to full depth; pruned ones (IGTree) only the nodes whose default differs from
// their parent's. A plain value.
struct TimblTree {
  static constexpr uint32_t kNoNode = 0xFFFFFFFFu;

  struct Node {
    uint32_t parent = 0;        // index in `nodes`; the root (nodes[0]) points to itself
    uint32_t value = 0;         // Vocabulary id (unused for the root)
    uint32_t defaultClass = 0;  // index into classIds
    uint32_t distBegin = 0;     // distribution: pool[distBegin, distBegin + distCount)
    uint32_t distCount = 0;
    int depth = 0;  // features matched on the way here
    bool leaf = false;
  };

  bool pruned = false;
  bool hashed = false;
  // permutation[d]: the 0-based original feature tested at depth d (width = its size).
  std::vector<int> permutation;
  // Classes in TiMBL's order (the order of the top distribution, which decides ties), as
  // Vocabulary ids, with their training totals.
  std::vector<uint32_t> classIds;
  std::vector<uint64_t> classTotals;
  std::vector<Node> nodes;  // pre-order, as in the file
  std::vector<ClassCount> pool;

  int width() const { return static_cast<int>(permutation.size()); }
};

}  // namespace memlens
