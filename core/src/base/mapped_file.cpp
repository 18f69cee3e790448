#include "base/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace memlens {

namespace {

constexpr size_t kCopyBelow = size_t{1} << 16;

// Reads the whole file; a file cut short while reading is an error, not a shorter text.
Status readAll(int fd, const std::string& path, std::string& out) {
  for (size_t done = 0; done < out.size();) {
    const ssize_t n = ::pread(fd, out.data() + done, out.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::ioError(path + ": " + std::strerror(errno));
    if (n == 0) return Status::ioError(path + ": the file shrank while it was read");
    done += static_cast<size_t>(n);
  }
  return Status::ok();
}

}  // namespace

Result<std::unique_ptr<MappedFile>> MappedFile::open(const std::string& path, Access access) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    std::string msg = path + ": " + std::strerror(err);
    return err == ENOENT ? Status::notFound(msg) : Status::ioError(msg);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return Status::ioError(path + ": " + std::strerror(err));
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Status::invalidArgument(path + ": is a folder, not a file");
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::invalidArgument(path + ": not a regular file");
  }
  const auto size = static_cast<size_t>(st.st_size);
  if (size == 0) {
    ::close(fd);
    return std::unique_ptr<MappedFile>(new MappedFile(nullptr, 0));
  }
  if (size < kCopyBelow) {
    std::string copy(size, '\0');
    const Status read = readAll(fd, path, copy);
    ::close(fd);
    if (!read) return read;
    return std::unique_ptr<MappedFile>(new MappedFile(std::move(copy)));
  }
  void* data = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  const int err = errno;
  ::close(fd);
  if (data == MAP_FAILED) return Status::ioError(path + ": cannot map file: " + std::strerror(err));
  if (access == Access::kSequential) ::madvise(data, size, MADV_SEQUENTIAL);
  return std::unique_ptr<MappedFile>(new MappedFile(static_cast<const char*>(data), size));
}

void MappedFile::release(size_t begin, size_t end) const {
  if (!mapped_) return;
  const auto page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  begin = begin / page * page;
  end = std::min(end, size_) / page * page;
  if (begin < end) ::madvise(const_cast<char*>(data_) + begin, end - begin, MADV_DONTNEED);
}

MappedFile::~MappedFile() {
  if (mapped_ && data_) ::munmap(const_cast<char*>(data_), size_);
}

}  // namespace memlens
