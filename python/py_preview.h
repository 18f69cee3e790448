#pragma once

#include <pybind11/pybind11.h>

#include "memlens/edited_memory.h"

namespace memlens::python {

// memlens.Preview: what an edit would change (Memory.preview), ready for Memory.commit while the
// memory it was made on is unchanged.
struct PyPreview {
  EditedMemory::Preview preview;
  const EditedMemory* memory = nullptr;  // the one it was made on; commit() refuses others
  pybind11::list changed;                // {"source", "old", "new"} per probe token that flips

  // `preview` made on `memory`, its changed tokens as rows.
  static PyPreview make(EditedMemory::Preview preview, const EditedMemory& memory);
  static void bind(pybind11::module_& module);
};

}  // namespace memlens::python
