#include "memlens/vocabulary.h"

#include <algorithm>
#include <cstring>

namespace memlens {

namespace {
constexpr size_t kBlockBytes = 1 << 16;
}

Vocabulary::Vocabulary() = default;
Vocabulary::Vocabulary(Vocabulary&&) noexcept = default;
Vocabulary& Vocabulary::operator=(Vocabulary&&) noexcept = default;
Vocabulary::~Vocabulary() = default;

std::string_view Vocabulary::store(std::string_view token) {
  if (token.empty()) return {};
  if (blocks_.empty() || blockUsed_ + token.size() > blockSize_) {
    blockSize_ = std::max(kBlockBytes, token.size());
    blocks_.push_back(std::make_unique<char[]>(blockSize_));
    blockUsed_ = 0;
  }
  char* dst = blocks_.back().get() + blockUsed_;
  std::memcpy(dst, token.data(), token.size());
  blockUsed_ += token.size();
  return {dst, token.size()};
}

uint32_t Vocabulary::hashOf(std::string_view token) {
  const uint64_t h = std::hash<std::string_view>{}(token);
  return static_cast<uint32_t>(h ^ (h >> 32));
}

size_t Vocabulary::find(std::string_view token, uint32_t hash) const {
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.id == kUnknown || (s.hash == hash && texts_[s.id] == token)) return i;
  }
}

void Vocabulary::grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(std::max<size_t>(64, old.size() * 2), Slot{});
  const size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.id == kUnknown) continue;
    size_t i = s.hash & mask;
    while (slots_[i].id != kUnknown) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

uint32_t Vocabulary::intern(std::string_view token) {
  if ((texts_.size() + 1) * 2 > slots_.size()) grow();
  const uint32_t hash = hashOf(token);
  Slot& slot = slots_[find(token, hash)];
  if (slot.id != kUnknown) return slot.id;
  const auto id = static_cast<uint32_t>(texts_.size());
  texts_.push_back(store(token));
  counts_.push_back(0);
  slot = {id, hash};
  return id;
}

uint32_t Vocabulary::lookup(std::string_view token) const {
  if (slots_.empty()) return kUnknown;
  return slots_[find(token, hashOf(token))].id;
}

void Vocabulary::addCount(uint32_t id, uint64_t n) { counts_[id] += n; }

}  // namespace memlens
