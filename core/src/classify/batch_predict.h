#pragma once

#include <functional>
#include <vector>

#include "memlens/instance_set.h"
#include "memlens/job_control.h"
#include "memlens/prediction.h"
#include "memlens/result.h"

namespace memlens {

// Runs `one` for every query of `queries` on oneTBB workers (PredictOptions::threads, 0 = all),
// polling `job` between chunks. Returns Status::cancelled() when cancelled (no partial result).
Result<std::vector<Prediction>> predictBatch(
    const InstanceSet& queries, int memoryWidth, const PredictOptions& options, JobControl* job,
    const std::function<void(const uint32_t* query, Prediction& out)>& one);

}  // namespace memlens
