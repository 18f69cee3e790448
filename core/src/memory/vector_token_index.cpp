#include "memlens/vector_token_index.h"

#include <algorithm>

namespace memlens {

namespace {

constexpr uint32_t kPollEvery = 1 << 16;  // vectors between cancel checks
constexpr uint32_t kNoVector = 0xFFFFFFFFu;

// Counts, then fills, the ascending id lists of `keys` keys, where forKeys(id, emit) emits the
// keys of vector `id` (a key emitted twice for one vector is listed once: the vector's last id
// per key tells). Passes `pass` and `pass + 1` of four in the progress shown.
template <typename Lists, typename ForKeys>
Status fillLists(Lists& lists, uint32_t vectors, uint32_t keys, ForKeys forKeys, int pass,
                 JobControl* job) {
  std::vector<uint32_t> last(keys, kNoVector);
  std::vector<uint64_t> next(static_cast<size_t>(keys) + 1, 0);
  const auto sweep = [&](int at, auto&& visit) {
    std::ranges::fill(last, kNoVector);
    for (uint32_t id = 0; id < vectors; ++id) {
      if (id % kPollEvery == 0) {
        if (cancelRequested(job)) return false;
        reportProgress(job, (at + static_cast<double>(id) / vectors) / 4.0, "indexing tokens");
      }
      forKeys(id, [&](uint32_t key) {
        if (last[key] == id) return;
        last[key] = id;
        visit(id, key);
      });
    }
    return true;
  };
  if (!sweep(pass, [&](uint32_t, uint32_t key) { ++next[key + 1]; })) return Status::cancelled();
  for (uint32_t k = 0; k < keys; ++k) next[k + 1] += next[k];
  lists.start = next;
  lists.ids.resize(next[keys]);
  if (!sweep(pass + 1, [&](uint32_t id, uint32_t key) { lists.ids[next[key]++] = id; }))
    return Status::cancelled();
  return Status::ok();
}

}  // namespace

std::span<const uint32_t> VectorTokenIndex::Lists::of(uint32_t key) const {
  if (static_cast<size_t>(key) + 1 >= start.size()) return {};
  return {ids.data() + start[key], ids.data() + start[key + 1]};
}

Result<VectorTokenIndex> VectorTokenIndex::build(const InstanceBase& base, JobControl* job) {
  VectorTokenIndex index;
  const uint32_t n = base.vectorCount();
  const auto width = static_cast<size_t>(base.width());
  const uint32_t* values = base.values();
  const size_t valueCount = static_cast<size_t>(n) * width;
  const uint32_t valueKeys =
      valueCount == 0 ? 0 : *std::max_element(values, values + valueCount) + 1;
  Status s = fillLists(
      index.values_, n, valueKeys,
      [&](uint32_t id, auto&& emit) {
        const uint32_t* row = values + static_cast<size_t>(id) * width;
        for (size_t f = 0; f < width; ++f) emit(row[f]);
      },
      0, job);
  if (!s.isOk()) return s;
  s = fillLists(
      index.classes_, n, base.classCount(),
      [&](uint32_t id, auto&& emit) {
        for (const ClassCount& c : base.distribution(id)) emit(c.classIndex);
      },
      2, job);
  if (!s.isOk()) return s;
  return index;
}

std::span<const uint32_t> VectorTokenIndex::withValue(uint32_t value) const {
  return values_.of(value);
}

std::span<const uint32_t> VectorTokenIndex::withClass(uint32_t classIndex) const {
  return classes_.of(classIndex);
}

}  // namespace memlens
