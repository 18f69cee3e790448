#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "memlens/instance_set.h"
#include "memlens/job_control.h"
#include "memlens/result.h"

namespace memlens {

// The distinct feature vectors of a probe set and which one each probe token has. An answer
// depends only on the query's values, and a large corpus repeats its contexts (the 100-copy KJV's
// probe tokens hold each context about nine times), so a preview answers each distinct query
// once and gives its answer to all its tokens.
// Immutable once made: safe to share between threads.
class ProbeQueries {
 public:
  // Honours cancel (polled every few thousand tokens).
  static Result<std::shared_ptr<const ProbeQueries>> of(const InstanceSet& probe, JobControl* job);

  size_t size() const { return count_; }
  const uint32_t* query(size_t q) const { return features_.data() + q * width_; }
  // The distinct query of probe token `token`.
  uint32_t of(size_t token) const { return queryOf_[token]; }
  size_t tokens() const { return queryOf_.size(); }

 private:
  size_t width_ = 0;
  size_t count_ = 0;
  std::vector<uint32_t> features_;  // distinct queries, in order of first appearance
  std::vector<uint32_t> queryOf_;   // by probe token
};

}  // namespace memlens
