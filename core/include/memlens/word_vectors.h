#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

#include "memlens/instance_base.h"
#include "memlens/job_control.h"
#include "memlens/result.h"
#include "memlens/token_stream.h"

namespace memlens {

struct WordVectorOptions {
  int dimensions = 64;
  int window = 2;           // directional context: offsets -window..-1 and 1..window
  double smoothing = 0.75;  // context-distribution smoothing exponent
  int oversampling = 16;    // extra random directions for the randomised SVD
  int powerIterations = 2;
  uint64_t seed = 1;
};

// Word vectors from the corpus alone (docs/spec/vector-memory.md): positive PMI between a
// word and (context word, offset) pairs within each line, with smoothed context probabilities,
// reduced by a randomised truncated SVD to U·Σ^½ and normalised to unit length. Words never seen
// with any context get the zero vector.
// Immutable after train(): safe to read from many threads.
class WordVectors {
 public:
  static Result<std::unique_ptr<WordVectors>> train(const TokenStream& tokens, uint32_t vocabSize,
                                                    const WordVectorOptions& options = {},
                                                    JobControl* job = nullptr);
  // The same from a memory's stored contexts and class counts (its training instances), with
  // vocabSize = the largest id it holds + 1.
  static Result<std::unique_ptr<WordVectors>> train(const InstanceBase& memory,
                                                    const WordVectorOptions& options = {},
                                                    JobControl* job = nullptr);
  // What train(memory) gives for the memory that holds exactly `instances`, counted from the
  // instances themselves: the vectors can be learnt while that memory is being built. (The
  // counts are whole numbers, so they come out equal in any order, and with them every bit.)
  static Result<std::unique_ptr<WordVectors>> train(const InstanceSet& instances,
                                                    const WordVectorOptions& options = {},
                                                    JobControl* job = nullptr);

  // For a memory split over processes (docs/spec/distributed.md): the (word, context) pair
  // counts of the parts add up to the whole memory's, and fromPairCounts() of their sum gives
  // what train(memory) gives, with vocabSize = vocabularyOf() over every part (the keys depend
  // on it).
  using PairCounts = std::unordered_map<uint64_t, double>;
  static uint32_t vocabularyOf(const InstanceBase& memory);  // the largest id it holds + 1
  static Result<PairCounts> countPairs(const InstanceBase& memory, uint32_t vocabSize,
                                       const WordVectorOptions& options = {},
                                       JobControl* job = nullptr);
  static Result<std::unique_ptr<WordVectors>> fromPairCounts(const PairCounts& counts,
                                                             uint32_t vocabSize,
                                                             const WordVectorOptions& options = {},
                                                             JobControl* job = nullptr);
  // Vectors from values(): dimensions floats per word.
  static std::unique_ptr<WordVectors> fromValues(std::vector<float> values, int dimensions);
  const std::vector<float>& values() const { return vectors_; }

  int dimensions() const { return dimensions_; }
  uint32_t size() const { return static_cast<uint32_t>(vectors_.size() / dimensions_); }
  std::span<const float> vector(uint32_t id) const {
    return {vectors_.data() + static_cast<size_t>(id) * dimensions_,
            static_cast<size_t>(dimensions_)};
  }
  // Cosine similarity (vectors are unit length, so a dot product).
  double similarity(uint32_t a, uint32_t b) const;
  // The n most similar other words, most similar first.
  std::vector<std::pair<uint32_t, double>> nearest(uint32_t id, size_t n) const;

 private:
  WordVectors() = default;
  static Result<std::unique_ptr<WordVectors>> fromRows(Result<std::vector<float>> rows,
                                                       int dimensions);
  int dimensions_ = 0;
  std::vector<float> vectors_;  // row-major, size() x dimensions_
};

}  // namespace memlens
