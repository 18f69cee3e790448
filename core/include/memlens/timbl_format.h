#pragma once

#include <span>
#include <string>

#include "memlens/prediction.h"
#include "memlens/vocabulary.h"

namespace memlens {

// TiMBL 6.5's output line for one test instance: the instance's fields joined by single spaces,
// the predicted class, then with +v db the distribution "{ X 2.00000, Y 1.00000 }" (6
// significant digits, trailing zeros kept) and with +v di eight spaces and the distance
// (14 significant digits).
std::string formatTimblLine(std::span<const uint32_t> features, uint32_t classId,
                            const Prediction& prediction, const Vocabulary& vocab,
                            bool withDistribution, bool withDistance);
std::string formatTimblDistribution(const Prediction& prediction, const Vocabulary& vocab);
std::string formatTimblDistance(double distance);

}  // namespace memlens
