#include "distributed/shard_by_value.h"

#include <algorithm>

#include "base/release_pages.h"
#include "distributed/message.h"

namespace memlens {
namespace {

// Bytes of one instance on the wire: its features, its class and its source.
size_t recordBytes(int width) {
  return static_cast<size_t>(width) * sizeof(uint32_t) + sizeof(uint32_t) + sizeof(uint64_t);
}

// Instances [begin, end) of `block`, packed for the rank that owns each.
std::vector<std::vector<uint8_t>> packRound(const InstanceSet& block, size_t begin, size_t end,
                                            int feature, int ranks) {
  std::vector<Message> to(static_cast<size_t>(ranks));
  for (size_t i = begin; i < end; ++i) {
    const auto v = block.instance(i);
    Message& m = to[static_cast<size_t>(ownerOf(v[static_cast<size_t>(feature)], ranks))];
    for (uint32_t f : v) m.put<uint32_t>(f);
    m.put<uint32_t>(block.classes[i]);
    m.put<uint64_t>(i < block.sources.size() ? block.sources[i] : i + 1);
  }
  std::vector<std::vector<uint8_t>> bytes;
  for (Message& m : to) bytes.push_back(std::move(m.bytes()));
  return bytes;
}

// Rows [0, end) of `block`, sent and read no more: their memory goes now, so that what a rank has
// received and what it has yet to send together stay about one block's size.
void releaseSent(InstanceSet& block, size_t end) {
  releasePages(block.features.data(), end * static_cast<size_t>(block.width) * sizeof(uint32_t));
  releasePages(block.classes.data(), end * sizeof(uint32_t));
  releasePages(block.sources.data(), std::min(end, block.sources.size()) * sizeof(uint64_t));
}

// The instances of one received piece, into `out` (cleared first).
Status unpack(std::vector<uint8_t> piece, int width, InstanceSet& out) {
  out.features.clear();
  out.classes.clear();
  out.sources.clear();
  out.width = width;
  Message m(std::move(piece));
  while (m.ok() && !m.atEnd()) {
    for (int f = 0; f < width; ++f) out.features.push_back(m.get<uint32_t>());
    out.classes.push_back(m.get<uint32_t>());
    out.sources.push_back(m.get<uint64_t>());
  }
  return m.ok() ? Status::ok() : Status::internal("malformed instances from a rank");
}

}  // namespace

Result<InstanceBase> shardByValue(Communicator& comm, InstanceSet block, int feature,
                                  const GlobalStatistics& stats, JobControl* job) {
  const int width = block.width;
  const size_t n = block.size();
  const size_t perRound = std::max<size_t>(1, comm.roundBytes() / recordBytes(width));
  // What each rank sent this one, a piece a round, kept in the order sent.
  std::vector<std::vector<std::vector<uint8_t>>> pieces(static_cast<size_t>(comm.size()));
  size_t receivedBytes = 0;
  for (size_t begin = 0;; begin += perRound) {
    // Every rank runs as many rounds as the largest block needs.
    auto sending = comm.sum(begin < n ? 1 : 0);
    if (!sending) return sending.status();
    if (*sending == 0) break;
    const size_t end = std::min(n, begin + perRound);
    auto received = comm.allToAll(packRound(block, std::min(begin, n), end, feature, comm.size()));
    if (!received) return received.status();
    if (end < n)
      releaseSent(block, end);
    else
      block = InstanceSet{};  // all of it is on its way
    for (size_t r = 0; r < pieces.size(); ++r) {
      receivedBytes += (*received)[r].size();
      if (!(*received)[r].empty()) pieces[r].push_back(std::move((*received)[r]));
    }
    reportProgress(job, n == 0 ? 1.0 : static_cast<double>(end) / static_cast<double>(n),
                   "exchanging instances");
  }
  // In the order of the ranks they came from, each rank's in its block's order: the order changes
  // no answer, only stored vector ids and the order of a vector's sources, which are then one
  // process's. Each piece is freed once in the memory.
  InstanceBase base(width);
  for (uint32_t id : stats.classIds()) base.addClass(id);
  InstanceSet instances;
  size_t addedBytes = 0;
  for (auto& from : pieces) {
    for (auto& piece : from) {
      if (cancelRequested(job)) return Status::cancelled();
      addedBytes += piece.size();
      if (Status st = unpack(std::move(piece), width, instances); !st) return st;
      if (Status st = base.add(instances); !st) return st;
      reportProgress(job, static_cast<double>(addedBytes) / static_cast<double>(receivedBytes),
                     "building memory");
    }
  }
  return base;
}

}  // namespace memlens
