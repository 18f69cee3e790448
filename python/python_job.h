#pragma once

#include <pybind11/pybind11.h>

#include <chrono>
#include <exception>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <type_traits>

#include "memlens/job_control.h"

namespace memlens::python {

// Runs one long core call for Python: the call runs on a worker thread with a JobControl while
// the calling thread, the GIL released between polls, wakes every kPoll to run Python's signal
// handlers (Ctrl+C raises KeyboardInterrupt there, which cancels the job) and to hand the latest
// progress to the Python callback. The callback thus runs on the caller's thread with the GIL,
// at most once per poll; an exception it raises cancels the job too and is re-raised.
// One call at a time per object; the work must not touch Python objects.
class PythonJob {
 public:
  static constexpr std::chrono::milliseconds kPoll{50};

  // `progress`: None, or a callable taking (fraction, stage).
  explicit PythonJob(pybind11::object progress = pybind11::none());
  PythonJob(const PythonJob&) = delete;
  PythonJob& operator=(const PythonJob&) = delete;

  // Returns work(job) once it finished; raises what a signal handler or the callback raised.
  template <typename Work>
  std::invoke_result_t<Work, JobControl*> run(Work work);

 private:
  // With the GIL: signal handlers, then the callback if progress moved on.
  void poll();

  pybind11::object progress_;
  std::mutex mutex_;
  double fraction_ = 0.0;
  std::string stage_;
  bool fresh_ = false;
  JobControl job_;
};

template <typename Work>
std::invoke_result_t<Work, JobControl*> PythonJob::run(Work work) {
  std::packaged_task<std::invoke_result_t<Work, JobControl*>()> task(
      [this, &work] { return work(&job_); });
  auto done = task.get_future();
  std::thread worker(std::move(task));
  std::exception_ptr raised;  // by a signal handler or the callback; the job is then cancelled
  for (;;) {
    bool finished = false;
    {
      pybind11::gil_scoped_release released;
      finished = done.wait_for(kPoll) == std::future_status::ready;
    }
    if (finished) break;
    if (raised) continue;  // cancelled: waiting for the worker to notice
    try {
      poll();
    } catch (...) {
      raised = std::current_exception();
      job_.cancel();
    }
  }
  worker.join();
  if (raised) std::rethrow_exception(raised);
  poll();  // the last progress (a stage's 1.0) and a Ctrl+C that came at the very end
  return done.get();
}

}  // namespace memlens::python
