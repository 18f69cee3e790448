#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "memlens/instance_set.h"

namespace memlens {

// Probe tokens sorted by their values in a tree order, so that the tokens whose walk passes a
// node (a prefix of those values) are one range, found by binary search: an IGTree edit then
// re-predicts the tokens under the nodes it changed without visiting the others (9.1M of them
// at 100M instances).
// Holds a reference to the probe set, which must outlive it unchanged. Immutable once made; safe
// to read from many threads.
class ProbePaths {
 public:
  ProbePaths() = default;
  // `order`: feature indices of `probe`, most important first.
  ProbePaths(const InstanceSet& probe, std::vector<int> order);

  // The probe tokens (indices, ascending by path) whose first prefix.size() values in tree order
  // are `prefix`.
  std::span<const uint32_t> under(std::span<const uint32_t> prefix) const;
  // Every probe token, ascending by path.
  std::span<const uint32_t> tokens() const { return tokens_; }
  // The value of probe token `token` at `depth` in the tree order.
  uint32_t value(uint32_t token, size_t depth) const {
    return probe_->instance(token)[static_cast<size_t>(order_[depth])];
  }
  size_t depth() const { return order_.size(); }
  const std::vector<int>& order() const { return order_; }

 private:
  const InstanceSet* probe_ = nullptr;
  std::vector<int> order_;
  std::vector<uint32_t> tokens_;
};

}  // namespace memlens
