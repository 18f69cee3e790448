#include "memlens/job_control.h"

namespace memlens {

JobControl::JobControl(ProgressCallback callback, std::chrono::milliseconds interval)
    : callback_(std::move(callback)), interval_(interval) {}

void JobControl::report(double fraction, const std::string& stage) {
  if (!callback_) return;
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  const bool stageChanged = !stage.empty() && stage != stage_;
  if (!stageChanged && fraction < 1.0 && now - last_ < interval_) return;
  if (!stage.empty()) stage_ = stage;
  last_ = now;
  callback_(fraction, stage_);
}

}  // namespace memlens
