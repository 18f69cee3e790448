#pragma once

#include <span>
#include <vector>

#include "memlens/classifier.h"

namespace memlens {

// The part a sharded memory's answers on rank 0 share whatever Classifier kind they stand for
// (`Base`): they were computed by the ranks beforehand, so they cannot be trained, and a batch
// is answered query by query from them.
template <class Base>
class AnswersOnly : public Base {
 public:
  Status train(const InstanceSet&, JobControl* = nullptr) override { return refused(); }
  Status add(const InstanceSet&, JobControl* = nullptr) override { return refused(); }
  Result<std::vector<Prediction>> predict(const InstanceSet& queries,
                                          const PredictOptions& options = {},
                                          JobControl* = nullptr) const override {
    std::vector<Prediction> out;
    out.reserve(queries.size());
    for (size_t i = 0; i < queries.size(); ++i)
      out.push_back(this->predictOne(queries.instance(i), options));
    return out;
  }

 private:
  static Status refused() {
    return Status::invalidArgument("the answers of a sharded memory cannot be trained");
  }
};

}  // namespace memlens
