#include "memlens/pruning.h"

#include <algorithm>
#include <map>
#include <random>

#include "memlens/usage_census.h"

namespace memlens {
namespace {

uint32_t instancesIn(const InstanceBase& memory, uint32_t id) {
  uint32_t n = 0;
  for (const ClassCount& c : memory.distribution(id)) n += c.count;
  return n;
}

// Most counts; a tie goes to the class seen first in training (TiMBL's order).
uint32_t majorityClass(std::span<const ClassCount> distribution) {
  ClassCount best = distribution.front();
  for (const ClassCount& c : distribution)
    if (c.count > best.count || (c.count == best.count && c.classIndex < best.classIndex)) best = c;
  return best.classIndex;
}

// Wilson editing: a stored vector goes when its k nearest other vectors (k distance buckets,
// every vector in a bucket counted with its class counts) give some class more votes than the
// vector's own majority class. The neighbourhood is IB1's, with the memory's feature weighting.
Result<std::vector<bool>> wilsonVerdicts(const EditedMemory& memory, int k, JobControl* job) {
  ClassifierOptions o = memory.classifier().options();
  o.algorithm = Algorithm::kIb1;
  o.metric = Metric::kOverlap;
  o.k = k + 1;  // the vector itself fills the nearest bucket
  auto ib1 = createClassifier(o);
  if (!ib1) return ib1.status();
  if (Status s = (*ib1)->train(memory.instances(), job); !s) return s;
  const InstanceBase& base = (*ib1)->memory();
  InstanceSet vectors;
  vectors.width = base.width();
  vectors.features.assign(base.values(), base.values() + size_t{base.vectorCount()} * base.width());
  vectors.classes.assign(base.vectorCount(), 0);
  PredictOptions po;
  po.neighbours = true;
  po.distributions = false;
  auto predictions = (*ib1)->predict(vectors, po, job);
  if (!predictions) return predictions.status();

  // Indexed by the edited memory's vector ids (the IB1 copy numbers its own).
  std::vector<bool> remove(memory.classifier().memory().vectorCount(), false);
  std::vector<uint64_t> votes(base.classCount(), 0);
  for (uint32_t id = 0; id < base.vectorCount(); ++id) {
    std::fill(votes.begin(), votes.end(), 0);
    int buckets = 0;
    for (const NeighbourBucket& bucket : (*predictions)[id].neighbours) {
      if (buckets == k) break;
      bool counted = false;
      for (uint32_t v : bucket.storedVectors) {
        if (v == id) continue;
        for (const ClassCount& c : base.distribution(v)) votes[c.classIndex] += c.count;
        counted = true;
      }
      buckets += counted ? 1 : 0;
    }
    const uint32_t own = majorityClass(base.distribution(id));
    if (*std::ranges::max_element(votes) > votes[own])
      remove[memory.classifier().memory().find(base.vector(id))] = true;
  }
  return remove;
}

}  // namespace

const char* pruneStrategyName(PruneStrategy s) {
  switch (s) {
    case PruneStrategy::kCountThreshold: return "count-threshold";
    case PruneStrategy::kNeverNeighbour: return "never-neighbour";
    case PruneStrategy::kNegativeCredit: return "negative-credit";
    case PruneStrategy::kRandom: return "random";
    case PruneStrategy::kDocument: return "document";
    case PruneStrategy::kWilson: return "wilson";
  }
  return "?";
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
  std::vector<bool> remove(base.vectorCount(), false);
  std::string note = pruneStrategyName(options.strategy);
  switch (options.strategy) {
    case PruneStrategy::kCountThreshold:
      for (uint32_t id = 0; id < base.vectorCount(); ++id)
        remove[id] = instancesIn(base, id) < options.minCount;
      note += " min-count=" + std::to_string(options.minCount);
      break;
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
      note += " keep=" + std::to_string(options.keepFraction) + " seed=" + std::to_string(options.seed);
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
    case PruneStrategy::kDocument:
      break;
  }
  const auto removed = static_cast<size_t>(std::ranges::count(remove, true));
  if (removed == 0) return Status::invalidArgument(note + ": removes no stored vector");
  if (removed == remove.size()) return Status::invalidArgument(note + ": would remove every stored vector");
  edit.kind = EditKind::kPrune;
  edit.note = note;
  for (uint32_t id = 0; id < base.vectorCount(); ++id) {
    if (!remove[id]) continue;
    const auto sources = base.sources(id);
    edit.sources.insert(edit.sources.end(), sources.begin(), sources.end());
  }
  std::ranges::sort(edit.sources);
  return edit;
}

}  // namespace memlens
