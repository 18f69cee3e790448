#pragma once

#include <pybind11/pybind11.h>

#include <memory>
#include <string>
#include <vector>

#include "memlens/experiment.h"
#include "py_corpus.h"
#include "py_prediction.h"
#include "py_predictions.h"
#include "py_trace.h"

namespace memlens::python {

// memlens.Memory: a trained memory with its corpus, split, base model and tuned smoothing (a core
// Experiment, shared and immutable: it keeps its corpus alive, so a Memory outlives the Corpus
// object it was trained from). Const calls release the GIL; predict_batch runs in parallel.
class PyMemory {
 public:
  explicit PyMemory(std::shared_ptr<const Experiment> experiment)
      : experiment_(std::move(experiment)) {}

  // Trains and evaluates on `corpus` as `kwargs` say (experimentOptions() on `defaults`), through
  // a PythonJob (progress, Ctrl+C).
  static std::shared_ptr<const Experiment> run(const PyCorpus& corpus, ExperimentOptions defaults,
                                               const pybind11::kwargs& kwargs,
                                               const pybind11::object& progress);

  PyPrediction predict(const std::string& context) const;
  PyPredictions predictBatch(const std::vector<std::string>& contexts,
                             const pybind11::object& progress) const;
  PyTrace explain(const std::string& context) const;
  pybind11::object generate(const std::string& prompt, size_t maxNewTokens,
                            const pybind11::object& topK, uint64_t seed,
                            const pybind11::object& progress) const;
  // The run record `memlens-cli eval --json` prints, as a dict.
  pybind11::object record() const;

  static void bind(pybind11::module_& module);

 private:
  // The memory's query for `text`: its last `width` tokens, padded as at a block start.
  std::vector<uint32_t> query(const std::string& text) const;

  std::shared_ptr<const Experiment> experiment_;
};

}  // namespace memlens::python
