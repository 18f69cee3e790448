#include "distributed/sharded_vector_memory.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <numeric>
#include <string>
#include <unordered_set>

#include "distributed/answered_vector_memory.h"
#include "distributed/shard_by_value.h"

namespace memlens {
namespace {

// Rank 0's `message`, parsed, on every rank.
Result<Message> broadcastMessage(Communicator& comm, Message message) {
  if (Status st = comm.broadcast(message.bytes()); !st) return st;
  return Message(std::move(message.bytes()));
}

// The element-wise sum (or maximum) over ranks of every rank's `values`, on every rank; a shorter
// list counts as zeros.
Result<std::vector<uint64_t>> combine(Communicator& comm, const std::vector<uint64_t>& values,
                                      bool maximum) {
  Message m;
  m.putSpan<uint64_t>(values);
  std::vector<uint64_t> all;
  Status merged = Status::ok();
  if (Status st = comm.gatherEach(std::move(m.bytes()),
                                  [&](int rank, std::vector<uint8_t> bytes) {
                                    Message r(std::move(bytes));
                                    const auto v = r.getVector<uint64_t>();
                                    if (!r.ok())
                                      merged = Status::internal("malformed counts from rank " +
                                                                std::to_string(rank));
                                    if (v.size() > all.size()) all.resize(v.size(), 0);
                                    for (size_t i = 0; i < v.size(); ++i)
                                      all[i] = maximum ? std::max(all[i], v[i]) : all[i] + v[i];
                                  });
      !st)
    return st;
  if (Status st = comm.agree(merged); !st) return st;
  Message out;
  out.putSpan<uint64_t>(all);
  auto in = broadcastMessage(comm, std::move(out));
  if (!in) return in.status();
  all = in->getVector<uint64_t>();
  if (!in->ok()) return Status::internal("malformed counts from rank 0");
  return all;
}

// The word vectors one process learns from the whole memory: each rank counts the word-context
// pairs of its shard (whole slots, so every pair count is a sum of slot counts), rank 0 adds
// them (integers: exact in any order) and runs the one process's PPMI and SVD on the sums, and
// sends the vectors to every rank.
Result<std::unique_ptr<WordVectors>> trainVectors(Communicator& comm, const InstanceBase& shard,
                                                  const WordVectorOptions& o, JobControl* job) {
  auto vocabulary = combine(comm, {WordVectors::vocabularyOf(shard)}, true);
  if (!vocabulary) return vocabulary.status();
  const auto vocabSize = static_cast<uint32_t>(vocabulary->front());
  auto counts = WordVectors::countPairs(shard, vocabSize, o, job);
  if (Status st = comm.agree(counts ? Status::ok() : counts.status()); !st) return st;
  Message m;
  for (const auto& [key, count] : *counts) {
    m.put<uint64_t>(key);
    m.put<double>(count);
  }
  *counts = WordVectors::PairCounts();
  WordVectors::PairCounts all;
  Status merged = Status::ok();
  if (Status st =
          comm.gatherEach(std::move(m.bytes()),
                          [&](int rank, std::vector<uint8_t> bytes) {
                            Message r(std::move(bytes));
                            while (r.ok() && !r.atEnd()) {
                              const auto key = r.get<uint64_t>();
                              const auto count = r.get<double>();
                              if (r.ok()) all[key] += count;
                            }
                            if (!r.ok())
                              merged = Status::internal("malformed word-context counts from rank " +
                                                        std::to_string(rank));
                          });
      !st)
    return st;
  Result<std::unique_ptr<WordVectors>> vectors = std::unique_ptr<WordVectors>();
  if (comm.rank() == 0 && merged) vectors = WordVectors::fromPairCounts(all, vocabSize, o, job);
  all = WordVectors::PairCounts();
  if (Status st = comm.agree(!merged ? merged : vectors ? Status::ok() : vectors.status()); !st)
    return st;
  Message out;
  if (comm.rank() == 0) out.putSpan<float>((*vectors)->values());
  auto in = broadcastMessage(comm, std::move(out));
  if (!in) return in.status();
  auto values = in->getVector<float>();
  if (!in->ok()) return Status::internal("malformed word vectors from rank 0");
  return WordVectors::fromValues(std::move(values), o.dimensions);
}

}  // namespace

ShardedVectorMemory::ShardedVectorMemory(Communicator& comm, ClassifierOptions options,
                                         GlobalStatistics stats,
                                         std::unique_ptr<InstanceBase> shard,
                                         std::unique_ptr<WordVectors> vectors)
    : ShardedClassifier(comm, std::move(options), std::move(stats)),
      shard_(std::move(shard)),
      vectors_(std::move(vectors)),
      read_(std::make_unique<VectorMemory>(*shard_, stats_.weights(), vectors_.get(),
                                           options_.vectorMemory)) {}

Result<std::unique_ptr<ShardedClassifier>> trainShardedVectorMemory(
    Communicator& comm, const ClassifierOptions& options, InstanceSet block, JobControl* job) {
  if (block.width < 1) return Status::invalidArgument("the vector memory needs a context");
  if (options.vectorMemory.indexedPositions > 2)
    return Status::invalidArgument(
        "a sharded vector memory indexes at most 2 positions for now: run it with one rank");
  auto stats = GlobalStatistics::ofBlock(comm, block, options, job);
  if (!stats) return stats.status();
  // The highest-weight position (the first of equals), level 0 of the search: a rank holds
  // whole groups there.
  const std::vector<double>& weights = stats->weights();
  const auto feature =
      static_cast<int>(std::max_element(weights.begin(), weights.end()) - weights.begin());
  auto shard = shardByValue(comm, std::move(block), feature, *stats, job);
  if (Status st = comm.agree(shard ? Status::ok() : shard.status()); !st) return st;
  auto base = std::make_unique<InstanceBase>(std::move(shard).value());
  std::unique_ptr<WordVectors> vectors;
  if (options.wordVectors.dimensions > 0) {
    auto trained = trainVectors(comm, *base, options.wordVectors, job);
    if (!trained) return trained.status();
    vectors = std::move(*trained);
  }
  auto memory = std::make_unique<ShardedVectorMemory>(comm, options, std::move(stats).value(),
                                                      std::move(base), std::move(vectors));
  const VectorMemory& read = *memory->read_;
  std::vector<uint64_t> groups(read.candidateLevels());
  for (size_t r = 0; r < groups.size(); ++r) groups[r] = read.groupCount(r);
  auto maxGroups = combine(comm, groups, true);
  if (!maxGroups) return maxGroups.status();
  std::vector<uint32_t> words(groups.empty() ? 0 : read.groupCount(0));
  std::iota(words.begin(), words.end(), 0u);
  auto levelZero = combine(comm, read.newSlotCounts(0, {}, words), false);
  if (!levelZero) return levelZero.status();
  memory->global_.levelZeroSlots = std::move(*levelZero);
  memory->global_.groupCounts.assign(maxGroups->begin(), maxGroups->end());
  memory->keys_.resize(memory->shard_->vectorCount());
  for (uint32_t slot = 0; slot < memory->shard_->vectorCount(); ++slot)
    memory->keys_[slot] = memory->shard_->firstSource(slot);
  return std::unique_ptr<ShardedClassifier>(std::move(memory));
}

std::vector<uint32_t> ShardedVectorMemory::levelZero(std::span<const uint32_t> query) const {
  if (global_.groupCounts.empty()) return {};
  std::vector<uint32_t> words = read_->levelWords(query, 0, global_.groupCounts[0]);
  std::vector<uint64_t> counts;
  for (const uint32_t w : words)
    counts.push_back(w < global_.levelZeroSlots.size() ? global_.levelZeroSlots[w] : 0);
  words.resize(read_->chosenCount(query, 0, words, counts));
  return words;
}

Result<Message> ShardedVectorMemory::probe(const InstanceSet& batch) {
  candidates_.assign(batch.size(), {});
  std::vector<std::vector<uint64_t>> counts(batch.size());
  tbb::parallel_for(size_t{0}, batch.size(), [&](size_t q) {
    const auto query = batch.instance(q);
    VectorMemory::CandidateWords& c = candidates_[q];
    c.push_back(levelZero(query));
    c.push_back(read_->levelWords(query, 1, global_.groupCounts[1]));
    counts[q] = read_->newSlotCounts(1, c, c[1]);
  });
  Message m;
  for (const auto& c : counts) m.putSpan<uint64_t>(c);
  return m;
}

Message ShardedVectorMemory::plan(const InstanceSet& batch, std::vector<Message>& probes) const {
  Message cuts;
  std::vector<uint64_t> sum;
  for (size_t q = 0; q < batch.size(); ++q) {
    const std::vector<uint32_t>& words = candidates_[q][1];
    sum.assign(words.size(), 0);
    for (Message& m : probes) {
      const auto counts = m.getVector<uint64_t>();
      for (size_t i = 0; i < counts.size() && i < sum.size(); ++i) sum[i] += counts[i];
    }
    cuts.put<uint32_t>(static_cast<uint32_t>(read_->chosenCount(batch.instance(q), 1, words, sum)));
  }
  return cuts;
}

Result<Message> ShardedVectorMemory::answer(const InstanceSet& batch, const Message& plan,
                                            const PredictOptions&) const {
  std::vector<VectorMemory::CandidateWords> chosen(batch.size());
  if (probes()) {
    Message cuts(plan.bytes());
    for (size_t q = 0; q < batch.size(); ++q) {
      chosen[q] = candidates_[q];
      chosen[q][1].resize(std::min<size_t>(cuts.get<uint32_t>(), chosen[q][1].size()));
    }
    if (!cuts.ok() || !cuts.atEnd()) return Status::internal("malformed plan from rank 0");
  }
  std::vector<std::vector<SlotRead>> found(batch.size());
  tbb::parallel_for(size_t{0}, batch.size(), [&](size_t q) {
    const auto query = batch.instance(q);
    if (!probes() && read_->candidateLevels() == 1) chosen[q] = {levelZero(query)};
    found[q] = read_->nearest(query, chosen[q]);
  });
  Message m;
  for (const auto& slots : found) {
    m.put<uint32_t>(static_cast<uint32_t>(slots.size()));
    for (const SlotRead& s : slots) {
      m.put<double>(s.distance);
      m.put<uint64_t>(keys_[s.slot]);
      const auto counts = shard_->distribution(s.slot);
      m.putSpan<ClassCount>(counts);
    }
  }
  return m;
}

Status ShardedVectorMemory::merge(const InstanceSet& batch, std::vector<Message>& answers,
                                  const PredictOptions& options, Prediction* out) const {
  GatheredReads batchReads(stats_.weights(), stats_.classIds(), options_.vectorMemory.temperature);
  GatheredReads& reads = gathering_ ? *gathering_ : batchReads;
  const auto k = static_cast<size_t>(std::max(1, options_.vectorMemory.topK));
  const size_t classes = stats_.classIds().size();
  struct Entry {
    double distance;
    uint64_t key;
    size_t start, size;
  };
  std::vector<Entry> entries;
  std::vector<ClassCount> counts;
  std::vector<GatheredSlot> slots;
  for (size_t q = 0; q < batch.size(); ++q) {
    entries.clear();
    counts.clear();
    for (Message& m : answers) {
      const auto n = m.get<uint32_t>();
      for (uint32_t i = 0; i < n && m.ok(); ++i) {
        Entry e{};
        e.distance = m.get<double>();
        e.key = m.get<uint64_t>();
        const auto c = m.getVector<ClassCount>();
        e.start = counts.size();
        e.size = c.size();
        counts.insert(counts.end(), c.begin(), c.end());
        entries.push_back(e);
      }
      if (!m.ok()) return Status::internal("malformed slots from a rank");
    }
    if (std::any_of(counts.begin(), counts.end(),
                    [&](const ClassCount& c) { return c.classIndex >= classes; }))
      return Status::internal("a rank's slot holds an unknown class");
    // One process's order: nearest first, equal distances by slot id (the first source's order).
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
      return a.distance != b.distance ? a.distance < b.distance : a.key < b.key;
    });
    if (entries.size() > k) entries.resize(k);
    slots.clear();
    for (const Entry& e : entries)
      slots.push_back({e.distance, e.key, {counts.data() + e.start, e.size}});
    const auto query = batch.instance(q);
    reads.add(query, slots);
    if (!gathering_) out[q] = reads.predict(query, options);
  }
  for (Message& m : answers)
    if (!m.atEnd()) return Status::internal("a rank answered more queries than were sent");
  return Status::ok();
}

