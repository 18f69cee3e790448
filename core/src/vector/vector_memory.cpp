#include "memlens/vector_memory.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>

#include "vector/slot_index.h"
#include "vector/word_clusters.h"
#include "vector/word_distances.h"

namespace memlens {

namespace {

// Positions by weight, highest first (ties: lower position first).
std::vector<int> positionsByWeight(const std::vector<double>& weights) {
  std::vector<int> order(weights.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return weights[size_t(a)] > weights[size_t(b)]; });
  return order;
}

// Query words keep their distances to every word (a column) within this budget: a column costs
// 4 bytes a word, and with one a read computes no distance (kept for the words most frequent in
// the slots, which are the query words of most reads).
constexpr size_t kKeptColumnBytes = size_t{256} << 20;

// Far above the relative rounding error of a sum of a few non-negative terms in another order
// (a few times 2^-53), far below any difference between two distances that matters.
constexpr double kBoundSlack = 1e-12;

// The most frequent words of the slots (by slots holding them anywhere), as many as the budget
// keeps columns for.
std::vector<bool> wordsToKeep(const InstanceBase& memory, const WordVectors* vectors) {
  if (!vectors || vectors->size() == 0) return {};
  const uint32_t words = vectors->size();
  std::vector<uint64_t> count(words, 0);
  for (uint32_t slot = 0; slot < memory.vectorCount(); ++slot) {
    for (uint32_t v : memory.vector(slot)) {
      if (v < words) ++count[v];
    }
  }
  std::vector<uint32_t> order(words);
  std::iota(order.begin(), order.end(), 0u);
  const size_t kept = std::min<size_t>(words, kKeptColumnBytes / (sizeof(float) * words));
  std::partial_sort(
      order.begin(), order.begin() + std::ptrdiff_t(kept), order.end(),
      [&](uint32_t a, uint32_t b) { return count[a] != count[b] ? count[a] > count[b] : a < b; });
  std::vector<bool> keep(words, false);
  for (size_t i = 0; i < kept; ++i) keep[order[i]] = count[order[i]] > 0;
  return keep;
}

// The order of the read: nearest first, equal distances by slot id. A function object, so that
// the heap's comparisons are inlined.
constexpr auto before = [](const SlotRead& a, const SlotRead& b) {
  return a.distance != b.distance ? a.distance < b.distance : a.slot < b.slot;
};

// A block of at most this many entries goes straight to its entries' own cluster floors, which
// cost less than its masks' (eight table look-ups a mask) and bound tighter. 16 against 4 (with
// blocks of 32): about 2.5 % less CPU for a whole KJV eval, 2–4.5 % one-hot.
constexpr uint32_t kFewEntries = 16;

constexpr size_t kMaskBytes = sizeof(WordClusters::Mask);
constexpr size_t kMaskFloors = kMaskBytes * 256;
static_assert(WordClusters::kCount == 8 * kMaskBytes, "a bit of a mask per cluster");

// Queued entries are read this many at a time (or at the end of a group).
constexpr size_t kQueuedEntries = 4096;

struct QueuedEntries {
  uint32_t begin, end;  // entries of one level
  double term;          // the sum of their two known terms
};

// An entry that passed its floor bound.
struct Candidate {
  double floorBound;
  double term;  // the sum of its two known terms
  uint32_t entry;
};

// The candidates of a read's queued entries with the least floor bounds, read first.
constexpr size_t kFirstCandidates = 128;

// One thread's working memory for a read, reused across reads (stamps count for the read or table
// whose epoch they hold, so nothing is cleared between reads).
struct ReadScratch {
  uint32_t epoch = 0;  // the read's: `chosen`
  // Per position, by word: a lower bound of ‖e(x_j) − e(v)‖², exact once known[j][v] holds the
  // position's table epoch (or for a word without a vector). A table stays valid for the next
  // read of the same memory with the same word at its position (as reads in context order are),
  // with the distances computed so far.
  std::vector<std::vector<float>> distance;
  std::vector<std::vector<uint32_t>> known;
  std::vector<std::vector<uint32_t>> near;  // stamp: one of x_j's near words
  std::vector<uint32_t> tableEpoch;         // per position
  std::vector<uint64_t> tableMemory;        // per position: the id of the memory its table is for
  std::vector<uint32_t> tableWord;          // per position: its query word
  // Per position: the table a read looks distances up in, the query word's kept column when it
  // has one (every distance exact: nothing to compute) else `distance` above.
  std::vector<const float*> table;
  std::vector<uint8_t> exact;
  std::vector<float> farBound;         // per position: the floor of a far word's distance
  std::vector<float> floors;           // per position: WordDistances::floors() of its query word
  std::vector<float> coarseFloors;     // per cluster: the least of its fine clusters' floors
  std::vector<float> maskFloors;       // per position: kMaskBytes × 256, see buildMaskFloors()
  std::vector<double> weightedFloors;  // per position: its weight × floors, per fine cluster
  std::vector<std::vector<uint32_t>> pending;  // per position: words whose distance is due
  std::vector<std::vector<uint32_t>> chosen;   // per level, by word: a candidate word there
  std::vector<std::vector<uint32_t>> chosenList;
  std::vector<float> computed;
  // Entries to be read, their level's by run or block (see search()).
  std::vector<QueuedEntries> queued;
  size_t queuedEntries = 0;
  std::vector<Candidate> candidates;
  std::vector<uint32_t> entries;
  std::vector<uint32_t> nearRuns;  // a group's runs of near words, by index
  // Per level, per position of its rest(): see search().
  std::vector<std::vector<const double*>> restFloors;
  std::vector<std::vector<const float*>> restTables;
  std::vector<SlotRead> heap;

