#include "memlens/project_options.h"

#include <charconv>
#include <cstdio>
#include <functional>
#include <map>
#include <set>

#include "base/key_value_text.h"

namespace memlens {
namespace {

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

template <typename T>
bool parseNumber(std::string_view s, T& out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size() && !s.empty();
}

// An enum stored by its index.
template <typename E>
bool parseEnum(std::string_view s, E& out, E last) {
  int v = 0;
  if (!parseNumber(s, v) || v < 0 || v > static_cast<int>(last)) return false;
  out = static_cast<E>(v);
  return true;
}

template <typename E>
std::string enumText(E e) {
  return std::to_string(static_cast<int>(e));
}

}  // namespace

std::string ProjectOptions::toText() const {
  const ExperimentOptions& x = experiment;
  const ClassifierOptions& c = x.classifier;
  std::string out;
  const auto line = [&out](const char* key, const std::string& value) {
    out += key;
    out += '=';
    out += value;
    out += '\n';
  };
  line("tokeniser", enumText(tokeniser.kind));
  line("lowercase", tokeniser.lowercase ? "1" : "0");
  line("vocab", tokeniser.vocabPath);
  line("merges", tokeniser.mergesPath);
  line("width", std::to_string(x.window.width));
  line("blocks", enumText(x.window.blocks));
  line("algorithm", enumText(c.algorithm));
  line("k", std::to_string(c.k));
  line("weighting", enumText(c.weighting));
  line("distance-weighting", enumText(c.distanceWeighting));
  line("ed-alpha", number(c.edAlpha));
  line("ed-beta", number(c.edBeta));
  line("metric", enumText(c.metric));
  line("mvdm-threshold", std::to_string(c.mvdmThreshold));
  line("order", std::to_string(x.ngramOrder));
  line("train", number(x.split.trainFraction));
  line("validation", number(x.split.validationFraction));
  line("seed", std::to_string(x.split.seed));
  line("max-test", std::to_string(x.maxTestTokens));
  line("smoothing-beta", number(smoothingBeta));
  line("keep-weights", keepTrainedWeights ? "1" : "0");
  return out;
}

Result<ProjectOptions> ProjectOptions::parse(std::string_view text) {
  ProjectOptions o;
  ExperimentOptions& x = o.experiment;
  ClassifierOptions& c = x.classifier;
  const std::map<std::string_view, std::function<bool(std::string_view)>> readers = {
      {"tokeniser", [&](auto v) { return parseEnum(v, o.tokeniser.kind, TokeniserKind::kGpt2); }},
      {"lowercase", [&](auto v) { return v == "0" || (o.tokeniser.lowercase = v == "1"); }},
      {"vocab", [&](auto v) { return o.tokeniser.vocabPath = v, true; }},
      {"merges", [&](auto v) { return o.tokeniser.mergesPath = v, true; }},
      {"width", [&](auto v) { return parseNumber(v, x.window.width); }},
      {"blocks", [&](auto v) { return parseEnum(v, x.window.blocks, BlockMode::kOlifant); }},
      {"algorithm", [&](auto v) { return parseEnum(v, c.algorithm, Algorithm::kVectorMemory); }},
      {"k", [&](auto v) { return parseNumber(v, c.k); }},
      {"weighting",
       [&](auto v) { return parseEnum(v, c.weighting, FeatureWeighting::kSharedVariance); }},
      {"distance-weighting",
       [&](auto v) {
         return parseEnum(v, c.distanceWeighting, DistanceWeighting::kExponentialDecay);
       }},
      {"ed-alpha", [&](auto v) { return parseNumber(v, c.edAlpha); }},
      {"ed-beta", [&](auto v) { return parseNumber(v, c.edBeta); }},
      {"metric", [&](auto v) { return parseEnum(v, c.metric, Metric::kMvdm); }},
      {"mvdm-threshold", [&](auto v) { return parseNumber(v, c.mvdmThreshold); }},
      {"order", [&](auto v) { return parseNumber(v, x.ngramOrder); }},
      {"train", [&](auto v) { return parseNumber(v, x.split.trainFraction); }},
      {"validation", [&](auto v) { return parseNumber(v, x.split.validationFraction); }},
      {"seed", [&](auto v) { return parseNumber(v, x.split.seed); }},
      {"max-test", [&](auto v) { return parseNumber(v, x.maxTestTokens); }},
      {"smoothing-beta", [&](auto v) { return parseNumber(v, o.smoothingBeta); }},
      {"keep-weights", [&](auto v) { return v == "0" || (o.keepTrainedWeights = v == "1"); }},
  };
  // Projects made before the weights choice have no keep-weights line: they recompute.
  const std::set<std::string_view> optional = {"keep-weights"};
  auto lines = parseKeyValueLines(text, "project options");
  if (!lines) return lines.status();
  size_t seen = 0, seenOptional = 0;
  for (const auto& [key, value] : *lines) {
    auto it = readers.find(key);
    if (it == readers.end())
      return Status::corrupt("project options: unknown key '" + std::string(key) + "'");
    if (!it->second(value))
      return Status::corrupt("project options: bad value '" + std::string(value) + "' for " +
                             std::string(key));
    ++seen;
    seenOptional += optional.count(key);
  }
  if (seen - seenOptional != readers.size() - optional.size())
    return Status::corrupt("project options: missing keys");
  return o;
}

}  // namespace memlens
