#include "distributed/global_statistics.h"

#include "distributed/message.h"
#include "memlens/feature_weights.h"

namespace memlens {
namespace {

// One rank's counts with Vocabulary ids (the same on every rank) in place of its dense indices,
// values and classes listed in the rank's order of first appearance.
Message countsMessage(const InstanceBase& block) {
  Message m;
  std::vector<uint32_t> classIds(block.classCount());
  for (uint32_t c = 0; c < block.classCount(); ++c) classIds[c] = block.classId(c);
  m.putSpan<uint32_t>(classIds);
  m.putSpan<uint64_t>(block.classTotals());
  for (const FeatureCounts& f : block.featureCounts()) {
    std::vector<uint32_t> values(f.valueTotals.size());
    for (const auto& [id, index] : f.valueIndex) values[index] = id;
    m.putSpan<uint32_t>(values);
    m.putSpan<uint64_t>(f.valueTotals);
    std::vector<uint64_t> cells;  // value id, class id, count
    f.valueClass.forEach([&](uint64_t key, uint32_t count) {
      cells.push_back(values[key >> 32]);
      cells.push_back(classIds[static_cast<uint32_t>(key)]);
      cells.push_back(count);
    });
    m.putSpan<uint64_t>(cells);
  }
  return m;
}

// Rank 0: the ranks' counts merged in rank order, as one process would have counted them.
struct Merged {
  std::vector<uint32_t> classIds;
  std::vector<uint64_t> classTotals;
  std::unordered_map<uint32_t, uint32_t> classIndexOf;
  std::vector<FeatureCounts> features;

  uint32_t classIndex(uint32_t id) {
    auto [it, added] = classIndexOf.try_emplace(id, static_cast<uint32_t>(classIds.size()));
    if (added) {
      classIds.push_back(id);
      classTotals.push_back(0);
    }
    return it->second;
  }

  bool add(Message& m, int width) {
    const auto ids = m.getVector<uint32_t>();
    const auto totals = m.getVector<uint64_t>();
    if (ids.size() != totals.size()) return false;
    for (size_t c = 0; c < ids.size(); ++c) classTotals[classIndex(ids[c])] += totals[c];
    features.resize(static_cast<size_t>(width));
    for (FeatureCounts& f : features) {
      const auto values = m.getVector<uint32_t>();
      const auto valueTotals = m.getVector<uint64_t>();
      const auto cells = m.getVector<uint64_t>();
      if (values.size() != valueTotals.size() || cells.size() % 3 != 0) return false;
      for (size_t v = 0; v < values.size(); ++v) {
        auto [it, added] =
            f.valueIndex.try_emplace(values[v], static_cast<uint32_t>(f.valueTotals.size()));
        if (added) f.valueTotals.push_back(0);
        f.valueTotals[it->second] += valueTotals[v];
      }
      for (size_t i = 0; i < cells.size(); i += 3) {
        const uint64_t value = f.valueIndex.at(static_cast<uint32_t>(cells[i]));
        const uint32_t cls = classIndexOf.at(static_cast<uint32_t>(cells[i + 1]));
        f.valueClass[(value << 32) | cls] += static_cast<uint32_t>(cells[i + 2]);
      }
    }
    return m.ok() && m.atEnd();
  }

  // The global statistics as rank 0 broadcasts them.
  Message result(const ClassifierOptions& options) const {
    Message m;
    m.putSpan<uint32_t>(classIds);
    m.putSpan<uint64_t>(classTotals);
    m.putSpan<double>(options.fixedWeights.empty()
                          ? computeFeatureWeights(features, classTotals, options.weighting)
                          : options.fixedWeights);
    return m;
  }
};

}  // namespace

Result<GlobalStatistics> GlobalStatistics::reduce(Communicator& comm, const InstanceBase& block,
                                                  const ClassifierOptions& options) {
  // Merged as they arrive: the ranks' counts together are the size of the whole memory's.
  Merged all;
  Status merged = Status::ok();
  if (Status st = comm.gatherEach(std::move(countsMessage(block).bytes()),
                                  [&](int rank, std::vector<uint8_t> bytes) {
                                    Message m(std::move(bytes));
                                    if (merged && !all.add(m, block.width()))
                                      merged = Status::internal("rank " + std::to_string(rank) +
                                                                " sent malformed counts");
                                  });
      !st)
    return st;
  Message result;
  if (comm.rank() == 0) result = all.result(options);
  if (Status st = comm.agree(merged); !st) return st;
  if (Status st = comm.broadcast(result.bytes()); !st) return st;
  auto classIds = result.getVector<uint32_t>();
  auto classTotals = result.getVector<uint64_t>();
  auto weights = result.getVector<double>();
  if (!result.ok()) return Status::internal("malformed global statistics from rank 0");
  return of(std::move(classIds), std::move(classTotals), std::move(weights));
}

Result<GlobalStatistics> GlobalStatistics::of(std::vector<uint32_t> classIds,
                                              std::vector<uint64_t> classTotals,
                                              std::vector<double> weights) {
  GlobalStatistics s;
  s.classIds_ = std::move(classIds);
  s.classTotals_ = std::move(classTotals);
  s.weights_ = std::move(weights);
  if (s.classIds_.size() != s.classTotals_.size())
    return Status::corrupt(std::to_string(s.classIds_.size()) + " classes but " +
                           std::to_string(s.classTotals_.size()) + " class totals");
  for (uint32_t c = 0; c < s.classIds_.size(); ++c)
    if (!s.classIndexOf_.emplace(s.classIds_[c], c).second)
      return Status::corrupt("class " + std::to_string(s.classIds_[c]) + " listed twice");
  for (uint64_t t : s.classTotals_) s.instanceCount_ += t;
  return s;
}

Result<GlobalStatistics> GlobalStatistics::ofBlock(Communicator& comm, const InstanceSet& block,
                                                   const ClassifierOptions& options,
                                                   JobControl* job) {
  InstanceBase counts(block.width);
  Status added = counts.add(block, job);
  if (Status st = comm.agree(added); !st) return st;
  return reduce(comm, counts, options);
}

}  // namespace memlens
