#pragma once

#include <cstdint>
#include <vector>

#include "memlens/instance_base.h"
#include "memory/ig_tree.h"

namespace memlens {

// A TiMBL instance-base file (.ibase) as read, already in the shape the memory takes, so that
// no copy of the file's trie is kept beside it: a pruned (IGTree) base as the nodes IgTree
// answers from; a complete (IB1, TRIBL2) base as its stored vectors, the leaves of its trie, each
// with its class distribution (the inner nodes' distributions are sums of these). A plain value.
struct TimblParsedBase {
  struct Leaf {
    uint32_t distBegin = 0;  // pool[distBegin, distBegin + distCount)
    uint32_t distCount = 0;
  };

  bool pruned = false;
  bool hashed = false;
  // permutation[d]: the 0-based original feature tested at depth d (width = its size).
  std::vector<int> permutation;
  // Classes in TiMBL's order (the order of the top distribution, which decides ties), as
  // Vocabulary ids, with their training totals.
  std::vector<uint32_t> classIds;
  std::vector<uint64_t> classTotals;
  std::vector<ClassCount> pool;
  // Pruned: laid out as IgTree::fromNodes() takes them (children of a node contiguous and sorted
  // by value, each distribution sorted by class index, the root last).
  std::vector<IgTree::Node> nodes;
  // Complete: per leaf in file order, its values in original feature order (width each).
  std::vector<uint32_t> leafValues;
  std::vector<Leaf> leaves;

  int width() const { return static_cast<int>(permutation.size()); }
};

}  // namespace memlens