  static ReadScratch& local() {
    thread_local ReadScratch s;
    return s;
  }
  void start(size_t width, size_t values, size_t levels, size_t groups) {
    auto fit = [](auto& v, size_t rows, size_t n) {
      if (v.size() < rows) v.resize(rows);
      for (size_t r = 0; r < rows; ++r) {
        if (v[r].size() < n) v[r].resize(n, 0);
      }
    };
    fit(distance, width, values);
    fit(known, width, values);
    fit(near, width, values);
    if (tableEpoch.size() < width) {
      tableEpoch.resize(width, 0);
      tableMemory.resize(width, 0);  // no memory's id
      tableWord.resize(width, 0);
    }
    farBound.resize(width);
    floors.resize(width * WordClusters::kFineCount);
    coarseFloors.resize(WordClusters::kCount);
    maskFloors.resize(width * kMaskFloors);
    weightedFloors.resize(width * WordClusters::kFineCount);
    table.resize(width);
    exact.resize(width);
    fit(chosen, levels, groups);
    if (pending.size() < width) pending.resize(width);
    if (chosenList.size() < levels) chosenList.resize(levels);
    if (restFloors.size() < levels) {
      restFloors.resize(levels);
      restTables.resize(levels);
    }
    for (auto& list : chosenList) list.clear();
    heap.clear();
    queued.clear();
    queuedEntries = 0;
    if (++epoch == 0) {  // wrapped: forget every stamp
      for (auto& row : chosen) std::fill(row.begin(), row.end(), 0u);
      epoch = 1;
    }
  }

