#pragma once

#include <pybind11/pybind11.h>

#include <memory>
#include <string>
#include <vector>

#include "memlens/edited_memory.h"
#include "memlens/experiment.h"
#include "py_corpus.h"
#include "py_prediction.h"
#include "py_predictions.h"
#include "py_preview.h"
#include "py_trace.h"

namespace memlens::python {

// memlens.Memory: a trained memory with its corpus, split, base model and tuned smoothing (a core
// Experiment, shared and immutable: it keeps its corpus alive, so a Memory outlives the Corpus
// object it was trained from). Calls release the GIL; predict_batch runs in parallel. Edits
// (an EditedMemory made on the first one) swap in a new Experiment with the edited memory:
// every call reads the Experiment it started with, so one running in another thread is
// unaffected. One edit at a time.
class PyMemory {
 public:
  explicit PyMemory(std::shared_ptr<const Experiment> experiment)
      : experiment_(std::move(experiment)) {}

  // Trains and evaluates on `corpus` as `kwargs` say (experimentOptions() on `defaults`), through
  // a PythonJob (progress, Ctrl+C).
  static std::shared_ptr<const Experiment> run(const PyCorpus& corpus, ExperimentOptions defaults,
                                               const pybind11::kwargs& kwargs,
                                               const pybind11::object& progress);

  // A MemLens memory file (memlens-cli --save, Memory.save), through a PythonJob.
  static PyMemory open(const std::string& path, const pybind11::object& progress);
  // Writes the memory as trained (edits are not part of a memory file) to `path`, atomically.
  void save(const std::string& path, const pybind11::object& progress) const;

  PyPrediction predict(const std::string& context) const;
  PyPredictions predictBatch(const std::vector<std::string>& contexts,
                             const pybind11::object& progress) const;
  PyTrace explain(const std::string& context) const;
  pybind11::object generate(const std::string& prompt, size_t maxNewTokens,
                            const pybind11::object& topK, uint64_t seed,
                            const pybind11::object& progress) const;
  // The run record `memlens-cli eval --json` prints, as a dict.
  pybind11::object record() const;

  PyPreview preview(const pybind11::dict& edit, const pybind11::object& progress);
  void commit(PyPreview& preview);
  // Undoes (or redoes) the last edit.
  void step(bool undo, const pybind11::object& progress);
  // Plans a pruning (census on validation), applies it; returns what it did as a dict.
  pybind11::dict prune(const std::string& strategy, const pybind11::object& progress,
                       const pybind11::kwargs& options);

  static void bind(pybind11::module_& module);

 private:
  // The memory's query for `text`: its last `width` tokens, padded as at a block start.
  std::vector<uint32_t> query(const Experiment& experiment, const std::string& text) const;

  struct Editing;
  // The memory under editing, made from the trained one on the first edit.
  Editing& editing(const pybind11::object& progress);
  // The experiment with the edited memory as it now is.
  void adoptEdits();

  std::shared_ptr<const Experiment> experiment_;
  std::shared_ptr<Editing> editing_;
};

}  // namespace memlens::python
