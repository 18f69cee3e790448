#include "distributed/sharded_vector_trace.h"

#include <map>
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

// The slots rank 0 asks for, by key, and what it shows of them.
struct SlotRequest {
  double temperature = 1.0;
  std::vector<uint64_t> keys;
  bool terms = false;  // with their rows of the attention map for the shared context
  uint64_t maxProvenance = 0;
};

// A slot of the merged read as the rank holding it describes it: no id, no provenance yet.
struct HeldSlot {
  std::vector<uint32_t> values;
  std::vector<ClassVote> counts;  // by class id, in the memory's order
  uint64_t instances = 0;         // counted as one process counts a slot's: its sources
  std::vector<uint64_t> sources;  // the first maxProvenance
  std::vector<double> terms;      // its row of the attention map
};

// This rank's part: the slots of `request` that it holds (in `shard`, its stored vectors), each
// as (index in request.keys, HeldSlot), the terms at request.temperature against `context`.
Message heldSlots(const ShardedVectorMemory& vector, const InstanceBase* shard,
                  const SlotRequest& request, std::span<const uint32_t> context) {
  Message mine;
  for (size_t i = 0; i < request.keys.size(); ++i) {
    const std::optional<uint32_t> slot = vector.slotOf(request.keys[i]);
    if (!shard || !slot) continue;
    std::vector<ClassVote> counts;
    for (const ClassCount& c : shard->distribution(*slot))
      counts.push_back({shard->classId(c.classIndex), static_cast<double>(c.count)});
    mine.put<uint64_t>(i);
    mine.putSpan<uint32_t>(shard->vector(*slot));
    mine.putSpan<ClassVote>(counts);
    mine.put<uint64_t>(shard->sources(*slot).size());
    mine.putSpan<uint64_t>(shard->sources(*slot, request.maxProvenance));
    const SlotRead read{*slot, 0.0, 0.0};
    mine.putSpan<double>(
        request.terms
            ? vector.vectorMemory().attentionTerms(context, {&read, 1}, request.temperature).front()
            : std::vector<double>());
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
      HeldSlot s;
      s.values = m.getVector<uint32_t>();
      s.counts = m.getVector<ClassVote>();
      s.instances = m.get<uint64_t>();
      s.sources = m.getVector<uint64_t>();
      s.terms = m.getVector<double>();
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

// Collective: the slots rank 0 names in `request` (the other ranks' is not read), traced by the
// ranks that hold them against `context` (every rank's), with one process's ids and the
// provenance of their first request.maxProvenance instances. Rank 0 gets them in the order
// asked (no distance or attention yet); the other ranks get none.
Result<std::vector<VectorSlotTrace>> slotsOf(Communicator& comm, const ShardedMemory& memory,
                                             const ShardedVectorMemory& vector,
                                             SlotRequest& request,
                                             std::span<const uint32_t> context) {
  Message asked;
  if (comm.rank() == 0) {
    asked.put<double>(request.temperature);
    asked.putSpan<uint64_t>(request.keys);
    asked.put<uint8_t>(request.terms ? 1 : 0);
    asked.put<uint64_t>(request.maxProvenance);
  }
  if (Status st = share(comm, asked); !st) return st;
  request.temperature = asked.get<double>();
  request.keys = asked.getVector<uint64_t>();
  request.terms = asked.get<uint8_t>() == 1;
  request.maxProvenance = asked.get<uint64_t>();
  if (!asked.ok()) return Status::internal("malformed slot request");
  auto parts = comm.gather(heldSlots(vector, memory.classifier->shard(), request, context).bytes());
  if (!parts) return parts.status();
  Result<std::vector<HeldSlot>> held = std::vector<HeldSlot>();
  if (comm.rank() == 0) held = joinSlots(*parts, request.keys.size());
  if (Status st = comm.agree(held ? Status::ok() : held.status()); !st) return st;
  std::vector<ShardVector> vectors;
  for (size_t i = 0; i < held->size(); ++i)  // a slot's key is its first source
    vectors.push_back({request.keys[i], {}, std::move((*held)[i].sources)});
  TraceOptions options;
  options.maxProvenance = request.maxProvenance;
  auto traced = tracedVectors(comm, memory, {}, std::move(vectors), options);
  if (!traced) return traced.status();
  std::vector<VectorSlotTrace> slots;
  for (size_t i = 0; i < traced->size(); ++i) {
    HeldSlot& h = (*held)[i];
    VectorSlotTrace& s = slots.emplace_back();
    s.slot = (*traced)[i].storedVector;
    s.values = std::move(h.values);
    s.counts = std::move(h.counts);
    s.terms = std::move(h.terms);
    s.instanceCount = h.instances;
    s.provenance = std::move((*traced)[i].provenance);
  }
  return slots;
}

// Rank 0: the temperature its experiment tuned, or why there is none.
Result<double> temperatureOf(const Experiment& experiment) {
  const auto* attention = dynamic_cast<const AttentionClassifier*>(&experiment.classifier());
  if (!attention || !attention->attentionRead())
    return Status::invalidArgument("the experiment's memory is not a vector memory");
  return attention->attentionRead()->temperature();
}

Result<ShardedVectorMemory*> vectorOf(const ShardedMemory& memory) {
  auto* vector = dynamic_cast<ShardedVectorMemory*>(memory.classifier.get());
  if (!vector) return Status::invalidArgument("the sharded memory is not a vector memory");
  return vector;
}

}  // namespace

Result<VectorTrace> traceShardedVectorMemory(Communicator& comm, const ShardedMemory& memory,
                                             const Experiment* experiment,
                                             std::span<const uint32_t> context,
                                             size_t topOutcomes) {
  auto sharded = vectorOf(memory);
  if (!sharded) return sharded.status();
  ShardedVectorMemory* vector = *sharded;
  Message query;
  const bool root = comm.rank() == 0;
  if (root) query.putSpan<uint32_t>(context);
  if (Status st = share(comm, query); !st) return st;
  VectorTrace t;
  t.context = query.getVector<uint32_t>();
  if (!query.ok() || t.context.size() != static_cast<size_t>(vector->width()))
    return Status::internal("malformed context");
  t.featureWeights = vector->statistics().weights();

  // The merged read, as eval gathers a test token's.
  InstanceSet queries;
  queries.width = vector->width();
  queries.features = t.context;
  queries.classes.assign(1, 0);
  const InstanceSet* sets[] = {&queries};
  auto reads = vector->gatherReads(sets);
  if (!reads) return reads.status();

  // Rank 0 reads at the temperature its experiment tuned and names the slots by their keys.
  VectorRead read;
  SlotRequest request;
  request.terms = true;
  request.maxProvenance = TraceOptions().maxProvenance;
  Result<double> temperature = 0.0;
  if (root) temperature = temperatureOf(*experiment);
  if (Status st = comm.agree(temperature ? Status::ok() : temperature.status()); !st) return st;
  if (root) {
    request.temperature = *temperature;
    (*reads)->setTemperature(*temperature);
    read = (*reads)->read(t.context);
    for (const SlotRead& s : read.slots) request.keys.push_back((*reads)->key(s.slot));
  }
  auto slots = slotsOf(comm, memory, *vector, request, t.context);
  if (!slots) return slots.status();
  if (!root) return VectorTrace{};
  t.temperature = request.temperature;
  t.slots = std::move(*slots);
  for (size_t i = 0; i < read.slots.size(); ++i) {
    t.slots[i].distance = read.slots[i].distance;
    t.slots[i].attention = read.slots[i].attention;
  }
  addVectorOutcomes(experiment->smoother(), read, topOutcomes, t);
  return t;
}

Result<SequenceAttention> traceShardedVectorSequence(Communicator& comm,
                                                     const ShardedMemory& memory,
                                                     const Experiment* experiment,
                                                     std::span<const uint32_t> tokens,
                                                     size_t maxSlots) {
  auto sharded = vectorOf(memory);
  if (!sharded) return sharded.status();
  ShardedVectorMemory* vector = *sharded;
  const bool root = comm.rank() == 0;
  // Rank 0's windows, one per token, read as eval reads its test tokens.
  InstanceSet windows;
  windows.width = vector->width();
  Result<double> temperature = 0.0;
  if (root) {
    temperature = tokens.empty()
                      ? Result<double>(Status::invalidArgument("the sequence has no tokens"))
                      : temperatureOf(*experiment);
    for (size_t t = 0; t < tokens.size(); ++t) {
      const auto window =
          contextWindow(tokens.first(t), windows.width, experiment->corpus().paddingId);
      windows.features.insert(windows.features.end(), window.begin(), window.end());
      windows.classes.push_back(0);
    }
  }
  if (Status st = comm.agree(temperature ? Status::ok() : temperature.status()); !st) return st;
  const InstanceSet* sets[] = {&windows};
  auto reads = vector->gatherReads(sets);
  if (!reads) return reads.status();

  // Rank 0: the map over the reads, their slots numbered in key order, which is one process's
  // slot order (so the ties of summed attention fall as there); then the columns' keys.
  SequenceAttention out;
  SlotRequest request;
  if (root) {
    request.temperature = *temperature;
    (*reads)->setTemperature(*temperature);
    std::vector<VectorRead> rows;
    std::map<uint64_t, uint32_t> numbers;  // key -> its number among the keys read
    for (size_t t = 0; t < windows.size(); ++t) {
      rows.push_back((*reads)->read(windows.instance(t)));
      for (const SlotRead& s : rows.back().slots) numbers.emplace((*reads)->key(s.slot), 0);
    }
    std::vector<uint64_t> keys;
    for (auto& [key, number] : numbers) {
      number = static_cast<uint32_t>(keys.size());
      keys.push_back(key);
    }
    for (VectorRead& r : rows)
      for (SlotRead& s : r.slots) s.slot = numbers.at((*reads)->key(s.slot));
    out = sequenceAttention(tokens, rows, maxSlots);
    for (const uint32_t column : out.slots) request.keys.push_back(keys[column]);
  }
  auto slots = slotsOf(comm, memory, *vector, request, {});
  if (!slots) return slots.status();
  for (size_t c = 0; c < slots->size(); ++c) {
    out.slots[c] = (*slots)[c].slot;
    out.values.push_back(std::move((*slots)[c].values));
    out.counts.push_back(std::move((*slots)[c].counts));
  }
  return out;
}

}  // namespace memlens
