#pragma once

#include <map>
#include <memory>
#include <span>
#include <vector>

#include "edit/incremental_classifier.h"
#include "memory/ig_tree.h"

namespace memlens {

// IGTree with fixed feature weights over an edited memory, without retraining. The tree's root
// has one depth-1 subtree per value of the first tree feature, built from exactly the stored
// vectors with that value given the whole memory's class totals, class order and root default
// (the MPI engine builds them per rank the same way, docs/spec/distributed.md). So the edited
// tree is the trained one with the subtrees of the first values an edit touched rebuilt from those
// values' live instances (Part), and the root (distribution = class totals, default = best class)
// taken from the edited classes. Defaults inside untouched subtrees depend on the classes' order
// by (total, first appearance) alone: the values holding a class whose place in that order moved
// past another's are rebuilt too (staleValues()). When the root default moves, every depth-1
// leaf's compression may change: the caller retrains (the root default is the most frequent
// class, which nearly every subtree holds).
// Thread-safety as Classifier.
class IncrementalIgTree final : public IncrementalClassifier {
 public:
  // One first value's subtree: its instances' memory (the classes they hold and the root default,
  // in the edited order) and the tree over it. Null: no live instance has the value.
  struct Part {
    InstanceBase base;
    IgTree tree;
  };
  using Parts = std::map<uint32_t, std::shared_ptr<const Part>>;
  // By class id: the first values of the stored vectors holding it in a base memory.
  using ClassValues = std::vector<std::vector<uint32_t>>;

  // `base`: an IGTree classifier with `options`' fixed weights. `parts`: the first values rebuilt
  // since `base`; `rebuiltNow`: those the last edit rebuilt (sorted).
  IncrementalIgTree(const ClassifierOptions& options, std::shared_ptr<const Classifier> base,
                    std::shared_ptr<const ClassValues> classValues, ClassOrder classes, Parts parts,
                    std::vector<uint32_t> rebuiltNow,
                    std::function<const InstanceSet&()> instances);

  // The subtree of `instances` (all with one first value, not empty) in a memory of `classes`.
  static Result<std::shared_ptr<const Part>> buildPart(const InstanceSet& instances,
                                                       const ClassOrder& classes,
                                                       const std::vector<int>& order);
  static std::shared_ptr<const ClassValues> classValuesOf(const Classifier& base);
  // The root's default (most frequent class, then first seen): a class index of `classes`.
  static uint32_t rootDefault(const ClassOrder& classes);

  // The first values whose subtrees (trained or rebuilt) hold a class of `touched` (classes an
  // edit changed) whose order relative to another class differs between classes() and `after`.
  std::vector<uint32_t> staleValues(const ClassOrder& after,
                                    std::span<const uint32_t> touched) const;

  void answer(const uint32_t* query, const PredictOptions& options, Prediction& out,
              Bound& bound) const override;
  bool rebuiltFor(const uint32_t* query) const override;
  TreePath treePath(std::span<const uint32_t> features) const override {
    return full().treePath(features);
  }

  // The tree a memory trained on the edited instances builds (trained when first asked for): for
  // saving the memory to a file.
  const IgTree& retrainedTree() const;
  int firstFeature() const { return tree_.order().front(); }
  const Parts& parts() const { return parts_; }
  const std::shared_ptr<const ClassValues>& classValues() const { return classValues_; }

 private:
  void node(const IgTree& tree, const InstanceBase& names, const IgTree::Answer& a,
            const PredictOptions& options, Prediction& out) const;
  void root(const PredictOptions& options, Prediction& out) const;

  const IgTree& tree_;
  std::shared_ptr<const ClassValues> classValues_;
  Parts parts_;
  std::vector<uint32_t> rebuiltNow_;
  std::vector<double> tailWeight_;  // by depth: the weight of the features not consulted
  uint32_t rootDefault_;
  uint64_t instanceCount_ = 0;
  bool rootHasChildren_ = false;
};

}  // namespace memlens
