#include "memlens/vector_memory.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <type_traits>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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
// the selection's comparisons are inlined.
constexpr auto before = [](const SlotRead& a, const SlotRead& b) {
  return a.distance != b.distance ? a.distance < b.distance : a.slot < b.slot;
};

// A read also keeps each term rounded down to a byte (a quantum of 2·max w_j / 255), so that an
// entry is bounded by a few byte look-ups in tables that stay in the L1 cache (a float column of
// the KJV is 55 KB) before its exact distance is summed.
constexpr float kMostQuanta = 255.0f;

// Into `out`: per word v < n, floor(min(table[v] · factor, 255)) (0 for a NaN). Four words an
// instruction with SSE2: a read rebuilds about two positions' tables.
void quantise(const float* table, float factor, uint32_t n, uint8_t* out) {
  uint32_t v = 0;
#if defined(__SSE2__)
  const __m128 f = _mm_set1_ps(factor), none = _mm_setzero_ps(), most = _mm_set1_ps(kMostQuanta);
  // max before min: a NaN gives 0, as below.
  auto four = [&](uint32_t at) {
    const __m128 terms = _mm_mul_ps(_mm_loadu_ps(table + at), f);
    return _mm_cvttps_epi32(_mm_min_ps(_mm_max_ps(terms, none), most));
  };
  for (; v + 16 <= n; v += 16) {
    const __m128i low = _mm_packs_epi32(four(v), four(v + 4));
    const __m128i high = _mm_packs_epi32(four(v + 8), four(v + 12));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + v), _mm_packus_epi16(low, high));
  }
#endif
  for (; v < n; ++v) {
    const float term = table[v] * factor;
    out[v] = term > 0.0f ? static_cast<uint8_t>(std::min(term, kMostQuanta)) : 0;
  }
}

// The quanta of an entry's listed words (kListed of them, unrolled).
template <size_t... I>
uint32_t quantaSum(const uint8_t* const* quanta, const uint32_t* words, std::index_sequence<I...>) {
  return (uint32_t{quanta[I][words[I]]} + ...);
}

// The same for m listed words (widths other than 4).
uint32_t quantaSum(const uint8_t* const* quanta, size_t m, const uint32_t* words) {
  uint32_t sum = 0;
  for (size_t i = 0; i < m; ++i) sum += quanta[i][words[i]];
  return sum;
}

// Entries listed at a time by listWithin().
constexpr size_t kWithinBatch = 64;

// listWithin()'s loop, an entry's quanta summed by `sum` over its `stride` listed words.
template <typename Sum>
[[gnu::always_inline]] inline size_t listWithinBy(const Sum& sum, size_t stride,
                                                  const uint32_t* words, uint32_t& next,
                                                  uint32_t end, int64_t most, uint32_t* within) {
  size_t n = 0;
  uint32_t e = next;
  for (words += size_t{e} * stride; e < end; ++e, words += stride) {
    if (int64_t{sum(words)} <= most) {
      within[n] = e;
      if (++n == kWithinBatch) {
        ++e;
        break;
      }
    }
  }
  next = e;
  return n;
}

// Scans entries from `next` on, listing into `within` those whose listed words' quanta sum to at
// most `most`, until kWithinBatch are listed or `end` is reached; returns how many it listed and
// moves `next` past the last entry scanned. The scan's hot loop on its own: within the scan, whose
// rare paths need many registers, the tables were reloaded from the stack for every entry. A list,
// not one entry a call: where many pass (ties, one-hot keys) a call for each cost more than the
// loop saved.
template <size_t kListed>
[[gnu::noinline]] size_t listWithin(std::array<const uint8_t*, kListed> quanta,
                                    const uint32_t* words, uint32_t& next, uint32_t end,
                                    int64_t most, uint32_t* within) {
  auto sum = [&](const uint32_t* w) {
    return quantaSum(quanta.data(), w, std::make_index_sequence<kListed>{});
  };
  return listWithinBy(sum, kListed, words, next, end, most, within);
}

