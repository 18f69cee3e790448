#include "status_exception.h"

namespace memlens::python {

void registerErrors(pybind11::module_& module) {
  pybind11::register_exception<CoreError>(module, "Error", PyExc_Exception).doc() =
      "A MemLens failure that is neither a bad argument nor a file problem.";
}

void raiseStatus(const Status& status) {
  switch (status.code()) {
    case Status::Code::kInvalidArgument:
      throw pybind11::value_error(status.message());
    case Status::Code::kNotFound:
    case Status::Code::kIoError:
      PyErr_SetString(PyExc_OSError, status.message().c_str());
      throw pybind11::error_already_set();
    case Status::Code::kCancelled:
      // A cancel the caller did not ask for through Ctrl+C still ends the call the same way.
      PyErr_SetNone(PyExc_KeyboardInterrupt);
      throw pybind11::error_already_set();
    default:
      throw CoreError(status.message());
  }
}

}  // namespace memlens::python
