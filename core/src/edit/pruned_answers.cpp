#include "edit/pruned_answers.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <span>

#include "memory/merged_buckets.h"

namespace memlens {
namespace {

// Appends `counts` summed per class (in order of first appearance) to `out`.
void sum(std::span<const ClassCount> counts, std::vector<ClassCount>& out) {
  thread_local std::vector<uint32_t> at;  // per class: 1 + its place in `out`, 0 between calls
  const size_t from = out.size();
  for (const ClassCount& c : counts) {
    if (at.size() <= c.classIndex) at.resize(c.classIndex + 1, 0);
    if (at[c.classIndex] == 0) {
      out.push_back({c.classIndex, 0});
      at[c.classIndex] = static_cast<uint32_t>(out.size() - from);
    }
    out[from + at[c.classIndex] - 1].count += c.count;
  }
  for (size_t j = from; j < out.size(); ++j) at[out[j].classIndex] = 0;
}

}  // namespace

Result<std::vector<uint32_t>> prunedAnswers(const NeighbourSearch& search, const InstanceBase& base,
                                            const std::vector<bool>& removed,
                                            const ClassOrder& classes,
                                            const ClassifierOptions& options,
                                            const ProbeQueries& queries, PrunedWalks* walks,
                                            JobControl* job, std::span<const uint32_t> required) {
  if (!required.empty()) walks = nullptr;  // a walk holds every pattern of its query
  const int width = base.width();
  const uint32_t full = allFeatures(width);
  const auto wanted = static_cast<size_t>(std::max(1, options.k)) + 1;
  std::vector<uint32_t> indexOf(base.classCount());
  for (uint32_t c = 0; c < base.classCount(); ++c) indexOf[c] = classes.indexOf(base.classId(c));
  constexpr uint32_t kNoClass = 0xFFFFFFFFu;  // ClassOrder::indexOf() of a class left empty
  const auto idOf = [&classes](uint32_t c) { return classes.ids[c]; };
  const std::vector<uint32_t>& order = search.patternsByDistance();
  std::vector<uint32_t> answers(queries.size());
  std::atomic<bool> cancelled{false};
  tbb::parallel_for(tbb::blocked_range<size_t>(0, queries.size(), 16), [&](const auto& range) {
    if (cancelled || (cancelRequested(job) && (cancelled = true))) return;
    for (size_t q = range.begin(); q != range.end(); ++q) {
      const uint32_t* query = queries.query(q);
      MergedBuckets& merged = MergedBuckets::forThread(classes.ids.size());
      size_t buckets = 0;
      double at = 0.0;  // the distance of the last bucket: its first pattern's, as the search's
      // Whether the walk ends before a pattern at distance `d`; `open`: whether that pattern
      // belongs to the last bucket.
      const auto endsBefore = [&](double d, bool& open) {
        open = buckets > 0 && sameDistance(at, d);
        return buckets == wanted && !open;
      };
      // What the query's buckets hold so far, per class (by index): the vectors matching no
      // feature are the rest of the kept memory.
      thread_local std::vector<int64_t> voted;
      thread_local std::vector<uint32_t> touched;
      if (voted.size() < classes.ids.size()) voted.resize(classes.ids.size(), 0);
      const auto add = [&](uint32_t index, int64_t count, double d, bool& open) {
        if (!open) {
          merged.addBucket(d);
          ++buckets;
          at = d;
          open = true;
        }
        merged.addCount(index, count);
        if (voted[index] == 0) touched.push_back(index);
        voted[index] += count;
      };
      const auto vote = [&](std::span<const ClassCount> counts, double d, bool& open,
                            int64_t sign = 1) {
        // A sum may hold a class the stop removes every instance of: less them, it has none.
        for (const ClassCount& c : counts)
          if (const uint32_t index = indexOf[c.classIndex]; index != kNoClass)
            add(index, sign * c.count, d, open);
      };
      PrunedWalks::Walk* kept = walks ? &walks->walk(q) : nullptr;
      size_t i = 0;
      bool ended = false;
      if (kept) {
        uint32_t first = 0, sumFrom = 0;
        const auto countsOf = [kept](uint32_t e) {
          const uint32_t from = e == 0 ? 0 : kept->entries[e - 1].end;
          return std::span<const ClassCount>(kept->counts.data() + from,
                                             kept->entries[e].end - from);
        };
        for (const PrunedWalks::Run& run : kept->runs) {
          const double d = search.distanceOf(order[run.position]);
          bool open = false;
          if ((ended = endsBefore(d, open))) break;
          // The class counts each way reads: the kept entries', or the sum's and the removed ones'.
          uint64_t keptCounts = 0, removedCounts = run.sumEnd - sumFrom;
          uint32_t keptEntries = 0;
          for (uint32_t e = first; e != run.end; ++e) {
            const uint32_t n = kept->entries[e].end - (e == 0 ? 0 : kept->entries[e - 1].end);
            if (removed[kept->entries[e].vector]) {
              removedCounts += n;
            } else {
              keptCounts += n;
              ++keptEntries;
            }
          }
          if (keptEntries > 0 && removedCounts < keptCounts) {
            vote({kept->sums.data() + sumFrom, run.sumEnd - sumFrom}, d, open);
            for (uint32_t e = first; e != run.end; ++e)
              if (removed[kept->entries[e].vector]) vote(countsOf(e), d, open, -1);
          } else if (keptEntries > 0) {
            for (uint32_t e = first; e != run.end; ++e)
              if (!removed[kept->entries[e].vector]) vote(countsOf(e), d, open);
          }
          first = run.end;
          sumFrom = run.sumEnd;
        }
        i = kept->frontier;
      }
      // This query's extension, gathered here and appended once (growing each walk's arrays
      // pattern by pattern cost the first stop more than its walk).
      thread_local PrunedWalks::Walk grown;
      grown.entries.clear();
      grown.counts.clear();
      grown.sums.clear();
      grown.runs.clear();
      const uint32_t entriesBefore = kept ? static_cast<uint32_t>(kept->entries.size()) : 0;
      const uint32_t countsBefore = kept ? static_cast<uint32_t>(kept->counts.size()) : 0;
      const uint32_t sumsBefore = kept ? static_cast<uint32_t>(kept->sums.size()) : 0;
      const uint32_t must = required.empty() ? 0 : required[q];
      for (; !ended && i < order.size(); ++i) {
        const uint32_t pattern = order[i];
        if ((pattern & must) != must) continue;
        const double d = search.distanceOf(pattern);
        bool open = false;
        if (endsBefore(d, open)) break;
        // Kept for later stops while the walk is at its frontier and within the bound.
        bool keep = kept && !kept->closed;
        const size_t marks[2] = {grown.entries.size(), grown.counts.size()};
        const auto close = [&] {
          grown.entries.resize(marks[0]);
          grown.counts.resize(marks[1]);
          kept->closed = true;
          keep = false;
        };
        // The vectors matching the query on exactly `pattern` (a group holds those matching it
        // on more features too: nearer patterns, counted there).
        const auto take = [&](uint32_t v) {
          if (keep ? walks->leavesOut(v) : removed[v]) return true;
          const auto features = base.vector(v);
          uint32_t matched = 0;
          for (int f = 0; f < width; ++f)
            if (features[static_cast<size_t>(f)] == query[f]) matched |= 1u << f;
          if (matched != pattern) return true;
          const std::span<const ClassCount> counts = base.distribution(v);
          if (keep) {
            grown.counts.insert(grown.counts.end(), counts.begin(), counts.end());
            grown.entries.push_back({v, countsBefore + static_cast<uint32_t>(grown.counts.size())});
          }
          if (!removed[v]) vote(counts, d, open);
          return true;
        };
        if (pattern == full) {
          if (const uint32_t v = base.find({query, static_cast<size_t>(width)});
              v != InstanceBase::kNone)
            take(v);
        } else if (pattern == 0) {
          // The last pattern: every kept vector matching a feature is in the buckets, and the
          // kept memory holds classes.totals.
          keep = false;
          for (uint32_t c = 0; c < classes.totals.size(); ++c)
            if (const int64_t n = static_cast<int64_t>(classes.totals[c]) - voted[c]; n > 0)
              add(c, n, d, open);
        } else {
          search.forEachMember(query, pattern, take);
        }
        if (!keep) continue;
        const size_t added = grown.entries.size() - marks[0];
        // Its sum holds no more class counts than its entries.
        if (added > 0 &&
            !walks->reserve(added * sizeof(PrunedWalks::Entry) +
                            2 * (grown.counts.size() - marks[1]) * sizeof(ClassCount))) {
          close();
          continue;
        }
        if (added > 0) {
          sum({grown.counts.data() + marks[1], grown.counts.size() - marks[1]}, grown.sums);
          grown.runs.push_back({static_cast<uint32_t>(i),
                                entriesBefore + static_cast<uint32_t>(grown.entries.size()),
                                sumsBefore + static_cast<uint32_t>(grown.sums.size())});
        }
        kept->frontier = static_cast<uint32_t>(i + 1);
      }
      if (kept && !grown.entries.empty()) {
        const auto append = [](auto& to, const auto& from) {
          to.reserve(to.size() + from.size());
          to.insert(to.end(), from.begin(), from.end());
        };
        append(kept->entries, grown.entries);
        append(kept->counts, grown.counts);
        append(kept->sums, grown.sums);
        append(kept->runs, grown.runs);
      }
      for (const uint32_t c : touched) voted[c] = 0;
      touched.clear();
      Prediction out;
      merged.decide(classes.totals, idOf, options, PredictOptions{}, out);
      answers[q] = out.classId;
    }
  });
  if (cancelled) return Status::cancelled();
  return answers;
}

}  // namespace memlens