  // Position j's table is to be rebuilt for `memory`'s read of `word`: a new epoch for its stamps.
  void renew(size_t j, uint64_t memory, uint32_t word) {
    tableMemory[j] = memory;
    tableWord[j] = word;
    if (++tableEpoch[j] == 0) {  // wrapped: forget the position's stamps
      std::fill(known[j].begin(), known[j].end(), 0u);
      std::fill(near[j].begin(), near[j].end(), 0u);
      tableEpoch[j] = 1;
    }
  }
};

// Into `out` (kMaskFloors): for each byte i of a cluster mask and each value m of it, the least
// of 2 and of `floors` over the clusters m marks there, so that a block's least floor takes eight
// look-ups instead of a step per cluster in its mask (thousands of blocks a read).
void buildMaskFloors(const float* floors, float* out) {
  for (size_t i = 0; i < kMaskBytes; ++i) {
    float* least = out + i * 256;
    least[0] = 2.0f;
    for (uint32_t m = 1; m < 256; ++m) {
      least[m] = std::min(least[m & (m - 1)], floors[i * 8 + size_t(std::countr_zero(m))]);
    }
  }
}

// The least of 2 and of the floors over the clusters in `mask`, from buildMaskFloors()' table.
float leastFloor(const float* maskFloors, WordClusters::Mask mask) {
  float least = maskFloors[mask & 255];
  for (size_t i = 1; i < kMaskBytes; ++i) {
    least = std::min(least, maskFloors[i * 256 + ((mask >> (8 * i)) & 255)]);
  }
  return least;
}

// Identifies a VectorMemory to the tables its reads leave behind (never reused, unlike an address).
std::atomic<uint64_t> lastMemoryId{0};

// Level r's slot is read there only if no earlier level chose its word at r's sub position: once
// in all.
bool subChosenBefore(const std::vector<SlotIndex>& levels, const ReadScratch& s, size_t r,
                     uint32_t u) {
  for (size_t q = 0; q < r; ++q) {
    if (levels[q].position() == levels[r].sub() && s.chosen[q][u] == s.epoch) return true;
  }
  return false;
}

bool isNew(const std::vector<SlotIndex>& levels, const ReadScratch& s, size_t r,
           const uint32_t* values) {
  for (size_t q = 0; q < r; ++q) {
    const auto p = size_t(levels[q].position());
    if (int(p) != levels[r].sub() && s.chosen[q][values[p]] == s.epoch) return false;
  }
  return true;
}

// The slots of word w's group at level r that no earlier level's candidate words hold.
size_t newSlots(const std::vector<SlotIndex>& levels, const ReadScratch& s, size_t r, uint32_t w) {
  const SlotIndex& level = levels[r];
  if (w >= level.groupCount()) return 0;
  size_t n = level.groupSize(w);
  if (r == 0) return n;
  if (r == 1 && level.sub() == levels[0].position()) {
    for (uint32_t u : s.chosenList[0]) {
      const uint32_t run = level.findRun(w, u);
      if (run != SlotIndex::kNone) n -= level.runBegin(run + 1) - level.runBegin(run);
    }
    return n;
  }
  n = 0;
  for (uint32_t run = level.firstRun(w), end = level.firstRun(w + 1); run < end; ++run) {
    if (subChosenBefore(levels, s, r, level.runWord(run))) continue;
    for (uint32_t e = level.runBegin(run); e < level.runBegin(run + 1); ++e) {
      n += isNew(levels, s, r, level.values(e));
    }
  }
  return n;
}

// Marks `words` as level r's candidates (those this memory has slots for).
void choose(const std::vector<SlotIndex>& levels, ReadScratch& s, size_t r,
            std::span<const uint32_t> words) {
  for (const uint32_t w : words) {
    if (w >= levels[r].groupCount()) continue;
    s.chosen[r][w] = s.epoch;
    s.chosenList[r].push_back(w);
  }
}

// How many of `words` are candidates when word i adds count(i) new slots.
template <typename Count>
size_t chosenPrefix(std::span<const uint32_t> words, uint32_t queryWord, int candidateSlots,
                    const Count& count) {
  size_t added = 0;
  for (size_t i = 0; i < words.size(); ++i) {
    if (words[i] != queryWord && added >= size_t(candidateSlots)) return i;
    added += count(i);
  }
  return words.size();
}

}  // namespace

