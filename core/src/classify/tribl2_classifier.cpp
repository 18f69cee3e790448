#include "classify/classifier_factories.h"
#include "classify/overlap_classifier.h"
#include "memory/ig_tree.h"

namespace memlens {
namespace {

// TRIBL2: walk the (uncompressed) tree in descending weight order while values match; a full
// match answers the stored vector's distribution; otherwise IB1 over the vectors below the last
// matched node, with distance over the remaining features. The tree walk is done with the
// prefix groups of the overlap search, so no separate tree is stored.
class Tribl2Classifier final : public OverlapClassifier {
 public:
  using OverlapClassifier::OverlapClassifier;

  TreePath treePath(std::span<const uint32_t> features) const override {
    return tribl2TreePath(memory_, features, memory_.base().classTotals());
  }

 private:
  void classify(const uint32_t* q, const PredictOptions& options, Prediction& out) const override {
    const InstanceBase& base = memory_.base();
    const int w = base.width();
    const uint32_t exact = base.find({q, static_cast<size_t>(w)});
    if (exact != InstanceBase::kNone) {
      const auto dist = base.distribution(exact);
      std::vector<ClassCount> sorted(dist.begin(), dist.end());
      std::sort(sorted.begin(), sorted.end(), [](const ClassCount& a, const ClassCount& b) {
        return a.classIndex < b.classIndex;
      });
      out = Prediction{};
      out.classId = base.classId(defaultClassOf(sorted, base.classTotals()));
      out.matchDepth = w;
      for (const ClassCount& c : sorted) out.instances += c.count;
      if (options.distributions)
        for (const ClassCount& c : sorted)
          out.distribution.push_back({base.classId(c.classIndex), static_cast<double>(c.count)});
      if (options.neighbours) out.neighbours.push_back({0.0, 1.0, {exact}});
      return;
    }
    uint32_t prefix = 0;
    int depth = 0;
    // depth < w - 1: the full prefix would be the exact match ruled out above.
    for (; depth < w - 1; ++depth) {
      const uint32_t next = prefix | (1u << memory_.treeOrder()[depth]);
      if (!memory_.search().hasGroup(q, next)) break;
      prefix = next;
    }
    if (const MvdmSearch* mvdm = memory_.mvdm()) {
      const std::vector<uint32_t> below = memory_.search().members(q, prefix);
      mvdm->classify(q, prefix ? &below : nullptr, options_, options, out);
    } else {
      memory_.search().classify(q, prefix, options_, options, out);
    }
    out.matchDepth = depth;
  }
};

}  // namespace

TreePath tribl2TreePath(const OverlapMemory& memory, std::span<const uint32_t> features,
                        const std::vector<uint64_t>& classTotals) {
  TreePath path;
  if (!memory.trained() || features.size() != static_cast<size_t>(memory.base().width()))
    return path;
  const InstanceBase& base = memory.base();
  const int w = base.width();
  const uint32_t* q = features.data();
  // The node at depth d is the group agreeing with the query on the first d tree features.
  uint32_t prefix = 0;
  for (int depth = 0;; ++depth) {
    const OverlapSearch::GroupSummary node = memory.search().summarise(q, prefix);
    TreeStep& step = path.steps.emplace_back();
    step.depth = depth;
    step.defaultClass = base.classId(defaultClassOf(node.distribution, classTotals));
    step.classes = static_cast<uint32_t>(node.distribution.size());
    for (const ClassCount& c : node.distribution) step.instances += c.count;
    step.storedVectors = node.vectors;
    if (depth == w) break;
    step.tested = true;
    step.feature = memory.treeOrder()[static_cast<size_t>(depth)];
    step.value = q[step.feature];
    const uint32_t next = prefix | (1u << step.feature);
    step.matched = memory.search().hasGroup(q, next);
    if (!step.matched) break;
    prefix = next;
  }
  path.depth = static_cast<int>(path.steps.size()) - 1;
  path.answer = path.depth == w ? TreePath::Answer::kExactMatch : TreePath::Answer::kIb1Fallback;
  return path;
}

std::unique_ptr<Classifier> makeTribl2Classifier(const ClassifierOptions& options) {
  return std::make_unique<Tribl2Classifier>(options);
}

Result<std::unique_ptr<Classifier>> restoreTribl2Classifier(const ClassifierOptions& options,
                                                            InstanceBase base,
                                                            StoredDerivations stored,
                                                            JobControl* job,
                                                            SubsetIndexing indexing) {
  auto c = std::make_unique<Tribl2Classifier>(options);
  if (Status s = c->adopt(std::move(base), std::move(stored.weights), job, indexing,
                          std::move(stored.subsetIndexes));
      !s)
    return s;
  return std::unique_ptr<Classifier>(std::move(c));
}

}  // namespace memlens
