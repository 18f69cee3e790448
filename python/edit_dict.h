#pragma once

#include <pybind11/pybind11.h>

#include "memlens/memory_edit.h"
#include "memlens/vocabulary.h"

namespace memlens::python {

// An edit as Python writes it: one key naming the edit as `memlens-cli project edit` does, with
// its value, and "class" for a relabel or insert:
//   {"delete_vector": "the LORD God said"}        stored vector by its context, farthest first
//   {"relabel_instance": 1234, "class": "spake"}   instance by its source (token index)
//   {"insert": "_ _ In the", "class": "end"}      {"remove_document": 0}
// Tokens are read from `vocab` (an unknown one is a ValueError naming it).
MemoryEdit editFrom(const pybind11::dict& edit, const Vocabulary& vocab);

// The docstring paragraph that lists those keys.
extern const char* const kEditKeysDoc;

}  // namespace memlens::python