VectorMemory::VectorMemory(const InstanceBase& memory, std::vector<double> weights,
                           const WordVectors* vectors, VectorMemoryOptions options)
    : memory_(memory),
      id_(++lastMemoryId),
      weights_(std::move(weights)),
      options_(options),
      weightsBound_(
          std::all_of(weights_.begin(), weights_.end(), [](double w) { return w >= 0.0; })),
      clusters_(std::make_unique<WordClusters>(vectors)),
      distances_(std::make_unique<WordDistances>(vectors,
                                                 static_cast<size_t>(options_.candidateWords) + 1,
                                                 wordsToKeep(memory, vectors), clusters_.get())) {
  const int width = memory_.width();
  if (width < 1) return;
  const std::vector<int> order = positionsByWeight(weights_);
  // Each level's runs follow the highest-weight other position: the tightest second bound.
  auto subOf = [&](int position) {
    return position != order[0] ? order[0] : width > 1 ? order[1] : -1;
  };
  // A run's entries follow the highest-weight position of the rest: its floors count the most.
  auto thirdOf = [&](int position) {
    for (const int j : order) {
      if (j != position && j != subOf(position)) return j;
    }
    return -1;
  };
  const int indexed = std::min(options_.indexedPositions, width);
  for (uint32_t slot = 0; slot < memory_.vectorCount(); ++slot) {
    for (uint32_t v : memory_.vector(slot)) valueCount_ = std::max(valueCount_, v + 1);
  }
  // The levels are independent, each a sort of every slot: built on both cores (after training,
  // the other one would wait).
  std::vector<std::optional<SlotIndex>> built(size_t(std::max(indexed, 1)));
  tbb::parallel_for(size_t{0}, built.size(), [&](size_t r) {
    const int position = order[r];
    built[r].emplace(memory_, position, subOf(position), thirdOf(position), *clusters_);
  });
  for (std::optional<SlotIndex>& level : built) {
    levels_.push_back(std::move(*level));
    largestGroupCount_ = std::max(largestGroupCount_, levels_.back().groupCount());
  }
}

VectorMemory::~VectorMemory() = default;

