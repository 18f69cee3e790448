#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "memlens/status.h"
#include "memlens/storage.h"

namespace memlens {

class ByteReader;
class ByteWriter;

// The contexts of one Kneser-Ney order k > 1 (k - 1 ids each) and their followers, flat as a
// memory file holds them: context c is ids [c·(k-1), (c+1)·(k-1)), its followers are tokens and
// values [start[c], start[c+1]), ascending by token, and its back-off weight is gammas[c].
// find() goes through an index of the contexts (4 bytes a slot). Read from a file, the arrays are
// views of it and the index, built from the context ids, is all that loading reads: a context's
// followers are checked when it is first found (inside the arrays and the vocabulary, ascending)
// and one that fails reads as a context never seen. Immutable once made; any number of threads
// may call find() at once.
class KneserNeyLevel {
 public:
  struct Followers {
    double gamma = 0.0;
    std::span<const uint32_t> tokens;  // ascending
    std::span<const double> values;
  };

  KneserNeyLevel() = default;
  KneserNeyLevel(size_t contextIds, std::vector<uint32_t> ids, std::vector<double> gammas,
                 std::vector<uint64_t> start, std::vector<uint32_t> tokens,
                 std::vector<double> values);

  // The followers of `context` (exactly k - 1 ids), or nothing for a context never seen.
  std::optional<Followers> find(std::span<const uint32_t> context) const;

  void save(ByteWriter& out) const;
  // Checks the arrays' sizes and builds the index; the followers are left to find() and
  // checkAll() (tokens below `vocabSize`). False with the reader's error on failure.
  static bool load(ByteReader& in, size_t contextIds, uint32_t vocabSize, KneserNeyLevel& out);
  // Every check find() makes, on every context now (verifyMemory()): the first failure, or ok.
  Status checkAll() const;

 private:
  enum Verdict : uint8_t { kUnchecked, kSound, kDamaged };
  void buildIndex();
  uint64_t hashOf(const uint32_t* ids) const;
  bool sound(size_t context) const;

  size_t contextIds_ = 0;
  Storage<uint32_t> ids_;
  Storage<double> gammas_;
  Storage<uint64_t> start_;
  Storage<uint32_t> tokens_;
  Storage<double> values_;
  std::vector<uint32_t> index_;  // open addressing: context + 1, 0 empty
  // Read from a file: the vocabulary size and each context's verdict; trained: none.
  uint32_t vocabSize_ = 0;
  std::unique_ptr<std::atomic<uint8_t>[]> verdicts_;
};

}  // namespace memlens
