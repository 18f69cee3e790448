#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "edit/edited_rows.h"
#include "edit/incremental_classifier.h"
#include "memlens/instance_base.h"

namespace memlens {

// Per feature, the value and value×class counts of an edited memory's live instances, with each
// value's first live row: what a memory trained on those instances weighs its features by, kept
// per edit at the cost of what it changed (no pass over the instances), so that recomputed
// weights come without retraining. weights() equals training's bit for bit: training sums the
// same statistics (computeFeatureWeightDetail) over values by first appearance and classes by
// class index, and the first live rows and the ClassOrder give exactly those orders. Each value
// also keeps its class distribution's entropy, summed in the class order the counts were last
// given: an edit sums again only the values whose cells it changes or whose classes it reorders,
// so that information gain and gain ratio read a figure per value rather than every cell.
// Immutable (shared between memories); an edit makes new counts, copying the chunks of values it
// changes.
class MaintainedCounts {
 public:
  // One instance removed (delta -1) or added (+1) at `row`.
  struct Move {
    std::span<const uint32_t> features;
    uint32_t classId = 0;
    size_t row = 0;
    int delta = 0;
  };

  // The counts of `trained` (a memory of every row of `rows`, in order, as trained on them),
  // with the values' first rows found in one pass over `rows` (stopping once all are found) and
  // their entropies in `trained`'s class order. Honours cancel.
  static Result<std::shared_ptr<const MaintainedCounts>> of(const InstanceBase& trained,
                                                            const EditedRows& rows,
                                                            JobControl* job);
  // These counts after `moves`; `rows`: the rows after them (where a value whose first row was
  // removed finds its next live one); `classes`: their class order (the entropies' from now on).
  std::shared_ptr<const MaintainedCounts> edited(std::span<const Move> moves,
                                                 const EditedRows& rows,
                                                 const ClassOrder& classes) const;
  // The weights a memory trained on the live instances has under `weighting`; `classes`: its
  // class order (ClassOrder::totals by class index). Information gain and gain ratio read the
  // kept entropies when `classes` is the order they were summed in, else every cell.
  std::vector<double> weights(const ClassOrder& classes, FeatureWeighting weighting) const;

 private:
  // A (value, class) count, or its change by an edit.
  template <typename N>
  struct ValueClass {
    uint32_t value = 0;
    uint32_t classId = 0;
    N count = 0;
  };
  using Cell = ValueClass<uint64_t>;
  using CellDelta = ValueClass<int64_t>;
  // By value, then class (either kind).
  static constexpr auto kByValueClass = [](const auto& a, const auto& b) {
    return a.value != b.value ? a.value < b.value : a.classId < b.classId;
  };
  struct Value {
    uint32_t value = 0;
    uint64_t total = 0;
    size_t first = 0;      // its first live row
    double entropy = 0.0;  // of its cells in classIds_'s order (valueEntropy)
  };
  // The values of one feature in [k * kChunkValues, (k + 1) * kChunkValues) and their cells,
  // sorted by value (cells: then by class id; shared with the copies that only sum entropies
  // again, as a class order's move makes them).
  struct Chunk {
    std::vector<Value> values;
    std::shared_ptr<const std::vector<Cell>> cells;
  };
  static constexpr uint32_t kChunkValues = 256;
  // By value chunk, shared between copies: an edit copies the chunks it changes (a 100M-instance
  // memory holds tens of millions of cells per feature, and undo keeps several memories).
  struct Feature {
    std::vector<std::shared_ptr<const Chunk>> chunks;
  };
  // Sets each value's first row to its first live row at or after the row it holds (see
  // edited()).
  static void settleFirstRows(std::vector<std::vector<Value*>>& unsettled, const EditedRows& rows);
  // The cells of `chunk` (none when it has no array).
  static const std::vector<Cell>& cellsOf(const Chunk& chunk);
  // The chunk `value` falls in: ours, or an empty one.
  const Chunk& chunkOf(size_t feature, uint32_t value) const;
  // Sums again the entropies of the values of `chunk` marked in `redo` (by place in its values),
  // their cells ordered by `indexOf` (class id -> index); `bytes`: those of the largest index.
  template <typename IndexOf>
  static void sumEntropies(Chunk& chunk, const std::vector<bool>& redo, const IndexOf& indexOf,
                           int bytes);
  std::vector<Feature> features_;
  std::vector<uint32_t> classIds_;  // the entropies' class order: ids by class index
};

}  // namespace memlens