// The exact top-k over the candidate slots: each indexed level's candidate words are those of
// the approximate search (docs/spec/vector-memory.md), and its slots are read group by group
// and run by run, skipping any whose lower bound — the sum of its two known distance terms —
// exceeds the k-th best distance so far. A slot's distance is summed over positions in order
// exactly as a plain scan would, so skipping changes no value and no choice.
std::vector<SlotRead> VectorMemory::search(std::span<const uint32_t> query,
                                           const CandidateWords* given) const {
  if (levels_.empty() || query.size() != size_t(memory_.width())) return {};
  const size_t width = query.size(), k = size_t(std::max(1, options_.topK));
  const uint32_t words = distances_->wordCount();
  ReadScratch& s = ReadScratch::local();
  s.start(width, valueCount_, levels_.size(), largestGroupCount_);

  // Distances start as lower bounds: a word's is exact when it has no vector or is near x_j (the
  // near words are computed at once), else the floor of x_j's far words until computed.
  auto nearOf = [&](size_t j) { return nearWordsAt(query, j); };
  for (size_t j = 0; j < width; ++j) {
    std::vector<float>& distance = s.distance[j];
    const uint32_t x = query[j], vectors = std::min(words, valueCount_);
    if (s.tableMemory[j] == id_ && s.tableWord[j] == x) continue;
    s.renew(j, id_, x);
    s.farBound[j] = distances_->farBound(x);
    const float* floors = s.floors.data() + j * WordClusters::kFineCount;
    distances_->floors(x, std::span<float>(s.floors).subspan(j * WordClusters::kFineCount,
                                                             WordClusters::kFineCount));
    for (uint32_t c = 0; c < WordClusters::kCount; ++c) {
      const float* fine = floors + c * WordClusters::kFine;
      s.coarseFloors[c] = *std::min_element(fine, fine + WordClusters::kFine);
    }
    buildMaskFloors(s.coarseFloors.data(), s.maskFloors.data() + j * kMaskFloors);
    for (uint32_t f = 0; f < WordClusters::kFineCount; ++f) {
      s.weightedFloors[j * WordClusters::kFineCount + f] = weights_[j] * double{floors[f]};
    }
    const std::span<const float> column = distances_->keptColumn(x);
    s.exact[j] = column.size() >= valueCount_;
    s.table[j] = s.exact[j] ? column.data() : distance.data();
    if (!s.exact[j]) {
      // A far word is at least as far as x_j's far words and as its fine cluster's floor.
      for (uint32_t v = 0; v < vectors; ++v) {
        distance[v] = std::max(s.farBound[j], floors[clusters_->fineOf(v)]);
      }
      std::fill(distance.begin() + vectors, distance.begin() + valueCount_, 2.0f);
    }
    if (x < valueCount_) {
      distance[x] = 0.0f;
      s.near[j][x] = s.tableEpoch[j];
    }
    if (x >= words) continue;
    const std::span<const uint32_t> near = nearOf(j);
    // With a kept column every distance is already there to look up.
    if (!s.exact[j]) {
      s.computed.resize(near.size());
      distances_->distances(x, near, s.computed);
    }
    for (size_t i = 0; i < near.size(); ++i) {
      if (near[i] >= valueCount_) continue;
      if (!s.exact[j]) distance[near[i]] = s.computed[i];
      s.known[j][near[i]] = s.tableEpoch[j];
      s.near[j][near[i]] = s.tableEpoch[j];
    }
  }
  auto term = [&](size_t j, uint32_t v) { return weights_[j] * double{s.table[j][v]}; };

  // Candidate words per level, as the approximate search always chose them: near words in order
  // while the level's new slots number fewer than candidateSlots (its query word always counts).
  const bool exhaustive = options_.indexedPositions <= 0;
  for (size_t r = 0; r < levels_.size() && !exhaustive; ++r) {
    if (given) {
      choose(levels_, s, r, (*given)[r]);
      continue;
    }
    const std::vector<uint32_t> words = levelWords(query, r, levels_[r].groupCount());
    const size_t n =
        chosenPrefix(words, query[size_t(levels_[r].position())], options_.candidateSlots,
                     [&](size_t i) { return newSlots(levels_, s, r, words[i]); });
    choose(levels_, s, r, std::span<const uint32_t>(words).first(n));
  }

  std::vector<SlotRead>& heap = s.heap;
  const double* weights = weights_.data();
  const float* const* distance = s.table.data();
  auto beyond = [&](double bound) {
    return weightsBound_ && heap.size() >= k && bound > heap.front().distance;
  };
  // Per level, per position of its rest(): that position's weighted fine floors and its table,
  // fetched once per read rather than through the scratch's vectors per entry.
  for (size_t r = 0; r < levels_.size(); ++r) {
    const std::span<const size_t> rest = levels_[r].rest();
    s.restFloors[r].resize(rest.size());
    s.restTables[r].resize(rest.size());
    for (size_t i = 0; i < rest.size(); ++i) {
      s.restFloors[r][i] = s.weightedFloors.data() + rest[i] * WordClusters::kFineCount;
      s.restTables[r][i] = distance[rest[i]];
    }
  }
  const bool allExact = std::all_of(s.exact.begin(), s.exact.begin() + std::ptrdiff_t(width),
                                    [](uint8_t exact) { return exact != 0; });
  auto limitNow = [&] {
    return weightsBound_ && heap.size() >= k ? heap.front().distance * (1.0 + kBoundSlack)
                                             : std::numeric_limits<double>::infinity();
  };
  // Candidates [begin, end) of level r (passed their fine bound) against the k-th distance now:
  // the bound from the distances known so far drops the slots that cannot enter, and the rest's
  // missing distances are computed together; then the exact distances, summed over positions in
  // order as a plain scan sums them, go to the heap.
  auto readCandidates = [&](size_t r, Candidate* begin, Candidate* end) {
    const double limit = limitNow();
    const SlotIndex& level = levels_[r];
    const std::span<const size_t> rest = level.rest();
    const size_t restCount = rest.size();
    const float* const* restTables = s.restTables[r].data();
    size_t kept = 0;
    for (Candidate* c = begin; c < end; ++c) {
      if (c->floorBound > limit) continue;
      const uint32_t* values = level.values(c->entry);
      double bound = c->term;
      for (size_t i = 0; i < restCount; ++i) {
        bound += weights[rest[i]] * double{restTables[i][values[rest[i]]]};
      }
      begin[kept] = *c;
      kept += !(bound > limit);
    }
    s.entries.clear();
    for (size_t c = 0; c < kept; ++c) {
      const uint32_t e = begin[c].entry;
      const uint32_t* values = level.values(e);
      if (r > 0 && !isNew(levels_, s, r, values)) continue;
      s.entries.push_back(e);
      if (allExact) continue;
      for (size_t j = 0; j < width; ++j) {
        const uint32_t v = values[j];
        if (!s.exact[j] && v < words && s.known[j][v] != s.tableEpoch[j]) {
          s.known[j][v] = s.tableEpoch[j];
          s.pending[j].push_back(v);
        }
      }
    }
    for (size_t j = 0; j < width; ++j) {
      std::vector<uint32_t>& due = s.pending[j];
      if (due.empty()) continue;
      s.computed.resize(due.size());
      distances_->distances(query[j], due, s.computed);
      for (size_t i = 0; i < due.size(); ++i) s.distance[j][due[i]] = s.computed[i];
      due.clear();
    }
    for (const uint32_t e : s.entries) {
      const uint32_t* values = level.values(e);
      double d = 0.0;
      for (size_t j = 0; j < width; ++j) d += weights[j] * double{distance[j][values[j]]};
      const SlotRead read{level.slot(e), d, 0.0};
      if (heap.size() < k) {
        heap.push_back(read);
        std::push_heap(heap.begin(), heap.end(), before);
      } else if (before(read, heap.front())) {
        std::pop_heap(heap.begin(), heap.end(), before);
        heap.back() = read;
        std::push_heap(heap.begin(), heap.end(), before);
      }
    }
  };
  // The entries queued at level r (s.queued), first bounded by the floors of their fine clusters
  // (each at most the term the exact bound adds in the same order, so this drops only entries
  // that bound would drop; without a branch per entry: about one in five passes, a branch would
  // mispredict often). Many runs' entries at once: a run holds about four, and a pass per run
  // cost more in its own set-up than in its entries. Then the candidates with the least floor
  // bounds first, which set a k-th distance near the final one, before the rest: most of those
  // then fail against it on the bound they already have, without a look at their values.
  auto readQueued = [&](size_t r) {
    if (s.queued.empty()) return;
    const double limit = limitNow();
    const SlotIndex& level = levels_[r];
    const size_t restCount = level.rest().size();
    const double* const* restFloors = s.restFloors[r].data();
    if (s.candidates.size() < s.queuedEntries) s.candidates.resize(s.queuedEntries);
    Candidate* candidates = s.candidates.data();
    size_t n = 0;
    for (const QueuedEntries& q : s.queued) {
      const WordClusters::FineId* fine = level.fineClusters(q.begin);
      for (uint32_t e = q.begin; e < q.end; ++e, fine += restCount) {
        double floorBound = q.term;
        for (size_t i = 0; i < restCount; ++i) floorBound += restFloors[i][fine[i]];
        candidates[n] = {floorBound, q.term, e};
        n += !(floorBound > limit);
      }
    }
    s.queued.clear();
    s.queuedEntries = 0;
    if (n > kFirstCandidates + k) {
      std::nth_element(
          candidates, candidates + kFirstCandidates, candidates + n,
          [](const Candidate& a, const Candidate& b) { return a.floorBound < b.floorBound; });
      readCandidates(r, candidates, candidates + kFirstCandidates);
      readCandidates(r, candidates + kFirstCandidates, candidates + n);
    } else {
      readCandidates(r, candidates, candidates + n);
    }
  };
  // Queues entries begin .. end − 1 of level r, whose two known terms sum to `term`; read once
  // kQueuedEntries are queued. Until then the k-th distance is the one before: a looser bound,
  // never a wrong one.
  auto queue = [&](size_t r, uint32_t begin, uint32_t end, double term) {
    s.queued.push_back({begin, end, term});
    s.queuedEntries += end - begin;
    if (s.queuedEntries >= kQueuedEntries) readQueued(r);
  };
  // A run's entries queued (a run of few entries at once, without its blocks; a longer one block
  // by block, each bounded first by its two known terms and its clusters' floors at the other
  // positions). The bounds sum terms in another order than a slot's distance, so they may exceed
  // the plain sum of the same terms by a few rounding errors: they drop a block or an entry only
  // when it is clearly above the k-th distance. `runTerm`: the sum of the run's two known terms
  // (its words at the level's position and sub).
  auto readRun = [&](size_t r, uint32_t run, double runTerm) {
    const SlotIndex& level = levels_[r];
    if (const uint32_t begin = level.runBegin(run), end = level.runBegin(run + 1);
        end - begin <= kFewEntries) {
      queue(r, begin, end, runTerm);
      return;
    }
    const std::span<const size_t> rest = level.rest();
    for (uint32_t b = level.firstBlock(run), last = level.firstBlock(run + 1); b < last; ++b) {
      const uint32_t begin = level.blockBegin(b), end = level.blockBegin(b + 1);
      if (end - begin > kFewEntries) {
        const WordClusters::Mask* masks = level.masks(b);
        double bound = runTerm;
        for (size_t i = 0; i < rest.size(); ++i) {
          const float* floors = s.maskFloors.data() + rest[i] * kMaskFloors;
          bound += weights[rest[i]] * double{leastFloor(floors, masks[i])};
        }
        if (bound > limitNow()) continue;
      }
      queue(r, begin, end, runTerm);
    }
  };

  // The slots nearest in the two highest-weight positions first, for an early k-th distance.
  const SlotIndex& top = levels_.front();
  const uint32_t seed = top.sub() >= 0
                            ? top.findRun(query[size_t(top.position())], query[size_t(top.sub())])
                            : SlotIndex::kNone;
  if (seed != SlotIndex::kNone) {
    readRun(0, seed,
            term(size_t(top.position()), query[size_t(top.position())]) +
                term(size_t(top.sub()), query[size_t(top.sub())]));
    readQueued(0);
  }
  // A group's runs whose word at the second position is near its query word first (nearest
  // first, for an early k-th distance), then the rest, whose common floor may drop them all.
  auto scanGroup = [&](size_t r, uint32_t w) {
    const SlotIndex& level = levels_[r];
    const double groupTerm = term(size_t(level.position()), w);
    if (beyond(groupTerm)) return;
    if (level.sub() < 0) {
      if (!(r == 0 && level.firstRun(w) == seed)) readRun(r, level.firstRun(w), groupTerm);
      return;
    }
    const auto j = size_t(level.sub());
    auto consider = [&](uint32_t run) {
      if (r == 0 && run == seed) return;
      const uint32_t u = level.runWord(run);
      const double runTerm = groupTerm + term(j, u);
      if (!beyond(runTerm) && !subChosenBefore(levels_, s, r, u)) readRun(r, run, runTerm);
    };
    s.nearRuns.clear();
    for (const uint32_t u : nearOf(j)) {
      const uint32_t run = level.findRun(w, u);
      if (run == SlotIndex::kNone) continue;
      s.nearRuns.push_back(run);
      consider(run);
    }
    if (beyond(groupTerm + weights_[j] * double{s.farBound[j]})) return;
    // The rest skips the runs of x_j's near words (and of x_j) by their index, in the order the
    // group holds them, rather than by a look-up per run.
    if (const uint32_t own = level.findRun(w, query[j]); own != SlotIndex::kNone) {
      s.nearRuns.push_back(own);
    }
    std::sort(s.nearRuns.begin(), s.nearRuns.end());
    auto skip = s.nearRuns.begin();
    for (uint32_t run = level.firstRun(w), end = level.firstRun(w + 1); run < end; ++run) {
      while (skip != s.nearRuns.end() && *skip < run) ++skip;
      if (skip == s.nearRuns.end() || *skip != run) consider(run);
    }
  };
  auto readGroup = [&](size_t r, uint32_t w) {
    scanGroup(r, w);
    readQueued(r);
  };
  for (size_t r = 0; r < levels_.size(); ++r) {
    if (!exhaustive) {
      for (const uint32_t w : s.chosenList[r]) readGroup(r, w);
      continue;
    }
    // Every group: the near ones first, then the far ones while their floor allows.
    const auto j = size_t(levels_[r].position());
    for (const uint32_t w : nearOf(j)) {
      if (w < levels_[r].groupCount()) readGroup(r, w);
    }
    if (beyond(weights_[j] * double{s.farBound[j]})) continue;
    for (uint32_t w = 0; w < levels_[r].groupCount(); ++w) {
      if (s.near[j][w] != s.tableEpoch[j]) readGroup(r, w);
    }
  }
  std::sort_heap(heap.begin(), heap.end(), before);
  return {heap.begin(), heap.end()};
}

