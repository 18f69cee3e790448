#include "distributed/shard_vector.h"

namespace memlens {

ShardVector shardVector(const InstanceBase& shard, uint32_t v, const Trace& t,
                        const TraceOptions& options) {
  return {shard.firstSource(v), storedVectorTrace(shard, v, t.context, t.featureWeights),
          shard.sources(v, options.maxProvenance)};
}

void putShardVector(Message& m, const ShardVector& v) {
  m.put<uint64_t>(v.firstSource);
  m.putSpan<uint32_t>(v.trace.values);
  const std::vector<uint8_t> matches(v.trace.matches.begin(), v.trace.matches.end());
  m.putSpan<uint8_t>(matches);
  m.putSpan<double>(v.trace.contributions);
  m.put<double>(v.trace.distance);
  m.putSpan<ClassVote>(v.trace.counts);
  m.put<uint64_t>(v.trace.instanceCount);
  m.putSpan<uint64_t>(v.sources);
}

ShardVector getShardVector(Message& m) {
  ShardVector v;
  v.firstSource = m.get<uint64_t>();
  v.trace.values = m.getVector<uint32_t>();
  const std::vector<uint8_t> matches = m.getVector<uint8_t>();
  v.trace.matches.assign(matches.begin(), matches.end());
  v.trace.contributions = m.getVector<double>();
  v.trace.distance = m.get<double>();
  v.trace.counts = m.getVector<ClassVote>();
  v.trace.instanceCount = m.get<uint64_t>();
  v.sources = m.getVector<uint64_t>();
  return v;
}

void putString(Message& m, const std::string& s) { m.putSpan<char>({s.data(), s.size()}); }

std::string getString(Message& m) {
  const std::vector<char> chars = m.getVector<char>();
  return {chars.begin(), chars.end()};
}

Status share(Communicator& comm, Message& message) {
  if (Status st = comm.broadcast(message.bytes()); !st) return st;
  if (comm.rank() != 0) message = Message(std::move(message.bytes()));
  return Status::ok();
}

}  // namespace memlens
