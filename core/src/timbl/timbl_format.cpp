#include "memlens/timbl_format.h"

#include <iomanip>
#include <sstream>

namespace memlens {

std::string formatTimblDistribution(const Prediction& prediction, const Vocabulary& vocab) {
  std::ostringstream out;
  out << std::showpoint << std::setprecision(6) << "{ ";
  bool first = true;
  for (const ClassVote& v : prediction.distribution) {
    if (!first) out << ", ";
    first = false;
    out << vocab.text(v.classId) << ' ' << v.weight;
  }
  out << " }";
  return out.str();
}

std::string formatTimblDistance(double distance) {
  std::ostringstream out;
  out << std::showpoint << std::setprecision(14) << distance;
  return out.str();
}

std::string formatTimblLine(std::span<const uint32_t> features, uint32_t classId,
                            const Prediction& prediction, const Vocabulary& vocab,
                            bool withDistribution, bool withDistance) {
  std::string line;
  for (uint32_t f : features) {
    line += vocab.text(f);
    line += ' ';
  }
  line += vocab.text(classId);
  line += ' ';
  line += prediction.classId == Prediction::kNoClass ? std::string_view("?")
                                                     : vocab.text(prediction.classId);
  if (withDistribution) {
    line += ' ';
    line += formatTimblDistribution(prediction, vocab);
  }
  if (withDistance) {
    line += "        ";
    line += formatTimblDistance(prediction.distance);
  }
  return line;
}

}  // namespace memlens