std::vector<SlotRead> VectorMemory::nearest(std::span<const uint32_t> query) const {
  return search(query, nullptr);
}

std::vector<SlotRead> VectorMemory::nearest(std::span<const uint32_t> query,
                                            const CandidateWords& candidates) const {
  if (candidates.size() < candidateLevels()) return {};
  return search(query, &candidates);
}

void VectorMemory::prepare(std::span<const uint32_t> values, JobControl* job) const {
  distances_->prepare(values, job);
}

size_t VectorMemory::candidateLevels() const {
  return options_.indexedPositions <= 0 ? 0 : levels_.size();
}

uint32_t VectorMemory::groupCount(size_t level) const { return levels_[level].groupCount(); }

std::span<const uint32_t> VectorMemory::nearWordsAt(std::span<const uint32_t> query,
                                                    size_t j) const {
  if (query[j] < distances_->wordCount()) return distances_->nearWords(query[j]);
  return query.subspan(j, 1);
}

std::vector<uint32_t> VectorMemory::levelWords(std::span<const uint32_t> query, size_t level,
                                               uint32_t groups) const {
  std::vector<uint32_t> words;
  for (const uint32_t w : nearWordsAt(query, size_t(levels_[level].position()))) {
    if (w < groups) words.push_back(w);
  }
  return words;
}

