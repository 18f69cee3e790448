#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/lazy_checked_array.h"
#include "memlens/instance_base.h"
#include "memlens/job_control.h"
#include "memlens/result.h"
#include "memlens/storage.h"

namespace memlens {

class ByteReader;
class ByteWriter;

// What decides an IGTree's default classes, when not its instance base's own: a shard of a memory
// sharded by its first feature's value (core/src/distributed) builds whole subtrees with the
// whole memory's class totals and root default, so that it compresses them as one process would.
struct IgTreeDefaults {
  const std::vector<uint64_t>* classTotals = nullptr;  // by class index; null: the base's
  uint32_t rootDefault = InstanceBase::kNone;          // class index; kNone: computed
};

// IGTree: a trie over the stored vectors in descending feature-weight order. Every node keeps
// the summed class distribution of what lies below it and its default class (best of that
// distribution: most votes, then most frequent in training, then first seen). Compressed as
// TiMBL does: a leaf child whose default equals its parent's default is dropped.
// Immutable after build(); safe to query from many threads.
class IgTree {
 public:
  struct Node {
    uint32_t value = 0;
    uint32_t firstChild = 0;
    uint32_t childCount = 0;
    uint32_t defaultClass = 0;  // class index
    uint32_t distBegin = 0;
    uint32_t distCount = 0;
  };
  struct Answer {
    const Node* node = nullptr;
    int depth = 0;  // features matched
  };

  static Result<IgTree> build(const InstanceBase& base, std::vector<int> order,
                              JobControl* job = nullptr, const IgTreeDefaults& defaults = {});

  // A tree kept elsewhere (a TiMBL IGTree base): `nodes` laid out as build() lays them out
  // (children of a node contiguous and sorted by value, the root last), with their
  // distributions in `pool`.
  static IgTree fromNodes(std::vector<int> order, std::vector<Node> nodes,
                          std::vector<ClassCount> pool);

  // For memory files: the order, nodes, distributions and trie order as they are, so opening
  // answers without building. load() checks the order (a permutation of `width` features) and
  // the sizes; the nodes (children before their parent, distributions inside the pool and not
  // empty), classes (below `classCount`) and trie order (below `vectorCount`) as they are read
  // (ig_tree_file.cpp). A reader with an owner gives a tree viewing its arrays in the file.
  void save(ByteWriter& out) const;
  static Result<IgTree> load(ByteReader& in, int width, uint32_t classCount, uint32_t vectorCount);

  Answer classify(const uint32_t* query) const;
  // Opened from a file, the nodes and distributions are checked a chunk at a time as the walks
  // first reach them (LazyCheckedArray): a node that fails (children not before it, its
  // distribution outside the pool or empty, a class past the class count) reads as a leaf
  // answering class 0. checkAll() checks them all now (verifyMemory()), and that siblings are
  // sorted (which only the answers depend on): the first failure, or ok.
  Status checkAll() const;

  // Node access for tracing the walk classify() makes.
  const Node& root() const { return nodes()[root_]; }
  // The children of `n`, sorted by value.
  std::span<const Node> children(const Node& n) const {
    return {nodes(n.firstChild, n.firstChild + n.childCount) + n.firstChild, n.childCount};
  }
  // The child of `n` holding `value`, or null (never stored, or dropped by compression).
  const Node* child(const Node& n, uint32_t value) const;
  std::span<const ClassCount> distribution(const Node& n) const {
    return {poolChecks_.checked(pool_.data(), n.distBegin, n.distBegin + n.distCount) + n.distBegin,
            n.distCount};
  }
  // The stored vectors of `base` (the one the tree was built from) that agree with `context`
  // on the first `depth` features of the order, by binary search on the stored vectors in trie
  // order that build() keeps (4 bytes per vector): what lies below the node a walk of `depth`
  // steps reaches, compressed away or not. Null when the tree keeps no such order (read from a
  // TiMBL base) or `base` grew since.
  std::optional<std::span<const uint32_t>> vectorsAgreeing(const InstanceBase& base,
                                                           std::span<const uint32_t> context,
                                                           int depth) const;
  // Positions [begin, end) in that trie order.
  struct TrieRange {
    size_t begin = 0, end = 0;
  };
  // The positions of vectorsAgreeing()'s vectors, searched within `within` (positions agreeing
  // on fewer of the first features, or the rest of a parent's range after a sibling's) from its
  // start: narrowing a node's range to a child's costs the log of the distance from the start,
  // not of the memory's size. Null as vectorsAgreeing().
  std::optional<TrieRange> rangeAgreeing(const InstanceBase& base,
                                         std::span<const uint32_t> context, int depth,
                                         TrieRange within) const;
  // The stored vectors at positions `r` of the trie order.
  std::span<const uint32_t> trieOrder(TrieRange r) const {
    return {trieChecks_.checked(trieOrder_.data(), r.begin, r.end) + r.begin, r.end - r.begin};
  }
  const std::vector<int>& order() const { return order_; }
  size_t nodeCount() const { return nodes_.size(); }

 private:
  const Node* nodes() const { return nodes(root_, root_ + 1); }
  const Node* nodes(size_t begin, size_t end) const {
    return nodeChecks_.checked(nodes_.data(), begin, end);
  }

  std::vector<int> order_;
  // Viewed in the memory file when loaded from one.
  Storage<Node> nodes_;  // children of a node are contiguous and sorted by value
  Storage<ClassCount> pool_;
  Storage<uint32_t> trieOrder_;  // stored vector ids sorted by their values in order_
  uint32_t root_ = 0;
  LazyCheckedArray<Node> nodeChecks_;
  LazyCheckedArray<ClassCount> poolChecks_;
  LazyCheckedArray<uint32_t> trieChecks_;
};

// Best class of a distribution under TiMBL's default rules: most votes, then most frequent in
// training (`classTotals`), then lowest class index.
uint32_t defaultClassOf(std::span<const ClassCount> dist, const std::vector<uint64_t>& classTotals);

}  // namespace memlens