Result<std::unique_ptr<GatheredReads>> ShardedVectorMemory::gatherReads(
    std::span<const InstanceSet* const> queries, JobControl* job) {
  const bool root = comm_.rank() == 0;
  InstanceSet distinct;
  distinct.width = width();
  if (root) {
    std::unordered_set<std::string> seen;
    for (const InstanceSet* set : queries) {
      for (size_t i = 0; i < set->size(); ++i) {
        const auto query = set->instance(i);
        if (!seen.emplace(reinterpret_cast<const char*>(query.data()), query.size_bytes()).second)
          continue;
        distinct.features.insert(distinct.features.end(), query.begin(), query.end());
        distinct.classes.push_back(0);
      }
    }
  }
  auto reads = root ? std::make_unique<GatheredReads>(stats_.weights(), stats_.classIds(),
                                                      options_.vectorMemory.temperature)
                    : nullptr;
  gathering_ = reads.get();
  const Status st = predictEach(
      distinct, {}, [](size_t, std::vector<Prediction>&) {}, job);
  gathering_ = nullptr;
  if (!st) return st;
  return reads;
}

Result<std::unique_ptr<AttentionClassifier>> ShardedVectorMemory::gather(
    std::span<const InstanceSet* const> queries, JobControl* job) {
  auto reads = gatherReads(queries, job);
  if (!reads) return reads.status();
  if (!*reads) return std::unique_ptr<AttentionClassifier>();
  return std::unique_ptr<AttentionClassifier>(
      std::make_unique<AnsweredVectorMemory>(options_, std::move(*reads)));
}

std::optional<uint32_t> ShardedVectorMemory::slotOf(uint64_t key) const {
  const auto it = std::lower_bound(keys_.begin(), keys_.end(), key);
  if (it == keys_.end() || *it != key) return std::nullopt;
  return static_cast<uint32_t>(it - keys_.begin());
}

}  // namespace memlens
