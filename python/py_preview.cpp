#include "py_preview.h"

namespace memlens::python {

namespace py = pybind11;

PyPreview PyPreview::make(EditedMemory::Preview preview, const EditedMemory& memory) {
  PyPreview p;
  p.preview = std::move(preview);
  p.memory = &memory;
  const Vocabulary& vocab = memory.corpus().vocab;
  for (const ChangedToken& c : p.preview.changed) {
    py::dict row;
    row["source"] = c.source;
    row["old"] = std::string(vocab.displayText(c.oldClassId));
    row["new"] = std::string(vocab.displayText(c.newClassId));
    p.changed.append(row);
  }
  return p;
}

void PyPreview::bind(py::module_& module) {
  py::class_<PyPreview>(module, "Preview", R"(What an edit would change (Memory.preview).

.changed lists the probe tokens (the test part of the split) whose prediction flips, as dicts
{"source": token index, "old": token, "new": token}; Memory.commit(preview) applies the edit.)")
      .def_readonly("changed", &PyPreview::changed, "The probe tokens whose prediction flips.")
      .def_property_readonly(
          "slots",
          [](const PyPreview& p) {
            return py::make_tuple(p.preview.slotsBefore, p.preview.slotsAfter);
          },
          "Stored vectors (before, after).")
      .def_property_readonly(
          "instances",
          [](const PyPreview& p) {
            return py::make_tuple(p.preview.instancesBefore, p.preview.instancesAfter);
          },
          "Training instances (before, after).")
      .def_property_readonly(
          "kind", [](const PyPreview& p) { return std::string(p.preview.edit.kindName()); },
          "The edit's kind as the project journal names it (\"delete-vector\", ...).")
      .def("__repr__", [](const PyPreview& p) {
        return "<memlens.Preview: " + std::string(p.preview.edit.kindName()) + ", slots " +
               std::to_string(p.preview.slotsBefore) + " -> " +
               std::to_string(p.preview.slotsAfter) + ", " + std::to_string(py::len(p.changed)) +
               " probe tokens flip>";
      });
}

}  // namespace memlens::python
