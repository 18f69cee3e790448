#include "py_corpus.h"

#include <pybind11/stl.h>

#include "experiment_kwargs.h"
#include "memlens/corpus_stats.h"
#include "memlens/option_names.h"
#include "python_job.h"
#include "status_exception.h"

namespace memlens::python {
namespace {

namespace py = pybind11;

std::string fsPath(const py::handle& path) {
  return py::cast<std::string>(py::module_::import("os").attr("fspath")(path));
}

// A path (str or os.PathLike) or an iterable of them.
std::vector<std::string> pathList(const py::object& paths) {
  if (py::isinstance<py::str>(paths) || py::hasattr(paths, "__fspath__")) return {fsPath(paths)};
  std::vector<std::string> out;
  for (const py::handle item : py::iter(paths)) out.push_back(fsPath(item));
  if (out.empty()) throw py::value_error("Corpus needs at least one path");
  return out;
}

}  // namespace

PyCorpus PyCorpus::load(const py::object& paths, const std::string& tokeniser,
                        const py::object& vocab, const py::object& merges, bool lowercase,
                        const std::string& blocks, const py::object& progress) {
  TokeniserOptions options;
  options.kind = optionValue<TokeniserKind>("tokeniser", tokeniser);
  options.lowercase = lowercase;
  if (!vocab.is_none()) options.vocabPath = fsPath(vocab);
  if (!merges.is_none()) options.mergesPath = fsPath(merges);
  const BlockMode blockMode = optionValue<BlockMode>("blocks", blocks);
  const std::vector<std::string> files = pathList(paths);
  PythonJob job(progress);
  auto loaded = job.run(
      [&](JobControl* control) { return TokenisedCorpus::load(files, options, {}, control); });
  return PyCorpus(valueOrRaise(std::move(loaded)), blockMode);
}

py::object PyCorpus::stats() const {
  std::string json;
  {
    py::gil_scoped_release released;
    json = CorpusStats::compute(*corpus_->corpus, corpus_->tokens, corpus_->vocab).toJson();
  }
  return py::module_::import("json").attr("loads")(json);
}

std::string PyCorpus::repr() const {
  return "<memlens.Corpus: " + std::to_string(corpus_->corpus->documentCount()) + " documents, " +
         std::to_string(corpus_->tokens.size()) + " tokens, " +
         std::to_string(corpus_->vocab.size()) + " types, tokeniser " + corpus_->tokeniserName +
         ", blocks " + std::string(optionName(blocks_)) + ">";
}

void PyCorpus::bind(py::module_& module) {
  py::class_<PyCorpus>(module, "Corpus", R"(Text files read and tokenised, ready to train on.

Corpus(paths, tokeniser="word", vocab=None, merges=None, lowercase=False, blocks="line",
       progress=None)

paths: a file or folder (str or path-like), or a list of them; UTF-8 text.
tokeniser: "word" (words and punctuation), "gpt2" (GPT-2 byte-level BPE, which needs
    vocab=encoder.json|vocab.json and merges=vocab.bpe|merges.txt) or "spaces" (text already
    tokenised, e.g. OLIFANT's olifant-tok output: split on white space only).
lowercase: lowercase words (word tokeniser).
blocks: "line" (each line a block) or "olifant" (an empty line starts a block).
progress: None or a callable(fraction, stage) called while the files are read.

Memories trained on a corpus share it and keep it alive.)")
      .def(py::init(&PyCorpus::load), py::arg("paths"), py::arg("tokeniser") = "word",
           py::arg("vocab") = py::none(), py::arg("merges") = py::none(),
           py::arg("lowercase") = false, py::arg("blocks") = "line",
           py::arg("progress") = py::none())
      .def("stats", &PyCorpus::stats,
           "The corpus statistics as `memlens-cli corpus stats --json` prints them (a dict).")
      .def_property_readonly(
          "tokens", [](const PyCorpus& c) { return c.corpus_->tokens.size(); },
          "How many tokens the corpus has.")
      .def("__repr__", &PyCorpus::repr);
}

}  // namespace memlens::python
