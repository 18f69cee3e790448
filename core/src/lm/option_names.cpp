#include "memlens/option_names.h"

#include <array>

#include "memlens/classifier.h"
#include "memlens/instance_builder.h"
#include "memlens/pruning.h"
#include "memlens/tokeniser.h"

namespace memlens {
namespace {

using A = Algorithm;
constexpr std::array<OptionName<A>, 4> kAlgorithms = {{
    {A::kIb1, "ib1", "ib1"},
    {A::kIgTree, "igtree", "igtree"},
    {A::kTribl2, "tribl2", "tribl2"},
    {A::kVectorMemory, "vector", "vector"},
}};

using W = FeatureWeighting;
constexpr std::array<OptionName<W>, 5> kWeightings = {{
    {W::kNone, "none", "none"},
    {W::kGainRatio, "gr", "gain-ratio"},
    {W::kInfoGain, "ig", "information-gain"},
    {W::kChiSquare, "x2", "chi-square"},
    {W::kSharedVariance, "sv", "shared-variance"},
}};

using D = DistanceWeighting;
constexpr std::array<OptionName<D>, 4> kDistanceWeightings = {{
    {D::kZero, "Z", "Z"},
    {D::kInverseLinear, "IL", "IL"},
    {D::kInverseDistance, "ID", "ID"},
    {D::kExponentialDecay, "ED", "ED"},
}};

constexpr std::array<OptionName<Metric>, 2> kMetrics = {{
    {Metric::kOverlap, "overlap", "overlap", "O"},
    {Metric::kMvdm, "mvdm", "mvdm", "M"},
}};

constexpr std::array<OptionName<BlockMode>, 2> kBlockModes = {{
    {BlockMode::kLine, "line", "line"},
    {BlockMode::kOlifant, "olifant", "olifant"},
}};

constexpr std::array<OptionName<TokeniserKind>, 3> kTokenisers = {{
    {TokeniserKind::kWord, "word", "word"},
    {TokeniserKind::kGpt2, "gpt2", "gpt2"},
    {TokeniserKind::kSpaces, "spaces", "spaces"},
}};

using P = PruneStrategy;
constexpr std::array<OptionName<P>, 10> kPruneStrategies = {{
    {P::kCountThreshold, "count", "count-threshold"},
    {P::kNeverNeighbour, "never-neighbour", "never-neighbour"},
    {P::kNegativeCredit, "negative-credit", "negative-credit"},
    {P::kRandom, "random", "random"},
    {P::kDocument, "document", "document"},
    {P::kWilson, "wilson", "wilson"},
    {P::kMerge, "merge", "merge"},
    {P::kCondensed, "cnn", "cnn"},
    {P::kIgTreeCompression, "igtree", "igtree"},
    {P::kPrefix, "prefix", "prefix"},
}};

}  // namespace

template <>
std::span<const OptionName<Algorithm>> optionNames<Algorithm>() {
  return kAlgorithms;
}
template <>
std::span<const OptionName<FeatureWeighting>> optionNames<FeatureWeighting>() {
  return kWeightings;
}
template <>
std::span<const OptionName<DistanceWeighting>> optionNames<DistanceWeighting>() {
  return kDistanceWeightings;
}
template <>
std::span<const OptionName<Metric>> optionNames<Metric>() {
  return kMetrics;
}
template <>
std::span<const OptionName<BlockMode>> optionNames<BlockMode>() {
  return kBlockModes;
}
template <>
std::span<const OptionName<TokeniserKind>> optionNames<TokeniserKind>() {
  return kTokenisers;
}
template <>
std::span<const OptionName<PruneStrategy>> optionNames<PruneStrategy>() {
  return kPruneStrategies;
}

}  // namespace memlens
