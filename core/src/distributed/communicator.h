#pragma once

#include <mpi.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "memlens/result.h"
#include "memlens/status.h"

namespace memlens {

struct CommunicatorOptions {
  // Messages of any size move in pieces: at most this many bytes into or out of a rank per round
  // of an all-to-all, or per send, since MPI counts bytes in ints. A round's buffers are held
  // several times over (packed, sent, received), so a round is small beside a rank's memory.
  size_t roundBytes = size_t{8} << 20;
};

// The MPI world of a sharded run, over MPI's C API: the constructor initialises MPI, the
// destructor finalises it (one Communicator per process), or aborts the whole job after an MPI
// failure. Every collective call here must be made by every rank in the same order. MPI failures
// come back as Status values (the world's error handler is MPI_ERRORS_RETURN), so that rank 0
// can say what went wrong, and so does a collective that has not completed within the timeout
// (MEMLENS_MPI_TIMEOUT seconds, default 1800): a rank that hangs does not hang the job.
// Not thread-safe: MPI is initialised for one thread.
class Communicator {
 public:
  Communicator(int* argc, char*** argv, const CommunicatorOptions& options = {});
  Communicator(const Communicator&) = delete;
  Communicator& operator=(const Communicator&) = delete;
  ~Communicator();

  int rank() const { return rank_; }
  int size() const { return size_; }
  size_t roundBytes() const { return options_.roundBytes; }

  // Rank 0's `bytes` to every rank (resized there).
  Status broadcast(std::vector<uint8_t>& bytes);
  // Every rank's `bytes` to rank 0, in rank order; other ranks receive nothing.
  Result<std::vector<std::vector<uint8_t>>> gather(const std::vector<uint8_t>& bytes);
  // Every rank's `bytes` to rank 0, one rank at a time in rank order: rank 0 calls
  // consume(rank, bytes) on each (its own first) before it receives the next, so that it holds
  // one rank's message at a time, not all of them as gather() does.
  Status gatherEach(std::vector<uint8_t> bytes,
                    const std::function<void(int, std::vector<uint8_t>)>& consume);
  // toRank[r] to rank r; returns what each rank sent this one, in rank order. Takes `toRank` by
  // value and frees it as it packs it: the instances a shard exchange moves are a large share of
  // a rank's memory, and each copy held at once raises its peak.
  Result<std::vector<std::vector<uint8_t>>> allToAll(std::vector<std::vector<uint8_t>> toRank);
  // Every rank's `bytes` to every rank, in rank order: for small messages (each rank sends its
  // bytes N times).
  Result<std::vector<std::vector<uint8_t>>> allGather(const std::vector<uint8_t>& bytes) {
    return allToAll(std::vector<std::vector<uint8_t>>(static_cast<size_t>(size_), bytes));
  }
  // Σ over ranks of `value`, on every rank.
  Result<uint64_t> sum(uint64_t value);

  // Whether every rank's `local` is ok; if not, every rank returns the failure of the lowest
  // failing rank, its message prefixed with "rank N: ", so that rank 0 reports it.
  Status agree(const Status& local);

  // Payload bytes this rank has sent or received so far (rank 0: every rank's gathered bytes;
  // small control messages not counted).
  uint64_t bytesMoved() const { return bytesMoved_; }

 private:
  Status check(int code, const char* what);
  // Completes the non-blocking collective `started` began, within the timeout.
  Status finish(int started, MPI_Request& request, const char* what);

  CommunicatorOptions options_;
  double timeoutSeconds_;
  bool broken_ = false;  // an MPI call failed or timed out: abort, do not finalise
  int rank_ = 0;
  int size_ = 1;
  uint64_t bytesMoved_ = 0;
};

}  // namespace memlens