std::vector<uint64_t> VectorMemory::newSlotCounts(size_t level, const CandidateWords& earlier,
                                                  std::span<const uint32_t> words) const {
  if (level >= levels_.size()) return std::vector<uint64_t>(words.size(), 0);
  ReadScratch& s = ReadScratch::local();
  s.start(size_t(memory_.width()), valueCount_, levels_.size(), largestGroupCount_);
  for (size_t r = 0; r < level && r < earlier.size(); ++r) choose(levels_, s, r, earlier[r]);
  std::vector<uint64_t> counts;
  counts.reserve(words.size());
  for (const uint32_t w : words) counts.push_back(newSlots(levels_, s, level, w));
  return counts;
}

size_t VectorMemory::chosenCount(std::span<const uint32_t> query, size_t level,
                                 std::span<const uint32_t> words,
                                 std::span<const uint64_t> counts) const {
  return chosenPrefix(words, query[size_t(levels_[level].position())], options_.candidateSlots,
                      [&](size_t i) { return i < counts.size() ? counts[i] : 0; });
}

std::vector<std::vector<double>> VectorMemory::attentionTerms(std::span<const uint32_t> query,
                                                              std::span<const SlotRead> slots,
                                                              double temperature) const {
  std::vector<std::vector<double>> map;
  for (const SlotRead& r : slots) {
    const auto values = memory_.vector(r.slot);
    std::vector<double>& row = map.emplace_back(query.size());
    for (size_t j = 0; j < query.size(); ++j) {
      row[j] = weights_[j] * double{distances_->distance(query[j], values[j])} / temperature;
    }
  }
  return map;
}

}  // namespace memlens
