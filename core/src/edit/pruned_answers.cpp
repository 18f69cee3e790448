#include "edit/pruned_answers.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>

#include "memory/merged_buckets.h"

namespace memlens {

Result<std::vector<uint32_t>> prunedAnswers(const NeighbourSearch& search, const InstanceBase& base,
                                            const std::vector<bool>& removed,
                                            const ClassOrder& classes,
                                            const ClassifierOptions& options,
                                            const ProbeQueries& queries, JobControl* job) {
  const int width = base.width();
  const uint32_t full = allFeatures(width);
  const auto wanted = static_cast<size_t>(std::max(1, options.k)) + 1;
  std::vector<uint32_t> indexOf(base.classCount());
  for (uint32_t c = 0; c < base.classCount(); ++c) indexOf[c] = classes.indexOf(base.classId(c));
  const auto idOf = [&classes](uint32_t c) { return classes.ids[c]; };
  std::vector<uint32_t> answers(queries.size());
  std::atomic<bool> cancelled{false};
  tbb::parallel_for(tbb::blocked_range<size_t>(0, queries.size(), 16), [&](const auto& range) {
    if (cancelled || (cancelRequested(job) && (cancelled = true))) return;
    std::vector<uint32_t> members;
    for (size_t q = range.begin(); q != range.end(); ++q) {
      const uint32_t* query = queries.query(q);
      MergedBuckets& merged = MergedBuckets::forThread(classes.ids.size());
      size_t buckets = 0;
      double at = 0.0;  // the distance of the last bucket: its first pattern's, as the search's
      for (const uint32_t pattern : search.patternsByDistance()) {
        const double d = search.distanceOf(pattern);
        bool open = buckets > 0 && sameDistance(at, d);
        if (buckets == wanted && !open) break;
        // The kept vectors matching the query on exactly `pattern` (a group holds those matching
        // it on more features too: nearer patterns, counted there).
        const auto take = [&](uint32_t v) {
          if (removed[v]) return;
          const auto features = base.vector(v);
          uint32_t matched = 0;
          for (int f = 0; f < width; ++f)
            if (features[static_cast<size_t>(f)] == query[f]) matched |= 1u << f;
          if (matched != pattern) return;
          if (!open) {
            merged.addBucket(d);
            ++buckets;
            at = d;
            open = true;
          }
          for (const ClassCount& c : base.distribution(v))
            merged.addCount(indexOf[c.classIndex], c.count);
        };
        if (pattern == full) {
          if (const uint32_t v = base.find({query, static_cast<size_t>(width)});
              v != InstanceBase::kNone)
            take(v);
        } else if (pattern == 0) {
          for (uint32_t v = 0; v < base.vectorCount(); ++v) take(v);
        } else {
          members = search.members(query, pattern);
          for (uint32_t v : members) take(v);
        }
      }
      Prediction out;
      merged.decide(classes.totals, idOf, options, PredictOptions{}, out);
      answers[q] = out.classId;
    }
  });
  if (cancelled) return Status::cancelled();
  return answers;
}

}  // namespace memlens
