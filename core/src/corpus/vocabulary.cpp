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

uint32_t Vocabulary::intern(std::string_view token) {
  if (auto it = ids_.find(token); it != ids_.end()) return it->second;
  const auto id = static_cast<uint32_t>(texts_.size());
  const std::string_view stored = store(token);
  texts_.push_back(stored);
  counts_.push_back(0);
  ids_.emplace(stored, id);
  return id;
}

uint32_t Vocabulary::lookup(std::string_view token) const {
  auto it = ids_.find(token);
  return it == ids_.end() ? kUnknown : it->second;
}

void Vocabulary::addCount(uint32_t id, uint64_t n) { counts_[id] += n; }

}  // namespace memlens
