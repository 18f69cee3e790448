#include "distributed/sharded_buckets_trace.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "distributed/bucket_merge.h"
#include "memory/bucket_vote.h"
#include "memory/overlap_memory.h"

namespace memlens {
namespace {

// This rank's stored vectors, or null when it holds none.
const InstanceBase* shardOf(const ShardedClassifier& classifier) {
  const OverlapMemory* overlap = classifier.overlap();
  return overlap && overlap->trained() ? &overlap->base() : nullptr;
}

std::string_view bytesOf(std::span<const uint32_t> v) {
  return {reinterpret_cast<const char*>(v.data()), v.size_bytes()};
}

// A bucket's vectors on one rank: every vector's class counts (global class indices), and the
// vectors first held here, the lowest ids first.
struct RankBucket {
  uint64_t firstHeld = 0;
  std::vector<int64_t> totals;
  std::vector<uint32_t> listed;
};

// Rank 0's view of a voted bucket: its size, summed counts and the vectors one process lists.
struct GlobalBucket {
  uint64_t vectors = 0;
  std::vector<int64_t> totals;
  std::vector<std::pair<uint64_t, std::vector<uint32_t>>> listed;  // (first source, values)
};

// Adds another rank's copy of a stored vector (the same values) to `into`: one process's vector
// holds the instances of every block, in block order.
void join(ShardVector& into, ShardVector&& copy, size_t maxProvenance) {
  for (const ClassVote& c : copy.trace.counts) {
    auto it = std::find_if(into.trace.counts.begin(), into.trace.counts.end(),
                           [&](const ClassVote& o) { return o.classId == c.classId; });
    if (it == into.trace.counts.end()) {
      into.trace.counts.push_back(c);
    } else {
      it->weight += c.weight;
    }
  }
  into.trace.instanceCount += copy.trace.instanceCount;
  for (const uint64_t s : copy.sources)
    if (into.sources.size() < maxProvenance) into.sources.push_back(s);
}

// Rank 0's voted buckets (the exact merge of every rank's k + 1 nearest), on every rank.
Status votedBuckets(Communicator& comm, const ShardedClassifier& classifier,
                    const InstanceBase* shard, const Trace& t, std::vector<NeighbourBucket>& out) {
  std::vector<OverlapSearch::ScoredBucket> nearest;
  std::vector<uint32_t> global;
  if (shard) {
    nearest =
        classifier.overlap()->search().nearestBuckets(t.context.data(), 0, classifier.options().k);
    global = classifier.statistics().globalIndices(*shard);
  }
  Message mine;
  BucketMerge::put(mine, nearest, global);
  auto gathered = comm.gather(mine.bytes());
  if (!gathered) return gathered.status();
  Message voted;
  Status merged = Status::ok();
  if (comm.rank() == 0) {
    BucketMerge merge(classifier.statistics(), classifier.options());
    merge.begin();
    for (std::vector<uint8_t>& bytes : *gathered) {
      Message m(std::move(bytes));
      if (!merge.read(m) || !m.atEnd())
        merged = Status::internal("malformed neighbour buckets from a rank");
    }
    PredictOptions asked;
    asked.neighbours = true;
    Prediction p;
    merge.decide(asked, p);
    voted.put<uint64_t>(p.neighbours.size());
    for (const NeighbourBucket& b : p.neighbours) {
      voted.put<double>(b.distance);
      voted.put<double>(b.weight);
    }
  }
  if (Status st = comm.agree(merged); !st) return st;
  if (Status st = share(comm, voted); !st) return st;
  const auto n = voted.get<uint64_t>();
  for (uint64_t b = 0; b < n && voted.ok(); ++b) {
    const double distance = voted.get<double>();
    out.emplace_back(distance, voted.get<double>(), std::vector<uint32_t>());
  }
  return voted.ok() ? Status::ok() : Status::internal("malformed voted buckets");
}

// This rank's vectors in each voted bucket (at its distance, grouped as the merge groups).
std::vector<RankBucket> rankBuckets(const ShardedClassifier& classifier, const InstanceBase* shard,
                                    const std::vector<uint32_t>& firstHeld, const Trace& t,
                                    const std::vector<NeighbourBucket>& voted, size_t cap) {
  const size_t classes = classifier.statistics().classIds().size();
  std::vector<RankBucket> out(voted.size());
  for (RankBucket& b : out) b.totals.assign(classes, 0);
  if (!shard) return out;
  const std::vector<uint32_t> global = classifier.statistics().globalIndices(*shard);
  for (uint32_t id = 0; id < shard->vectorCount(); ++id) {
    const auto v = shard->vector(id);
    double d = 0.0;
    for (size_t f = 0; f < v.size(); ++f)
      if (v[f] != t.context[f]) d += t.featureWeights[f];
    size_t b = 0;
    while (b < voted.size() && !sameDistance(voted[b].distance, d)) ++b;
    if (b == voted.size()) continue;
    RankBucket& bucket = out[b];
    for (const ClassCount& c : shard->distribution(id))
      bucket.totals[global[c.classIndex]] += c.count;
    // Local ids rise with first sources, and so do one process's ids of the vectors first held
    // here: the first found are the lowest.
    if (!firstHeld.empty() && firstHeld[id + 1] == firstHeld[id]) continue;
    ++bucket.firstHeld;
    if (bucket.listed.size() < cap) bucket.listed.push_back(id);
  }
  return out;
}

}  // namespace

Result<std::vector<uint32_t>> firstHeldBefore(Communicator& comm,
                                              const ShardedClassifier& classifier) {
  if (classifier.disjoint()) return std::vector<uint32_t>();
  const InstanceBase* shard = shardOf(classifier);
  const uint32_t local = shard ? shard->vectorCount() : 0;
  const size_t ranks = static_cast<size_t>(comm.size());
  // Each vector goes to the rank its hash names, which sees every copy, in rank order.
  std::vector<size_t> to(local);
  std::vector<std::vector<uint8_t>> sent(ranks);
  for (uint32_t id = 0; id < local; ++id) {
    const std::string_view v = bytesOf(shard->vector(id));
    to[id] = std::hash<std::string_view>{}(v) % ranks;
    sent[to[id]].insert(sent[to[id]].end(), v.begin(), v.end());
  }
  auto received = comm.allToAll(std::move(sent));
  if (!received) return received.status();
  const size_t vectorBytes = static_cast<size_t>(classifier.width()) * sizeof(uint32_t);
  std::unordered_set<std::string_view> seen;
  std::vector<std::vector<uint8_t>> first(ranks);
  for (size_t from = 0; from < ranks; ++from) {
    const std::vector<uint8_t>& in = (*received)[from];
    for (size_t at = 0; at + vectorBytes <= in.size(); at += vectorBytes)
      first[from].push_back(
          seen.emplace(reinterpret_cast<const char*>(in.data()) + at, vectorBytes).second ? 1 : 0);
  }
  auto answers = comm.allToAll(std::move(first));
  if (!answers) return answers.status();
  std::vector<size_t> next(ranks, 0);
  std::vector<uint32_t> before(static_cast<size_t>(local) + 1, 0);
  Status complete = Status::ok();
  for (uint32_t id = 0; id < local; ++id) {
    const std::vector<uint8_t>& bits = (*answers)[to[id]];
    if (next[to[id]] >= bits.size()) {
      complete = Status::internal("a rank answered fewer vectors than were sent");
      break;
    }
    before[id + 1] = before[id] + bits[next[to[id]]++];
  }
  if (Status st = comm.agree(complete); !st) return st;
  return before;
}

Status bucketsOverShards(Communicator& comm, const ShardedClassifier& classifier,
                         const std::vector<uint32_t>& firstHeld, const Trace& t,
                         const TraceOptions& options, std::vector<ShardBucket>& buckets) {
  const InstanceBase* shard = shardOf(classifier);
  std::vector<NeighbourBucket> voted;
  if (Status st = votedBuckets(comm, classifier, shard, t, voted); !st) return st;

  // Every rank's share of each bucket; rank 0 picks the vectors one process lists.
  const size_t cap = options.maxBucketNeighbours;
  Message mine;
  for (const RankBucket& b : rankBuckets(classifier, shard, firstHeld, t, voted, cap)) {
    mine.put<uint64_t>(b.firstHeld);
    for (uint32_t c = 0; c < b.totals.size(); ++c)
      if (b.totals[c] != 0) {
        mine.put<uint32_t>(c);
        mine.put<int64_t>(b.totals[c]);
      }
    mine.put<uint32_t>(UINT32_MAX);
    mine.put<uint64_t>(b.listed.size());
    for (const uint32_t id : b.listed) {
      mine.put<uint64_t>(shard->firstSource(id));
      mine.putSpan<uint32_t>(shard->vector(id));
    }
  }
  auto gathered = comm.gather(mine.bytes());
  if (!gathered) return gathered.status();
  const size_t classes = classifier.statistics().classIds().size();
  std::vector<GlobalBucket> global(voted.size());
  Message chosen;
  Status merged = Status::ok();
  if (comm.rank() == 0) {
    for (GlobalBucket& b : global) b.totals.assign(classes, 0);
    for (std::vector<uint8_t>& bytes : *gathered) {
      Message m(std::move(bytes));
      for (GlobalBucket& b : global) {
        b.vectors += m.get<uint64_t>();
        for (uint32_t c = m.get<uint32_t>(); m.ok() && c != UINT32_MAX; c = m.get<uint32_t>()) {
          const auto count = m.get<int64_t>();
          if (c < classes) b.totals[c] += count;
        }
        const auto n = m.get<uint64_t>();
        for (uint64_t i = 0; i < n && m.ok(); ++i) {
          const auto source = m.get<uint64_t>();
          b.listed.emplace_back(source, m.getVector<uint32_t>());
        }
      }
      if (!m.ok() || !m.atEnd()) merged = Status::internal("malformed bucket vectors from a rank");
    }
    for (GlobalBucket& b : global) {
      std::sort(b.listed.begin(), b.listed.end());
      if (b.listed.size() > cap) b.listed.resize(cap);
      chosen.put<uint64_t>(b.listed.size());
      for (const auto& [source, values] : b.listed) chosen.putSpan<uint32_t>(values);
    }
  }
  if (Status st = comm.agree(merged); !st) return st;
  if (Status st = share(comm, chosen); !st) return st;

  // The listed vectors from every rank that holds them, joined on rank 0 in rank order.
  Message held;
  std::vector<size_t> listed;
  for (size_t b = 0; b < voted.size(); ++b) {
    listed.push_back(chosen.get<uint64_t>());
    for (size_t i = 0; i < listed.back() && chosen.ok(); ++i) {
      const std::vector<uint32_t> values = chosen.getVector<uint32_t>();
      const uint32_t id = shard && values.size() == static_cast<size_t>(shard->width())
                              ? shard->find(values)
                              : InstanceBase::kNone;
      held.put<uint8_t>(id != InstanceBase::kNone ? 1 : 0);
      if (id != InstanceBase::kNone) putShardVector(held, shardVector(*shard, id, t, options));
    }
  }
  if (!chosen.ok()) return Status::internal("malformed bucket listing");
  auto copies = comm.gather(held.bytes());
  if (!copies) return copies.status();
  if (comm.rank() != 0) return comm.agree(Status::ok());
  std::vector<std::vector<std::pair<bool, ShardVector>>> joined(voted.size());
  for (size_t b = 0; b < voted.size(); ++b) joined[b].resize(listed[b]);
  for (std::vector<uint8_t>& bytes : *copies) {
    Message m(std::move(bytes));
    for (auto& bucket : joined)
      for (auto& [found, v] : bucket) {
        if (m.get<uint8_t>() != 1) continue;
        ShardVector copy = getShardVector(m);
        if (found) {
          join(v, std::move(copy), options.maxProvenance);
        } else {
          v = std::move(copy);
          found = true;
        }
      }
    if (!m.ok() || !m.atEnd())
      return comm.agree(Status::internal("malformed listed vectors from a rank"));
  }
  const std::vector<uint32_t>& classIds = classifier.statistics().classIds();
  for (size_t b = 0; b < voted.size(); ++b) {
    ShardBucket& out = buckets.emplace_back();
    out.distance = voted[b].distance;
    out.weight = voted[b].weight;
    std::unordered_map<uint32_t, double> shown;  // the listed vectors' counts by class id
    for (auto& [found, v] : joined[b]) {
      if (!found) return comm.agree(Status::internal("a listed vector no rank holds"));
      for (const ClassVote& c : v.trace.counts) shown[c.classId] += c.weight;
      out.vectors.push_back(std::move(v));
    }
    // As one process: the rest only when the bucket holds more than are listed.
    if (global[b].vectors <= cap) continue;
    out.unlistedVectors = global[b].vectors - out.vectors.size();
    for (uint32_t c = 0; c < classes; ++c) {
      const double rest = static_cast<double>(global[b].totals[c]) - shown[classIds[c]];
      if (rest > 0) out.unlistedCounts.push_back({classIds[c], rest});
    }
  }
  return comm.agree(Status::ok());
}

}  // namespace memlens
