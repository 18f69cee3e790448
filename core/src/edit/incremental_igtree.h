#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "edit/incremental_classifier.h"
#include "edit/vector_overlay.h"
#include "memory/ig_tree.h"

namespace memlens {

// IGTree with fixed feature weights over an edited memory, without retraining. A node of the tree
// is named by its prefix: the values of the first features of the tree order. The edited tree is
// the trained one with the nodes an edit changed overridden by prefix (Nodes): a node on an
// edited path whose default stays keeps its default and takes its new distribution and child
// count, and the subtree below the highest node of a path whose default moves (or that appears,
// or that compression had dropped, unless it keeps its parent's default: then only the edited
// paths below it change) is rebuilt from its stored vectors alone (a Part), which is what changes
// its children's compression; a leaf on an edited path takes its stored vector's counts and is
// kept or dropped against its parent's default, and a later edit below a rebuilt subtree
// rebuilds it again. So an edit costs its paths' length plus the subtrees whose defaults
// move, which are the small ones near the leaves nearly always.
// Defaults break ties by the classes' order by (total, first appearance): when an edit moves a
// class's place in that order past another's, only nodes holding it can change default, which
// are on the paths of the stored vectors holding it: those paths are checked as the edited ones
// (staleVectors()). When the root default moves, every depth-1 node's compression may change: the
// caller retrains (the root default is the most frequent class, which nearly every subtree holds).
// Thread-safety as Classifier.
class IncrementalIgTree final : public IncrementalClassifier {
 public:
  using Prefix = std::vector<uint32_t>;
  // A subtree rebuilt from its stored vectors, projected onto the features below its prefix (in
  // tree order): its tree's root is the node at the prefix.
  struct Part {
    InstanceBase base;
    IgTree tree;
  };
  // Stored vectors under a prefix, projected onto the features below it (in tree order), and
  // their class counts (runs by class id).
  struct Members {
    int width = 0;
    std::vector<uint32_t> values;
    std::vector<InstanceBase::Run> runs;
  };
  // A node of the edited tree that differs from the trained one's at its prefix.
  struct Node {
    bool kept = false;  // in the tree: not empty nor dropped by compression
    uint32_t defaultId = 0;
    uint32_t childCount = 0;
    std::vector<std::pair<uint32_t, uint64_t>> dist;  // (class id, count), by class id
    std::shared_ptr<const Part> part;                 // the subtree below, when rebuilt
    // Rebuilt over one stored vector: every node below shares its default, so compression drops
    // them all (childCount 0) and no part is built. Entries below it are stale, as below a part.
    bool alone = false;
  };
  using Nodes = std::map<Prefix, std::shared_ptr<const Node>>;
  // By class id: the stored vectors holding it in a base memory.
  using ClassVectors = std::vector<std::vector<uint32_t>>;
  // What an edit changed: the stored vectors whose counts it changed, by their values in tree
  // order (ascending, the tree's width values each, in one array), and per vector the changes of
  // its counts by class id (ascending).
  struct Deltas {
    // From the overlay entries `entries` and their summed changes (entry i's are
    // counts[start[i], start[i + 1])).
    static Deltas of(const std::vector<int>& treeOrder, const VectorOverlay& overlay,
                     std::span<const uint32_t> entries, std::span<const size_t> start,
                     std::span<const std::pair<uint32_t, int64_t>> counts);
    std::span<const std::pair<uint32_t, int64_t>> of(size_t i) const {
      return {changes.data() + start[i], start[i + 1] - start[i]};
    }
    size_t size() const { return start.size() - 1; }

    std::vector<uint32_t> values;
    std::vector<uint32_t> entries;  // per vector, its overlay entry
    std::vector<size_t> start{0};   // per vector, its first change; then the end
    std::vector<std::pair<uint32_t, int64_t>> changes;
  };
  // Stored vectors (in tree order, the tree's width values each, in one array: there may be tens
  // of thousands) whose paths' defaults may move with the class order, and per vector whether
  // its own default (as a leaf) does.
  struct Recheck {
    std::vector<uint32_t> values;
    std::vector<uint8_t> leafMoves;
    size_t inOrder = 0;  // the first ones come sorted
    size_t size() const { return leafMoves.size(); }
  };

