#include "distributed/answered_vector_memory.h"

namespace memlens {

void AnsweredVectorMemory::setTemperature(double temperature) {
  options_.vectorMemory.temperature = temperature;
  reads_->setTemperature(temperature);
}

}  // namespace memlens
