#include "py_memory.h"

#include <pybind11/stl.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <mutex>

#include "edit_dict.h"
#include "experiment_kwargs.h"
#include "memlens/generation.h"
#include "memlens/memory_file.h"
#include "memlens/option_names.h"
#include "memlens/pruning.h"
#include "memlens/trace.h"
#include "memlens/trace_json.h"
#include "memlens/vector_trace.h"
#include "prune_kwargs.h"
#include "python_job.h"
#include "status_exception.h"

namespace memlens::python {
namespace {

namespace py = pybind11;

py::object fromJson(const std::string& json) {
  return py::module_::import("json").attr("loads")(json);
}

// predict_batch's answers before they become Python objects.
struct BatchAnswers {
  std::vector<std::string> tokens;
  std::vector<double> probabilities, distances;
};

py::array_t<double> toArray(const std::vector<double>& values) {
  py::array_t<double> array(static_cast<py::ssize_t>(values.size()));
  std::copy(values.begin(), values.end(), array.mutable_data());
  return array;
}

}  // namespace

std::shared_ptr<const Experiment> PyMemory::run(const PyCorpus& corpus, ExperimentOptions defaults,
                                                const py::kwargs& kwargs,
                                                const py::object& progress) {
  defaults.window.blocks = corpus.blocks();
  const ExperimentOptions options = experimentOptions(kwargs, std::move(defaults));
  std::shared_ptr<const TokenisedCorpus> text = corpus.tokenised();
  PythonJob job(progress);
  auto experiment =
      job.run([&](JobControl* control) { return Experiment::run(text, options, control); });
  return valueOrRaise(std::move(experiment));
}

std::vector<uint32_t> PyMemory::query(const Experiment& experiment, const std::string& text) const {
  const TokenisedCorpus& corpus = experiment.corpus();
  const auto ids = valueOrRaise(corpus.encode(text));
  return contextWindow(ids, experiment.record().options.window.width, corpus.paddingId);
}

PyPrediction PyMemory::predict(const std::string& context) const {
  const std::shared_ptr<const Experiment> e = experiment_;
  const std::vector<uint32_t> features = query(*e, context);
  Prediction p;
  double probability = 0.0;
  {
    py::gil_scoped_release released;
    p = e->classifier().predictOne(features);
    probability = e->smoother().probability(p, features, p.classId);
  }
  std::stable_sort(p.distribution.begin(), p.distribution.end(),
                   [](const ClassVote& a, const ClassVote& b) { return a.weight > b.weight; });
  const Vocabulary& vocab = e->corpus().vocab;
  PyPrediction out;
  out.token = vocab.displayText(p.classId);
  out.probability = probability;
  out.distance = p.distance;
  for (const ClassVote& v : p.distribution)
    out.distribution[py::str(std::string(vocab.displayText(v.classId)))] = v.weight;
  return out;
}

PyPredictions PyMemory::predictBatch(const std::vector<std::string>& contexts,
                                     const py::object& progress) const {
  const std::shared_ptr<const Experiment> held = experiment_;
  const Experiment& e = *held;
  PythonJob job(progress);
  auto answers = job.run([&](JobControl* control) -> Result<BatchAnswers> {
    const TokenisedCorpus& corpus = e.corpus();
    auto tokeniser = createTokeniser(corpus.tokeniserOptions);
    if (!tokeniser) return tokeniser.status();
    InstanceSet queries;
    queries.width = e.record().options.window.width;
    queries.reserve(contexts.size());
    for (size_t i = 0; i < contexts.size(); ++i) {
      const auto window =
          contextWindow(corpus.encode(contexts[i], **tokeniser), queries.width, corpus.paddingId);
      queries.features.insert(queries.features.end(), window.begin(), window.end());
      queries.classes.push_back(corpus.paddingId);  // predict() ignores the classes
      queries.sources.push_back(i);
    }
    auto predictions = e.classifier().predict(queries, {}, control);
    if (!predictions) return predictions.status();
    BatchAnswers a;
    a.tokens.resize(contexts.size());
    a.probabilities.resize(contexts.size());
    a.distances.resize(contexts.size());
    const MemorySmoother smoother = e.smoother();
    tbb::parallel_for(size_t{0}, contexts.size(), [&](size_t i) {
      const Prediction& p = (*predictions)[i];
      a.tokens[i] = corpus.vocab.displayText(p.classId);
      a.probabilities[i] = smoother.probability(p, queries.instance(i), p.classId);
      a.distances[i] = p.distance;
    });
    return a;
  });
  BatchAnswers a = valueOrRaise(std::move(answers));
  return PyPredictions{std::move(a.tokens), toArray(a.probabilities), toArray(a.distances)};
}

PyTrace PyMemory::explain(const std::string& context) const {
  const std::shared_ptr<const Experiment> e = experiment_;
  const std::vector<uint32_t> features = query(*e, context);
  const bool vector = e->vectorMemory() != nullptr;
  Result<std::string> json = std::string();
  {
    py::gil_scoped_release released;
    if (vector) {
      auto trace = traceVectorMemory(*e, features);
      json = trace ? Result<std::string>(traceToJson(*trace, *e)) : trace.status();
    } else {
      json = traceToJson(traceContext(*e, features), *e);
    }
  }
  return PyTrace(valueOrRaise(std::move(json)), vector);
}

py::object PyMemory::generate(const std::string& prompt, size_t maxNewTokens,
                              const py::object& topK, uint64_t seed,
                              const py::object& progress) const {
  GenerationOptions options;
  options.tokens = maxNewTokens;
  options.topK = topK.is_none() ? 0 : py::cast<int>(topK);
  options.seed = seed;
  const std::shared_ptr<const Experiment> e = experiment_;
  const std::vector<uint32_t> ids = valueOrRaise(e->corpus().encode(prompt));
  PythonJob job(progress);
  auto tokens =
      job.run([&](JobControl* control) { return memlens::generate(*e, ids, options, control); });
  return fromJson(generationToJson(valueOrRaise(std::move(tokens)), ids, e->corpus().vocab));
}

py::object PyMemory::record() const { return fromJson(experiment_->record().toJson()); }

struct PyMemory::Editing {
  std::shared_ptr<const Experiment> original;
  std::unique_ptr<EditedMemory> memory;
  std::mutex busy;  // EditedMemory takes one caller at a time
};

namespace {

// Holds the edit lock for one call; another edit of the same memory meanwhile is an error.
std::unique_lock<std::mutex> lockEdits(std::mutex& busy) {
  std::unique_lock lock(busy, std::try_to_lock);
  if (!lock) throw CoreError("another edit of this memory is running");
  return lock;
}

}  // namespace

PyMemory::Editing& PyMemory::editing(const py::object& progress) {
  if (editing_) return *editing_;
  const std::shared_ptr<const Experiment> e = experiment_;
  if (e->vectorMemory() != nullptr)
    throw py::value_error("edits need a count-vote memory (ib1, igtree or tribl2)");
  // Shares the experiment's ownership: the corpus lives as long as the experiment holding it.
  const std::shared_ptr<const TokenisedCorpus> corpus(e, &e->corpus());
  PythonJob job(progress);
  auto memory = job.run([&](JobControl* control) {
    return EditedMemory::create(corpus, e->train(), e->test(), e->record().options.classifier, {},
                                {}, control);
  });
  auto made = std::make_shared<Editing>();
  made->original = e;
  made->memory = valueOrRaise(std::move(memory));
  // Another thread may have made one while this one ran without the GIL: the first one stays,
  // so a reference to it never dangles.
  if (!editing_) editing_ = std::move(made);
  return *editing_;
}

void PyMemory::adoptEdits() {
  const EditedMemory& m = *editing_->memory;
  experiment_ =
      valueOrRaise(Experiment::withMemory(editing_->original, m.instances(), m.sharedClassifier()));
}

PyPreview PyMemory::preview(const py::dict& edit, const py::object& progress) {
  Editing& ed = editing(progress);
  const MemoryEdit e = editFrom(edit, ed.memory->corpus().vocab);
  const auto lock = lockEdits(ed.busy);
  PythonJob job(progress);
  auto made = job.run([&](JobControl* control) { return ed.memory->preview(e, control); });
  return PyPreview::make(valueOrRaise(std::move(made)), *ed.memory);
}

void PyMemory::commit(PyPreview& preview) {
  if (!editing_ || preview.memory != editing_->memory.get())
    throw py::value_error("this preview was made on another memory");
  const auto lock = lockEdits(editing_->busy);
  throwIfError(editing_->memory->commit(preview.preview));
  adoptEdits();
}

void PyMemory::step(bool undo, const py::object& progress) {
  Editing& ed = editing(progress);
  const auto lock = lockEdits(ed.busy);
  PythonJob job(progress);
  throwIfError(job.run([&](JobControl* control) {
    return undo ? ed.memory->undo(control) : ed.memory->redo(control);
  }));
  adoptEdits();
}

py::dict PyMemory::prune(const std::string& strategy, const py::object& progress,
                         const py::kwargs& kwargs) {
  PruneOptions options = pruneOptions(strategy, kwargs);
  Editing& ed = editing(progress);
  if (usesCensus(options.strategy)) options.census = &ed.original->validation();
  const auto lock = lockEdits(ed.busy);
  PythonJob job(progress);
  auto done = job.run([&](JobControl* control) -> Result<EditedMemory::Preview> {
    auto edit = planPrune(*ed.memory, options, control);
    if (!edit) return edit.status();
    auto preview = ed.memory->preview(*edit, control);
    if (!preview) return preview.status();
    if (Status s = ed.memory->commit(*preview); !s) return s;
    return preview;
  });
  const EditedMemory::Preview p = valueOrRaise(std::move(done));
  adoptEdits();
  py::dict report;
  report["edit"] = p.edit.note.empty() ? std::string(p.edit.kindName()) : p.edit.note;
  report["slots"] = py::make_tuple(p.slotsBefore, p.slotsAfter);
  report["instances"] = py::make_tuple(p.instancesBefore, p.instancesAfter);
  report["changed"] = p.changed.size();
  return report;
}

PyMemory PyMemory::open(const std::string& path, const py::object& progress) {
  PythonJob job(progress);
  auto opened = job.run([&](JobControl* control) { return openMemory(path, {}, control); });
  return PyMemory(valueOrRaise(std::move(opened)));
}

void PyMemory::save(const std::string& path, const py::object& progress) const {
  if (editing_ && !editing_->memory->edits().empty())
    raiseStatus(Status::invalidArgument(
        "the memory has edits, which a memory file does not hold: save it before editing, or "
        "undo the edits"));
  const std::shared_ptr<const Experiment> e = experiment_;
  PythonJob job(progress);
  const Status saved = job.run([&](JobControl* control) { return saveMemory(*e, path, control); });
  if (!saved) raiseStatus(saved);
}

void PyMemory::bind(py::module_& module) {
  py::class_<PyMemory>(module, "Memory", R"(A trained memory (memlens.train()).

It holds the corpus it was trained on, the split, the Kneser-Ney base model and the smoothing
tuned on validation, as `memlens-cli explain` and `generate` train them; it keeps its corpus
alive. Safe to use from several Python threads: every call releases the GIL.)")
      .def_static("open", &PyMemory::open, py::arg("path"), py::arg("progress") = py::none(),
                  R"(The memory saved in the MemLens memory file `path` (Memory.save() or
`memlens-cli ... --save`), opened without training; its corpus text is used when the corpus files
are still there and unchanged. A damaged, truncated or foreign file raises.)")
      .def("save", &PyMemory::save, py::arg("path"), py::arg("progress") = py::none(),
           R"(Writes the memory as trained to the MemLens memory file `path` (replaced atomically;
Memory.open() and `memlens-cli ... --memory` read it). A memory with edits raises: a memory
file holds a trained memory, not its edits.)")
      .def("predict", &PyMemory::predict, py::arg("context"),
           R"(The next token after `context` (text, tokenised as the corpus was; its last `width`
tokens are the query): a Prediction(token, probability, distribution, distance).)")
      .def("predict_batch", &PyMemory::predictBatch, py::arg("contexts"),
           py::arg("progress") = py::none(),
           R"(Predicts the next token after every context of `contexts` (a list of str), in
parallel with the GIL released: a Predictions whose .tokens (list of str), .probabilities and
.distances (NumPy arrays) have one entry per context, each equal to predict(context).
Ctrl+C cancels it (KeyboardInterrupt); progress: None or a callable(fraction, stage).)")
      .def("explain", &PyMemory::explain, py::arg("context"),
           R"(Why the memory predicts what it does after `context`: a Trace, the object
`memlens-cli explain --json` prints, with .neighbours() and .attention() as rows.)")
      .def("generate", &PyMemory::generate, py::arg("prompt"), py::arg("max_new_tokens") = 20,
           py::arg("top_k") = py::none(), py::arg("seed") = 1, py::arg("progress") = py::none(),
           R"(Continues `prompt` by `max_new_tokens` tokens, greedily (top_k None) or sampling
among the top_k most probable with `seed`: the dict `memlens-cli generate --json` prints
({"prompt": [...], "tokens": [{"token", "probability", "prediction", "matchDepth",
"distance", "neighbours"}, ...]}).)")
      .def("record", &PyMemory::record,
           R"(The run record of the training: options, corpus fingerprints, sizes and the
scores on (the first max_test tokens of) the test part, as `memlens-cli eval --json` prints it.)")
      .def("preview", &PyMemory::preview, py::arg("edit"), py::arg("progress") = py::none(),
           (std::string(R"(What `edit` would change: a Preview of the probe tokens (the test part of
the split) whose prediction flips. Nothing changes until commit(preview).

)") + kEditKeysDoc)
               .c_str())
      .def("commit", &PyMemory::commit, py::arg("preview"),
           "Applies a preview made on this memory as it still is (a stale one is refused).")
      .def(
          "undo", [](PyMemory& m, const py::object& progress) { m.step(true, progress); },
          py::arg("progress") = py::none(), "Undoes the last edit.")
      .def(
          "redo", [](PyMemory& m, const py::object& progress) { m.step(false, progress); },
          py::arg("progress") = py::none(), "Redoes the last undone edit.")
      .def("prune", &PyMemory::prune, py::arg("strategy"), py::arg("progress") = py::none(),
           (std::string(R"(Prunes the memory as `strategy` says and commits it (undo() takes it
back); returns {"edit", "slots": (before, after), "instances": (before, after), "changed": probe
tokens flipped}. )") +
            kPruneDoc)
               .c_str())
      .def_property_readonly(
          "width", [](const PyMemory& m) { return m.experiment_->record().options.window.width; },
          "Context tokens per query.")
      .def_property_readonly(
          "model",
          [](const PyMemory& m) {
            return std::string(optionName(m.experiment_->record().options.classifier.algorithm));
          },
          "\"ib1\", \"igtree\", \"tribl2\" or \"vector\".")
      .def("__repr__", [](const PyMemory& m) {
        const RunRecord& r = m.experiment_->record();
        return "<memlens.Memory: " + std::string(optionName(r.options.classifier.algorithm)) +
               ", width " + std::to_string(r.options.window.width) + ", " +
               std::to_string(r.storedVectors) + " stored vectors from " +
               std::to_string(r.trainInstances) + " instances>";
      });
}

}  // namespace memlens::python
