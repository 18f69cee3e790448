#include "classifier_factories.h"
#include "ig_tree.h"
#include "overlap_classifier.h"

namespace memlens {
namespace {

// TRIBL2: walk the (uncompressed) tree in descending weight order while values match; a full
// match answers the stored vector's distribution; otherwise IB1 over the vectors below the last
// matched node, with distance over the remaining features. The tree walk is done with the
// prefix subsets of NeighbourSearch, so no separate tree is stored.
class Tribl2Classifier final : public OverlapClassifier {
 public:
  using OverlapClassifier::OverlapClassifier;

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
      if (memory_.search().group(q, next) == nullptr) break;
      prefix = next;
    }
    memory_.search().classify(q, prefix, options_, options, out);
    out.matchDepth = depth;
  }
};

}  // namespace

std::unique_ptr<Classifier> makeTribl2Classifier(const ClassifierOptions& options) {
  return std::make_unique<Tribl2Classifier>(options);
}

}  // namespace memlens
