#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>

namespace memlens {

// Progress and cancellation for long work. The caller owns it and passes a pointer into every
// core call that can take more than ~100 ms; workers poll cancelRequested() every few thousand
// items and return Status::cancelled(). report() is throttled: the callback runs at most once per
// interval (and always for fraction 1.0).
// Thread-safe: cancel() may be called from any thread (the GUI's), and report() from several
// workers at once; the callback runs on whichever worker thread reports, never concurrently.
class JobControl {
 public:
  using ProgressCallback = std::function<void(double fraction, const std::string& stage)>;

  explicit JobControl(ProgressCallback callback = {},
                      std::chrono::milliseconds interval = std::chrono::milliseconds(100));
  JobControl(const JobControl&) = delete;
  JobControl& operator=(const JobControl&) = delete;

  void cancel() { cancelled_.store(true, std::memory_order_relaxed); }
  bool cancelRequested() const { return cancelled_.load(std::memory_order_relaxed); }

  // fraction in [0, 1] of the current stage; stage names what is being done ("reading kjv.txt").
  void report(double fraction, const std::string& stage = {});

 private:
  std::atomic<bool> cancelled_{false};
  ProgressCallback callback_;
  std::chrono::steady_clock::duration interval_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point last_{};
  std::string stage_;
};

// Null-safe helpers: core calls accept a null JobControl* meaning "no progress, no cancel".
inline bool cancelRequested(const JobControl* job) { return job && job->cancelRequested(); }
inline void reportProgress(JobControl* job, double fraction, const std::string& stage = {}) {
  if (job) job->report(fraction, stage);
}

}  // namespace memlens
