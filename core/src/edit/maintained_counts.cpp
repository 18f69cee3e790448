#include "edit/maintained_counts.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <unordered_map>
#include <unordered_set>

#include "base/fork_join_edges.h"
#include "memlens/feature_weights.h"
#include "memory/feature_information.h"

namespace memlens {

namespace {

constexpr size_t kNoRow = SIZE_MAX;

// What one feature's value counts change by, with the lowest row added and whether the value's
// first row was removed.
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

// Sorts `items` by `key` with a radix sort by byte (`bytes`: those of the largest key), through
// `scratch`; stable.
template <typename T, typename Key>
void radixSort(std::span<T> items, std::vector<T>& scratch, int bytes, const Key& key) {
  scratch.resize(items.size());
  std::span<T> from = items, to(scratch);
  for (int b = 0; b < bytes; ++b) {
    const int shift = 8 * b;
    std::array<size_t, 257> start{};
    for (const T& t : from) ++start[((key(t) >> shift) & 0xFF) + 1];
    for (size_t i = 1; i < start.size(); ++i) start[i] += start[i - 1];
    for (const T& t : from) to[start[(key(t) >> shift) & 0xFF]++] = t;
    std::swap(from, to);
  }
  if (from.data() != items.data()) std::copy(from.begin(), from.end(), items.begin());
}

// Sorts a value's cells by class index. A frequent value holds thousands of classes (a sort of
// each took most of the time of the weights' pass that every recomputed edit makes): past a few
// dozen, a radix sort by byte (`bytes`: those of the largest index), within the row.
void sortByClassIndex(std::span<ClassCount> row, std::vector<ClassCount>& scratch, int bytes) {
  if (row.size() <= 64) {
    std::sort(row.begin(), row.end(),
              [](const ClassCount& a, const ClassCount& b) { return a.classIndex < b.classIndex; });
    return;
  }
  radixSort(row, scratch, bytes, [](const ClassCount& c) { return c.classIndex; });
}

// Sorts a feature's values (or their entries, `key` their first rows: unique within a feature)
// into training's order by first appearance. Every recomputed edit does so for each feature's tens
// of thousands of values: a radix sort rather than a comparison sort (about 4% of the KJV probe
// token's vector edit).
template <typename T, typename Key>
void sortByFirstRow(std::vector<T>& items, const Key& key) {
  size_t largest = 0;
  for (const T& t : items) largest = std::max(largest, key(t));
  int bytes = 0;
  while (bytes < 8 && (largest >> (8 * bytes)) != 0) ++bytes;
  std::vector<T> scratch;
  radixSort(std::span<T>(items), scratch, bytes, key);
}

// The bytes of the largest class index of `classCount` classes (for sortByClassIndex).
int indexBytes(size_t classCount) {
  int bytes = 1;
  while (bytes < 4 && classCount > (size_t{1} << (8 * bytes))) ++bytes;
  return bytes;
}

// How a class order moved from `was` (ids by index) to `now`, for the values whose entropies
// sum their classes in order: a longest run of classes both orders share (a longest increasing
// subsequence of their places in `now`) keeps its order; a class off it is moved, and passed the
// run's classes of ranks [lo, hi).
struct Reordering {
  static constexpr uint32_t kMoved = UINT32_MAX - 1, kAbsent = UINT32_MAX;
  struct Moved {
    uint32_t was = 0, now = 0;  // its indices
    uint32_t lo = 0, hi = 0;
  };
  std::vector<uint32_t> rank;  // by class id: on the run, its rank there; else kMoved or kAbsent
  std::vector<Moved> moved;    // by class id, for the moved ones
  bool any = false;

