#include "timbl/bracket_scan.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace memlens {
namespace {

constexpr uint64_t kByteOnes = 0x0101010101010101ull;

// 1 in each byte of `word` equal to c, else 0.
uint64_t matches(uint64_t word, char c) {
  constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7Full;
  const uint64_t x = word ^ (kByteOnes * static_cast<unsigned char>(c));
  return (~(((x & kLow7) + kLow7) | x) >> 7) & kByteOnes;
}

}  // namespace

Brackets countBrackets(std::string_view text) {
  // Eight bytes at a time, with a counter per byte summed every 255 words (std::count for each
  // bracket went a byte at a time, and the file was read twice).
  const auto sum = [](uint64_t counters) {
    constexpr uint64_t kEven = 0x00FF00FF00FF00FFull;
    const uint64_t pairs = (counters & kEven) + ((counters >> 8) & kEven);
    return static_cast<size_t>((pairs * 0x0001000100010001ull) >> 48);
  };
  Brackets b;
  size_t i = 0;
  while (text.size() - i >= 8) {
    uint64_t opens = 0, closes = 0;
    const size_t words = std::min<size_t>(255, (text.size() - i) / 8);
    for (size_t k = 0; k < words; ++k, i += 8) {
      uint64_t word = 0;
      std::memcpy(&word, text.data() + i, 8);
      opens += matches(word, '(');
      closes += matches(word, ')');
    }
    b.opens += sum(opens);
    b.closes += sum(closes);
  }
  for (; i < text.size(); ++i) {
    b.opens += text[i] == '(' ? 1 : 0;
    b.closes += text[i] == ')' ? 1 : 0;
  }
  return b;
}

// Eight bytes at a time where the brackets in them cannot close it.
size_t matchingClose(std::string_view text, size_t open) {
  size_t depth = 0;
  size_t i = open;
  for (; text.size() - i >= 8; i += 8) {
    uint64_t word = 0;
    std::memcpy(&word, text.data() + i, 8);
    // The byte sums by a multiplication (std::popcount is a library call on baseline x86-64).
    const size_t closes = (matches(word, ')') * kByteOnes) >> 56;
    if (depth > closes) {
      depth += ((matches(word, '(') * kByteOnes) >> 56) - closes;
      continue;
    }
    for (size_t k = i; k < i + 8; ++k) {
      if (text[k] == '(') ++depth;
      if (text[k] == ')' && --depth == 0) return k + 1;
    }
  }
  for (; i < text.size(); ++i) {
    if (text[i] == '(') ++depth;
    if (text[i] == ')' && --depth == 0) return i + 1;
  }
  return std::string_view::npos;
}

}  // namespace memlens
