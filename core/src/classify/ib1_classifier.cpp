#include "classify/classifier_factories.h"
#include "classify/overlap_classifier.h"

namespace memlens {
namespace {

// IB1: exact k-nearest-bucket classification under the weighted overlap metric (see
// OverlapSearch) or MVDM (a scan; see MvdmSearch). Thread-safety as Classifier.
class Ib1Classifier final : public OverlapClassifier {
 public:
  using OverlapClassifier::OverlapClassifier;

 private:
  void classify(const uint32_t* q, const PredictOptions& options, Prediction& out) const override {
    if (const MvdmSearch* mvdm = memory_.mvdm())
      mvdm->classify(q, nullptr, options_, options, out);
    else
      memory_.search().classify(q, 0, options_, options, out);
  }
};

}  // namespace

std::unique_ptr<Classifier> makeIb1Classifier(const ClassifierOptions& options) {
  return std::make_unique<Ib1Classifier>(options);
}

Result<std::unique_ptr<Classifier>> restoreIb1Classifier(const ClassifierOptions& options,
                                                         InstanceBase base,
                                                         StoredDerivations stored, JobControl* job,
                                                         SubsetIndexing indexing) {
  auto c = std::make_unique<Ib1Classifier>(options);
  if (Status s = c->adopt(std::move(base), std::move(stored.weights), job, indexing,
                          std::move(stored.subsetIndexes));
      !s)
    return s;
  return std::unique_ptr<Classifier>(std::move(c));
}

}  // namespace memlens
