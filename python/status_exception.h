#pragma once

#include <pybind11/pybind11.h>

#include <stdexcept>

#include "memlens/result.h"
#include "memlens/status.h"

namespace memlens::python {

// What memlens.Error is raised from: a core failure that is neither a bad argument nor a file
// problem (a corrupt file, an internal error).
class CoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Registers memlens.Error (a subclass of Exception) in `module`.
void registerErrors(pybind11::module_& module);

// Raises the Python exception for a failed Status, with the core's message: ValueError for an
// invalid argument, OSError for a missing or unreadable file, memlens.Error otherwise.
[[noreturn]] void raiseStatus(const Status& status);

inline void throwIfError(const Status& status) {
  if (!status) raiseStatus(status);
}

// The value, or the exception for the Status saying why there is none.
template <typename T>
T valueOrRaise(Result<T> result) {
  if (!result) raiseStatus(result.status());
  return std::move(result).value();
}

}  // namespace memlens::python
