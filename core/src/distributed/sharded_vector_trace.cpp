#include "distributed/sharded_vector_trace.h"

#include <optional>
#include <string>
#include <vector>

#include "distributed/message.h"
#include "distributed/shard_vector.h"
#include "distributed/sharded_vector_memory.h"
#include "distributed/traced_vectors.h"
#include "vector/attention_classifier.h"

namespace memlens {
namespace {

// A slot of the merged read as the rank holding it describes it.
struct HeldSlot {
  ShardVector vector;
  std::vector<double> terms;  // its row of the attention map
};

// This rank's part: the slots named by `keys` that it holds (in `shard`, its stored vectors),
// each as (index in `keys`, vector without id or provenance, its instances counted as one
// process counts a slot's, its row of the attention map at `temperature`).
Message heldSlots(const ShardedVectorMemory& vector, const InstanceBase* shard,
                  const std::vector<uint64_t>& keys, const Trace& query, double temperature) {
  Message mine;
  for (size_t i = 0; i < keys.size(); ++i) {
    const std::optional<uint32_t> slot = vector.slotOf(keys[i]);
    if (!shard || !slot) continue;
    ShardVector v = shardVector(*shard, *slot, query, TraceOptions{});
    v.trace.instanceCount = shard->sources(*slot).size();
    const SlotRead read{*slot, 0.0, 0.0};
    mine.put<uint64_t>(i);
    putShardVector(mine, v);
    mine.putSpan<double>(
        vector.vectorMemory().attentionTerms(query.context, {&read, 1}, temperature).front());
  }
  return mine;
}

// Rank 0: every slot of `count` from the ranks' parts, each from exactly one rank.
Result<std::vector<HeldSlot>> joinSlots(std::vector<std::vector<uint8_t>>& parts, size_t count) {
  std::vector<std::optional<HeldSlot>> found(count);
  for (size_t rank = 0; rank < parts.size(); ++rank) {
    Message m(std::move(parts[rank]));
    while (m.ok() && !m.atEnd()) {
      const auto i = m.get<uint64_t>();
      HeldSlot s{getShardVector(m), m.getVector<double>()};
      if (!m.ok() || i >= count || found[i])
        return Status::internal("malformed slots from rank " + std::to_string(rank));
      found[i] = std::move(s);
    }
    if (!m.ok()) return Status::internal("malformed slots from rank " + std::to_string(rank));
  }
  std::vector<HeldSlot> slots;
  for (std::optional<HeldSlot>& s : found) {
    if (!s) return Status::internal("a slot of the merged read that no rank holds");
    slots.push_back(std::move(*s));
  }
  return slots;
}

}  // namespace

Result<VectorTrace> traceShardedVectorMemory(Communicator& comm, const ShardedMemory& memory,
                                             const Experiment* experiment,
                                             std::span<const uint32_t> context,
                                             size_t topOutcomes) {
  auto* vector = dynamic_cast<ShardedVectorMemory*>(memory.classifier.get());
  if (!vector) return Status::invalidArgument("the sharded memory is not a vector memory");
  const bool root = comm.rank() == 0;
  Message query;
  if (root) query.putSpan<uint32_t>(context);
  if (Status st = share(comm, query); !st) return st;
  Trace asked;  // the context and weights each rank's slots are traced against
  asked.context = query.getVector<uint32_t>();
  if (!query.ok() || asked.context.size() != static_cast<size_t>(vector->width()))
    return Status::internal("malformed context");
  asked.featureWeights = vector->statistics().weights();

  // The merged read, as eval gathers a test token's.
  InstanceSet queries;
  queries.width = vector->width();
  queries.features = asked.context;
  queries.classes.assign(1, 0);
  const InstanceSet* sets[] = {&queries};
  auto reads = vector->gatherReads(sets);
  if (!reads) return reads.status();

  // Rank 0 reads at the temperature its experiment tuned and names the slots by their keys.
  VectorRead read;
  Message named;
  Status usable = Status::ok();
  if (root) {
    const auto* attention = dynamic_cast<const AttentionClassifier*>(&experiment->classifier());
    if (!attention || !attention->attentionRead()) {
      usable = Status::invalidArgument("the experiment's memory is not a vector memory");
    } else {
      const double temperature = attention->attentionRead()->temperature();
      (*reads)->setTemperature(temperature);
      read = (*reads)->read(asked.context);
      std::vector<uint64_t> keys;
      for (const SlotRead& s : read.slots) keys.push_back((*reads)->key(s.slot));
      named.put<double>(temperature);
      named.putSpan<uint64_t>(keys);
    }
  }
  if (Status st = comm.agree(usable); !st) return st;
  if (Status st = share(comm, named); !st) return st;
  const auto temperature = named.get<double>();
  const std::vector<uint64_t> keys = named.getVector<uint64_t>();
  if (!named.ok()) return Status::internal("malformed slot keys");

  auto parts =
      comm.gather(heldSlots(*vector, memory.classifier->shard(), keys, asked, temperature).bytes());
  if (!parts) return parts.status();
  Result<std::vector<HeldSlot>> slots = std::vector<HeldSlot>();
  if (root) slots = joinSlots(*parts, keys.size());
  if (Status st = comm.agree(slots ? Status::ok() : slots.status()); !st) return st;
  std::vector<ShardVector> vectors;
  for (HeldSlot& s : *slots) vectors.push_back(std::move(s.vector));
  auto traced = tracedVectors(comm, memory, {}, std::move(vectors), TraceOptions{});
  if (!traced) return traced.status();
  if (!root) return VectorTrace{};

  VectorTrace t;
  t.context = std::move(asked.context);
  t.featureWeights = std::move(asked.featureWeights);
  t.temperature = temperature;
  for (size_t i = 0; i < read.slots.size(); ++i) {
    NeighbourTrace& n = (*traced)[i];
    VectorSlotTrace& s = t.slots.emplace_back();
    s.slot = n.storedVector;
    s.values = std::move(n.values);
    s.distance = read.slots[i].distance;
    s.attention = read.slots[i].attention;
    s.counts = std::move(n.counts);
    s.terms = std::move((*slots)[i].terms);
    s.instanceCount = n.instanceCount;
    s.provenance = std::move(n.provenance);
  }
  addVectorOutcomes(experiment->smoother(), read, topOutcomes, t);
  return t;
}

}  // namespace memlens