  // The trained tree of `base` (an IGTree classifier with `options`' fixed weights), unedited.
  // `classVectors`: the base's, when known (else listed here). `weights`: recomputed weights that
  // keep the base's tree order (empty: the base's).
  IncrementalIgTree(const ClassifierOptions& options, std::shared_ptr<const Classifier> base,
                    ClassOrder classes, std::function<const InstanceSet&()> instances,
                    std::shared_ptr<const ClassVectors> classVectors = nullptr,
                    std::vector<double> weights = {});

  // `was` (over the same base) after an edit that changed `deltas` and left the memory with the
  // classes `classes` and the stored vectors `overlay` (over the base) says; `recheck`: more
  // stored vectors (in tree order) whose paths' defaults may move (staleVectors()); `weights` as
  // the constructor's.
  static Result<std::shared_ptr<IncrementalIgTree>> edited(
      const IncrementalIgTree& was, ClassOrder classes, const Deltas& deltas,
      const Recheck& recheck, const VectorOverlay& overlay,
      std::function<const InstanceSet&()> instances, std::vector<double> weights, JobControl* job);

  // The root's default (most frequent class, then first seen): a class index of `classes`.
  static uint32_t rootDefault(const ClassOrder& classes);
  // defaultClassOf() by class id: most votes, then the tie order.
  static uint32_t defaultOf(std::span<const std::pair<uint32_t, uint64_t>> dist,
                            const ClassOrder& classes);

  // The stored vectors (in tree order) of the memory `overlay` makes of the base that hold one
  // class of each pair whose order differs between classes() and `after` (one of them in
  // `touched`, the classes an edit changed); nullopt when the base alone holds more than `limit`.
  std::optional<Recheck> staleVectors(const ClassOrder& after, std::span<const uint32_t> touched,
                                      const VectorOverlay& overlay, size_t limit) const;

  void answer(const uint32_t* query, const PredictOptions& options, Prediction& out,
              Bound& bound) const override;
  // answer()'s class alone: a preview's, without copying the distribution (thousands of classes
  // near the root).
  uint32_t classOf(const uint32_t* query) const;
  // Sorted: the prefixes (in tree order) under which the edit that made this memory rebuilt a
  // part or moved a leaf's answer; only queries whose walk passes one may answer otherwise.
  const std::vector<Prefix>& rebuilt() const { return rebuiltNow_; }
  TreePath treePath(std::span<const uint32_t> features) const override {
    return full().treePath(features);
  }

  // The tree a memory trained on the edited instances builds (trained when first asked for): for
  // saving the memory to a file.
  const IgTree& retrainedTree() const;
  const std::vector<int>& order() const { return tree_.order(); }

