#pragma once

// What the project tests share: IB1 options for a small project and its probe predictions.
#include <vector>

#include "memlens/project.h"

namespace memlens::test {

inline ProjectOptions ib1ProjectOptions() {
  ProjectOptions o;
  o.experiment.window.width = 3;
  o.experiment.classifier.algorithm = Algorithm::kIb1;
  o.experiment.split.trainFraction = 0.7;
  o.experiment.split.validationFraction = 0.15;
  return o;
}

inline std::vector<uint32_t> probePredictions(const Project& p) {
  std::vector<uint32_t> out;
  for (const Prediction& pr : *p.memory().classifier().predict(p.memory().probe()))
    out.push_back(pr.classId);
  return out;
}

}  // namespace memlens::test