// The same for m listed words (widths other than 4).
[[gnu::noinline]] size_t listWithin(const uint8_t* const* quanta, size_t m, const uint32_t* words,
                                    uint32_t& next, uint32_t end, int64_t most, uint32_t* within) {
  auto sum = [&](const uint32_t* w) { return quantaSum(quanta, m, w); };
  return listWithinBy(sum, m, words, next, end, most, within);
}

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
  // Per position, by word: its term's lower bound in quanta (see quantise()).
  std::vector<std::vector<uint8_t>> quanta;
  std::vector<uint32_t> tableEpoch;   // per position
  std::vector<uint64_t> tableMemory;  // per position: the id of the memory its table is for
  std::vector<uint32_t> tableWord;    // per position: its query word
  // Per position: the table a read looks distances up in, the query word's kept column when it
  // has one (every distance exact: nothing to compute) else `distance` above.
  std::vector<const float*> table;
  std::vector<uint8_t> exact;
  std::vector<float> farBound;  // per position: the floor of a far word's distance
  std::vector<float> floors;    // WordDistances::floors() of the query word being set up
  std::vector<std::vector<uint32_t>> chosen;  // per level, by word: a candidate word there
  std::vector<std::vector<uint32_t>> chosenList;
  std::vector<float> computed;
  std::vector<const uint8_t*> listed;  // per word an entry lists: its position's quanta
  std::vector<uint32_t> listedAt;      // and that position
  std::vector<uint32_t> nearRuns;      // the own group's runs of near words, by index
  std::vector<SlotRead> best;      // the read's slots within the k-th distance when they were met
  std::vector<uint32_t> byQuanta;  // bounds of the slots met, in quanta: how many at each
  // An entry met whose exact distance waits for the end of the scan.
  struct Met {
    uint32_t level, entry, word, quanta;
  };
  std::vector<Met> met;

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
    if (tableEpoch.size() < width) {
      tableEpoch.resize(width, 0);
      tableMemory.resize(width, 0);  // no memory's id
      tableWord.resize(width, 0);
    }
    // A table that grows moves: every position's is rebuilt (`table` may point into it).
    for (size_t j = 0; j < width; ++j) {
      if (j >= distance.size() || distance[j].size() < values) tableMemory[j] = 0;
    }
    fit(distance, width, values);
    fit(known, width, values);
    fit(near, width, values);
    fit(quanta, width, values);
    farBound.resize(width);
    floors.resize(WordClusters::kFineCount);
    table.resize(width);
    exact.resize(width);
    listed.resize(width);
    listedAt.resize(width);
    fit(chosen, levels, groups);
    if (chosenList.size() < levels) chosenList.resize(levels);
    for (auto& list : chosenList) list.clear();
    best.clear();
    met.clear();
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

// Identifies a VectorMemory to the tables its reads leave behind (never reused, unlike an address).
std::atomic<uint64_t> lastMemoryId{0};

// Whether an earlier level read the entry (level r's, in the group of `word`): a slot is read at
// the first level that chose its word there, once in all.
bool seenBefore(const std::vector<SlotIndex>& levels, const ReadScratch& s, size_t r,
                uint32_t entry, uint32_t word) {
  for (size_t q = 0; q < r; ++q) {
    const auto p = size_t(levels[q].position());
    if (s.chosen[q][levels[r].wordAt(entry, word, p)] == s.epoch) return true;
  }
  return false;
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
  for (uint32_t e = level.groupBegin(w), end = level.groupBegin(w + 1); e < end; ++e) {
    n += !seenBefore(levels, s, r, e, w);
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
  // A quantum is 1/255 of the largest term below the distance 2 (every further word's term is
  // capped there). 0 (no bound) for weights it cannot scale.
  const double heaviest = *std::max_element(weights_.begin(), weights_.end());
  quantumScale_ = heaviest > 0.0 ? double{kMostQuanta} / (2.0 * heaviest) : 0.0;
  if (!std::isfinite(quantumScale_)) quantumScale_ = 0.0;
  auto finite = [](const auto& values) {
    return std::all_of(values.begin(), values.end(), [](auto x) { return std::isfinite(x); });
  };
  exactCanWait_ = finite(weights_) && vectors && finite(vectors->values());
  const std::vector<int> order = positionsByWeight(weights_);
  // Each level's runs follow the highest-weight other position (in the query's own group the
  // runs of that position's near words are read first: their slots are the likeliest nearest).
  auto subOf = [&](int position) {
    return position != order[0] ? order[0] : width > 1 ? order[1] : -1;
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
    built[r].emplace(memory_, position, subOf(position));
  });
  for (std::optional<SlotIndex>& level : built) {
    levels_.push_back(std::move(*level));
    largestGroupCount_ = std::max(largestGroupCount_, levels_.back().groupCount());
  }
}

VectorMemory::~VectorMemory() = default;

