#include "py_project.h"

#include "edit_dict.h"
#include "memlens/option_names.h"
#include "prune_kwargs.h"
#include "python_job.h"
#include "status_exception.h"

namespace memlens::python {
namespace {

namespace py = pybind11;

py::dict metricsDict(const Metrics& m) {
  py::dict d;
  d["tokens"] = m.tokens;
  d["accuracy"] = m.accuracy();
  d["top5"] = m.top5();
  d["mrr"] = m.meanReciprocalRank();
  d["crossEntropyBits"] = m.crossEntropyBits();
  d["perplexity"] = m.perplexity();
  return d;
}

}  // namespace

PyProject::PyProject(std::unique_ptr<Project> project)
    : project_(std::move(project)), busy_(std::make_shared<std::mutex>()) {}

std::unique_lock<std::mutex> PyProject::lock() {
  std::unique_lock held(*busy_, std::try_to_lock);
  if (!held) throw CoreError("another call on this project is running");
  return held;
}

PyProject PyProject::open(const std::string& path, const py::object& progress) {
  PythonJob job(progress);
  auto opened = job.run([&](JobControl* control) { return Project::open(path, control); });
  return PyProject(valueOrRaise(std::move(opened)));
}

PyPreview PyProject::preview(const py::dict& edit, const py::object& progress) {
  const auto held = lock();
  const MemoryEdit e = editFrom(edit, project_->memory().corpus().vocab);
  PythonJob job(progress);
  auto made = job.run([&](JobControl* control) { return project_->preview(e, control); });
  return PyPreview::make(valueOrRaise(std::move(made)), project_->memory());
}

void PyProject::commit(PyPreview& preview) {
  const auto held = lock();
  if (preview.memory != &project_->memory())
    throw py::value_error("this preview was made on another memory");
  throwIfError(project_->commit(preview.preview));
}

void PyProject::step(bool undo, const py::object& progress) {
  const auto held = lock();
  PythonJob job(progress);
  throwIfError(job.run([&](JobControl* control) {
    return undo ? project_->undo(control) : project_->redo(control);
  }));
}

py::dict PyProject::prune(const std::string& strategy, const py::object& progress,
                          const py::kwargs& kwargs) {
  const PruneOptions options = pruneOptions(strategy, kwargs);
  const auto held = lock();
  PythonJob job(progress);
  auto report = job.run([&](JobControl* control) { return project_->prune(options, control); });
  const PruneReport r = valueOrRaise(std::move(report));
  py::dict d;
  d["edit"] = r.edit.note.empty() ? std::string(optionLabel(options.strategy)) : r.edit.note;
  d["slots"] = py::make_tuple(r.slotsBefore, r.slotsAfter);
  d["before"] = metricsDict(r.before);
  d["after"] = metricsDict(r.after);
  return d;
}

py::dict PyProject::metrics(const py::object& progress) {
  const auto held = lock();
  PythonJob job(progress);
  auto m = job.run([&](JobControl* control) { return project_->probeMetrics(control); });
  return metricsDict(valueOrRaise(std::move(m)));
}

void PyProject::bind(py::module_& module) {
  py::class_<PyProject>(module, "Project", R"(A .memlens project (memlens-cli project create).

Project(path, progress=None) opens it: the memory is rebuilt from the corpus, the options and
the edit journal. preview/commit, prune, undo and redo work as Memory's do, and each change is
journaled in the file before the call returns. The probe set is the test part of the split.)")
      .def(py::init(&PyProject::open), py::arg("path"), py::arg("progress") = py::none())
      .def("preview", &PyProject::preview, py::arg("edit"), py::arg("progress") = py::none(),
           (std::string("What `edit` would change (a Preview); commit(preview) applies it.\n\n") +
            kEditKeysDoc)
               .c_str())
      .def("commit", &PyProject::commit, py::arg("preview"),
           "Applies and journals a preview made on this project as it still is.")
      .def(
          "undo", [](PyProject& p, const py::object& progress) { p.step(true, progress); },
          py::arg("progress") = py::none(), "Undoes the last edit (journaled).")
      .def(
          "redo", [](PyProject& p, const py::object& progress) { p.step(false, progress); },
          py::arg("progress") = py::none(), "Redoes the last undone edit (journaled).")
      .def("prune", &PyProject::prune, py::arg("strategy"), py::arg("progress") = py::none(),
           (std::string(R"(Prunes the memory and journals it, as `memlens-cli project prune`:
returns {"edit", "slots": (before, after), "before": metrics, "after": metrics} on the probe
set. )") + kPruneDoc)
               .c_str())
      .def("metrics", &PyProject::metrics, py::arg("progress") = py::none(),
           "The memory as it now is on the probe set: tokens, accuracy, top5, mrr, "
           "crossEntropyBits, perplexity.")
      .def_property_readonly(
          "slots",
          [](const PyProject& p) {
            return p.project_->memory().classifier().memory().vectorCount();
          },
          "Stored vectors in the memory as it now is.")
      .def_property_readonly(
          "edits",
          [](const PyProject& p) {
            py::list kinds;
            for (const MemoryEdit& e : p.project_->memory().edits())
              kinds.append(std::string(e.kindName()));
            return kinds;
          },
          "The kinds of the edits in effect, oldest first.");
}

}  // namespace memlens::python
