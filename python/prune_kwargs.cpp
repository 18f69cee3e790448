#include "prune_kwargs.h"

#include "experiment_kwargs.h"

namespace memlens::python {
namespace {

namespace py = pybind11;

void setPruneOption(PruneOptions& o, const std::string& name, const py::handle& value) {
  if (name == "min_count") {
    o.minCount = py::cast<uint32_t>(value);
  } else if (name == "keep") {
    o.keepFraction = py::cast<double>(value);
  } else if (name == "seed") {
    o.seed = py::cast<uint64_t>(value);
  } else if (name == "document") {
    o.document = py::cast<uint32_t>(value);
  } else if (name == "instances") {
    o.instances = py::cast<uint64_t>(value);
  } else if (name == "k") {
    o.neighbours = o.mergeNeighbours = py::cast<int>(value);
  } else {
    throw py::type_error("unexpected keyword argument '" + name + "'");
  }
}

}  // namespace

const char* const kPruneDoc = R"(Strategies: "count" (min_count=2), "never-neighbour" and
"negative-credit" (usage census on validation), "random" (keep=0.5, seed=1), "document"
(document=N), "wilson" (k=3), "merge" (k=1), "cnn", "igtree", "prefix" (instances=N: the
memory as it was after its first N instances).)";

PruneOptions pruneOptions(const std::string& strategy, const py::kwargs& kwargs) {
  PruneOptions options;
  options.strategy = optionValue<PruneStrategy>("strategy", strategy);
  options.neighbours = options.mergeNeighbours =
      options.strategy == PruneStrategy::kMerge ? 1 : 3;  // memlens-cli's defaults
  forEachKeyword(kwargs, [&options](const std::string& name, const py::handle& value) {
    setPruneOption(options, name, value);
  });
  return options;
}

}  // namespace memlens::python
