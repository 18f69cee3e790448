#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "edit/incremental_classifier.h"
#include "edit/probe_paths.h"
#include "memlens/classifier.h"
#include "memlens/job_control.h"
#include "memlens/result.h"
#include "memory/ig_tree.h"

namespace memlens {

// What an IGTree memory under fixed weights answers to each probe token once a prune has removed
// whole stored vectors, without building the tree of the vectors it keeps. A count-threshold
// drag's stop at 100M instances removes 1.6M of 2.6M stored vectors: editing the trained tree to
// match (each removed vector an overlay entry, every path recounted) took 2.3 s a stop. A walk
// answers with the default of the deepest node it reaches, and compression drops only nodes that
// answer as their parent, so the tree of the kept vectors answers with the default of the deepest
// prefix of the query that a kept vector shares, over the kept vectors sharing it.
// Made once per memory and probe set (ProbePaths): per distinct probe path, the ranges of its
// prefixes in the tree's trie order and the trained nodes at them (a prefix listed once). A stop
// counts the kept vectors of each range, and sums class counts only at the prefixes that answer:
// the kept vectors' counts, or the trained node's less the removed ones' when fewer are removed.
// Immutable once made: stops may use it from several threads.
class PrunedTreePaths {
 public:
  // Whether of() makes them: `memory` is an IGTree classifier whose tree keeps its trie order (one
  // read from a TiMBL base does not) and orders its features as `paths` does.
  static bool apply(const Classifier& memory, const ProbePaths& paths);
  // The paths of `paths`' tokens in the tree of `memory`; an error unless apply(). Honours
  // cancel.
  static Result<std::shared_ptr<const PrunedTreePaths>> of(
      const std::shared_ptr<const Classifier>& memory, std::shared_ptr<const ProbePaths> paths,
      JobControl* job);

  // Whether these are the paths of `paths` in the tree of `memory`.
  bool serves(const std::shared_ptr<const Classifier>& memory,
              const std::shared_ptr<const ProbePaths>& paths) const {
    return paths == probePaths_ && memory_.lock() == memory;
  }
  // Per probe token, the class id answered by the tree trained on the stored vectors that
  // `removed` (by stored vector id) does not mark, `classes` the class order of their instances.
  // Honours cancel.
  Result<std::vector<uint32_t>> answers(const std::vector<bool>& removed, const ClassOrder& classes,
                                        JobControl* job) const;

 private:
  // A prefix some kept vector may share: a node of the tree trained on every stored vector,
  // compressed away or not.
  struct Node {
    uint32_t begin = 0, end = 0;  // the stored vectors sharing it, as trie-order positions
    uint32_t parent = 0;
    const IgTree::Node* trained = nullptr;  // null: compression dropped it
  };
  // A distinct probe path: where its tokens start in the ProbePaths' order, and its deepest
  // prefix that a stored vector shares.
  struct Path {
    uint32_t from = 0;
    uint32_t node = 0;
  };

  PrunedTreePaths() = default;
  // The class id answered at `node`, which `kept` of its stored vectors keep.
  uint32_t answerAt(const Node& node, uint32_t kept, const std::vector<bool>& removed,
                    const ClassOrder& classes) const;

  std::weak_ptr<const Classifier> memory_;
  std::shared_ptr<const ProbePaths> probePaths_;
  const IgTree* tree_ = nullptr;
  const InstanceBase* base_ = nullptr;
  std::span<const uint32_t> trie_;  // the stored vectors in trie order
  uint32_t classIds_ = 0;           // above every class id of the memory
  std::vector<Node> nodes_;         // the root first
  std::vector<Path> paths_;
};

}  // namespace memlens
