#include "lm/kneser_ney_level.h"

#include <algorithm>
#include <bit>
#include <string>

#include "base/hash_mix.h"
#include "memfile/byte_reader.h"
#include "memfile/byte_writer.h"

namespace memlens {

KneserNeyLevel::KneserNeyLevel(size_t contextIds, std::vector<uint32_t> ids,
                               std::vector<double> gammas, std::vector<uint64_t> start,
                               std::vector<uint32_t> tokens, std::vector<double> values)
    : contextIds_(contextIds),
      ids_(std::move(ids)),
      gammas_(std::move(gammas)),
      start_(std::move(start)),
      tokens_(std::move(tokens)),
      values_(std::move(values)) {
  buildIndex();
}

uint64_t KneserNeyLevel::hashOf(const uint32_t* ids) const {
  uint64_t h = contextIds_;
  for (size_t i = 0; i < contextIds_; ++i) h = hashMix(h * 0x9E3779B97F4A7C15ull + ids[i]);
  return h;
}

void KneserNeyLevel::buildIndex() {
  const size_t contexts = gammas_.size();
  index_.assign(contexts == 0 ? 0 : std::bit_ceil(contexts * 2), 0);
  const size_t mask = index_.size() - 1;
  for (size_t c = 0; c < contexts; ++c) {
    const uint32_t* ids = ids_.data() + c * contextIds_;
    for (size_t i = hashOf(ids) & mask;; i = (i + 1) & mask) {
      if (index_[i] == 0) {
        index_[i] = static_cast<uint32_t>(c + 1);
        break;
      }
      // A context twice (only in a damaged file): the first is found.
      if (std::equal(ids, ids + contextIds_, ids_.data() + (index_[i] - 1) * contextIds_)) break;
    }
  }
}

bool KneserNeyLevel::sound(size_t c) const {
  std::atomic<uint8_t>& verdict = verdicts_[c];
  if (const uint8_t known = verdict.load(std::memory_order_acquire); known != kUnchecked)
    return known == kSound;
  const uint64_t begin = start_[c], end = start_[c + 1];
  bool ok = begin <= end && end <= tokens_.size();
  for (uint64_t f = begin; ok && f < end; ++f)
    ok = tokens_[f] < vocabSize_ && (f == begin || tokens_[f] > tokens_[f - 1]);
  verdict.store(ok ? kSound : kDamaged, std::memory_order_release);
  return ok;
}

std::optional<KneserNeyLevel::Followers> KneserNeyLevel::find(
    std::span<const uint32_t> context) const {
  if (index_.empty()) return std::nullopt;
  const size_t mask = index_.size() - 1;
  for (size_t i = hashOf(context.data()) & mask;; i = (i + 1) & mask) {
    if (index_[i] == 0) return std::nullopt;
    const size_t c = index_[i] - 1;
    if (!std::equal(context.begin(), context.end(), ids_.data() + c * contextIds_)) continue;
    if (verdicts_ && !sound(c)) return std::nullopt;
    const uint64_t begin = start_[c], count = start_[c + 1] - begin;
    return Followers{gammas_[c], tokens_.span().subspan(begin, count),
                     values_.span().subspan(begin, count)};
  }
}

void KneserNeyLevel::save(ByteWriter& out) const {
  out.putArray(ids_);
  out.putArray(gammas_);
  out.putArray(start_);
  out.putArray(tokens_);
  out.putArray(values_);
}

bool KneserNeyLevel::load(ByteReader& in, size_t contextIds, uint32_t vocabSize,
                          KneserNeyLevel& out) {
  out.contextIds_ = contextIds;
  in.getArray(out.ids_);
  in.getArray(out.gammas_, UINT32_MAX - 1);
  in.getArray(out.start_);
  in.getArray(out.tokens_);
  in.getArray(out.values_);
  const size_t contexts = out.gammas_.size();
  if (in.ok() && (out.ids_.size() != contexts * contextIds || out.start_.size() != contexts + 1 ||
                  out.values_.size() != out.tokens_.size()))
    return in.fail("order " + std::to_string(contextIds + 1) + ": array sizes disagree");
  if (!in.ok()) return false;
  out.vocabSize_ = vocabSize;
  out.verdicts_ = std::make_unique<std::atomic<uint8_t>[]>(contexts);
  out.buildIndex();
  return true;
}

Status KneserNeyLevel::checkAll() const {
  ByteReader in({});
  if (!in.checkStarts(start_, tokens_.size(), "the followers")) return Status::corrupt(in.error());
  for (size_t c = 0; c < gammas_.size(); ++c)
    if (verdicts_ && !sound(c))
      return Status::corrupt("context " + std::to_string(c) +
                             ": a follower outside the vocabulary or order");
  return Status::ok();
}

}  // namespace memlens
