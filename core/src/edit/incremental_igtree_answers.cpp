// IncrementalIgTree's answers: a query's walk down the edited tree. Its edits are in
// incremental_igtree_edit.cpp (and what they find in incremental_igtree.cpp).
#include <algorithm>

#include "classify/classifier_factories.h"
#include "edit/incremental_igtree.h"

namespace memlens {

const IgTree& IncrementalIgTree::retrainedTree() const { return *igTreeOf(full()); }

IncrementalIgTree::Reached IncrementalIgTree::walk(std::span<const uint32_t> values) const {
  Reached r{0, &tree_, &base_->memory(), &tree_.root(), nullptr};
  const IgTree::Node* trained = &tree_.root();  // the trained tree's node at the prefix, if any
  Prefix key;
  while (r.depth < static_cast<int>(values.size())) {
    const uint32_t children =
        r.depth == 0 ? rootChildren_ : (r.edited ? r.edited->childCount : r.node->childCount);
    if (children == 0) break;
    const uint32_t v = values[static_cast<size_t>(r.depth)];
    const IgTree::Node* trainedChild = trained ? tree_.child(*trained, v) : nullptr;
    if (!recent_.empty() || settled_) {
      key.push_back(v);
      if (const Node* found = node(key)) {
        const Node& n = *found;
        if (!n.kept) break;
        ++r.depth;
        if (n.part) {
          // The rest of the walk is the part's tree's, over the features below the prefix.
          const IgTree& t = n.part->tree;
          const IgTree::Node* at = &t.root();
          while (r.depth < static_cast<int>(values.size()) && at->childCount > 0) {
            const IgTree::Node* c = t.child(*at, values[static_cast<size_t>(r.depth)]);
            if (!c) break;
            at = c;
            ++r.depth;
          }
          return {r.depth, &t, &n.part->base, at, nullptr};
        }
        r = {r.depth, nullptr, nullptr, nullptr, &n};
        trained = trainedChild;
        continue;
      }
    }
    if (!trainedChild) break;
    r = {r.depth + 1, &tree_, &base_->memory(), trainedChild, nullptr};
    trained = trainedChild;
  }
  return r;
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
