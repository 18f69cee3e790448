#include "memfile/byte_writer.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace memlens {

namespace {
// Large arrays go out in pieces so that a cancel is noticed within a fraction of a second.
constexpr size_t kChunkBytes = size_t{16} << 20;
}  // namespace

void ByteWriter::write(std::string_view bytes) {
  while (!bytes.empty() && status_) {
    if (cancelRequested(job_)) {
      status_ = Status::cancelled();
      return;
    }
    const std::string_view piece = bytes.substr(0, kChunkBytes);
    if (std::fwrite(piece.data(), 1, piece.size(), file_) != piece.size()) {
      status_ = Status::ioError(std::string("cannot write: ") + std::strerror(errno));
      return;
    }
    checksum_.update(piece);
    offset_ += piece.size();
    bytes.remove_prefix(piece.size());
  }
}

void ByteWriter::alignTo(uint64_t alignment) {
  static constexpr char kZeros[64] = {};
  const uint64_t pad = (alignment - offset_ % alignment) % alignment;
  write({kZeros, static_cast<size_t>(pad)});
}

}  // namespace memlens
