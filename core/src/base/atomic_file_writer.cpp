#include "base/atomic_file_writer.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace memlens {

Result<std::unique_ptr<AtomicFileWriter>> AtomicFileWriter::create(const std::string& path) {
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  std::FILE* file = std::fopen(tmp.c_str(), "wb");
  if (!file) return Status::ioError(path + ": cannot create: " + std::strerror(errno));
  return std::unique_ptr<AtomicFileWriter>(new AtomicFileWriter(path, std::move(tmp), file));
}

AtomicFileWriter::AtomicFileWriter(std::string path, std::string tmp, std::FILE* file)
    : path_(std::move(path)), tmp_(std::move(tmp)), file_(file), buffer_(1 << 20) {
  std::setvbuf(file_, buffer_.data(), _IOFBF, buffer_.size());
}

AtomicFileWriter::~AtomicFileWriter() {
  if (file_ != nullptr) {
    std::fclose(file_);
    std::remove(tmp_.c_str());
  }
}

Status AtomicFileWriter::commit() {
  const bool failed = std::ferror(file_) != 0 || std::fflush(file_) != 0;
  const int writeErr = errno;
  const bool closeFailed = std::fclose(file_) != 0;
  file_ = nullptr;
  if (failed || closeFailed) {
    std::remove(tmp_.c_str());
    return Status::ioError(path_ + ": write failed: " + std::strerror(failed ? writeErr : errno));
  }
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0) {
    const int err = errno;
    std::remove(tmp_.c_str());
    return Status::ioError(path_ + ": cannot replace: " + std::strerror(err));
  }
  return Status::ok();
}

Status writeFileAtomically(const std::string& path, std::string_view text) {
  auto writer = AtomicFileWriter::create(path);
  if (!writer) return writer.status();
  (*writer)->write(text);
  return (*writer)->commit();
}

}  // namespace memlens
