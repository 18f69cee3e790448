#include "memlens/data_split.h"

#include <algorithm>
#include <string>

namespace memlens {

namespace {

uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

}  // namespace

Result<DataSplit> DataSplit::make(const SplitOptions& options) {
  const double train = options.trainFraction, validation = options.validationFraction;
  if (!(train > 0.0) || validation < 0.0 || train + validation > 1.0) {
    return Status::invalidArgument(
        "split fractions must satisfy 0 < train, 0 <= validation, "
        "train + validation <= 1; got " +
        std::to_string(train) + " and " + std::to_string(validation));
  }
  DataSplit split;
  split.options_ = options;
  return split;
}

SplitPart DataSplit::partOfLine(const TokenStream& tokens, size_t l) const {
  const TokenStream::Line line = tokens.line(l);
  const uint64_t h =
      splitmix64(options_.seed ^ splitmix64((uint64_t{line.document} << 40) ^ line.number));
  const double u = static_cast<double>(h >> 11) * 0x1.0p-53;  // uniform in [0, 1)
  const double train = options_.trainFraction;
  return u < train                                 ? SplitPart::kTrain
         : u < train + options_.validationFraction ? SplitPart::kValidation
                                                   : SplitPart::kTest;
}

InstanceSet DataSplit::select(const InstanceSet& instances, const TokenStream& tokens,
                              SplitPart part, JobControl* job) const {
  static constexpr const char* kStages[] = {
      "selecting the train part", "selecting the validation part", "selecting the test part"};
  const char* stage = kStages[static_cast<size_t>(part)];
  const double total = static_cast<double>(std::max<size_t>(1, instances.size()));
  InstanceSet out;
  out.width = instances.width;
  for (size_t i = 0; i < instances.size(); ++i) {
    if (i % (size_t{1} << 16) == 0) {
      if (cancelRequested(job)) return out;
      reportProgress(job, static_cast<double>(i) / total, stage);
    }
    if (partOfToken(tokens, instances.sources[i]) != part) continue;
    const auto f = instances.instance(i);
    out.features.insert(out.features.end(), f.begin(), f.end());
    out.classes.push_back(instances.classes[i]);
    out.sources.push_back(instances.sources[i]);
  }
  return out;
}

}  // namespace memlens
