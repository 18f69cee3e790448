#include "python_job.h"

namespace memlens::python {

PythonJob::PythonJob(pybind11::object progress)
    : progress_(std::move(progress)), job_([this](double fraction, const std::string& stage) {
        const std::lock_guard lock(mutex_);
        fraction_ = fraction;
        stage_ = stage;
        fresh_ = true;
      }) {}

void PythonJob::poll() {
  if (PyErr_CheckSignals() != 0) throw pybind11::error_already_set();
  if (progress_.is_none()) return;
  double fraction = 0.0;
  std::string stage;
  {
    const std::lock_guard lock(mutex_);
    if (!fresh_) return;
    fresh_ = false;
    fraction = fraction_;
    stage = stage_;
  }
  progress_(fraction, stage);
}

}  // namespace memlens::python
