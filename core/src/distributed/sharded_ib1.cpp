#include "distributed/sharded_ib1.h"

#include <algorithm>

#include "classify/classifier_factories.h"
#include "memory/bucket_vote.h"

namespace memlens {

ShardedIb1::ShardedIb1(Communicator& comm, ClassifierOptions options, GlobalStatistics stats,
                       std::unique_ptr<Classifier> local)
    : ShardedClassifier(comm, std::move(options), std::move(stats)), local_(std::move(local)) {}

Result<std::unique_ptr<ShardedClassifier>> trainShardedIb1(Communicator& comm,
                                                           const ClassifierOptions& options,
                                                           const InstanceSet& block,
                                                           JobControl* job) {
  InstanceBase base(block.width);
  Status added = base.add(block, job);
  if (Status st = comm.agree(added); !st) return st;
  auto stats = GlobalStatistics::reduce(comm, base, options);
  if (!stats) return stats.status();
  // The shard's search: global weights, and one bucket more than the vote needs, for the
  // k + 1 retry on a tie; its own vote is not used.
  ClassifierOptions search = options;
  search.fixedWeights = stats->weights();
  search.k = options.k + 1;
  search.distanceWeighting = DistanceWeighting::kZero;
  auto local = restoreIb1Classifier(search, std::move(base), job);
  if (Status st = comm.agree(local ? Status::ok() : local.status()); !st) return st;
  ClassifierOptions merged = options;
  merged.fixedWeights = stats->weights();
  return std::unique_ptr<ShardedClassifier>(std::make_unique<ShardedIb1>(
      comm, std::move(merged), std::move(stats).value(), std::move(local).value()));
}

Result<Message> ShardedIb1::answer(const InstanceSet& batch, const PredictOptions&) const {
  PredictOptions search;
  search.distributions = false;
  search.neighbours = true;
  Message m;
  // A rank whose block is empty (more ranks than instances) has no bucket to give.
  if (local_->memory().vectorCount() == 0) {
    for (size_t q = 0; q < batch.size(); ++q) m.put<uint32_t>(0);
    return m;
  }
  auto found = local_->predict(batch, search);
  if (!found) return found.status();
  const InstanceBase& base = local_->memory();
  const size_t wanted = static_cast<size_t>(options_.k) + 1;
  for (const Prediction& p : *found) {
    const size_t buckets = std::min(wanted, p.neighbours.size());
    m.put<uint32_t>(static_cast<uint32_t>(buckets));
    for (size_t b = 0; b < buckets; ++b) {
      const NeighbourBucket& nb = p.neighbours[b];
      m.put<double>(nb.distance);
      const SparseCounts counts = summedCounts(base, nb.storedVectors);
      m.put<uint32_t>(static_cast<uint32_t>(counts.size()));
      for (const auto& [c, n] : counts) {
        m.put<uint32_t>(base.classId(c));
        m.put<int64_t>(n);
      }
    }
  }
  return m;
}

Status ShardedIb1::merge(const InstanceSet& batch, std::vector<Message>& answers,
                         const PredictOptions& options, Prediction* out) const {
  struct Bucket {
    double distance;
    SparseCounts counts;  // global class index, count
  };
  const size_t wanted = static_cast<size_t>(options_.k) + 1;
  const auto classIdOf = [this](uint32_t c) { return stats_.classIds()[c]; };
  std::vector<Bucket> all;
  for (size_t q = 0; q < batch.size(); ++q) {
    all.clear();
    for (Message& m : answers) {
      const auto buckets = m.get<uint32_t>();
      for (uint32_t b = 0; b < buckets && m.ok(); ++b) {
        Bucket& bucket = all.emplace_back();
        bucket.distance = m.get<double>();
        const auto classes = m.get<uint32_t>();
        for (uint32_t c = 0; c < classes && m.ok(); ++c) {
          const uint32_t index = stats_.classIndex(m.get<uint32_t>());
          const auto n = m.get<int64_t>();
          if (index == GlobalStatistics::kNone) return Status::internal("a class no rank counted");
          bucket.counts.emplace_back(index, n);
        }
      }
      if (!m.ok()) return Status::internal("malformed neighbour buckets from a rank");
    }
    // Nearest first; buckets of different ranks at one distance are one bucket, whose distance
    // is the smallest (the one process's bucket starts at its nearest member).
    std::stable_sort(all.begin(), all.end(),
                     [](const Bucket& a, const Bucket& b) { return a.distance < b.distance; });
    std::vector<Bucket> nearest;
    for (Bucket& b : all) {
      if (!nearest.empty() && sameDistance(nearest.back().distance, b.distance)) {
        SparseCounts& into = nearest.back().counts;
        for (const auto& [c, n] : b.counts) {
          auto it = std::find_if(into.begin(), into.end(),
                                 [c = c](const auto& e) { return e.first == c; });
          if (it == into.end())
            into.emplace_back(c, n);
          else
            it->second += n;
        }
        continue;
      }
      if (nearest.size() == wanted) break;
      nearest.push_back(std::move(b));
    }
    Prediction& p = out[q];
    p = Prediction{};
    if (nearest.empty()) continue;
    std::vector<double> distances;
    for (const Bucket& b : nearest) distances.push_back(b.distance);
    BucketVote vote(stats_.classTotals(), classIdOf, options_, std::move(distances),
                    [&nearest](int b) { return nearest[static_cast<size_t>(b)].counts; });
    vote.decide(options, p);
  }
  for (Message& m : answers)
    if (!m.atEnd()) return Status::internal("a rank answered more queries than were sent");
  return Status::ok();
}

}  // namespace memlens
