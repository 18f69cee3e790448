#pragma once

#include <cstdint>
#include <vector>

#include "memlens/instance_set.h"
#include "memlens/job_control.h"
#include "memlens/result.h"
#include "memlens/token_stream.h"

namespace memlens {

enum class SplitPart : uint8_t { kTrain, kValidation, kTest };

struct SplitOptions {
  double trainFraction = 0.8;
  double validationFraction = 0.1;  // the rest is test
  uint64_t seed = 1;
};

// The evaluation protocol's split (docs/spec/evaluation.md): every corpus line goes wholly
// to train, validation or test, decided by a hash of (seed, document, line number) alone, so the
// same corpus and seed give the same split whatever else changes (tokeniser, width, order of
// files). Parts are computed when asked, not stored per line, so that a memory opened from a file
// reads none of its millions of lines for a split it may never use. A plain value: safe to share
// between threads.
class DataSplit {
 public:
  static Result<DataSplit> make(const SplitOptions& options);

  const SplitOptions& options() const { return options_; }
  SplitPart partOfLine(const TokenStream& tokens, size_t line) const;
  // The part of the line holding token `token`.
  SplitPart partOfToken(const TokenStream& tokens, size_t token) const {
    return partOfLine(tokens, tokens.lineOf(token));
  }

  // Instances whose target token (instances.sources) lies in `part`. A cancel through `job`
  // returns early with part of them: the caller checks cancelRequested(job).
  InstanceSet select(const InstanceSet& instances, const TokenStream& tokens, SplitPart part,
                     JobControl* job = nullptr) const;

 private:
  SplitOptions options_;
};

}  // namespace memlens
