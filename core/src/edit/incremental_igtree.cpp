#include "edit/incremental_igtree.h"

#include <algorithm>

#include "classify/classifier_factories.h"

namespace memlens {
namespace {

// Whether class `a` comes before `b` in the tie order (more frequent, then first seen).
bool before(const ClassOrder& o, uint32_t a, uint32_t b) {
  const uint32_t ia = o.indexOfId[a], ib = o.indexOfId[b];
  return o.totals[ia] > o.totals[ib] || (o.totals[ia] == o.totals[ib] && ia < ib);
}

}  // namespace

IncrementalIgTree::IncrementalIgTree(const ClassifierOptions& options,
                                     std::shared_ptr<const Classifier> base,
                                     std::shared_ptr<const ClassValues> classValues,
                                     ClassOrder classes, Parts parts,
                                     std::vector<uint32_t> rebuiltNow,
                                     std::function<const InstanceSet&()> instances)
    : IncrementalClassifier(options, std::move(base), std::move(classes), std::move(instances)),
      tree_(*igTreeOf(*base_)),
      classValues_(std::move(classValues)),
      parts_(std::move(parts)),
      rebuiltNow_(std::move(rebuiltNow)),
      rootDefault_(rootDefault(classes_)) {
  // As IgTreeClassifier sums them.
  const std::vector<int>& order = tree_.order();
  const std::vector<double>& w = base_->weights();
  tailWeight_.assign(order.size() + 1, 0.0);
  for (size_t d = order.size(); d-- > 0;) tailWeight_[d] = tailWeight_[d + 1] + w[order[d]];
  for (uint64_t t : classes_.totals) instanceCount_ += t;
  // The root keeps the trained tree's depth-1 children except the rebuilt values', whose parts
  // say themselves.
  uint32_t children = tree_.root().childCount;
  for (const auto& [value, part] : parts_) {
    if (tree_.child(tree_.root(), value)) --children;
    if (part && part->tree.root().childCount > 0) ++children;
  }
  rootHasChildren_ = children > 0;
}

uint32_t IncrementalIgTree::rootDefault(const ClassOrder& classes) {
  uint32_t best = 0;
  for (uint32_t c = 1; c < classes.totals.size(); ++c)
    if (classes.totals[c] > classes.totals[best]) best = c;
  return best;
}

Result<std::shared_ptr<const IncrementalIgTree::Part>> IncrementalIgTree::buildPart(
    const InstanceSet& instances, const ClassOrder& classes, const std::vector<int>& order) {
  // Only the classes the subtree holds and the root default, registered in the edited order:
  // defaults compare totals, then that order, so the part answers as the whole tree would.
  std::vector<uint32_t> ids(instances.classes.begin(), instances.classes.end());
  ids.push_back(classes.ids[rootDefault(classes)]);
  std::sort(ids.begin(), ids.end(),
            [&](uint32_t a, uint32_t b) { return classes.indexOfId[a] < classes.indexOfId[b]; });
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  auto part = std::make_shared<Part>();
  part->base = InstanceBase(instances.width);
  std::vector<uint64_t> totals;
  for (uint32_t id : ids) {
    part->base.addClass(id);
    totals.push_back(classes.totals[classes.indexOfId[id]]);
  }
  if (Status s = part->base.add(instances); !s) return s;
  IgTreeDefaults defaults;
  defaults.classTotals = &totals;
  defaults.rootDefault = part->base.classIndex(classes.ids[rootDefault(classes)]);
  auto tree = IgTree::build(part->base, order, nullptr, defaults);
  if (!tree) return tree.status();
  part->tree = std::move(tree).value();
  return std::shared_ptr<const Part>(std::move(part));
}

std::shared_ptr<const IncrementalIgTree::ClassValues> IncrementalIgTree::classValuesOf(
    const Classifier& base) {
  const InstanceBase& b = base.memory();
  const int first = igTreeOf(base)->order().front();
  auto values = std::make_shared<ClassValues>();
  for (uint32_t id = 0; id < b.vectorCount(); ++id)
    for (const ClassCount& c : b.distribution(id)) {
      const uint32_t classId = b.classId(c.classIndex);
      if (classId >= values->size()) values->resize(size_t{classId} + 1);
      (*values)[classId].push_back(b.vector(id)[static_cast<size_t>(first)]);
    }
  for (auto& v : *values) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  }
  return values;
}

