#include "memlens/pruning.h"

#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <random>

#include "edit/pruned_vectors.h"
#include "memlens/option_names.h"
#include "memlens/usage_census.h"
#include "memory/overlap_memory.h"

namespace memlens {
namespace {

uint32_t instancesIn(const InstanceBase& memory, uint32_t id) {
  uint32_t n = 0;
  for (const ClassCount& c : memory.distribution(id)) n += c.count;
  return n;
}

// Whether each stored vector holds fewer than `minCount` instances (a drag's stop at 100M counts
// 2.6M distributions: in parallel). Honours cancel.
Result<std::vector<bool>> rareVectors(const InstanceBase& base, uint32_t minCount,
                                      JobControl* job) {
  std::vector<uint8_t> rare(base.vectorCount());
  std::atomic<bool> cancelled{false};
  tbb::parallel_for(tbb::blocked_range<uint32_t>(0, base.vectorCount(), 1u << 14),
                    [&](const auto& range) {
                      if (cancelled || (cancelRequested(job) && (cancelled = true))) return;
                      for (uint32_t id = range.begin(); id != range.end(); ++id)
                        rare[id] = instancesIn(base, id) < minCount;
                    });
  if (cancelled) return Status::cancelled();
  return std::vector<bool>(rare.begin(), rare.end());
}

// Most counts; a tie goes to the class seen first in training (TiMBL's order).
uint32_t majorityClass(std::span<const ClassCount> distribution) {
  ClassCount best = distribution.front();
  for (const ClassCount& c : distribution)
    if (c.count > best.count || (c.count == best.count && c.classIndex < best.classIndex)) best = c;
  return best.classIndex;
}

// The stored vectors [begin, end) of `base` as queries.
InstanceSet vectorsOf(const InstanceBase& base, uint32_t begin, uint32_t end) {
  InstanceSet out;
  out.width = base.width();
  out.features.assign(base.values() + size_t{begin} * base.width(),
                      base.values() + size_t{end} * base.width());
  out.classes.assign(end - begin, 0);
  return out;
}

// The k nearest distance buckets of other stored vectors around every stored vector of `memory`:
// IB1's neighbourhood under the weighted overlap metric with the memory's feature weights (and
// k, distance weighting), every vector in a bucket counted. Calls visit(id, buckets) in id
// order, each bucket the ids of its vectors (ascending), ids those of the memory's own vectors.
// Queries go in chunks, so the neighbour lists of a big memory are never all held at once.
template <typename Visit>
Status forEachNeighbourhood(const EditedMemory& memory, int k, const std::string& stage,
                            JobControl* job, Visit visit) {
  ClassifierOptions o = memory.classifier().options();
  o.algorithm = Algorithm::kIb1;
  o.metric = Metric::kOverlap;
  o.fixedWeights = memory.classifier().weights();
  o.k = k + 1;  // the vector itself fills the nearest bucket
  auto ib1 = createClassifier(o);
  if (!ib1) return ib1.status();
  if (Status s = (*ib1)->train(memory.instances(), job); !s) return s;
  const InstanceBase& own = memory.classifier().memory();
  const InstanceBase& copy = (*ib1)->memory();
  std::vector<uint32_t> ownId(copy.vectorCount());  // the IB1 copy numbers its own vectors
  for (uint32_t id = 0; id < copy.vectorCount(); ++id) ownId[id] = own.find(copy.vector(id));
  PredictOptions po;
  po.neighbours = true;
  po.distributions = false;
  constexpr uint32_t kChunk = 8192;
  std::vector<std::vector<uint32_t>> buckets;
  for (uint32_t begin = 0; begin < own.vectorCount(); begin += kChunk) {
    if (cancelRequested(job)) return Status::cancelled();
    reportProgress(job, double(begin) / own.vectorCount(), stage);
    const uint32_t end = std::min(own.vectorCount(), begin + kChunk);
    auto predictions = (*ib1)->predict(vectorsOf(own, begin, end), po, nullptr);
    if (!predictions) return predictions.status();
    for (uint32_t id = begin; id < end; ++id) {
      buckets.clear();
      for (const NeighbourBucket& bucket : (*predictions)[id - begin].neighbours) {
        if (static_cast<int>(buckets.size()) == k) break;
        std::vector<uint32_t> others;
        for (uint32_t v : bucket.storedVectors)
          if (ownId[v] != id) others.push_back(ownId[v]);
        if (others.empty()) continue;
        std::ranges::sort(others);
        buckets.push_back(std::move(others));
      }
      visit(id, buckets);
    }
  }
  if (cancelRequested(job)) return Status::cancelled();
  reportProgress(job, 1.0, stage);
  return Status::ok();
}

// Wilson editing: a stored vector goes when its k nearest other vectors (k distance buckets,
// every vector in a bucket counted with its class counts) give some class more votes than the
// vector's own majority class.
Result<std::vector<bool>> wilsonVerdicts(const EditedMemory& memory, int k, JobControl* job) {
  const InstanceBase& base = memory.classifier().memory();
  std::vector<bool> remove(base.vectorCount(), false);
  std::vector<uint64_t> votes(base.classCount(), 0);
  Status s =
      forEachNeighbourhood(memory, k, "Wilson editing", job,
                           [&](uint32_t id, const std::vector<std::vector<uint32_t>>& buckets) {
                             std::fill(votes.begin(), votes.end(), 0);
                             for (const auto& bucket : buckets)
                               for (uint32_t v : bucket)
                                 for (const ClassCount& c : base.distribution(v))
                                   votes[c.classIndex] += c.count;
                             const uint32_t own = majorityClass(base.distribution(id));
                             remove[id] = *std::ranges::max_element(votes) > votes[own];
                           });
  if (!s) return s;
  return remove;
}

// Greedy merging after He et al. (2021), "Efficient Nearest Neighbor Language Models": stored
// vectors are visited in id order (first appearance in training); a vector not merged away
// absorbs every vector of its k nearest buckets of other vectors that has the same majority
// class and is still free (neither merged nor a survivor), in bucket order, then id order.
// Absorbing moves the merged vector's instances onto the survivor's features, so its counts add
// to the survivor's distribution and no instance is lost. Neighbourhoods are those of the
// unmerged memory. Returns the survivor of each vector (itself when it stays).
Result<std::vector<uint32_t>> mergeSurvivors(const EditedMemory& memory, int k, JobControl* job) {
  const InstanceBase& base = memory.classifier().memory();
  enum : uint8_t { kFree, kSurvivor, kMerged };
  std::vector<uint8_t> state(base.vectorCount(), kFree);
  std::vector<uint32_t> survivor(base.vectorCount());
  for (uint32_t id = 0; id < base.vectorCount(); ++id) survivor[id] = id;
  Status s = forEachNeighbourhood(
      memory, k, "merging neighbours", job,
      [&](uint32_t id, const std::vector<std::vector<uint32_t>>& buckets) {
        if (state[id] == kMerged) return;
        const uint32_t target = majorityClass(base.distribution(id));
        for (const auto& bucket : buckets)
          for (uint32_t v : bucket) {
            if (state[v] != kFree || majorityClass(base.distribution(v)) != target) continue;
            state[v] = kMerged;
            survivor[v] = id;
            state[id] = kSurvivor;
          }
      });
  if (!s) return s;
  return survivor;
}

// Hart's condensed nearest neighbour as one IB2 pass over the stored vectors: in id order (first
// appearance in training), a vector joins the condensed memory (with its whole distribution) when
// the condensed memory so far misclassifies it, i.e. answers other than the vector's majority
// class, and is removed otherwise; the first vector always joins. The condensed memory is IB1
// with the memory's k and distance weighting under the weighted overlap metric, its feature
// weights fixed to the memory's (weights of a growing prefix would be noise, and recomputing
// them for every vector would cost far more than the classification).
Result<std::vector<bool>> condensedVerdicts(const EditedMemory& memory, JobControl* job) {
  const InstanceBase& base = memory.classifier().memory();
  ClassifierOptions o = memory.classifier().options();
  o.algorithm = Algorithm::kIb1;
  o.metric = Metric::kOverlap;
  o.fixedWeights = memory.classifier().weights();
  auto condensed = createClassifier(o);
  if (!condensed) return condensed.status();
  PredictOptions po;
  po.distributions = false;
  std::vector<bool> remove(base.vectorCount(), false);
  InstanceSet joining;
  joining.width = base.width();
  for (uint32_t id = 0; id < base.vectorCount(); ++id) {
    if (id % 256 == 0) {
      if (cancelRequested(job)) return Status::cancelled();
      reportProgress(job, double(id) / base.vectorCount(), "condensing (IB2)");
    }
    const auto features = base.vector(id);
    const auto distribution = base.distribution(id);
    if (id > 0 && (*condensed)->predictOne(features, po).classId ==
                      base.classId(majorityClass(distribution))) {
      remove[id] = true;
      continue;
    }
    joining.features.clear();
    joining.classes.clear();
    for (const ClassCount& c : distribution)
      for (uint32_t n = 0; n < c.count; ++n) {
        joining.features.insert(joining.features.end(), features.begin(), features.end());
        joining.classes.push_back(base.classId(c.classIndex));
      }
    joining.sources.assign(joining.classes.size(), 0);
    if (Status s = (*condensed)->add(joining, nullptr); !s) return s;
  }
  if (cancelRequested(job)) return Status::cancelled();
  reportProgress(job, 1.0, "condensing (IB2)");
  return remove;
}

// IGTree compression as merging. The IGTree over the memory (its feature weights and order)
// drops, as TiMBL does, every leaf whose default class equals its parent's, bottom-up, so a node
// whose children all went becomes a leaf and may go in turn. A stored vector whose leaf was
// dropped so is redundant: the tree's walk on its features ends above full depth, at a kept
// node whose default is the vector's own default (the class is predicted from that shorter
// context). Removing such vectors outright would take their counts out of that node and flip
// its default to one of the exceptions kept below it; instead all the redundant vectors hanging
// below one kept node are merged into the first of them (in id order). Counts only move inside
// that node's subtree and the merged leaf has the node's default, so under the same weights
// the compressed tree, and every IGTree prediction, is unchanged. Returns the survivor of each
// vector (itself when it stays).
Result<std::vector<uint32_t>> igTreeSurvivors(const EditedMemory& memory, JobControl* job) {
  const InstanceBase& base = memory.classifier().memory();
  ClassifierOptions o = memory.classifier().options();
  o.algorithm = Algorithm::kIgTree;
  o.fixedWeights = memory.classifier().weights();
  auto tree = createClassifier(o);
  if (!tree) return tree.status();
  if (Status s = (*tree)->train(memory.instances(), job); !s) return s;
  PredictOptions po;
  po.distributions = false;
  auto predictions = (*tree)->predict(vectorsOf(base, 0, base.vectorCount()), po, job);
  if (!predictions) return predictions.status();
  const std::vector<int> order = memoryOrder(o, o.fixedWeights);
  std::vector<uint32_t> survivor(base.vectorCount());
  std::map<std::vector<uint32_t>, uint32_t> first;  // kept node (depth, path values) → vector
  for (uint32_t id = 0; id < base.vectorCount(); ++id) {
    survivor[id] = id;
    const int depth = (*predictions)[id].matchDepth;
    if (depth == base.width()) continue;
    std::vector<uint32_t> node{static_cast<uint32_t>(depth)};
    for (int d = 0; d < depth; ++d) node.push_back(base.vector(id)[order[d]]);
    survivor[id] = first.try_emplace(std::move(node), id).first->second;
  }
  return survivor;
}

// The instances the stored vectors `remove` marks hold (as many as their sources).
uint64_t instancesIn(const InstanceBase& base, const std::vector<bool>& remove) {
  return tbb::parallel_reduce(
      tbb::blocked_range<uint32_t>(0, base.vectorCount(), 1u << 14), uint64_t{0},
      [&](const auto& range, uint64_t n) {
        for (uint32_t id = range.begin(); id != range.end(); ++id)
          if (remove[id]) n += instancesIn(base, id);
        return n;
      },
      std::plus<>());
}

// The kMerge edit for `survivor` (see mergeSurvivors): each merged instance takes the features
// of its survivor's first instance.
Result<MemoryEdit> mergeEdit(const InstanceBase& base, const std::vector<uint32_t>& survivor,
                             const std::string& note) {
  std::vector<std::pair<uint64_t, uint64_t>> moves;
  uint32_t merged = 0;
  for (uint32_t id = 0; id < base.vectorCount(); ++id) {
    if (survivor[id] == id) continue;
    ++merged;
    const uint64_t target = base.sources(survivor[id]).front();
    for (uint64_t source : base.sources(id)) moves.emplace_back(source, target);
  }
  if (merged == 0) return Status::invalidArgument(note + ": merges no stored vector");
  std::ranges::sort(moves);
  MemoryEdit edit;
  edit.kind = EditKind::kMerge;
  edit.note = note + " merged=" + std::to_string(merged);
  for (const auto& [source, target] : moves) {
    edit.sources.push_back(source);
    edit.targets.push_back(target);
  }
  return edit;
}

}  // namespace

// A count-threshold stop at 100M lists 1.9M, each vector's a walk of its own list through the
// memory file: listed in parallel by vector range and sorted in parallel.
Result<std::vector<uint64_t>> sourcesOf(const InstanceBase& base, const std::vector<bool>& remove,
                                        JobControl* job) {
  constexpr uint32_t kRange = 1u << 14;
  const uint32_t vectors = base.vectorCount();
  std::vector<std::vector<uint64_t>> listed((vectors + kRange - 1) / kRange);
  std::atomic<bool> cancelled{false};
  tbb::parallel_for(size_t{0}, listed.size(), [&](size_t r) {
    if (cancelled || (cancelRequested(job) && (cancelled = true))) return;
    const uint32_t end = std::min<uint64_t>(vectors, (r + 1) * kRange);
    for (auto id = static_cast<uint32_t>(r * kRange); id < end; ++id)
      if (remove[id]) {
        const std::vector<uint64_t> sources = base.sources(id);
        listed[r].insert(listed[r].end(), sources.begin(), sources.end());
      }
  });
  if (cancelled) return Status::cancelled();
  size_t total = 0;
  for (const auto& l : listed) total += l.size();
  std::vector<uint64_t> out;
  out.reserve(total);
  for (const auto& l : listed) out.insert(out.end(), l.begin(), l.end());
  tbb::parallel_sort(out.begin(), out.end());
  return out;
}

bool unlisted(const MemoryEdit& edit) {
  return edit.planned && !edit.planned->listed && edit.planned->plans(edit);
}

Result<MemoryEdit> listedEdit(const MemoryEdit& edit, JobControl* job) {
  const std::shared_ptr<const Classifier> memory = edit.planned->memory.lock();
  if (!memory)
    return Status::invalidArgument("the memory this pruning was planned on is gone: plan it again");
  auto sources = sourcesOf(memory->memory(), edit.planned->removed, job);
  if (!sources) return sources.status();
  MemoryEdit listed = edit;
  listed.sources = std::move(*sources);
  listed.planned.reset();
  return listed;
}

Result<MemoryEdit> planPrune(const EditedMemory& memory, const PruneOptions& options,
                             JobControl* job) {
  const InstanceBase& base = memory.classifier().memory();
  MemoryEdit edit;
  if (options.strategy == PruneStrategy::kDocument) {
    edit.kind = EditKind::kRemoveDocument;
    edit.document = options.document;
    return edit;
  }
  if (options.strategy == PruneStrategy::kPrefix) {
    // The memory's instances are in corpus order, inserted ones (no position) last.
    const InstanceSet& instances = memory.instances();
    if (options.instances == 0 || options.instances >= instances.size())
      return Status::invalidArgument("a prefix keeps from 1 to " +
                                     std::to_string(instances.size() - 1) + " of the memory's " +
                                     std::to_string(instances.size()) + " instances");
    edit.kind = EditKind::kKeepPrefix;
    edit.source = instances.sources[options.instances];
    edit.note = "prefix instances=" + std::to_string(options.instances);
    return edit;
  }
  if (options.strategy == PruneStrategy::kMerge) {
    if (options.mergeNeighbours < 1 || options.mergeNeighbours > 100)
      return Status::invalidArgument("merging takes k from 1 to 100");
    auto survivors = mergeSurvivors(memory, options.mergeNeighbours, job);
    if (!survivors) return survivors.status();
    return mergeEdit(base, *survivors, "merge k=" + std::to_string(options.mergeNeighbours));
  }
  if (options.strategy == PruneStrategy::kIgTreeCompression) {
    auto survivors = igTreeSurvivors(memory, job);
    if (!survivors) return survivors.status();
    return mergeEdit(base, *survivors, std::string(optionLabel(options.strategy)));
  }
  std::vector<bool> remove(base.vectorCount(), false);
  std::string note(optionLabel(options.strategy));
  switch (options.strategy) {
    case PruneStrategy::kCountThreshold: {
      auto rare = rareVectors(base, options.minCount, job);
      if (!rare) return rare.status();
      remove = std::move(*rare);
      note += " min-count=" + std::to_string(options.minCount);
      break;
    }
    case PruneStrategy::kNeverNeighbour:
    case PruneStrategy::kNegativeCredit: {
      const Algorithm a = memory.classifier().options().algorithm;
      if (a != Algorithm::kIb1 && a != Algorithm::kTribl2)
        return Status::invalidArgument("a usage census needs neighbours: use IB1 or TRIBL2");
      if (!options.census || options.census->size() == 0)
        return Status::invalidArgument("a usage census needs census tokens (the validation part)");
      auto usage = usageCensus(memory.classifier(), *options.census, job);
      if (!usage) return usage.status();
      for (uint32_t id = 0; id < base.vectorCount(); ++id)
        remove[id] = options.strategy == PruneStrategy::kNeverNeighbour
                         ? (*usage)[id].neighbourCount == 0
                         : (*usage)[id].credit < 0.0;
      note += " census-tokens=" + std::to_string(options.census->size());
      break;
    }
    case PruneStrategy::kRandom: {
      if (!(options.keepFraction > 0.0 && options.keepFraction < 1.0))
        return Status::invalidArgument("random pruning keeps a fraction above 0 and below 1");
      // Bits to [0, 1) by hand: std's distributions differ between standard libraries.
      std::mt19937_64 rng(options.seed);
      for (uint32_t id = 0; id < base.vectorCount(); ++id)
        remove[id] = static_cast<double>(rng() >> 11) * 0x1.0p-53 >= options.keepFraction;
      note +=
          " keep=" + std::to_string(options.keepFraction) + " seed=" + std::to_string(options.seed);
      break;
    }
    case PruneStrategy::kWilson: {
      if (options.neighbours < 1 || options.neighbours > 100)
        return Status::invalidArgument("Wilson editing takes k from 1 to 100");
      auto verdicts = wilsonVerdicts(memory, options.neighbours, job);
      if (!verdicts) return verdicts.status();
      remove = std::move(*verdicts);
      note += " k=" + std::to_string(options.neighbours);
      break;
    }
    case PruneStrategy::kCondensed: {
      auto verdicts = condensedVerdicts(memory, job);
      if (!verdicts) return verdicts.status();
      remove = std::move(*verdicts);
      break;
    }
    case PruneStrategy::kDocument:
    case PruneStrategy::kMerge:
    case PruneStrategy::kIgTreeCompression:
    case PruneStrategy::kPrefix:
      break;
  }
  const auto removed = static_cast<size_t>(std::ranges::count(remove, true));
  if (removed == 0) return Status::invalidArgument(note + ": removes no stored vector");
  if (removed == remove.size())
    return Status::invalidArgument(note + ": would remove every stored vector");
  edit.kind = EditKind::kPrune;
  edit.note = note;
  auto planned = std::make_shared<PrunedVectors>();
  planned->memory = memory.sharedClassifier();
  planned->vectors = static_cast<uint32_t>(removed);
  if (options.listSources) {
    auto sources = sourcesOf(base, remove, job);
    if (!sources) return sources.status();
    edit.sources = std::move(*sources);
    planned->instances = edit.sources.size();
    planned->sources = edit.sources;
  } else {
    planned->instances = instancesIn(base, remove);
    planned->listed = false;
  }
  planned->removed = std::move(remove);
  edit.planned = std::move(planned);
  return edit;
}

}  // namespace memlens
