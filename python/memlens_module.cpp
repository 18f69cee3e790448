// The `memlens` Python module: corpora, memories, predictions and traces over the core, with
// memlens-cli's words. See python/README.md.
#include <pybind11/pybind11.h>

#include <string>

#include "experiment_kwargs.h"
#include "py_corpus.h"
#include "py_memory.h"
#include "py_prediction.h"
#include "py_predictions.h"
#include "py_preview.h"
#include "py_project.h"
#include "py_trace.h"
#include "status_exception.h"

namespace py = pybind11;
using memlens::ExperimentOptions;
using memlens::python::PyCorpus;
using memlens::python::PyMemory;

namespace {

// memlens-cli's defaults: IGTree, quick on any corpus (the core's default is IB1).
ExperimentOptions cliDefaults() {
  ExperimentOptions options;
  options.classifier.algorithm = memlens::Algorithm::kIgTree;
  return options;
}

const std::string kTrainDoc =
    std::string(
        R"(Trains a memory on the train part of `corpus`'s split and tunes its smoothing on
validation, as `memlens-cli explain` and `generate` do (their default max_test=1000 test
tokens are scored for the record). progress: None or a callable(fraction, stage); Ctrl+C
cancels (KeyboardInterrupt).

)") +
    memlens::python::kExperimentKeywordsDoc;

const std::string kEvaluateDoc =
    std::string(
        R"(Trains on the train part of `corpus`'s split, tunes on validation and scores the test
part: the run record `memlens-cli eval --json` prints, as a dict (accuracy, perplexity, ... under
"test"). progress: None or a callable(fraction, stage); Ctrl+C cancels (KeyboardInterrupt).

)") +
    memlens::python::kExperimentKeywordsDoc;

}  // namespace

PYBIND11_MODULE(memlens, module) {
  module.doc() = R"(MemLens memory-based language models from Python.

    corpus = memlens.Corpus("kjv.txt")                     # tokenised once
    memory = memlens.train(corpus, model="igtree", width=4)
    memory.predict("and the LORD spake unto").token         # 'Moses'
    memory.predict_batch(contexts).probabilities            # NumPy, in parallel
    memory.explain("and the LORD spake unto").neighbours()  # rows (pandas: frame=True)
    memlens.evaluate(corpus, model="ib1", split=(0.8, 0.1))["test"]
    memory.commit(memory.preview({"delete_vector": "the LORD spake unto"}))

Options use memlens-cli's words and defaults. Errors carry the core's message: ValueError for
bad arguments, OSError for files, memlens.Error otherwise. Long calls take progress=callable
and stop on Ctrl+C.)";
  module.attr("__version__") = MEMLENS_VERSION;
  memlens::python::registerErrors(module);
  PyCorpus::bind(module);
  memlens::python::PyPrediction::bind(module);
  memlens::python::PyPredictions::bind(module);
  memlens::python::PyTrace::bind(module);
  memlens::python::PyPreview::bind(module);
  PyMemory::bind(module);
  memlens::python::PyProject::bind(module);
  module.def(
      "train",
      [](const PyCorpus& corpus, const py::object& progress, const py::kwargs& kwargs) {
        ExperimentOptions defaults = cliDefaults();
        defaults.maxTestTokens = 1000;  // training for use needs no full evaluation
        return PyMemory(PyMemory::run(corpus, defaults, kwargs, progress));
      },
      py::arg("corpus"), py::arg("progress") = py::none(), kTrainDoc.c_str());
  module.def(
      "evaluate",
      [](const PyCorpus& corpus, const py::object& progress, const py::kwargs& kwargs) {
        return PyMemory(PyMemory::run(corpus, cliDefaults(), kwargs, progress)).record();
      },
      py::arg("corpus"), py::arg("progress") = py::none(), kEvaluateDoc.c_str());
}
