#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <numeric>
#include <string>

#include "base/fork_join_edges.h"
#include "base/huge_pages.h"
#include "memlens/instance_base.h"
#include "memory/pending_feature_counts.h"

namespace memlens {
namespace {

constexpr uint32_t kNoSource = 0xFFFFFFFFu;
constexpr size_t kPollEvery = 1 << 14;

}  // namespace

Result<InstanceBase> InstanceBase::fromRuns(int width, std::vector<uint32_t> values,
                                            const std::vector<uint32_t>& classIds,
                                            std::span<const Run> runs, JobControl* job,
                                            FeatureCounting counting,
                                            std::vector<uint64_t> sources) {
  if (width < 1 || width > InstanceSet::kMaxWidth)
    return Status::invalidArgument("a memory of " + std::to_string(width) + " features");
  const auto w = static_cast<size_t>(width);
  if (values.size() % w != 0 || values.size() / w >= kNone)
    return Status::invalidArgument("stored vectors: " + std::to_string(values.size()) +
                                   " values for " + std::to_string(width) + " features");
  const auto vectors = static_cast<uint32_t>(values.size() / w);
  uint64_t instances = 0;
  for (const Run& r : runs) {
    if (r.vector >= vectors || r.classIndex >= classIds.size() || r.count == 0)
      return Status::invalidArgument("a run of " + std::to_string(r.count) +
                                     " instances of class " + std::to_string(r.classIndex) +
                                     " on stored vector " + std::to_string(r.vector) + " of " +
                                     std::to_string(vectors));
    instances += r.count;
  }
  if (instances >= kNoSource)
    return Status::invalidArgument("too many instances for one memory (limit 4294967294)");
  if (!sources.empty() && sources.size() != instances)
    return Status::invalidArgument(std::to_string(sources.size()) + " sources for " +
                                   std::to_string(instances) + " instances");

  InstanceBase b(width);
  for (uint32_t id : classIds) b.addClass(id);
  if (b.classCount() != classIds.size())
    return Status::invalidArgument("a class is listed twice among the memory's classes");
  b.values_ = std::move(values);
  b.single_ = hugePageVector<ClassCount>(vectors);
  b.multi_ = hugePageVector<uint32_t>(vectors, 0);
  // Source lists as add() links them: run by run, each run's instances consecutive.
  if (sources.empty()) {
    sources = hugePageVector<uint64_t>(instances);
    std::iota(sources.begin(), sources.end(), uint64_t{0});
  }
  std::vector<uint32_t> next = hugePageVector<uint32_t>(instances);
  std::vector<uint32_t> first = hugePageVector(vectors, kNoSource);
  std::vector<uint32_t> last = hugePageVector(vectors, kNoSource);
  uint32_t seen = 0;
  uint32_t s = 0;
  for (size_t i = 0; i < runs.size(); ++i) {
    if (i % kPollEvery == 0) {
      if (cancelRequested(job)) return Status::cancelled();
      reportProgress(job, static_cast<double>(i) / static_cast<double>(runs.size()),
                     "building memory");
    }
    const Run& r = runs[i];
    if (first[r.vector] == kNoSource) {
      if (r.vector != seen)
        return Status::invalidArgument("stored vector " + std::to_string(r.vector) +
                                       " is named before vector " + std::to_string(seen) +
                                       ": vectors are numbered in the order of their first run");
      ++seen;
      first[r.vector] = s;
    } else {
      next[last[r.vector]] = s;
    }
    for (uint32_t k = 1; k < r.count; ++k) next[s + k - 1] = s + k;
    s += r.count;
    next[s - 1] = kNoSource;
    last[r.vector] = s - 1;
    b.classTotals_[r.classIndex] += r.count;
    b.addCount(r.vector, r.classIndex, r.count);
  }
  if (seen != vectors)
    return Status::invalidArgument("stored vector " + std::to_string(seen) + " has no instances");
  b.sources_ = std::move(sources);
  b.nextSource_ = std::move(next);
  b.firstSource_ = std::move(first);
  b.lastSource_ = std::move(last);
  if (const uint32_t twin = b.rebuildTable(); twin != kNone)
    return Status::invalidArgument("stored vector " + std::to_string(twin) +
                                   " equals an earlier one");
  if (counting == FeatureCounting::kSkip) return b;

  // Per-feature counts, one feature per task, taken from the stored vectors' distributions
  // rather than from the runs (a pruned 100M memory's kept instances make tens of millions of
  // runs, its vectors a few million): values numbered in vector order, which is add()'s instance
  // order (a value's first instance lies in the first vector holding it, vectors being numbered
  // by first run); then the distributions' cells bucketed by value and each bucket's classes
  // summed in a dense row, so that each distinct (value, class) cell is made once (a probe per
  // run into a table growing by doubling was a quarter of reading a TiMBL base). The cells stay
  // rows, sorted by class, which is all the weights need: the tables of featureCounts() are
  // built from them when first asked for.
  size_t classCells = 0;
  for (uint32_t v = 0; v < vectors; ++v) classCells += b.distribution(v).size();
  auto pending = std::make_shared<PendingCounts>();
  pending->counts.resize(w);
  pending->rows.resize(w);
  pending->details.resize(w);
  std::atomic<bool> cancelled{false};
  ForkJoinEdges edges;
  const auto count = [&](const tbb::blocked_range<int>& features) {
    const ForkJoinEdges::Chunk edge(edges);
    for (int f = features.begin(); f != features.end(); ++f) {
      FeatureCounts& fc = pending->counts[static_cast<size_t>(f)];
      ValueClassRows& rows = pending->rows[static_cast<size_t>(f)];
      const uint32_t* column = b.values_.data() + f;
      uint32_t maxValue = 0;
      for (uint32_t v = 0; v < vectors; ++v) maxValue = std::max(maxValue, column[v * w]);
      std::vector<uint32_t> indexOf(size_t{maxValue} + 1, kNone);  // Vocabulary id -> index
      std::vector<uint32_t> bucket{0};  // cells per value index, then where each bucket starts
      for (uint32_t v = 0; v < vectors; ++v) {
        if (v % kPollEvery == 0 && (cancelled || cancelRequested(job))) {
          cancelled = true;
          return;
        }
        uint32_t& index = indexOf[column[v * w]];
        if (index == kNone) {
          index = static_cast<uint32_t>(fc.valueTotals.size());
          fc.valueTotals.push_back(0);
          fc.valueIndex.emplace(column[v * w], index);
          bucket.push_back(0);
        }
        for (const ClassCount& c : b.distribution(v)) {
          fc.valueTotals[index] += c.count;
          ++bucket[index + 1];
        }
      }
      std::partial_sum(bucket.begin(), bucket.end(), bucket.begin());
      std::vector<ClassCount>& cells = rows.cells;
      cells = hugePageVector<ClassCount>(classCells);
      std::vector<uint32_t> fill(bucket.begin(), bucket.end() - 1);
      for (uint32_t v = 0; v < vectors; ++v)
        for (const ClassCount& c : b.distribution(v)) cells[fill[indexOf[column[v * w]]]++] = c;
      // Each bucket summed, its classes in order, into the front of the cells: row after row.
      std::vector<uint32_t> sum(classIds.size(), 0);
      std::vector<uint32_t> met;
      rows.rowStart.assign(bucket.size(), 0);
      uint32_t distinct = 0;
      for (size_t v = 0; v + 1 < bucket.size(); ++v) {
        for (uint32_t i = bucket[v]; i < bucket[v + 1]; ++i) {
          if (sum[cells[i].classIndex] == 0) met.push_back(cells[i].classIndex);
          sum[cells[i].classIndex] += cells[i].count;
        }
        std::sort(met.begin(), met.end());
        for (uint32_t c : met) {
          cells[distinct++] = {c, sum[c]};
          sum[c] = 0;
        }
        rows.rowStart[v + 1] = distinct;
        met.clear();
      }
      cells.resize(distinct);
      pending->details[static_cast<size_t>(f)] =
          computeFeatureWeightDetail(fc.valueTotals, rows, b.classTotals_);
    }
  };
  edges.fork();
  tbb::parallel_for(tbb::blocked_range<int>(0, width, 1), count);
  edges.join();
  if (cancelled || cancelRequested(job)) return Status::cancelled();
  b.pending_ = std::move(pending);
  reportProgress(job, 1.0, "building memory");
  return b;
}

Result<std::vector<uint32_t>> InstanceBase::instanceVectors(JobControl* job) const {
  const uint64_t n = instanceCount();
  std::vector<uint32_t> out = hugePageVector<uint32_t>(n, kNone);
  // A list is a chain of dependent loads, each a cache miss at 100M instances (6 s on one core for
  // 73M): a task follows kLanes lists in turn, so that their misses overlap, on every core.
  constexpr uint32_t kLanes = 16;
  std::atomic<uint64_t> placed{0};
  std::atomic<uint32_t> disordered{kNone};  // the first vector whose list does not link forward
  std::atomic<bool> cancelled{false};
  tbb::parallel_for(tbb::blocked_range<uint32_t>(0, vectorCount(), 4096), [&](const auto& range) {
    if (cancelled || (cancelRequested(job) && (cancelled = true))) return;
    uint64_t count = 0;
    for (uint32_t first = range.begin(); first < range.end(); first += kLanes) {
      const uint32_t lanes = std::min(kLanes, range.end() - first);
      uint32_t at[kLanes];
      uint64_t next[kLanes] = {};
      for (uint32_t l = 0; l < lanes; ++l) at[l] = firstSource_[first + l];
      for (bool any = true; any;) {
        any = false;
        for (uint32_t l = 0; l < lanes; ++l) {
          const uint32_t s = at[l];
          if (s == kNoSource) continue;
          // Links only go forward (sources() reads them so): a damaged file's lists end.
          if (s < next[l] || s >= n) {
            uint32_t was = disordered;
            while (first + l < was && !disordered.compare_exchange_weak(was, first + l)) {
            }
            at[l] = kNoSource;
            continue;
          }
          std::atomic_ref<uint32_t>(out[s]).store(first + l, std::memory_order_relaxed);
          next[l] = uint64_t{s} + 1;
          ++count;
          at[l] = nextSource_[s];
          any = true;
        }
      }
    }
    placed += count;
  });
  if (cancelled) return Status::cancelled();
  if (const uint32_t id = disordered; id != kNone)
    return Status::invalidArgument("stored vector " + std::to_string(id) +
                                   " lists an instance out of order");
  // As many placed as there are instances, and none left out: each is in one list once.
  std::atomic<uint64_t> unlisted{0};
  tbb::parallel_for(tbb::blocked_range<uint64_t>(0, n, uint64_t{1} << 16), [&](const auto& r) {
    unlisted += static_cast<uint64_t>(
        std::count(out.begin() + static_cast<std::ptrdiff_t>(r.begin()),
                   out.begin() + static_cast<std::ptrdiff_t>(r.end()), kNone));
  });
  if (placed != n || unlisted != 0)
    return Status::invalidArgument(
        std::to_string(unlisted) + " instances are in no stored vector's list, and " +
        std::to_string(placed - (n - unlisted)) + " are listed more than once");
  return out;
}

}  // namespace memlens
