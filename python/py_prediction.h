#pragma once

#include <pybind11/pybind11.h>

#include <string>

namespace memlens::python {

// memlens.Prediction: what a memory answers for one context, as python-timbl's classify() does
// (label, distribution, distance), with the smoothed probability of the label.
struct PyPrediction {
  std::string token;
  double probability = 0.0;     // smoothed, as eval scores it
  pybind11::dict distribution;  // token -> vote weight, strongest first
  double distance = 0.0;

  static void bind(pybind11::module_& module);
};

}  // namespace memlens::python
