#include "memfile/byte_reader.h"

namespace memlens {

bool ByteReader::fail(std::string message) {
  if (error_.empty()) error_ = std::move(message);
  at_ = bytes_.size();
  return false;
}

bool ByteReader::take(uint64_t n, const char* what) {
  if (!ok()) return false;
  if (n > bytes_.size() - at_)
    return fail(std::string(what) + " of " + std::to_string(n) + " bytes at byte " +
                std::to_string(at_) + " runs past the section's end (" +
                std::to_string(bytes_.size()) + " bytes)");
  at_ += n;
  return true;
}

void ByteReader::alignTo(uint64_t alignment) {
  const uint64_t pad = (alignment - at_ % alignment) % alignment;
  take(pad, "padding");
}

bool ByteReader::getRaw(size_t elementSize, uint64_t maxCount, std::string_view& raw) {
  raw = {};
  uint64_t count = 0;
  if (!get(count)) return false;
  alignTo(8);
  if (!ok()) return false;
  if (count > maxCount)
    return fail("an array of " + std::to_string(count) + " elements where at most " +
                std::to_string(maxCount) + " fit");
  if (count > (bytes_.size() - at_) / elementSize)
    return fail("an array of " + std::to_string(count) + " elements at byte " +
                std::to_string(at_) + " runs past the section's end");
  const uint64_t bytes = count * elementSize;
  raw = bytes_.substr(at_, bytes);
  at_ += bytes;
  alignTo(8);
  return ok();
}

bool ByteReader::checkStarts(std::span<const uint64_t> starts, uint64_t end,
                             const std::string& what) {
  if (!ok()) return false;
  if (starts.empty() || starts.front() != 0 || starts.back() != end)
    return fail(what + " do not cover their " + std::to_string(end) + " entries");
  for (size_t i = 1; i < starts.size(); ++i)
    if (starts[i] < starts[i - 1]) return fail(what + " overlap");
  return true;
}

bool ByteReader::expectEnd() {
  if (!ok()) return false;
  if (at_ != bytes_.size())
    return fail(std::to_string(bytes_.size() - at_) + " bytes left over past its end");
  return true;
}

}  // namespace memlens
