#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string>
#include <vector>

namespace memlens::python {

// memlens.Predictions: the answers of Memory.predict_batch, one entry per context, as columns.
struct PyPredictions {
  std::vector<std::string> tokens;
  pybind11::array_t<double> probabilities;
  pybind11::array_t<double> distances;

  static void bind(pybind11::module_& module);
};

}  // namespace memlens::python
