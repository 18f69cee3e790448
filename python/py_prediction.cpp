#include "py_prediction.h"

#include <pybind11/stl.h>

namespace memlens::python {

namespace py = pybind11;

void PyPrediction::bind(py::module_& module) {
  py::class_<PyPrediction>(module, "Prediction",
                           "What a memory predicts after one context (Memory.predict).")
      .def_readonly("token", &PyPrediction::token, "The predicted next token.")
      .def_readonly("probability", &PyPrediction::probability,
                    "Its probability: the memory's vote smoothed with the Kneser-Ney base model, "
                    "as evaluate() scores it.")
      .def_readonly("distribution", &PyPrediction::distribution,
                    "The memory's vote: {token: weight}, strongest first.")
      .def_readonly("distance", &PyPrediction::distance,
                    "Distance of the nearest neighbours (IB1, TRIBL2) or of the features the "
                    "tree did not consult (IGTree).")
      .def("__iter__",
           [](const PyPrediction& p) {
             return py::iter(py::make_tuple(p.token, p.probability, p.distribution, p.distance));
           })
      .def("__repr__", [](const PyPrediction& p) {
        return "Prediction(token=" + py::cast<std::string>(py::repr(py::str(p.token))) +
               ", probability=" + py::cast<std::string>(py::repr(py::float_(p.probability))) +
               ", distance=" + py::cast<std::string>(py::repr(py::float_(p.distance))) + ")";
      });
}

}  // namespace memlens::python
