#include "base/atomic_file_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace memlens {

namespace {

std::string directoryOf(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

}  // namespace

Result<std::unique_ptr<AtomicFileWriter>> AtomicFileWriter::create(const std::string& path) {
  std::string tmp = path + ".tmp-XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0)
    return Status::ioError(path + ": cannot create a temporary file in " + directoryOf(path) +
                           ": " + std::strerror(errno));
  ::fchmod(fd, 0644);  // mkstemp's 0600 would hide the file from its other readers
  std::FILE* file = ::fdopen(fd, "wb");
  if (!file) {
    const int err = errno;
    ::close(fd);
    std::remove(tmp.c_str());
    return Status::ioError(path + ": cannot create: " + std::strerror(err));
  }
  return std::unique_ptr<AtomicFileWriter>(new AtomicFileWriter(path, std::move(tmp), file));
}

AtomicFileWriter::AtomicFileWriter(std::string path, std::string tmp, std::FILE* file)
    : path_(std::move(path)), tmp_(std::move(tmp)), file_(file), buffer_(1 << 20) {
  std::setvbuf(file_, buffer_.data(), _IOFBF, buffer_.size());
}

AtomicFileWriter::~AtomicFileWriter() {
  if (file_ != nullptr) std::fclose(file_);
  if (!published_) std::remove(tmp_.c_str());
}

Status AtomicFileWriter::seek(uint64_t offset) {
  if (std::fseek(file_, static_cast<long>(offset), SEEK_SET) == 0) return Status::ok();
  return Status::ioError(path_ + ": write failed (seek): " + std::strerror(errno));
}

Status AtomicFileWriter::commit() {
  if (Status s = finish(); !s) return s;
  return publish();
}

Status AtomicFileWriter::finish() {
  if (file_ == nullptr) return Status::internal(path_ + ": finished twice");
  const bool failed = std::ferror(file_) != 0 || std::fflush(file_) != 0 || ::fsync(fileno(file_));
  const int writeErr = errno;
  const bool closeFailed = std::fclose(file_) != 0;
  file_ = nullptr;
  if (failed || closeFailed) {
    std::remove(tmp_.c_str());
    return Status::ioError(path_ + ": write failed: " + std::strerror(failed ? writeErr : errno));
  }
  return Status::ok();
}

Status AtomicFileWriter::publish() {
  if (file_ != nullptr || published_) return Status::internal(path_ + ": published unfinished");
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0) {
    return Status::ioError(path_ + ": cannot replace: " + std::strerror(errno));
  }
  published_ = true;
  // The rename itself is durable once the folder is synced; a failure here loses nothing.
  if (const int dir = ::open(directoryOf(path_).c_str(), O_RDONLY | O_DIRECTORY); dir >= 0) {
    ::fsync(dir);
    ::close(dir);
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
