#include "classify/batch_predict.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <atomic>
#include <exception>
#include <string>

#include "base/fork_join_edges.h"
#include "base/release_if_cancelled.h"

namespace memlens {

Result<std::vector<Prediction>> predictBatch(
    const InstanceSet& queries, int memoryWidth, const PredictOptions& options, JobControl* job,
    const std::function<void(const uint32_t* query, Prediction& out)>& one) {
  if (queries.width != memoryWidth)
    return Status::invalidArgument("queries have " + std::to_string(queries.width) +
                                   " features, the memory has " + std::to_string(memoryWidth));
  const size_t n = queries.size();
  std::vector<Prediction> out;
  ReleaseIfCancelled release(job, out);
  try {
    out.resize(n);
    std::atomic<size_t> done{0};
    std::atomic<bool> failed{false};
    const int threads = options.threads > 0 ? options.threads : tbb::task_arena::automatic;
    tbb::task_arena arena(threads);
    ForkJoinEdges edges;
    const auto chunk = [&](const tbb::blocked_range<size_t>& r) {
      const ForkJoinEdges::Chunk edge(edges);
      if (failed.load(std::memory_order_relaxed)) return;
      if (cancelRequested(job)) {
        failed.store(true, std::memory_order_relaxed);
        return;
      }
      try {
        // The partitioner may hand out far more than the grain; slow queries (IB1 at scale) must
        // still see a cancel soon.
        for (size_t i = r.begin(); i != r.end(); ++i) {
          if (cancelRequested(job)) {
            failed.store(true, std::memory_order_relaxed);
            return;
          }
          one(queries.features.data() + i * static_cast<size_t>(queries.width), out[i]);
        }
      } catch (...) {
        failed.store(true, std::memory_order_relaxed);
        return;
      }
      const size_t d = done.fetch_add(r.size(), std::memory_order_relaxed) + r.size();
      reportProgress(job, static_cast<double>(d) / static_cast<double>(n), "classifying");
    };
    edges.fork();
    arena.execute([&] { tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 64), chunk); });
    edges.join();
    if (cancelRequested(job)) return Status::cancelled();
    if (failed.load()) return Status::internal("classification failed (out of memory?)");
  } catch (const std::exception& e) {
    return Status::internal(std::string("classification failed: ") + e.what());
  }
  reportProgress(job, 1.0, "classifying");
  return out;
}

}  // namespace memlens
