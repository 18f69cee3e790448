// IncrementalIgTree's answers: a query's walk down the edited tree. Its edits are in
// incremental_igtree_edit.cpp (and what they find in incremental_igtree.cpp).
#include <algorithm>

#include "classify/classifier_factories.h"
#include "edit/incremental_igtree.h"

namespace memlens {

const IgTree& IncrementalIgTree::retrainedTree() const { return *igTreeOf(full()); }

IncrementalIgTree::Walk IncrementalIgTree::startWalk() const {
  return {{0, &tree_, &base_->memory(), &tree_.root(), nullptr}, &tree_.root(), false};
}

void IncrementalIgTree::stepWalk(Walk& w, std::span<const uint32_t> values, Prefix& key) const {
  Reached& r = w.reached;
  if (w.stopped) return;
  const uint32_t v = values[static_cast<size_t>(r.depth)];
  w.stopped = true;  // unless a child is found
  if (r.tree && r.tree != &tree_) {
    // Within a rebuilt part the walk is the part's tree's, over the features below its prefix.
    if (r.node->childCount == 0) return;
    const IgTree::Node* c = r.tree->child(*r.node, v);
    if (!c) return;
    r.node = c;
    ++r.depth;
    w.stopped = false;
    return;
  }
  const uint32_t children =
      r.depth == 0 ? rootChildren_ : (r.edited ? r.edited->childCount : r.node->childCount);
  if (children == 0) return;
  const IgTree::Node* trainedChild = w.trained ? tree_.child(*w.trained, v) : nullptr;
  if (!recent_.empty() || settled_) {
    key.assign(values.begin(), values.begin() + r.depth + 1);
    if (const Node* n = node(key)) {
      if (!n->kept) return;
      if (n->part) {
        r = {r.depth + 1, &n->part->tree, &n->part->base, &n->part->tree.root(), nullptr};
      } else {
        r = {r.depth + 1, nullptr, nullptr, nullptr, n};
        w.trained = trainedChild;
      }
      w.stopped = false;
      return;
    }
  }
  if (!trainedChild) return;
  r = {r.depth + 1, &tree_, &base_->memory(), trainedChild, nullptr};
  w.trained = trainedChild;
  w.stopped = false;
}

IncrementalIgTree::Reached IncrementalIgTree::walk(std::span<const uint32_t> values) const {
  Walk w = startWalk();
  Prefix key;
  while (!w.stopped && w.reached.depth < static_cast<int>(values.size())) stepWalk(w, values, key);
  return w.reached;
}

void IncrementalIgTree::distributionOf(const Reached& r,
                                       std::vector<std::pair<uint32_t, uint64_t>>& out) const {
  if (r.edited) {
    out = r.edited->dist;
    return;
  }
  out.clear();
  for (const ClassCount& c : r.tree->distribution(*r.node))
    out.emplace_back(r.names->classId(c.classIndex), c.count);
}

IncrementalIgTree::Reached IncrementalIgTree::walkQuery(const uint32_t* query) const {
  const std::vector<int>& order = tree_.order();
  uint32_t values[InstanceSet::kMaxWidth];
  for (size_t d = 0; d < order.size(); ++d) values[d] = query[static_cast<size_t>(order[d])];
  return walk({values, order.size()});
}

uint32_t IncrementalIgTree::classOf(const uint32_t* query) const {
  const Reached r = walkQuery(query);
  if (r.depth == 0) return classes_.ids[rootDefault_];
  return defaultAt(r);
}

void IncrementalIgTree::answer(const uint32_t* query, const PredictOptions& options,
                               Prediction& out, Bound& bound) const {
  bound = Bound{};
  const Reached r = walkQuery(query);
  if (r.depth == 0) return root(options, out);
  out = Prediction{};
  out.classId = defaultAt(r);
  out.matchDepth = r.depth;
  out.leaf = (r.edited ? r.edited->childCount : r.node->childCount) == 0;
  out.distance = tailWeight_[static_cast<size_t>(r.depth)];
  std::vector<std::pair<uint32_t, uint64_t>> dist;
  distributionOf(r, dist);
  for (const auto& [c, n] : dist) out.instances += n;
  if (!options.distributions) return;
  for (const auto& [c, n] : dist) out.distribution.push_back({c, static_cast<double>(n)});
  // In the edited memory's class order, as a tree trained on it lists them.
  std::sort(out.distribution.begin(), out.distribution.end(),
            [this](const ClassVote& x, const ClassVote& y) {
              return classes_.indexOfId[x.classId] < classes_.indexOfId[y.classId];
            });
}

void IncrementalIgTree::root(const PredictOptions& options, Prediction& out) const {
  out = Prediction{};
  out.classId = classes_.ids[rootDefault_];
  out.leaf = rootChildren_ == 0;
  out.distance = tailWeight_[0];
  out.instances = instanceCount_;
  if (options.distributions)
    for (size_t c = 0; c < classes_.ids.size(); ++c)
      out.distribution.push_back({classes_.ids[c], static_cast<double>(classes_.totals[c])});
}

}  // namespace memlens