 private:
  // The deepest node a walk along `values` (in tree order) reaches, as IgTree::classify walks.
  struct Reached {
    int depth = 0;
    const IgTree* tree = nullptr;         // with `node`: a node of the trained tree or a part's
    const InstanceBase* names = nullptr;  // `tree`'s classes
    const IgTree::Node* node = nullptr;
    const Node* edited = nullptr;  // else an edited node without a part
  };
  Reached walk(std::span<const uint32_t> values) const;
  // A walk after its first values, which a walk one value longer resumes from: what it reached,
  // the trained tree's node at that prefix (if any; within a part, the one above it, unread), and
  // whether it stopped there.
  struct Walk {
    Reached reached;
    const IgTree::Node* trained = nullptr;
    bool stopped = false;
  };
  Walk startWalk() const;
  // Takes `w` (a walk along values[0, w.reached.depth)) one value further, or stops it; `key`:
  // scratch for the prefix.
  void stepWalk(Walk& w, std::span<const uint32_t> values, Prefix& key) const;
  // Whether `after` alone gives the node `r` (below the root, its counts as they were) another
  // default: a class tied with its default at its top now comes before it.
  bool orderMovesDefault(const Reached& r, const ClassOrder& after) const;
  // The first `length` values (in tree order) of a stored vector: a path from the root.
  struct Path {
    const uint32_t* values;
    size_t length;
  };
  // Sets `paths` to those of `recheck`'s paths (sorted, no count change) that must be checked:
  // down to the first node whose default `after` moves with its counts as they were (rebuilt
  // with what is below it), and to the leaf when its own default moves. The others keep their
  // defaults and child counts. Past the last node a walk reaches, compression dropped the nodes,
  // each with no children and its parent's default d, so every leaf below one holds d at its top:
  // a class the order puts before d ties d there only if it does so in every such leaf, whose own
  // default then moves too (`leafMoves`).
  Status recheckPaths(const Recheck& recheck, const ClassOrder& after, std::vector<Path>& paths,
                      JobControl* job) const;
  // Whether neither the trained tree nor an edit has a node at or below `prefix`: compression
  // dropped the nodes there (all holding the default of the deepest kept one above), or there
  // are none.
  bool unseenBelow(const Prefix& prefix) const;
  // The edited node at `prefix`, or nullptr.
  const Node* node(const Prefix& prefix) const;
  // Merges recent_ into a new settled_ when it has grown (see settled_).
  void settle();
  static void eraseBelow(Nodes& nodes, const Prefix& prefix);
  // The walk of a query of width() values.
  Reached walkQuery(const uint32_t* query) const;
  // The default class id of a node reached below the root.
  static uint32_t defaultAt(const Reached& r) {
    return r.edited ? r.edited->defaultId : r.names->classId(r.node->defaultClass);
  }
  // What membersUnder() found under the prefix it was last asked for, by depth (under its first
  // d values): the base's stored vectors' range in the trie order and the range of the overlay's
  // sorted entries. Prefixes asked for in tree order share most of it.
  struct Ranges {
    Path path{nullptr, 0};
    std::vector<IgTree::TrieRange> trie;
    std::vector<std::pair<size_t, size_t>> entries;
  };
  // The stored vectors under `prefix` of the memory `overlay` makes of the base; `sorted`: the
  // overlay's entries by their values in tree order. The ranges of the last prefix narrowed to
  // this one's, not searched over every stored vector again.
  Result<Members> membersUnder(Path prefix, const VectorOverlay& overlay,
                               const std::vector<uint32_t>& sorted, Ranges& ranges) const;
  // Sets `out` to the distribution (class id, count) of the node `r` reached, as it keeps it.
  void distributionOf(const Reached& r, std::vector<std::pair<uint32_t, uint64_t>>& out) const;
  // The class counts (by class id) of stored vector `vector` (in tree order) in the memory
  // `overlay` makes of the base; `entry`: its overlay entry, when known.
  std::vector<std::pair<uint32_t, uint64_t>> countsOf(const Prefix& vector,
                                                      const VectorOverlay& overlay,
                                                      uint32_t entry = VectorOverlay::kNone) const;
  void root(const PredictOptions& options, Prediction& out) const;

  const IgTree& tree_;
  std::shared_ptr<const ClassVectors> classVectors_;
  // The nodes edits changed, by prefix: those of the latest edits (recent_) over a map of older
  // ones shared between memories (settled_), merged into a new shared map when recent_ outgrows a
  // quarter of it. So an edit copies what the last few edits changed, not every node any edit
  // changed (a document-sized run at 100M changes most of the tree). An entry of recent_ hides
  // settled_'s; entries below a part or a dropped node are never read.
  std::shared_ptr<const Nodes> settled_;
  Nodes recent_;
  uint32_t rootChildren_ = 0;
  // Overlay entries [0, size) by their values in tree order, as the last edit that rebuilt a
  // subtree sorted them (null before one): an entry keeps its number and values in the overlays
  // of the edits after it, which only add entries, so a later edit merges its new ones in.
  std::shared_ptr<const std::vector<uint32_t>> sortedEntries_;
  // Sorted: the parts the last edit built and the leaves whose answer it moved.
  std::vector<Prefix> rebuiltNow_;
  std::vector<double> tailWeight_;  // by depth: the weight of the features not consulted
  uint32_t rootDefault_;
  uint64_t instanceCount_ = 0;
};

}  // namespace memlens