  uint32_t rankOf(uint32_t id) const { return id < rank.size() ? rank[id] : kAbsent; }
};

Reordering reorderingOf(std::span<const uint32_t> was, const ClassOrder& now) {
  std::vector<uint32_t> ids, places;  // the classes of both, in `was`'s order, and their places
  for (uint32_t id : was)
    if (const uint32_t i = now.indexOf(id); i != InstanceBase::kNone) {
      ids.push_back(id);
      places.push_back(i);
    }
  // Patience sorting: tails[k], the entry ending the best run of length k + 1 found so far.
  std::vector<size_t> tails, previous(ids.size(), SIZE_MAX);
  for (size_t i = 0; i < places.size(); ++i) {
    const auto at = std::partition_point(tails.begin(), tails.end(),
                                         [&](size_t t) { return places[t] < places[i]; });
    if (at != tails.begin()) previous[i] = *(at - 1);
    if (at == tails.end()) {
      tails.push_back(i);
    } else {
      *at = i;
    }
  }
  Reordering r;
  uint32_t maxId = 0;
  for (uint32_t id : ids) maxId = std::max(maxId, id);
  r.rank.assign(ids.empty() ? 0 : size_t{maxId} + 1, Reordering::kAbsent);
  for (size_t i = tails.empty() ? SIZE_MAX : tails.back(); i != SIZE_MAX; i = previous[i])
    r.rank[ids[i]] = 0;
  for (uint32_t id : ids)
    if (r.rank[id] != 0) {
      r.rank[id] = Reordering::kMoved;
      r.any = true;
    }
  if (!r.any) return r;
  r.moved.resize(r.rank.size());
  // Each moved class's slot among the run's classes in either order; the run's ranks.
  uint32_t onRun = 0;
  for (uint32_t i = 0; i < was.size(); ++i) {
    const uint32_t id = was[i];
    if (r.rankOf(id) == Reordering::kMoved) {
      r.moved[id].was = i;
      r.moved[id].lo = onRun;
    } else if (r.rankOf(id) != Reordering::kAbsent) {
      r.rank[id] = onRun++;
    }
  }
  onRun = 0;
  for (uint32_t i = 0; i < now.ids.size(); ++i) {
    const uint32_t id = now.ids[i];
    if (r.rankOf(id) == Reordering::kMoved) {
      Reordering::Moved& m = r.moved[id];
      m.now = i;
      m.hi = onRun;
      if (m.hi < m.lo) std::swap(m.lo, m.hi);
    } else if (r.rankOf(id) != Reordering::kAbsent) {
      ++onRun;
    }
  }
  return r;
}

// Whether the classes of `cells` (a value's) stand in another order under `r`'s new order than
// under its old one; `moved`: scratch.
template <typename Cell>
bool rowReordered(const Reordering& r, std::span<const Cell> cells, std::vector<uint32_t>& moved) {
  moved.clear();
  for (const Cell& cell : cells) {
    const uint32_t id = cell.classId;
    const uint32_t rank = r.rankOf(id);
    if (rank == Reordering::kAbsent) return true;  // new: a changed value, summed anyway
    if (rank == Reordering::kMoved) moved.push_back(id);
  }
  if (moved.empty()) return false;
  for (size_t i = 0; i < moved.size(); ++i)
    for (size_t j = i + 1; j < moved.size(); ++j) {
      const Reordering::Moved &a = r.moved[moved[i]], &b = r.moved[moved[j]];
      if ((a.was < b.was) != (a.now < b.now)) return true;
    }
  for (const Cell& cell : cells) {
    const uint32_t rank = r.rankOf(cell.classId);
    if (rank == Reordering::kMoved) continue;
    for (uint32_t c : moved)
      if (rank >= r.moved[c].lo && rank < r.moved[c].hi) return true;
  }
  return false;
}

}  // namespace

template <typename IndexOf>
void MaintainedCounts::sumEntropies(Chunk& chunk, const std::vector<bool>& redo,
                                    const IndexOf& indexOf, int bytes) {
  std::vector<ClassCount> row, scratch;
  const std::vector<Cell>& cells = cellsOf(chunk);
  for (size_t v = 0, c = 0; v < chunk.values.size(); ++v) {
    Value& value = chunk.values[v];
    const size_t from = c;
    while (c < cells.size() && cells[c].value == value.value) ++c;
    if (!redo[v]) continue;
    row.clear();
    for (size_t i = from; i < c; ++i)
      row.push_back({indexOf(cells[i].classId), static_cast<uint32_t>(cells[i].count)});
    sortByClassIndex(row, scratch, bytes);
    value.entropy = row.empty() ? 0.0 : valueEntropy(row, value.total);
  }
}

Result<std::shared_ptr<const MaintainedCounts>> MaintainedCounts::of(const InstanceBase& trained,
                                                                     const EditedRows& rows,
                                                                     JobControl* job) {
  auto m = std::make_shared<MaintainedCounts>();
  const auto width = static_cast<size_t>(trained.width());
  const std::vector<FeatureCounts>& counts = trained.featureCounts();
  m->features_.resize(width);
  // Every value and cell of a feature, chunked below.
  struct Flat {
    std::vector<Value> values;
    std::vector<Cell> cells;
  };
  std::vector<Flat> flat(width);
  forEachFeature(width, [&](size_t f) {
    const FeatureCounts& c = counts[f];
    Flat& out = flat[f];
    std::vector<uint32_t> valueOf(c.valueTotals.size());  // by value index
    for (const auto& [value, index] : c.valueIndex) valueOf[index] = value;
    for (size_t i = 0; i < c.valueTotals.size(); ++i)
      if (c.valueTotals[i] > 0) out.values.push_back({valueOf[i], c.valueTotals[i], kNoRow});
    std::sort(out.values.begin(), out.values.end(),
              [](const Value& a, const Value& b) { return a.value < b.value; });
    c.valueClass.forEach([&](uint64_t key, uint32_t n) {
      out.cells.push_back({valueOf[key >> 32], trained.classId(static_cast<uint32_t>(key)), n});
    });
    std::sort(out.cells.begin(), out.cells.end(), kByValueClass);
  });
  uint32_t maxValue = 0;
  size_t missing = 0;
  for (const Flat& f : flat) {
    if (!f.values.empty()) maxValue = std::max(maxValue, f.values.back().value);
    missing += f.values.size();
  }
  // The first rows, through a dense table per feature (a hash lookup per value took longer).
  std::vector<std::vector<size_t>> firstOf(width,
                                           std::vector<size_t>(size_t{maxValue} + 1, kNoRow));
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
  for (uint32_t i = 0; i < trained.classCount(); ++i) m->classIds_.push_back(trained.classId(i));
  std::vector<uint32_t> indexOfId;
  for (uint32_t i = 0; i < m->classIds_.size(); ++i) {
    if (m->classIds_[i] >= indexOfId.size()) indexOfId.resize(size_t{m->classIds_[i]} + 1);
    indexOfId[m->classIds_[i]] = i;
  }
  const auto indexOf = [&](uint32_t id) { return indexOfId[id]; };
  const int bytes = indexBytes(m->classIds_.size());
  forEachFeature(width, [&](size_t f) {
    std::vector<std::shared_ptr<const Chunk>>& chunks = m->features_[f].chunks;
    chunks.resize(size_t{maxValue} / kChunkValues + 1);
    auto cell = flat[f].cells.begin();
    for (auto v = flat[f].values.begin(); v != flat[f].values.end();) {
      const uint32_t k = v->value / kChunkValues;
      auto chunk = std::make_shared<Chunk>();
      std::vector<Cell> cells;
      for (; v != flat[f].values.end() && v->value / kChunkValues == k; ++v) {
        chunk->values.push_back({v->value, v->total, firstOf[f][v->value]});
        for (; cell != flat[f].cells.end() && cell->value == v->value; ++cell)
          cells.push_back(*cell);
      }
      chunk->cells = std::make_shared<const std::vector<Cell>>(std::move(cells));
      sumEntropies(*chunk, std::vector<bool>(chunk->values.size(), true), indexOf, bytes);
      chunks[k] = std::move(chunk);
    }
  });
  return std::shared_ptr<const MaintainedCounts>(std::move(m));
}

void MaintainedCounts::settleFirstRows(std::vector<std::vector<Value*>>& unsettled,
                                       const EditedRows& rows) {
  // No live row below a value's start holds it: its first live row is the next one at or after
  // the start that does. One pass for all of them from the lowest start (a document's removal
  // moves the first rows of thousands of values past its end: one scan each took seconds).
  std::vector<std::unordered_map<uint32_t, Value*>> pending(unsettled.size());
  size_t left = 0, from = kNoRow;
  for (size_t f = 0; f < unsettled.size(); ++f)
    for (Value* v : unsettled[f]) {
      pending[f].emplace(v->value, v);
      from = std::min(from, v->first);
      ++left;
    }
  for (size_t r = from; left > 0 && r < rows.size(); ++r) {
    if (!rows.live(r)) continue;
    const std::span<const uint32_t> features = rows.features(r);
    for (size_t f = 0; f < pending.size(); ++f) {
      if (pending[f].empty()) continue;
      if (auto it = pending[f].find(features[f]); it != pending[f].end()) {
        it->second->first = r;
        pending[f].erase(it);
        --left;
      }
    }
  }
}

const std::vector<MaintainedCounts::Cell>& MaintainedCounts::cellsOf(const Chunk& chunk) {
  static const std::vector<Cell> none;
  return chunk.cells ? *chunk.cells : none;
}

const MaintainedCounts::Chunk& MaintainedCounts::chunkOf(size_t feature, uint32_t value) const {
  static const Chunk empty;
  const auto& chunks = features_[feature].chunks;
  const size_t k = value / kChunkValues;
  return k < chunks.size() && chunks[k] ? *chunks[k] : empty;
}

std::shared_ptr<const MaintainedCounts> MaintainedCounts::edited(std::span<const Move> moves,
                                                                 const EditedRows& rows,
                                                                 const ClassOrder& classes) const {
  const size_t width = features_.size();
  std::vector<std::vector<CellDelta>> cellDeltas(width);
  std::vector<std::vector<ValueDelta>> valueDeltas(width);
  // Consecutive moves mostly share features and direction (a stored vector's instances, of many
  // classes in turn): one value delta per run and one cell delta per class in it, and the values'
  // first rows looked up once per run.
  std::vector<size_t> firstRows(width, kNoRow);
  std::span<const uint32_t> lastLooked;
  const auto lookFirsts = [&](std::span<const uint32_t> features) {
    if (!lastLooked.empty() && std::equal(features.begin(), features.end(), lastLooked.begin()))
      return;
    lastLooked = features;
    for (size_t f = 0; f < width; ++f) {
      const std::vector<Value>& values = chunkOf(f, features[f]).values;
      auto it = std::lower_bound(values.begin(), values.end(), features[f],
                                 [](const Value& v, uint32_t x) { return v.value < x; });
      firstRows[f] = it != values.end() && it->value == features[f] ? it->first : kNoRow;
    }
  };
  const Move* run = nullptr;
  int64_t runDelta = 0;
  size_t runLowest = kNoRow;
  std::vector<bool> runFirstRemoved(width, false);
  std::vector<int64_t> classDelta;  // by class id, for the run's classes
  std::vector<uint32_t> runClasses;
  std::unordered_set<size_t> added;  // the rows added so far
  const auto flush = [&] {
    if (!run) return;
    for (size_t f = 0; f < width; ++f) {
      for (uint32_t c : runClasses) cellDeltas[f].push_back({run->features[f], c, classDelta[c]});
      valueDeltas[f].push_back({run->features[f], runDelta, runLowest, runFirstRemoved[f]});
      runFirstRemoved[f] = false;
    }
    for (uint32_t c : runClasses) classDelta[c] = 0;
    runClasses.clear();
    run = nullptr;
    runDelta = 0;
    runLowest = kNoRow;
  };
  for (const Move& m : moves) {
    if (run && ((run->delta > 0) != (m.delta > 0) ||
                (m.features.data() != run->features.data() &&
                 !std::equal(m.features.begin(), m.features.end(), run->features.begin()))))
      flush();
    if (!run) run = &m;
    runDelta += m.delta;
    if (m.classId >= classDelta.size()) classDelta.resize(size_t{m.classId} + 1, 0);
    if (classDelta[m.classId] == 0) runClasses.push_back(m.classId);
    classDelta[m.classId] += m.delta;
    if (m.delta > 0) {
      runLowest = std::min(runLowest, m.row);
      added.insert(m.row);
    } else {
      lookFirsts(m.features);
      // A row this edit added may have become its values' first row: removed again, they look
      // for their first live row anew.
      const bool readded = !added.empty() && added.contains(m.row);
      for (size_t f = 0; f < width; ++f)
        if (readded || firstRows[f] == m.row) runFirstRemoved[f] = true;
    }
  }
  flush();

  auto next = std::make_shared<MaintainedCounts>(*this);
  next->classIds_ = classes.ids;
  const Reordering reordering = reorderingOf(classIds_, classes);
  const auto indexOf = [&](uint32_t id) { return classes.indexOf(id); };
  const int bytes = indexBytes(classes.ids.size());
  // Marks in `redo` the values of `chunk` whose classes the new order reorders.
  const auto markReordered = [&](const Chunk& chunk, std::vector<bool>& redo) {
    if (!reordering.any) return false;
    bool any = false;
    std::vector<uint32_t> scratch;
    const std::vector<Cell>& cells = cellsOf(chunk);
    for (size_t v = 0, c = 0; v < chunk.values.size(); ++v) {
      const size_t from = c;
      while (c < cells.size() && cells[c].value == chunk.values[v].value) ++c;
      if (!redo[v] &&
          rowReordered(reordering, std::span<const Cell>(cells.data() + from, c - from), scratch))
        any = redo[v] = true;
    }
    return any;
  };
  // Per feature, the values whose first row was removed: their new chunks' entries, first set to
  // where the search for their next live row starts.
  std::vector<std::vector<Value*>> unsettled(width);
  forEachFeature(width, [&](size_t f) {
    std::vector<CellDelta>& cd = cellDeltas[f];
    std::sort(cd.begin(), cd.end(), kByValueClass);
    std::vector<ValueDelta>& vd = valueDeltas[f];
    std::stable_sort(vd.begin(), vd.end(),
                     [](const ValueDelta& a, const ValueDelta& b) { return a.value < b.value; });
    std::vector<std::shared_ptr<const Chunk>>& chunks = next->features_[f].chunks;
    std::vector<bool> touched;  // by chunk
    // One touched chunk at a time: its values' deltas in [ci, ce) and [vi, ve).
    for (size_t ci = 0, vi = 0; vi < vd.size();) {
      const uint32_t k = vd[vi].value / kChunkValues;
      size_t ce = ci, ve = vi;
      while (ce < cd.size() && cd[ce].value / kChunkValues == k) ++ce;
      while (ve < vd.size() && vd[ve].value / kChunkValues == k) ++ve;
      const Chunk& was = chunkOf(f, vd[vi].value);
      auto out = std::make_shared<Chunk>();
      // The cells, merged with their deltas.
      const std::vector<Cell>& wasCells = cellsOf(was);
      std::vector<Cell> cells;
      cells.reserve(wasCells.size() + (ce - ci));
      auto c = wasCells.begin();
      for (size_t i = ci; i < ce;) {
        const CellDelta& d = cd[i];
        for (; c != wasCells.end() && kByValueClass(*c, d); ++c) cells.push_back(*c);
        int64_t n = 0;
        if (c != wasCells.end() && c->value == d.value && c->classId == d.classId)
          n = static_cast<int64_t>((c++)->count);
        for (; i < ce && cd[i].value == d.value && cd[i].classId == d.classId; ++i)
          n += cd[i].count;
        if (n > 0) cells.push_back({d.value, d.classId, static_cast<uint64_t>(n)});
      }
      cells.insert(cells.end(), c, wasCells.end());
      out->cells = std::make_shared<const std::vector<Cell>>(std::move(cells));
      // The values, their totals and first rows.
      out->values.reserve(was.values.size() + (ve - vi));
      auto v = was.values.begin();
      std::vector<size_t> moved;    // values whose first row was removed
      std::vector<size_t> changed;  // values whose cells changed
      for (size_t i = vi; i < ve;) {
        const uint32_t value = vd[i].value;
        for (; v != was.values.end() && v->value < value; ++v) out->values.push_back(*v);
        const bool existed = v != was.values.end() && v->value == value;
        int64_t total = existed ? static_cast<int64_t>(v->total) : 0;
        size_t first = existed ? v->first : kNoRow;
        bool firstRemoved = false;
        size_t lowestAdded = kNoRow;
        for (; i < ve && vd[i].value == value; ++i) {
          total += vd[i].delta;
          lowestAdded = std::min(lowestAdded, vd[i].lowestAdded);
          firstRemoved = firstRemoved || vd[i].firstRemoved;
        }
        if (existed) ++v;
        if (total <= 0) continue;
        out->values.push_back({value, static_cast<uint64_t>(total), std::min(first, lowestAdded)});
        changed.push_back(out->values.size() - 1);
        if (firstRemoved) moved.push_back(out->values.size() - 1);
      }
      out->values.insert(out->values.end(), v, was.values.end());
      std::vector<bool> redo(out->values.size(), false);
      for (size_t i : changed) redo[i] = true;
      markReordered(*out, redo);
      sumEntropies(*out, redo, indexOf, bytes);
      for (size_t i : moved) unsettled[f].push_back(&out->values[i]);
      if (k >= chunks.size()) chunks.resize(size_t{k} + 1);
      chunks[k] = std::move(out);
      if (k >= touched.size()) touched.resize(size_t{k} + 1, false);
      touched[k] = true;
      ci = ce;
      vi = ve;
    }
    // The untouched chunks holding a class the order moved: copied, summed again.
    for (size_t k = 0; reordering.any && k < chunks.size(); ++k) {
      if (!chunks[k] || (k < touched.size() && touched[k])) continue;
      std::vector<bool> redo(chunks[k]->values.size(), false);
      if (!markReordered(*chunks[k], redo)) continue;
      auto out = std::make_shared<Chunk>(*chunks[k]);
      sumEntropies(*out, redo, indexOf, bytes);
      chunks[k] = std::move(out);
    }
  });
  settleFirstRows(unsettled, rows);
  return next;
}

std::vector<double> MaintainedCounts::weights(const ClassOrder& classes,
                                              FeatureWeighting weighting) const {
  if (weighting == FeatureWeighting::kNone) return std::vector<double>(features_.size(), 1.0);
  std::vector<FeatureWeightDetail> details(features_.size());
  const bool information =
      weighting == FeatureWeighting::kGainRatio || weighting == FeatureWeighting::kInfoGain;
  if (information && classes.ids == classIds_) {
    // The kept entropies, in training's order of values (by first appearance).
    forEachFeature(features_.size(), [&](size_t f) {
      std::vector<const Value*> values;
      for (const auto& chunk : features_[f].chunks)
        if (chunk)
          for (const Value& v : chunk->values) values.push_back(&v);
      sortByFirstRow(values, [](const Value* v) { return v->first; });
      std::vector<uint64_t> totals;
      std::vector<double> entropies;
      totals.reserve(values.size());
      entropies.reserve(values.size());
      for (const Value* v : values) {
        totals.push_back(v->total);
        entropies.push_back(v->entropy);
      }
      details[f] = informationDetail(totals, entropies, classes.totals);
    });
    return featureWeights(details, weighting);
  }
  const int bytes = indexBytes(classes.ids.size());
  forEachFeature(features_.size(), [&](size_t f) {
    // Each value with its cells.
    struct Entry {
      const Value* value;
      const Cell* cells;
      size_t cellCount;
    };
    std::vector<Entry> entries;
    size_t cellTotal = 0;
    for (const auto& chunk : features_[f].chunks) {
      if (!chunk) continue;
      const std::vector<Cell>& cells = cellsOf(*chunk);
      cellTotal += cells.size();
      for (size_t v = 0, c = 0; v < chunk->values.size(); ++v) {
        const size_t from = c;
        while (c < cells.size() && cells[c].value == chunk->values[v].value) ++c;
        entries.push_back({&chunk->values[v], cells.data() + from, c - from});
      }
    }
    // Training's order: values by first appearance, each one's classes by class index.
    sortByFirstRow(entries, [](const Entry& e) { return e.value->first; });
    std::vector<uint64_t> valueTotals;
    valueTotals.reserve(entries.size());
    ValueClassRows rows;
    rows.rowStart.reserve(entries.size() + 1);
    rows.cells.resize(cellTotal);
    std::vector<ClassCount> scratch;
    uint32_t cell = 0;
    for (const Entry& e : entries) {
      valueTotals.push_back(e.value->total);
      rows.rowStart.push_back(cell);
      const std::span<ClassCount> row(rows.cells.data() + cell, e.cellCount);
      for (size_t c = 0; c < e.cellCount; ++c)
        row[c] = {classes.indexOf(e.cells[c].classId), static_cast<uint32_t>(e.cells[c].count)};
      sortByClassIndex(row, scratch, bytes);
      cell += static_cast<uint32_t>(e.cellCount);
    }
    rows.rowStart.push_back(cell);
    details[f] = computeFeatureWeightDetail(valueTotals, rows, classes.totals);
  });
  return featureWeights(details, weighting);
}

}  // namespace memlens
