#include "distributed/shard_by_value.h"

#include "distributed/message.h"

namespace memlens {

Result<InstanceBase> shardByValue(Communicator& comm, const InstanceSet& block, int feature,
                                  const GlobalStatistics& stats, JobControl* job) {
  std::vector<Message> to(static_cast<size_t>(comm.size()));
  const auto w = static_cast<size_t>(block.width);
  for (size_t i = 0; i < block.size(); ++i) {
    const auto v = block.instance(i);
    Message& m = to[static_cast<size_t>(ownerOf(v[static_cast<size_t>(feature)], comm.size()))];
    for (uint32_t f : v) m.put<uint32_t>(f);
    m.put<uint32_t>(block.classes[i]);
    m.put<uint64_t>(i < block.sources.size() ? block.sources[i] : i + 1);
  }
  std::vector<std::vector<uint8_t>> bytes;
  for (Message& m : to) bytes.push_back(std::move(m.bytes()));
  auto received = comm.allToAll(std::move(bytes));
  if (!received) return received.status();
  // In the order of the ranks they came from: the order changes no answer, only stored vector ids.
  InstanceSet shard;
  shard.width = block.width;
  const size_t recordBytes = w * sizeof(uint32_t) + sizeof(uint32_t) + sizeof(uint64_t);
  size_t receivedBytes = 0;
  for (const auto& from : *received) receivedBytes += from.size();
  shard.reserve(receivedBytes / recordBytes);
  for (auto& from : *received) {
    Message m(std::move(from));
    while (m.ok() && !m.atEnd()) {
      for (size_t f = 0; f < w; ++f) shard.features.push_back(m.get<uint32_t>());
      shard.classes.push_back(m.get<uint32_t>());
      shard.sources.push_back(m.get<uint64_t>());
    }
    if (!m.ok()) return Status::internal("malformed instances from a rank");
  }
  InstanceBase base(block.width);
  for (uint32_t id : stats.classIds()) base.addClass(id);
  if (Status st = base.add(shard, job); !st) return st;
  return base;
}

}  // namespace memlens
