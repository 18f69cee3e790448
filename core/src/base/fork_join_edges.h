#pragma once

#include <atomic>
#include <cstddef>

namespace memlens {

// The fork and join of a oneTBB loop, spelt out with atomics ThreadSanitizer understands.
// oneTBB hands chunks to its workers and waits for them inside libtbb.so; unless oneTBB itself is
// built with TSan (Debian's is not), a TSan build sees neither edge and reports every read of the
// caller's data by a worker, and every read of a worker's result by the caller. Hold a Chunk for
// the whole of each chunk body, call fork() right before parallel_for (after the body is built: a
// worker may read the caller's copy of it) and join() once parallel_for has returned. Two atomic
// operations per chunk; oneTBB's own ordering is unchanged.
class ForkJoinEdges {
 public:
  ForkJoinEdges() = default;
  ForkJoinEdges(const ForkJoinEdges&) = delete;
  ForkJoinEdges& operator=(const ForkJoinEdges&) = delete;

  class Chunk {
   public:
    explicit Chunk(ForkJoinEdges& edges) : edges_(edges) {
      edges_.forked_.load(std::memory_order_acquire);
    }
    ~Chunk() { edges_.chunksDone_.fetch_add(1, std::memory_order_release); }
    Chunk(const Chunk&) = delete;
    Chunk& operator=(const Chunk&) = delete;

   private:
    ForkJoinEdges& edges_;
  };

  void fork() { forked_.store(true, std::memory_order_release); }
  void join() const { chunksDone_.load(std::memory_order_acquire); }

 private:
  std::atomic<bool> forked_{false};
  std::atomic<size_t> chunksDone_{0};
};

}  // namespace memlens
