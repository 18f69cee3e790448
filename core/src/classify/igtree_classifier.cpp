#include <numeric>

#include "classify/batch_predict.h"
#include "classify/classifier_factories.h"
#include "edit/incremental_igtree.h"
#include "memory/ig_tree.h"
#include "memory/overlap_memory.h"

namespace memlens {
namespace {

// IGTree classifier: instance base + compressed IgTree. add() merges into the instance base and
// rebuilds the tree (the compression depends on every default). Thread-safety as Classifier.
class IgTreeClassifier final : public Classifier {
 public:
  explicit IgTreeClassifier(const ClassifierOptions& options) : options_(options) {}
  IgTreeClassifier(const ClassifierOptions& options, std::unique_ptr<InstanceBase> base,
                   IgTree tree, std::vector<double> weights)
      : options_(options),
        base_(std::move(base)),
        tree_(std::make_unique<IgTree>(std::move(tree))),
        weights_(std::move(weights)) {
    computeTailWeights();
  }

  Status train(const InstanceSet& instances, JobControl* job) override {
    if (Status st = checkFixedWeights(options_, instances.width); !st) return st;
    auto base = std::make_unique<InstanceBase>(instances.width);
    if (Status st = base->add(instances, job); !st) return st;
    return rebuild(std::move(base), job);
  }
  // Takes `base` as the trained memory: the tree is built over it, no instance is re-added.
  Status adopt(InstanceBase base, JobControl* job) {
    if (Status st = checkFixedWeights(options_, base.width()); !st) return st;
    return rebuild(std::make_unique<InstanceBase>(std::move(base)), job);
  }
  Status add(const InstanceSet& instances, JobControl* job) override {
    if (!base_) return train(instances, job);
    if (base_->vectorCount() == 0)
      return Status::invalidArgument(
          "this IGTree was read from a pruned TiMBL instance base, which keeps no stored "
          "vectors to grow; train it on the instances instead");
    // Grow a copy so that a cancelled rebuild leaves the current memory untouched.
    auto grown = std::make_unique<InstanceBase>(*base_);
    if (Status st = grown->add(instances, job); !st) return st;
    return rebuild(std::move(grown), job);
  }
  Result<std::vector<Prediction>> predict(const InstanceSet& queries, const PredictOptions& options,
                                          JobControl* job) const override {
    if (!tree_) return Status::invalidArgument("the memory is empty: train first");
    return predictBatch(queries, base_->width(), options, job,
                        [&](const uint32_t* q, Prediction& out) { classify(q, options, out); });
  }
  Prediction predictOne(std::span<const uint32_t> features,
                        const PredictOptions& options) const override {
    Prediction out;
    if (tree_ && features.size() == static_cast<size_t>(base_->width()))
      classify(features.data(), options, out);
    return out;
  }
  TreePath treePath(std::span<const uint32_t> features) const override {
    TreePath path;
    const int w = base_ ? base_->width() : 0;
    if (!tree_ || features.size() != static_cast<size_t>(w)) return path;
    // The walk classify() makes, level by level.
    const IgTree::Node* node = &tree_->root();
    for (int depth = 0;; ++depth) {
      TreeStep& step = path.steps.emplace_back();
      step.depth = depth;
      step.defaultClass = base_->classId(node->defaultClass);
      for (const ClassCount& c : tree_->distribution(*node)) step.instances += c.count;
      step.classes = node->distCount;
      if (depth == w || node->childCount == 0) break;
      step.tested = true;
      step.feature = tree_->order()[static_cast<size_t>(depth)];
      step.value = features[static_cast<size_t>(step.feature)];
      node = tree_->child(*node, step.value);
      step.matched = node != nullptr;
      if (!step.matched) break;
    }
    path.depth = static_cast<int>(path.steps.size()) - 1;
    path.answer =
        path.depth == 0 ? TreePath::Answer::kRootMajority : TreePath::Answer::kDeepestDefault;
    return path;
  }
  const ClassifierOptions& options() const override { return options_; }
  const InstanceBase& memory() const override { return base_ ? *base_ : empty_; }
  const std::vector<double>& weights() const override { return weights_; }
  const IgTree* tree() const { return tree_.get(); }

 private:
  Status rebuild(std::unique_ptr<InstanceBase> base, JobControl* job) {
    std::vector<double> weights = memoryWeights(options_, *base);
    auto tree = IgTree::build(*base, memoryOrder(options_, weights), job);
    if (!tree) return tree.status();
    base_ = std::move(base);
    weights_ = std::move(weights);
    tree_ = std::make_unique<IgTree>(std::move(tree).value());
    computeTailWeights();
    return Status::ok();
  }

  void computeTailWeights() {
    // Distance = weight of the features not consulted, for every depth.
    const auto& order = tree_->order();
    tailWeight_.assign(order.size() + 1, 0.0);
    for (size_t d = order.size(); d-- > 0;)
      tailWeight_[d] = tailWeight_[d + 1] + weights_[order[d]];
  }

  void classify(const uint32_t* q, const PredictOptions& options, Prediction& out) const {
    const IgTree::Answer a = tree_->classify(q);
    out = Prediction{};
    out.classId = base_->classId(a.node->defaultClass);
    out.matchDepth = a.depth;
    out.leaf = a.node->childCount == 0;
    out.distance = tailWeight_[static_cast<size_t>(a.depth)];
    for (const ClassCount& c : tree_->distribution(*a.node)) out.instances += c.count;
    if (options.distributions)
      for (const ClassCount& c : tree_->distribution(*a.node))
        out.distribution.push_back({base_->classId(c.classIndex), static_cast<double>(c.count)});
  }

  ClassifierOptions options_;
  std::unique_ptr<InstanceBase> base_;
  std::unique_ptr<IgTree> tree_;
  std::vector<double> weights_;
  std::vector<double> tailWeight_;
  InstanceBase empty_;
};

}  // namespace

std::unique_ptr<Classifier> makeIgTreeClassifier(const ClassifierOptions& options) {
  return std::make_unique<IgTreeClassifier>(options);
}

Result<std::unique_ptr<Classifier>> restoreIgTreeClassifier(const ClassifierOptions& options,
                                                            InstanceBase base, JobControl* job) {
  auto c = std::make_unique<IgTreeClassifier>(options);
  if (Status s = c->adopt(std::move(base), job); !s) return s;
  return std::unique_ptr<Classifier>(std::move(c));
}

const IgTree* igTreeOf(const Classifier& classifier) {
  if (const auto* igTree = dynamic_cast<const IgTreeClassifier*>(&classifier))
    return igTree->tree();
  // An IGTree edited in place (EditedMemory) saves as the tree retrained on its instances.
  if (const auto* edited = dynamic_cast<const IncrementalIgTree*>(&classifier))
    return &edited->retrainedTree();
  return nullptr;
}

std::unique_ptr<Classifier> makeIgTreeClassifier(const ClassifierOptions& options,
                                                 std::unique_ptr<InstanceBase> base, IgTree tree,
                                                 std::vector<double> weights) {
  return std::make_unique<IgTreeClassifier>(options, std::move(base), std::move(tree),
                                            std::move(weights));
}

}  // namespace memlens