std::vector<uint32_t> IncrementalIgTree::staleValues(const ClassOrder& after,
                                                     std::span<const uint32_t> touched) const {
  const ClassOrder& now = classes_;
  std::vector<uint32_t> stale;
  for (uint32_t c : touched) {
    if (now.indexOf(c) == InstanceBase::kNone || after.indexOf(c) == InstanceBase::kNone) continue;
    bool moved = false;
    for (uint32_t d : now.ids)
      if (d != c && after.indexOf(d) != InstanceBase::kNone &&
          before(now, c, d) != before(after, c, d)) {
        moved = true;
        break;
      }
    if (!moved) continue;
    if (c < classValues_->size())
      stale.insert(stale.end(), (*classValues_)[c].begin(), (*classValues_)[c].end());
    for (const auto& [value, part] : parts_)
      if (part && part->base.classIndex(c) != InstanceBase::kNone) stale.push_back(value);
  }
  std::sort(stale.begin(), stale.end());
  stale.erase(std::unique(stale.begin(), stale.end()), stale.end());
  return stale;
}

const IgTree& IncrementalIgTree::retrainedTree() const { return *igTreeOf(full()); }

bool IncrementalIgTree::rebuiltFor(const uint32_t* query) const {
  return std::binary_search(rebuiltNow_.begin(), rebuiltNow_.end(),
                            query[static_cast<size_t>(firstFeature())]);
}

void IncrementalIgTree::answer(const uint32_t* query, const PredictOptions& options,
                               Prediction& out, Bound& bound) const {
  bound = Bound{};
  const IgTree* tree = &tree_;
  const InstanceBase* names = &base_->memory();
  if (auto it = parts_.find(query[static_cast<size_t>(firstFeature())]); it != parts_.end()) {
    if (!it->second) return root(options, out);
    tree = &it->second->tree;
    names = &it->second->base;
  }
  const IgTree::Answer a = tree->classify(query);
  if (a.depth == 0) return root(options, out);
  node(*tree, *names, a, options, out);
}

void IncrementalIgTree::root(const PredictOptions& options, Prediction& out) const {
  out = Prediction{};
  out.classId = classes_.ids[rootDefault_];
  out.leaf = !rootHasChildren_;
  out.distance = tailWeight_[0];
  out.instances = instanceCount_;
  if (options.distributions)
    for (size_t c = 0; c < classes_.ids.size(); ++c)
      out.distribution.push_back({classes_.ids[c], static_cast<double>(classes_.totals[c])});
}

void IncrementalIgTree::node(const IgTree& tree, const InstanceBase& names, const IgTree::Answer& a,
                             const PredictOptions& options, Prediction& out) const {
  out = Prediction{};
  out.classId = names.classId(a.node->defaultClass);
  out.matchDepth = a.depth;
  out.leaf = a.node->childCount == 0;
  out.distance = tailWeight_[static_cast<size_t>(a.depth)];
  for (const ClassCount& c : tree.distribution(*a.node)) out.instances += c.count;
  if (!options.distributions) return;
  for (const ClassCount& c : tree.distribution(*a.node))
    out.distribution.push_back({names.classId(c.classIndex), static_cast<double>(c.count)});
  // In the edited memory's class order, as a tree trained on it lists them.
  std::sort(out.distribution.begin(), out.distribution.end(),
            [this](const ClassVote& x, const ClassVote& y) {
              return classes_.indexOfId[x.classId] < classes_.indexOfId[y.classId];
            });
}

}  // namespace memlens
