#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "edit/probe_queries.h"
#include "memlens/classifier.h"
#include "memory/neighbour_search.h"

namespace memlens {

// prunedAnswers()' pattern walks kept across a drag's stops: per probe query, in walk order, the
// stored vectors matching it on exactly their pattern, with their class counts, but those holding
// one instance (every count-threshold stop removes them), up to the pattern where its walks have
// stopped so far (the frontier), and per pattern their counts summed. A stop then skips the
// vectors it removes and votes the others' counts, read in sequence, or the sum less the removed
// ones' when that reads fewer (the vote, not the walk, was most of a stop once walked); a stop
// needing more buckets walks on from the frontier and extends the walk. The walks are those of
// one memory's search, as weighted when they were made, for one probe set: serves() says whether
// they still are; they hold for any k. Bounded: past kMaxBytes in all, a walk goes on from its
// frontier without keeping what it reads. One stop uses them at a time (use()); a query's walk is
// extended only by the thread answering it.
class PrunedWalks {
 public:
  // The 100-copy KJV's walks for its 9,522 probe queries: 95 MB accounted (at 2.6M and 3.1M
  // stored vectors).
  static constexpr uint64_t kMaxBytes = uint64_t{1} << 29;

  struct Entry {
    uint32_t vector;
    uint32_t end;  // where its class counts end in Walk::counts
  };
  // A pattern holding any of them.
  struct Run {
    uint32_t position;  // in the search's walk order
    uint32_t end;       // where its entries end in Walk::entries
    uint32_t sumEnd;    // where its entries' summed class counts end in Walk::sums
  };
  struct Walk {
    std::vector<Entry> entries;
    std::vector<ClassCount> counts;
    // Per run, its entries' class counts summed: a stop removing fewer of them than it keeps
    // votes the sum less the removed ones.
    std::vector<ClassCount> sums;
    std::vector<Run> runs;
    uint32_t frontier = 0;  // the first position not walked
    bool closed = false;    // the bound was reached: nothing more is kept
  };

  PrunedWalks(const std::shared_ptr<const Classifier>& memory, const NeighbourSearch& search,
              const std::shared_ptr<const ProbeQueries>& queries);
  PrunedWalks(const PrunedWalks&) = delete;
  PrunedWalks& operator=(const PrunedWalks&) = delete;

  // Whether these are the walks of `search`, weighted as now, over the stored vectors of
  // `memory` (alive) for `queries`.
  bool serves(const std::shared_ptr<const Classifier>& memory, const NeighbourSearch& search,
              const std::shared_ptr<const ProbeQueries>& queries) const;
  // Whether `removed` removes every stored vector the walks leave out.
  bool coveredBy(const std::vector<bool>& removed) const;
  // Whether the walks leave stored vector `v` out.
  bool leavesOut(uint32_t v) const { return single_[v] != 0; }
  // The walks for one stop, or an unowning lock while another stop holds them.
  std::unique_lock<std::mutex> use() {
    return std::unique_lock<std::mutex>(using_, std::try_to_lock);
  }
  Walk& walk(size_t query) { return walks_[query]; }
  // Accounts for `bytes` more kept: false (nothing accounted) past the bound.
  bool reserve(uint64_t bytes);
  uint64_t bytes() const { return bytes_; }

 private:
  std::weak_ptr<const Classifier> memory_;
  std::weak_ptr<const ProbeQueries> queries_;
  const NeighbourSearch* search_;
  std::vector<double> distances_;  // per pattern, as the walks were made
  std::vector<uint8_t> single_;    // by stored vector: holds one instance
  std::vector<Walk> walks_;
  std::atomic<uint64_t> bytes_{0};
  std::mutex using_;
};

}  // namespace memlens
