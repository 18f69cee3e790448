// IgTree::save() and load(): the memory-file form of an IGTree.
#include <string>

#include "memfile/byte_reader.h"
#include "memfile/byte_writer.h"
#include "memory/ig_tree.h"

namespace memlens {

void IgTree::save(ByteWriter& out) const {
  out.putArray(order_);
  out.putArray(nodes_);
  out.putArray(pool_);
  out.putArray(trieOrder_);
}

Result<IgTree> IgTree::load(ByteReader& in, int width, uint32_t classCount, uint32_t vectorCount) {
  IgTree tree;
  in.getArray(tree.order_, InstanceSet::kMaxWidth);
  in.getArray(tree.nodes_, UINT32_MAX);
  in.getArray(tree.pool_, UINT32_MAX);
  in.getArray(tree.trieOrder_, UINT32_MAX);
  if (!in.ok()) return Status::corrupt(in.error());
  if (tree.trieOrder_.size() != vectorCount)
    in.fail(std::to_string(tree.trieOrder_.size()) + " stored vectors in trie order, the " +
            "memory holds " + std::to_string(vectorCount));
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
  // A damaged node reads as a leaf answering from the pool's first entry as class 0.
  if (in.ok() && (tree.nodes_.empty() || tree.pool_.empty() || classCount == 0))
    in.fail("no nodes, distributions or classes");
  if (!in.ok()) return Status::corrupt(in.error());

  const uint64_t poolSize = tree.pool_.size();
  // Children lie before their parent (build() appends a node after its children), which rules
  // out cycles; walks are bounded by the width in any case.
  tree.nodeChecks_ = LazyCheckedArray<Node>(
      tree.nodes_.span(),
      [poolSize, classCount](const Node& n, size_t i) {
        return (n.childCount != 0 && uint64_t{n.firstChild} + n.childCount > i) ||
               n.distCount == 0 || uint64_t{n.distBegin} + n.distCount > poolSize ||
               n.defaultClass >= classCount;
      },
      [](const Node& n, size_t) { return Node{n.value, 0, 0, 0, 0, 1}; },
      [nodes = tree.nodes_.span(), poolSize, classCount](size_t i) {
        const Node& n = nodes[i];
        const std::string node = "node " + std::to_string(i) + " ";
        if (n.childCount != 0 && uint64_t{n.firstChild} + n.childCount > i)
          return node + "has children past itself";
        if (n.distCount == 0 || uint64_t{n.distBegin} + n.distCount > poolSize)
          return node + "has its distribution outside the pool";
        return node + "answers class index " + std::to_string(n.defaultClass) + " of " +
               std::to_string(classCount);
      });
  tree.poolChecks_ = LazyCheckedArray<ClassCount>(
      tree.pool_.span(),
      [classCount](const ClassCount& c, size_t) { return c.classIndex >= classCount; },
      [](const ClassCount& c, size_t) {
        return ClassCount{0, c.count};
      },
      [pool = tree.pool_.span(), classCount](size_t i) {
        return "a distribution counts class index " + std::to_string(pool[i].classIndex) + " of " +
               std::to_string(classCount);
      });
  tree.trieChecks_ = LazyCheckedArray<uint32_t>(
      tree.trieOrder_.span(), [vectorCount](uint32_t id, size_t) { return id >= vectorCount; },
      [](uint32_t, size_t) { return 0u; },
      [ids = tree.trieOrder_.span(), vectorCount](size_t i) {
        return "stored vector " + std::to_string(ids[i]) + " of " + std::to_string(vectorCount) +
               " in trie order";
      });
  tree.root_ = static_cast<uint32_t>(tree.nodes_.size() - 1);
  return tree;
}

Status IgTree::checkAll() const {
  const Node* all = nodes(0, nodes_.size());
  (void)poolChecks_.checked(pool_.data(), 0, pool_.size());
  (void)trieChecks_.checked(trieOrder_.data(), 0, trieOrder_.size());
  for (const std::string& damage :
       {nodeChecks_.damage(), poolChecks_.damage(), trieChecks_.damage()})
    if (!damage.empty()) return Status::corrupt(damage);
  // child() searches children by value. Siblings are contiguous and every child has one parent,
  // so this reads each node's value about once.
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const Node& n = all[i];
    for (uint32_t c = 1; c < n.childCount; ++c)
      if (all[n.firstChild + c - 1].value >= all[n.firstChild + c].value)
        return Status::corrupt("node " + std::to_string(i) + " has children out of order");
  }
  return Status::ok();
}

}  // namespace memlens
