#pragma once

#include <pybind11/pybind11.h>

#include <string>

namespace memlens::python {

// memlens.Trace: why a memory predicted what it did for one context, as the JSON
// `memlens-cli explain --json` prints (`json`) and as that object read back (`data`, or the
// trace itself as a mapping), with the neighbours or the vector memory's attention as rows.
class PyTrace {
 public:
  PyTrace(std::string json, bool vector);

  // Every stored vector the vote or the tree's answer used, one dict a row: the neighbour's
  // fields plus its bucket (1 = nearest; None for a tree node's evidence), the bucket's distance
  // and vote weight. A pandas DataFrame when `frame`.
  pybind11::object neighbours(bool frame) const;
  // The vector memory's slots read, nearest first, one dict a row (slot, values, distance,
  // attention, counts, terms). A pandas DataFrame when `frame`.
  pybind11::object attention(bool frame) const;

  static void bind(pybind11::module_& module);

 private:
  std::string json_;
  pybind11::dict data_;
  bool vector_;
};

}  // namespace memlens::python
