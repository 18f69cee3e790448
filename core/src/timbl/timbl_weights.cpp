#include "memlens/timbl_weights.h"

#include <cmath>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "base/atomic_file_writer.h"
#include "base/mapped_file.h"

namespace memlens {
namespace {

struct Section {
  FeatureWeighting weighting;
  const char* name;
};
// TiMBL's names, in the order `timbl -W` writes them.
constexpr Section kSections[] = {{FeatureWeighting::kNone, "nw"},
                                 {FeatureWeighting::kGainRatio, "gr"},
                                 {FeatureWeighting::kInfoGain, "ig"},
                                 {FeatureWeighting::kSharedVariance, "sv"},
                                 {FeatureWeighting::kChiSquare, "x2"}};

const char* sectionName(FeatureWeighting w) {
  for (const Section& s : kSections)
    if (s.weighting == w) return s.name;
  return "gr";
}

}  // namespace

Result<std::vector<double>> readTimblWeights(const std::string& path, FeatureWeighting section,
                                             int width) {
  auto file = MappedFile::open(path);
  if (!file) return file.status();
  std::istringstream in{std::string((*file)->bytes())};
  const std::string wanted = sectionName(section);
  // Find "# <wanted>"; a file with no section headers at all holds one list of weights.
  std::string line;
  bool sectioned = false, found = false;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] != '#') continue;
    std::istringstream words(line.substr(1));
    std::string word, extra;
    if (!(words >> word) || (words >> extra)) continue;
    for (const Section& s : kSections)
      if (word == s.name) sectioned = true;
    if (word == wanted) {
      found = true;
      break;
    }
  }
  if (!found) {
    if (sectioned) return Status::corrupt(path + ": no '# " + wanted + "' weights section");
    in.clear();
    in.seekg(0);
  }
  std::vector<double> weights(static_cast<size_t>(width), std::nan(""));
  size_t lineNo = 0;
  while (std::getline(in, line)) {
    ++lineNo;
    if (line.empty()) continue;
    if (line[0] == '#') {
      if (found && line.find_first_not_of("# \t\r") == std::string::npos) break;  // section end
      continue;
    }
    std::istringstream fields(line);
    int feature = 0;
    std::string value;
    if (!(fields >> feature >> value) || feature < 1 || feature > width)
      return Status::corrupt(path + ": '" + line + "' is not 'feature weight' for a feature 1.." +
                             std::to_string(width));
    if (value == "Ignore")
      return Status::corrupt(path + ": ignored features are not supported (feature " +
                             std::to_string(feature) + ")");
    char* end = nullptr;
    const double w = std::strtod(value.c_str(), &end);
    if (*end != '\0' || !std::isfinite(w) || w < 0)
      return Status::corrupt(path + ": feature " + std::to_string(feature) + " has weight '" +
                             value + "'; weights are finite numbers >= 0");
    weights[static_cast<size_t>(feature - 1)] = w;
  }
  for (size_t f = 0; f < weights.size(); ++f)
    if (std::isnan(weights[f]))
      return Status::corrupt(path + ": no weight for feature " + std::to_string(f + 1) + " (the " +
                             std::to_string(width) + "-feature memory needs one for each)");
  return weights;
}

Status writeTimblWeights(const std::string& path, const InstanceBase& base) {
  double entropy = 0;
  uint64_t total = 0;
  for (uint64_t n : base.classTotals()) total += n;
  for (uint64_t n : base.classTotals())
    if (n > 0) {
      const double p = static_cast<double>(n) / static_cast<double>(total);
      entropy -= p * std::log2(p);
    }
  std::ostringstream out;
  out << "# DB Entropy: " << entropy << "\n# Classes: " << base.classCount()
      << "\n# Lines of data: " << base.instanceCount() << '\n';
  out << std::setprecision(15);
  for (const Section& s : kSections) {
    const std::vector<double> w =
        computeFeatureWeights(base.featureCounts(), base.classTotals(), s.weighting);
    out << "# " << s.name << "\n# Fea.\tWeight\n";
    for (size_t f = 0; f < w.size(); ++f) out << f + 1 << '\t' << w[f] << '\n';
    out << "#\n";
  }
  return writeFileAtomically(path, out.str());
}

}  // namespace memlens
