#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace memlens {

// A fast 64-bit checksum over 8-byte little-endian words (multiply-xor, then a final mix), fed
// in pieces of any size: catches flipped bytes and truncation in memory-file sections at memory
// bandwidth. Not cryptographic: corpus files are fingerprinted with SHA-256 instead.
// A plain value: one object per stream.
class Checksum64 {
 public:
  void update(std::string_view bytes) {
    length_ += bytes.size();
    while (!bytes.empty() && pending_ != 0) {
      tail_[pending_++] = bytes.front();
      bytes.remove_prefix(1);
      if (pending_ == 8) {
        mixWord(load(tail_));
        pending_ = 0;
      }
    }
    while (bytes.size() >= 8) {
      mixWord(load(bytes.data()));
      bytes.remove_prefix(8);
    }
    for (char c : bytes) tail_[pending_++] = c;
  }

  uint64_t value() const {
    uint64_t h = state_;
    if (pending_ != 0) {
      char last[8] = {};
      std::memcpy(last, tail_, pending_);
      h = (h ^ load(last)) * kPrime;
    }
    h ^= length_;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
  }

  static uint64_t of(std::string_view bytes) {
    Checksum64 c;
    c.update(bytes);
    return c.value();
  }

 private:
  static constexpr uint64_t kPrime = 0x9E3779B97F4A7C15ULL;
  static uint64_t load(const char* p) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
  }
  void mixWord(uint64_t w) {
    state_ = (state_ ^ w) * kPrime;
    state_ ^= state_ >> 29;
  }

  uint64_t state_ = 0x6A09E667F3BCC908ULL;
  uint64_t length_ = 0;
  char tail_[8] = {};
  size_t pending_ = 0;
};

}  // namespace memlens
