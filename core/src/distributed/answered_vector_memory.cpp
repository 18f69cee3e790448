#include "distributed/answered_vector_memory.h"

namespace memlens {

Status AnsweredVectorMemory::train(const InstanceSet&, JobControl*) {
  return Status::invalidArgument("the reads of a sharded memory cannot be trained");
}

Status AnsweredVectorMemory::add(const InstanceSet&, JobControl*) {
  return Status::invalidArgument("the reads of a sharded memory cannot be trained");
}

Result<std::vector<Prediction>> AnsweredVectorMemory::predict(const InstanceSet& queries,
                                                              const PredictOptions& options,
                                                              JobControl*) const {
  std::vector<Prediction> out;
  out.reserve(queries.size());
  for (size_t i = 0; i < queries.size(); ++i)
    out.push_back(predictOne(queries.instance(i), options));
  return out;
}

void AnsweredVectorMemory::setTemperature(double temperature) {
  options_.vectorMemory.temperature = temperature;
  reads_->setTemperature(temperature);
}

}  // namespace memlens
