#include "experiment_kwargs.h"

#include <pybind11/stl.h>

#include <string>
#include <utility>

namespace memlens::python {
namespace {

namespace py = pybind11;

// Integers Python may hand in beyond what the core's fields hold are refused here, not wrapped.
template <typename T>
T wholeNumber(const std::string& keyword, const py::handle& value, long long low, long long high) {
  const auto n = py::cast<long long>(value);
  if (n < low || n > high) {
    throw py::value_error(keyword + " must be between " + std::to_string(low) + " and " +
                          std::to_string(high) + ", got " + std::to_string(n));
  }
  return static_cast<T>(n);
}

constexpr long long kMaxWhole = 1LL << 30;  // the CLI's bound of seeds and token counts

// One keyword into `options`; a cast_error when the value has the wrong type.
void setOption(ExperimentOptions& options, const std::string& name, const py::handle& value) {
  ClassifierOptions& c = options.classifier;
  if (name == "model") {
    c.algorithm = optionValue<Algorithm>(name, py::cast<std::string>(value));
  } else if (name == "width") {
    options.window.width = wholeNumber<int>(name, value, 1, InstanceSet::kMaxWidth);
  } else if (name == "k") {
    c.k = wholeNumber<int>(name, value, 1, 1000);
  } else if (name == "weighting") {
    c.weighting = optionValue<FeatureWeighting>(name, py::cast<std::string>(value));
  } else if (name == "distance_weighting") {
    c.distanceWeighting = optionValue<DistanceWeighting>(name, py::cast<std::string>(value));
  } else if (name == "order") {
    options.ngramOrder = wholeNumber<int>(name, value, 1, 6);
  } else if (name == "split") {
    const auto [train, validation] = py::cast<std::pair<double, double>>(value);
    if (!(train >= 0.0 && validation >= 0.0 && train + validation <= 1.0))
      throw py::value_error(
          "split must be (train, validation) shares from 0 to 1, together at most 1");
    options.split.trainFraction = train;
    options.split.validationFraction = validation;
  } else if (name == "seed") {
    options.split.seed = wholeNumber<uint64_t>(name, value, 0, kMaxWhole);
  } else if (name == "max_test") {
    options.maxTestTokens = wholeNumber<uint64_t>(name, value, 0, kMaxWhole);
  } else if (name == "dims") {
    c.wordVectors.dimensions = wholeNumber<int>(name, value, 0, 1024);
  } else if (name == "top_k_slots") {
    c.vectorMemory.topK = wholeNumber<int>(name, value, 1, 1 << 20);
  } else if (name == "temperature") {
    if (!value.is_none()) options.memoryTemperature = py::cast<double>(value);
  } else if (name == "memory_lambda") {
    if (!value.is_none()) options.memoryLambda = py::cast<double>(value);
  } else {
    throw py::type_error("unexpected keyword argument '" + name + "'");
  }
}

}  // namespace

const char* const kExperimentKeywordsDoc = R"(Keywords (memlens-cli's options, same defaults):
    model: "ib1", "igtree" (default), "tribl2" or "vector".
    width: context tokens before each target (1..32, default 4).
    k: nearest distances voting, IB1 and TRIBL2 (default 1).
    weighting: feature weights "none", "gr" (default), "ig", "x2" or "sv".
    distance_weighting: votes by distance "Z" (default), "IL", "ID" or "ED".
    order: order of the Kneser-Ney base model (1..6, default 3).
    split: (train, validation) shares of the lines; the rest is test (default (0.8, 0.1)).
    seed: seed of the split (default 1).
    max_test: test on the first N test tokens, 0 for all (train: 1000, evaluate: 0).
    dims: vector memory: word vector dimensions, 0 for one-hot words (default 64).
    top_k_slots: vector memory: nearest slots read (default 128).
    temperature, memory_lambda: vector memory: fixed T and lambda (default: tuned).)";

void forEachKeyword(const py::kwargs& kwargs,
                    const std::function<void(const std::string&, const py::handle&)>& set) {
  for (const auto& [key, value] : kwargs) {
    const auto name = py::cast<std::string>(key);
    try {
      set(name, value);
    } catch (const py::cast_error&) {
      throw py::type_error(name + ": unexpected " +
                           py::cast<std::string>(py::type::of(value).attr("__name__")));
    }
  }
}

ExperimentOptions experimentOptions(const py::kwargs& kwargs, ExperimentOptions options) {
  forEachKeyword(kwargs, [&options](const std::string& name, const py::handle& value) {
    setOption(options, name, value);
  });
  return options;
}

}  // namespace memlens::python
