#pragma once

#include <pybind11/pybind11.h>

#include <memory>
#include <mutex>
#include <string>

#include "memlens/project.h"
#include "py_preview.h"

namespace memlens::python {

// memlens.Project: a .memlens project opened (its memory rebuilt from the corpus, the options
// and the journal), edited and pruned as `memlens-cli project` does; every commit, prune, undo
// and redo is journaled in the file before the call returns. One call at a time.
class PyProject {
 public:
  static PyProject open(const std::string& path, const pybind11::object& progress);

  PyPreview preview(const pybind11::dict& edit, const pybind11::object& progress);
  void commit(PyPreview& preview);
  // Undoes (or redoes) the last edit.
  void step(bool undo, const pybind11::object& progress);
  // Plans, applies and journals a pruning; its slots and probe-set metrics before and after.
  pybind11::dict prune(const std::string& strategy, const pybind11::object& progress,
                       const pybind11::kwargs& options);
  // The current memory on the probe set: tokens, accuracy, top5, mrr, crossEntropyBits,
  // perplexity.
  pybind11::dict metrics(const pybind11::object& progress);

  static void bind(pybind11::module_& module);

 private:
  explicit PyProject(std::unique_ptr<Project> project);
  std::unique_lock<std::mutex> lock();

  std::shared_ptr<Project> project_;
  std::shared_ptr<std::mutex> busy_;
};

}  // namespace memlens::python
