#include "py_predictions.h"

#include <pybind11/stl.h>

namespace memlens::python {

namespace py = pybind11;

void PyPredictions::bind(py::module_& module) {
  py::class_<PyPredictions>(module, "Predictions",
                            "The answers of Memory.predict_batch, one entry per context.")
      .def_readonly("tokens", &PyPredictions::tokens, "The predicted tokens (list of str).")
      .def_readonly("probabilities", &PyPredictions::probabilities,
                    "Their smoothed probabilities (NumPy float64 array).")
      .def_readonly("distances", &PyPredictions::distances,
                    "The distances of their nearest neighbours (NumPy float64 array).")
      .def("__len__", [](const PyPredictions& p) { return p.tokens.size(); })
      .def("__repr__", [](const PyPredictions& p) {
        return "<memlens.Predictions: " + std::to_string(p.tokens.size()) + " contexts>";
      });
}

}  // namespace memlens::python
