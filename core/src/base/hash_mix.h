#pragma once

#include <cstdint>

namespace memlens {

// A 64-bit finaliser (MurmurHash3's fmix64): spreads the bits of a combined key so that open
// addressing and bucket tables see few collisions.
inline uint64_t hashMix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

}  // namespace memlens
