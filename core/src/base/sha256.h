#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace memlens {

// SHA-256 (FIPS 180-4), for corpus fingerprints in run records and project files.
// Feed bytes with update(), then hex(). One object per thread.
class Sha256 {
 public:
  Sha256();
  void update(std::string_view bytes);
  // Finishes the hash; the object must not be updated afterwards.
  std::string hex();

  static std::string of(std::string_view bytes) {
    Sha256 h;
    h.update(bytes);
    return h.hex();
  }

 private:
  void compress(const uint8_t* block);

  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> buffer_{};
  size_t buffered_ = 0;
  uint64_t length_ = 0;
};

}  // namespace memlens
