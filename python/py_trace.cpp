#include "py_trace.h"

namespace memlens::python {
namespace {

namespace py = pybind11;

py::object rowsAs(const py::list& rows, bool frame) {
  if (!frame) return rows;
  return py::module_::import("pandas").attr("DataFrame")(rows);
}

void appendRows(py::list& rows, const py::handle& neighbours, const py::object& bucket,
                const py::object& distance, const py::object& weight) {
  for (const py::handle n : neighbours) {
    py::dict row;
    row["bucket"] = bucket;
    row["bucketDistance"] = distance;
    row["voteWeight"] = weight;
    for (const auto& [key, value] : py::reinterpret_borrow<py::dict>(n)) row[key] = value;
    rows.append(row);
  }
}

}  // namespace

PyTrace::PyTrace(std::string json, bool vector)
    : json_(std::move(json)),
      data_(py::module_::import("json").attr("loads")(json_)),
      vector_(vector) {}

py::object PyTrace::neighbours(bool frame) const {
  if (vector_) {
    throw py::value_error(
        "a vector memory reads slots, not neighbours: use attention() for its trace");
  }
  py::list rows;
  int bucket = 0;
  for (const py::handle b : data_["buckets"]) {
    appendRows(rows, b["neighbours"], py::int_(++bucket), b["distance"], b["weight"]);
  }
  if (data_.contains("treeEvidence")) {
    appendRows(rows, data_["treeEvidence"]["shown"], py::none(), py::none(), py::none());
  }
  return rowsAs(rows, frame);
}

py::object PyTrace::attention(bool frame) const {
  if (!vector_) {
    throw py::value_error(
        "attention is the vector memory's (model=\"vector\"): use neighbours() for this trace");
  }
  return rowsAs(py::list(data_["slots"]), frame);
}

void PyTrace::bind(py::module_& module) {
  py::class_<PyTrace>(module, "Trace", R"(Why a memory predicted what it did (Memory.explain).

A read-only mapping over the fields `memlens-cli explain --json` prints: trace["prediction"],
trace["buckets"], trace["treePath"], ... (vector memory: trace["slots"], trace["outcomes"]).)")
      .def_property_readonly(
          "json", [](const PyTrace& t) { return t.json_; },
          "The trace as `memlens-cli explain --json` prints it.")
      .def_property_readonly(
          "data", [](const PyTrace& t) { return t.data_; }, "The trace as a dict.")
      .def("__getitem__", [](const PyTrace& t, const py::object& key) { return t.data_[key]; })
      .def("__contains__",
           [](const PyTrace& t, const py::object& key) { return t.data_.contains(key); })
      .def("keys", [](const PyTrace& t) { return t.data_.attr("keys")(); })
      .def("neighbours", &PyTrace::neighbours, py::arg("frame") = false,
           R"(The neighbours behind the vote, one dict a row (a pandas DataFrame if frame=True).

IB1 and TRIBL2: every stored vector of every distance bucket, with its bucket (1 = nearest),
bucketDistance and voteWeight; IGTree (and TRIBL2's exact match): the stored vectors under the
answering tree node (bucket None). Each row also has storedVector, values, matches,
contributions, counts, instances and provenance, as in the JSON.)")
      .def("attention", &PyTrace::attention, py::arg("frame") = false,
           R"(The vector memory's slots read, nearest first, one dict a row (a pandas DataFrame
if frame=True): slot, values, distance, attention (alpha), counts, terms.)")
      .def("__repr__", [](const PyTrace& t) {
        return "<memlens.Trace: prediction " +
               py::cast<std::string>(
                   py::repr(t.data_[t.vector_ ? "memoryPrediction" : "prediction"])) +
               ">";
      });
}

}  // namespace memlens::python