// The exact top-k over the candidate slots: each indexed level's candidate words are those of
// the approximate search (docs/spec/vector-memory.md), and its slots are read group by group,
// skipping a group whose known term exceeds the k-th best distance so far, and an entry whose
// terms' quanta do. A slot's distance is summed over positions in order exactly as a plain scan
// would, so skipping changes no value and no choice.
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
  // Bounds are never above the terms: the factor is rounded down far below a float's precision.
  auto quantumFactor = [&](size_t j) {
    return static_cast<float>(std::max(weights_[j], 0.0) * quantumScale_ * (1.0 - 0x1p-20));
  };
  for (size_t j = 0; j < width; ++j) {
    std::vector<float>& distance = s.distance[j];
    const uint32_t x = query[j], vectors = std::min(words, valueCount_);
    if (s.tableMemory[j] == id_ && s.tableWord[j] == x) continue;
    s.renew(j, id_, x);
    s.farBound[j] = distances_->farBound(x);
    distances_->floors(x, s.floors);
    const std::span<const float> column = distances_->keptColumn(x);
    s.exact[j] = column.size() >= valueCount_;
    s.table[j] = s.exact[j] ? column.data() : distance.data();
    if (!s.exact[j]) {
      // A far word is at least as far as x_j's far words and as its fine cluster's floor.
      for (uint32_t v = 0; v < vectors; ++v) {
        distance[v] = std::max(s.farBound[j], s.floors[clusters_->fineOf(v)]);
      }
      std::fill(distance.begin() + vectors, distance.begin() + valueCount_, 2.0f);
    }
    if (x < valueCount_) {
      distance[x] = 0.0f;
      s.near[j][x] = s.tableEpoch[j];
    }
    if (x < words) {
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
    quantise(s.table[j], quantumFactor(j), valueCount_, s.quanta[j].data());
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

  // The slots met within the bound of the slots met before them. The bound: the least number of
  // quanta `ceiling` at or below which k of their distances lie, rounded up (counted by value in
  // byQuanta: at every step within a quantum of the k-th distance, with no selection), and the
  // k-th slot itself whenever 2k are kept and cut to the k best (which ties need: one-hot
  // distances are few values). A heap's update per slot cost a seventh of a KJV eval.
  std::vector<SlotRead>& best = s.best;
  SlotRead kth{std::numeric_limits<uint32_t>::max(), std::numeric_limits<double>::infinity(), 0.0};
  const bool counted = weightsBound_ && quantumScale_ > 0.0;
  // Distances of more than 256 quanta a position (terms are capped at 255) share the last count.
  const uint32_t beyondQuanta = counted ? 256 * uint32_t(width) : 0;
  uint32_t ceiling = beyondQuanta;  // none below the last count: no bound yet
  uint32_t mostCounted = 0;
  size_t atOrBelow = 0;  // the kept distances within `ceiling`
  if (counted) s.byQuanta.assign(size_t{beyondQuanta} + 1, 0);
  auto quantaAbove = [&](double distance) {
    const double q = distance * quantumScale_;
    if (!(q < double(beyondQuanta))) return beyondQuanta;
    const auto whole = uint32_t(q);
    return whole + uint32_t(double(whole) < q);
  };
  auto keepBest = [&] {
    std::nth_element(best.begin(), best.begin() + std::ptrdiff_t(k - 1), best.end(), before);
    best.resize(k);
    kth = best[k - 1];
  };
  auto limitNow = [&] {
    if (!weightsBound_) return std::numeric_limits<double>::infinity();
    const double counts = ceiling < beyondQuanta ? double(ceiling) / quantumScale_
                                                 : std::numeric_limits<double>::infinity();
    return std::min(kth.distance, counts) * (1.0 + kBoundSlack);
  };
  auto beyond = [&](double bound) { return weightsBound_ && bound > limitNow(); };
  // The most quanta an entry's other terms may sum to when its distance is within `limit` and
  // its group's term is `groupTerm`: the bounds sum the same terms in another order and rounded
  // down, and the margin covers the rounding of the doubles by far.
  auto mostQuanta = [&](double limit, double groupTerm) -> int64_t {
    const double room = (limit - groupTerm) * quantumScale_ + 1e-6;
    return !(room < 1e12) ? std::numeric_limits<int64_t>::max() : room < 0.0 ? -1 : int64_t(room);
  };
  // Level r's slot at `entry` (in the group of `word`), summed over positions in order as a plain
  // scan sums it, after computing any of its distances its tables only bound.
  auto exactDistance = [&](const SlotIndex& level, uint32_t entry, uint32_t word) {
    double d = 0.0;
    for (size_t j = 0; j < width; ++j) {
      const uint32_t v = level.wordAt(entry, word, j);
      if (!s.exact[j] && v < words && s.known[j][v] != s.tableEpoch[j]) {
        const float computed = distances_->distance(query[j], v);
        s.distance[j][v] = computed;
        s.known[j][v] = s.tableEpoch[j];
        quantise(&computed, quantumFactor(j), 1, &s.quanta[j][v]);
      }
      d += weights_[j] * double{s.table[j][v]};
    }
    return d;
  };
  // One more slot met within q quanta.
  auto count = [&](uint32_t q) {
    ++s.byQuanta[q];
    mostCounted = std::max(mostCounted, q);
    if (++atOrBelow == k) ceiling = mostCounted;  // the first k: all at or below their most
    while (atOrBelow - s.byQuanta[ceiling] >= k) atOrBelow -= s.byQuanta[ceiling--];
  };
  auto keep = [&](const SlotRead& read) {
    best.push_back(read);
    if (best.size() == 2 * k) keepBest();
  };
  auto push = [&](const SlotRead& read) {
    if (!before(read, kth)) return;
    if (counted) {
      const uint32_t q = quantaAbove(read.distance);
      if (q > ceiling) return;  // beyond k slots already
      count(q);
    }
    keep(read);
  };
  // Most entries within the bound when met are not within it at the end. An entry whose every
  // term's distance is known and below the byte cap, so that its bytes plus one quantum a term
  // bound it from above (with a margin far above the floats' rounding, and a quantum more, so
  // that a slot beyond this bound is beyond the exact distance), is counted by that bound and its
  // exact distance waits for the end of the scan (`met`); then only those within the bound are
  // summed (about a third on the KJV). When many wait (many slots tie near the bound), they are
  // summed then, and the read's later entries when met, so that the k-th slot bounds the ties.
  bool deferred = counted && exactCanWait_;
  auto known = [&](size_t j, uint32_t v) {
    return s.exact[j] || v >= words || s.known[j][v] == s.tableEpoch[j];
  };
  auto boundedAbove = [&](size_t m, const uint32_t* listedWords) {
    for (size_t i = 0; i < m; ++i) {
      const uint32_t v = listedWords[i];
      if (s.listed[i][v] == uint8_t(kMostQuanta) || !known(s.listedAt[i], v)) return false;
    }
    return true;
  };
  auto quantaBelow = [&](double groupTerm, uint32_t quanta, size_t m) {
    const double most = groupTerm * quantumScale_ + double(quanta + m) * (1.0 + 1e-5);
    return most < double(beyondQuanta - 2) ? uint32_t(most) + 2 : beyondQuanta;
  };
  const size_t mostMet = std::max<size_t>(4096, 8 * k);
  // The waiting entries within the bound now, summed and kept (already counted).
  auto sumMet = [&] {
    for (const ReadScratch::Met& e : s.met) {
      const SlotIndex& level = levels_[e.level];
      if (int64_t{e.quanta} > mostQuanta(limitNow(), term(size_t(level.position()), e.word)))
        continue;
      const SlotRead read{level.slot(e.entry), exactDistance(level, e.entry, e.word), 0.0};
      if (before(read, kth) && quantaAbove(read.distance) <= ceiling) keep(read);
    }
    s.met.clear();
  };
  // Entries [begin, end) of level r's group of word w, whose term is groupTerm: each bounded by
  // its words' quanta, and read when that is within the k-th distance. `Listed`: the words an
  // entry lists (width − 1), known at compile time for the common widths.
  auto scan = [&](auto listed, size_t r, uint32_t w, double groupTerm, uint32_t begin,
                  uint32_t end) {
    const SlotIndex& level = levels_[r];
    constexpr size_t kListed = decltype(listed)::value;
    const size_t m = kListed ? kListed : width - 1;
    for (size_t j = 0, i = 0; j < width; ++j) {
      if (int(j) == level.position()) continue;
      s.listed[i] = s.quanta[j].data();
      s.listedAt[i++] = uint32_t(j);
    }
    const bool groupKnown = known(size_t(level.position()), w);
    // The tables by value (the slots' writes could alias the scratch's).
    std::array<const uint8_t*, kListed> fixed{};
    std::copy_n(s.listed.data(), kListed, fixed.begin());
    int64_t most = mostQuanta(limitNow(), groupTerm);
    std::array<uint32_t, kWithinBatch> within;
    for (uint32_t next = begin; next < end;) {
      size_t n = 0;
      if constexpr (kListed > 0) {
        n = listWithin(fixed, level.words(0), next, end, most, within.data());
      } else {
        n = listWithin(s.listed.data(), m, level.words(0), next, end, most, within.data());
      }
      for (size_t i = 0; i < n; ++i) {
        // Listed by the tables and the bound as they were when the list began: within them still?
        // (The bound only tightens, and a distance computed since raises its word's byte.)
        const uint32_t e = within[i];
        const uint32_t* listedWords = level.words(e);
        uint32_t sum = 0;
        if constexpr (kListed > 0) {
          sum = quantaSum(fixed.data(), listedWords, std::make_index_sequence<kListed>{});
        } else {
          sum = quantaSum(s.listed.data(), m, listedWords);
        }
        if (int64_t{sum} > most) continue;
        if (r > 0 && seenBefore(levels_, s, r, e, w)) continue;
        if (deferred && groupKnown && boundedAbove(m, listedWords)) {
          const uint32_t q = quantaBelow(groupTerm, sum, m);
          if (q <= ceiling) count(q);
          s.met.push_back({uint32_t(r), e, w, sum});
          if (s.met.size() == mostMet) {
            sumMet();
            deferred = false;
          }
        } else {
          push({level.slot(e), exactDistance(level, e, w), 0.0});
        }
        most = mostQuanta(limitNow(), groupTerm);
      }
    }
  };
  auto scanRange = [&](size_t r, uint32_t w, double groupTerm, uint32_t begin, uint32_t end) {
    if (width == 4) {
      scan(std::integral_constant<size_t, 3>{}, r, w, groupTerm, begin, end);
    } else {
      scan(std::integral_constant<size_t, 0>{}, r, w, groupTerm, begin, end);
    }
  };
  // A slot new at level r holds at each earlier level's position a word that level did not
  // choose: no nearer than the nearest such word (the near words are the nearest), which bounds
  // the level's groups.
  double unseenTerms = 0.0;
  auto addUnchosen = [&](size_t r) {
    const auto j = size_t(levels_[r].position());
    double nearest = s.farBound[j];
    for (const uint32_t u : nearOf(j)) {
      if (u < valueCount_ && (u >= s.chosen[r].size() || s.chosen[r][u] != s.epoch))
        nearest = std::min(nearest, double{s.table[j][u]});
    }
    unseenTerms += weights_[j] * nearest;
  };
  // A group's slots; in the query's own group at level 0 (read first) the runs of the sub
  // position's near words first, nearest first: the slots likeliest nearest, for an early k-th
  // distance (fewer slots kept on the way).
  auto readGroup = [&](size_t r, uint32_t w) {
    const SlotIndex& level = levels_[r];
    const double groupTerm = term(size_t(level.position()), w);
    if (beyond(groupTerm + unseenTerms)) return;
    const uint32_t begin = level.groupBegin(w), end = level.groupBegin(w + 1);
    if (r > 0 || level.sub() < 0 || w != query[size_t(level.position())]) {
      scanRange(r, w, groupTerm, begin, end);
      return;
    }
    s.nearRuns.clear();
    for (const uint32_t u : nearOf(size_t(level.sub()))) {
      const uint32_t run = level.findRun(w, u);
      if (run == SlotIndex::kNone) continue;
      scanRange(r, w, groupTerm, level.runBegin(run), level.runBegin(run + 1));
      s.nearRuns.push_back(run);
    }
    std::sort(s.nearRuns.begin(), s.nearRuns.end());
    uint32_t from = begin;
    for (const uint32_t run : s.nearRuns) {
      scanRange(r, w, groupTerm, from, level.runBegin(run));
      from = level.runBegin(run + 1);
    }
    scanRange(r, w, groupTerm, from, end);
  };
  for (size_t r = 0; r < levels_.size(); ++r) {
    if (!exhaustive) {
      for (const uint32_t w : s.chosenList[r]) readGroup(r, w);
      addUnchosen(r);
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
  sumMet();
  // Within the last ceiling: the k best and those of their last quantum.
  if (counted && ceiling < beyondQuanta) {
    std::erase_if(best, [&](const SlotRead& r) { return quantaAbove(r.distance) > ceiling; });
  }
  std::sort(best.begin(), best.end(), before);
  return {best.begin(), best.begin() + std::ptrdiff_t(std::min(k, best.size()))};
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
