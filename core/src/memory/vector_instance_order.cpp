#include "memlens/vector_instance_order.h"

#include <algorithm>
#include <span>

namespace memlens {

namespace {

constexpr uint32_t kPollEvery = 1 << 16;  // vectors between cancel checks
constexpr int kDigitBits = 16;
constexpr uint32_t kDigits = 1u << kDigitBits;

// One stable counting-sort pass: `from` into `to` by digit(id).
template <typename Digit>
void scatter(std::span<const uint32_t> from, std::vector<uint32_t>& to, Digit digit) {
  std::vector<uint32_t> next(kDigits + 1, 0);
  for (const uint32_t id : from) ++next[digit(id) + 1];
  for (uint32_t d = 0; d < kDigits; ++d) next[d + 1] += next[d];
  for (const uint32_t id : from) to[next[digit(id)]++] = id;
}

}  // namespace

Result<std::vector<uint32_t>> vectorsByInstances(const InstanceBase& base, JobControl* job) {
  const uint32_t n = base.vectorCount();
  // Ascending keys are descending counts; ids enter in ascending order, and both passes are
  // stable, so ties keep it.
  std::vector<uint32_t> key(n), ids(n);
  uint32_t most = 0;
  for (uint32_t id = 0; id < n; ++id) {
    if (id % kPollEvery == 0) {
      if (cancelRequested(job)) return Status::cancelled();
      reportProgress(job, 0.8 * id / n, "ordering by instances");
    }
    const uint32_t count = vectorInstances(base, id);
    key[id] = ~count;
    most = std::max(most, count);
    ids[id] = id;
  }
  if (cancelRequested(job)) return Status::cancelled();
  std::vector<uint32_t> sorted(n);
  scatter(ids, sorted, [&key](uint32_t id) { return key[id] & (kDigits - 1); });
  if (most < kDigits) return sorted;  // every key's high digit is the same
  if (cancelRequested(job)) return Status::cancelled();
  scatter(sorted, ids, [&key](uint32_t id) { return key[id] >> kDigitBits; });
  return ids;
}

}  // namespace memlens
