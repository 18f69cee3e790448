#include "edit/maintained_counts.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <numeric>

#include "base/fork_join_edges.h"
#include "memlens/feature_weights.h"

namespace memlens {

namespace {

constexpr size_t kNoRow = SIZE_MAX;

// What one feature's counts change by: per (value, class), and per value with the lowest row
// added and whether its first row was removed.
struct CellDelta {
  uint32_t value = 0;
  uint32_t classId = 0;
  int64_t delta = 0;
};
struct ValueDelta {
  uint32_t value = 0;
  int64_t delta = 0;
  size_t lowestAdded = kNoRow;
  bool firstRemoved = false;
};

// One feature at a time over oneTBB (each sorts its cells: millions on a large memory).
template <typename Fn>
void forEachFeature(size_t width, Fn&& fn) {
  ForkJoinEdges edges;
  const auto body = [&](const tbb::blocked_range<size_t>& range) {
    const ForkJoinEdges::Chunk edge(edges);
    for (size_t f = range.begin(); f != range.end(); ++f) fn(f);
  };
  edges.fork();
  tbb::parallel_for(tbb::blocked_range<size_t>(0, width, 1), body);
  edges.join();
}

}  // namespace

Result<std::shared_ptr<const MaintainedCounts>> MaintainedCounts::of(const InstanceBase& trained,
                                                                     const EditedRows& rows,
                                                                     JobControl* job) {
  auto m = std::make_shared<MaintainedCounts>();
  const auto width = static_cast<size_t>(trained.width());
  const std::vector<FeatureCounts>& counts = trained.featureCounts();
  m->features_.resize(width);
  std::vector<std::vector<uint32_t>> valueOf(width);  // by value index
  uint32_t maxValue = 0;
  forEachFeature(width, [&](size_t f) {
    const FeatureCounts& c = counts[f];
    Feature& out = m->features_[f];
    valueOf[f].resize(c.valueTotals.size());
    for (const auto& [value, index] : c.valueIndex) valueOf[f][index] = value;
    for (size_t i = 0; i < c.valueTotals.size(); ++i)
      if (c.valueTotals[i] > 0) out.values.push_back({valueOf[f][i], c.valueTotals[i], kNoRow});
    std::sort(out.values.begin(), out.values.end(),
              [](const Value& a, const Value& b) { return a.value < b.value; });
    c.valueClass.forEach([&](uint64_t key, uint32_t n) {
      out.cells.push_back({valueOf[f][key >> 32], trained.classId(static_cast<uint32_t>(key)), n});
    });
    std::sort(out.cells.begin(), out.cells.end(), [](const Cell& a, const Cell& b) {
      return a.value != b.value ? a.value < b.value : a.classId < b.classId;
    });
  });
  for (const Feature& f : m->features_)
    if (!f.values.empty()) maxValue = std::max(maxValue, f.values.back().value);
  // The first rows, through a dense table per feature (a hash lookup per value took longer).
  std::vector<std::vector<size_t>> firstOf(width,
                                           std::vector<size_t>(size_t{maxValue} + 1, kNoRow));
  size_t missing = 0;
  for (const Feature& f : m->features_) missing += f.values.size();
  for (size_t r = 0; r < rows.size() && missing > 0; ++r) {
    if (r % 65536 == 0 && cancelRequested(job)) return Status::cancelled();
    if (!rows.live(r)) continue;
    const std::span<const uint32_t> features = rows.features(r);
    for (size_t f = 0; f < width; ++f) {
      const uint32_t v = features[f];
      if (v <= maxValue && firstOf[f][v] == kNoRow) {
        firstOf[f][v] = r;
        --missing;
      }
    }
  }
  for (size_t f = 0; f < width; ++f)
    for (Value& v : m->features_[f].values) v.first = firstOf[f][v.value];
  return std::shared_ptr<const MaintainedCounts>(std::move(m));
}

std::shared_ptr<const MaintainedCounts> MaintainedCounts::edited(std::span<const Move> moves,
                                                                 const EditedRows& rows) const {
  const size_t width = features_.size();
  std::vector<std::vector<CellDelta>> cellDeltas(width);
  std::vector<std::vector<ValueDelta>> valueDeltas(width);
  // Consecutive moves mostly share features, class and direction (a stored vector's instances):
  // one delta per run, and the values' first rows looked up once per run.
  std::vector<size_t> firstRows(width, kNoRow);
  std::span<const uint32_t> lastLooked;
  const auto lookFirsts = [&](std::span<const uint32_t> features) {
    if (!lastLooked.empty() && std::equal(features.begin(), features.end(), lastLooked.begin()))
      return;
    lastLooked = features;
    for (size_t f = 0; f < width; ++f) {
      const std::vector<Value>& values = features_[f].values;
      auto it = std::lower_bound(values.begin(), values.end(), features[f],
                                 [](const Value& v, uint32_t x) { return v.value < x; });
      firstRows[f] = it != values.end() && it->value == features[f] ? it->first : kNoRow;
    }
  };
  const Move* run = nullptr;
  int64_t runDelta = 0;
  size_t runLowest = kNoRow;
  std::vector<bool> runFirstRemoved(width, false);
  const auto flush = [&] {
    if (!run) return;
    for (size_t f = 0; f < width; ++f) {
      cellDeltas[f].push_back({run->features[f], run->classId, runDelta});
      valueDeltas[f].push_back({run->features[f], runDelta, runLowest, runFirstRemoved[f]});
      runFirstRemoved[f] = false;
    }
    run = nullptr;
    runDelta = 0;
    runLowest = kNoRow;
  };
  for (const Move& m : moves) {
    if (run && (run->classId != m.classId || (run->delta > 0) != (m.delta > 0) ||
                !std::equal(m.features.begin(), m.features.end(), run->features.begin())))
      flush();
    if (!run) run = &m;
    runDelta += m.delta;
    if (m.delta > 0) {
      runLowest = std::min(runLowest, m.row);
    } else {
      lookFirsts(m.features);
      for (size_t f = 0; f < width; ++f)
        if (firstRows[f] == m.row) runFirstRemoved[f] = true;
    }
  }
  flush();

  auto next = std::make_shared<MaintainedCounts>();
  next->features_.resize(width);
  forEachFeature(width, [&](size_t f) {
    std::vector<CellDelta>& cd = cellDeltas[f];
    std::sort(cd.begin(), cd.end(), [](const CellDelta& a, const CellDelta& b) {
      return a.value != b.value ? a.value < b.value : a.classId < b.classId;
    });
    std::vector<ValueDelta>& vd = valueDeltas[f];
    std::stable_sort(vd.begin(), vd.end(),
                     [](const ValueDelta& a, const ValueDelta& b) { return a.value < b.value; });
    const Feature& was = features_[f];
    Feature& out = next->features_[f];
    // The cells, merged with their deltas.
    out.cells.reserve(was.cells.size() + cd.size());
    auto c = was.cells.begin();
    const auto before = [](const Cell& a, const CellDelta& b) {
      return a.value != b.value ? a.value < b.value : a.classId < b.classId;
    };
    for (size_t i = 0; i < cd.size();) {
      const CellDelta& d = cd[i];
      for (; c != was.cells.end() && before(*c, d); ++c) out.cells.push_back(*c);
      int64_t n = 0;
      if (c != was.cells.end() && c->value == d.value && c->classId == d.classId)
        n = static_cast<int64_t>((c++)->count);
      for (; i < cd.size() && cd[i].value == d.value && cd[i].classId == d.classId; ++i)
        n += cd[i].delta;
      if (n > 0) out.cells.push_back({d.value, d.classId, static_cast<uint64_t>(n)});
    }
    out.cells.insert(out.cells.end(), c, was.cells.end());
    // The values, their totals and first rows.
    out.values.reserve(was.values.size() + vd.size());
    auto v = was.values.begin();
    for (size_t i = 0; i < vd.size();) {
      const uint32_t value = vd[i].value;
      for (; v != was.values.end() && v->value < value; ++v) out.values.push_back(*v);
      const bool existed = v != was.values.end() && v->value == value;
      int64_t total = existed ? static_cast<int64_t>(v->total) : 0;
      size_t first = existed ? v->first : kNoRow;
      bool firstRemoved = false;
      size_t lowestAdded = kNoRow;
      for (; i < vd.size() && vd[i].value == value; ++i) {
        total += vd[i].delta;
        lowestAdded = std::min(lowestAdded, vd[i].lowestAdded);
        firstRemoved = firstRemoved || vd[i].firstRemoved;
      }
      if (existed) ++v;
      if (total <= 0) continue;
      first = std::min(first, lowestAdded);
      // No live row below `first` holds the value now: the next one at or after it does.
      if (firstRemoved)
        while (first < rows.size() && !(rows.live(first) && rows.features(first)[f] == value))
          ++first;
      out.values.push_back({value, static_cast<uint64_t>(total), first});
    }
    out.values.insert(out.values.end(), v, was.values.end());
  });
  return next;
}

std::vector<double> MaintainedCounts::weights(const ClassOrder& classes,
                                              FeatureWeighting weighting) const {
  if (weighting == FeatureWeighting::kNone) return std::vector<double>(features_.size(), 1.0);
  std::vector<FeatureWeightDetail> details(features_.size());
  forEachFeature(features_.size(), [&](size_t f) {
    const Feature& feature = features_[f];
    // Each value's cells (values and cells are both sorted by value).
    std::vector<size_t> cellsFrom(feature.values.size() + 1, feature.cells.size());
    for (size_t v = 0, c = 0; v < feature.values.size(); ++v) {
      while (c < feature.cells.size() && feature.cells[c].value < feature.values[v].value) ++c;
      cellsFrom[v] = c;
    }
    // Training's order: values by first appearance, each one's classes by class index.
    std::vector<uint32_t> order(feature.values.size());
    std::iota(order.begin(), order.end(), uint32_t{0});
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      return feature.values[a].first < feature.values[b].first;
    });
    std::vector<uint64_t> valueTotals;
    valueTotals.reserve(order.size());
    ValueClassRows rows;
    rows.rowStart.reserve(order.size() + 1);
    rows.cells.reserve(feature.cells.size());
    for (uint32_t v : order) {
      valueTotals.push_back(feature.values[v].total);
      rows.rowStart.push_back(static_cast<uint32_t>(rows.cells.size()));
      for (size_t c = cellsFrom[v]; c < cellsFrom[v + 1]; ++c)
        rows.cells.push_back({classes.indexOf(feature.cells[c].classId),
                              static_cast<uint32_t>(feature.cells[c].count)});
      std::sort(
          rows.cells.begin() + rows.rowStart.back(), rows.cells.end(),
          [](const ClassCount& a, const ClassCount& b) { return a.classIndex < b.classIndex; });
    }
    rows.rowStart.push_back(static_cast<uint32_t>(rows.cells.size()));
    details[f] = computeFeatureWeightDetail(valueTotals, rows, classes.totals);
  });
  return featureWeights(details, weighting);
}

}  // namespace memlens
