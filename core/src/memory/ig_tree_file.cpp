// IgTree::save() and load(): the memory-file form of an IGTree.
#include <string>

#include "base/first_where.h"

#include "memfile/byte_reader.h"
#include "memfile/byte_writer.h"
#include "memory/ig_tree.h"

namespace memlens {

void IgTree::save(ByteWriter& out) const {
  out.putArray(order_);
  out.putArray(nodes_);
  out.putArray(pool_);
}

Result<IgTree> IgTree::load(ByteReader& in, int width, uint32_t classCount) {
  IgTree tree;
  in.getArray(tree.order_, InstanceSet::kMaxWidth);
  in.getArray(tree.nodes_, UINT32_MAX);
  in.getArray(tree.pool_, UINT32_MAX);
  if (!in.ok()) return Status::corrupt(in.error());
  std::vector<bool> seen(static_cast<size_t>(width), false);
  if (tree.order_.size() != static_cast<size_t>(width))
    in.fail("an order of " + std::to_string(tree.order_.size()) + " features for " +
            std::to_string(width));
  for (const int f : tree.order_)
    if (in.ok() && (f < 0 || f >= width || seen[static_cast<size_t>(f)]))
      in.fail("the feature order is not a permutation of the " + std::to_string(width) +
              " features");
    else if (in.ok())
      seen[static_cast<size_t>(f)] = true;
  if (in.ok() && tree.nodes_.empty()) in.fail("no nodes");
  if (const size_t i =
          firstWhere(tree.pool_.span(),
                     [&](const ClassCount& c, size_t) { return c.classIndex >= classCount; });
      in.ok() && i < tree.pool_.size())
    in.fail("a distribution counts class index " + std::to_string(tree.pool_[i].classIndex) +
            " of " + std::to_string(classCount));
  // The nodes' own fields in one pass; the order of children below, per node that has them.
  const uint64_t poolSize = tree.pool_.size();
  const size_t bad = firstWhere(tree.nodes_.span(), [&](const Node& n, size_t i) {
    return (n.childCount != 0 && uint64_t{n.firstChild} + n.childCount > i) || n.distCount == 0 ||
           uint64_t{n.distBegin} + n.distCount > poolSize || n.defaultClass >= classCount;
  });
  if (in.ok() && bad < tree.nodes_.size()) {
    const Node& n = tree.nodes_[bad];
    const std::string node = "node " + std::to_string(bad) + " ";
    // Children lie before their parent (build() appends a node after its children), which
    // rules out cycles; walks are bounded by the width in any case.
    if (n.childCount != 0 && uint64_t{n.firstChild} + n.childCount > bad)
      in.fail(node + "has children past itself");
    else if (n.distCount == 0 || uint64_t{n.distBegin} + n.distCount > tree.pool_.size())
      in.fail(node + "has its distribution outside the pool");
    else if (n.defaultClass >= classCount)
      in.fail(node + "answers class index " + std::to_string(n.defaultClass) + " of " +
              std::to_string(classCount));
  }
  // child() searches children by value. Siblings are contiguous and every child has one parent,
  // so this reads each node's value about once.
  for (size_t i = 0; in.ok() && i < tree.nodes_.size(); ++i) {
    const Node& n = tree.nodes_[i];
    for (uint32_t c = 1; c < n.childCount; ++c)
      if (tree.nodes_[n.firstChild + c - 1].value >= tree.nodes_[n.firstChild + c].value) {
        in.fail("node " + std::to_string(i) + " has children out of order");
        break;
      }
  }
  if (!in.ok()) return Status::corrupt(in.error());
  tree.root_ = static_cast<uint32_t>(tree.nodes_.size() - 1);
  return tree;
}

}  // namespace memlens
