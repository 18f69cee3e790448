#include "memfile/memory_file_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace memlens {

namespace {

std::string errnoText() { return std::strerror(errno); }

std::string directoryOf(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

}  // namespace

Result<std::unique_ptr<MemoryFileWriter>> MemoryFileWriter::create(const std::string& path,
                                                                   uint32_t sectionCount,
                                                                   JobControl* job) {
  if (sectionCount > MemoryFileLayout::kMaxSections)
    return Status::internal("a memory file holds at most 64 sections");
  std::unique_ptr<MemoryFileWriter> w(new MemoryFileWriter());
  w->path_ = path;
  std::string pattern = path + ".tmp-XXXXXX";
  const int fd = mkstemp(pattern.data());
  if (fd < 0)
    return Status::ioError("cannot write memory file " + path + " (creating a temporary file in " +
                           directoryOf(path) + "): " + errnoText());
  w->tempPath_ = pattern;
  fchmod(fd, 0644);  // mkstemp's 0600 would hide the memory from the file's other readers
  w->file_ = fdopen(fd, "wb");
  if (!w->file_) {
    close(fd);
    return Status::ioError("cannot write memory file " + path + ": " + errnoText());
  }
  w->capacity_ = sectionCount;
  // The header and table are written last, by commit(); their room is reserved with zeros.
  w->out_.emplace(w->file_, 0, job);
  const MemoryFileLayout::Header blank{};
  w->out_->put(blank);
  const MemoryFileLayout::Entry none{};
  for (uint32_t i = 0; i < sectionCount; ++i) w->out_->put(none);
  return w;
}

MemoryFileWriter::~MemoryFileWriter() {
  if (file_) std::fclose(file_);
  if (!committed_ && !tempPath_.empty()) std::remove(tempPath_.c_str());
}

ByteWriter& MemoryFileWriter::begin(MemoryFileLayout::Section id) {
  out_->alignTo(MemoryFileLayout::kAlignment);
  out_->restartChecksum();
  MemoryFileLayout::Entry& e = entries_.emplace_back();
  e.id = static_cast<uint32_t>(id);
  e.offset = out_->offset();
  return *out_;
}

void MemoryFileWriter::end() {
  MemoryFileLayout::Entry& e = entries_.back();
  e.length = out_->offset() - e.offset;
  e.checksum = out_->checksum();
}

Status MemoryFileWriter::commit() {
  if (!out_->status()) return out_->status();
  if (entries_.size() != capacity_)
    return Status::internal("memory file " + path_ + ": " + std::to_string(entries_.size()) +
                            " sections written, " + std::to_string(capacity_) + " announced");
  out_->alignTo(MemoryFileLayout::kAlignment);
  if (!out_->status()) return out_->status();

  MemoryFileLayout::Header h{};
  std::memcpy(h.magic, MemoryFileLayout::kMagic, sizeof h.magic);
  h.formatVersion = MemoryFileLayout::kFormatVersion;
  h.byteOrder = MemoryFileLayout::kByteOrderMark;
  h.fileBytes = out_->offset();
  h.sectionCount = capacity_;
  const std::string_view table(reinterpret_cast<const char*>(entries_.data()),
                               entries_.size() * sizeof(MemoryFileLayout::Entry));
  h.tableChecksum = Checksum64::of(table);
  h.headerChecksum = Checksum64::of({reinterpret_cast<const char*>(&h), 40});

  const auto fail = [&](const char* what) {
    return Status::ioError("cannot write memory file " + path_ + " (" + what + "): " + errnoText());
  };
  if (std::fseek(file_, 0, SEEK_SET) != 0) return fail("seek");
  if (std::fwrite(&h, sizeof h, 1, file_) != 1) return fail("header");
  if (std::fwrite(table.data(), 1, table.size(), file_) != table.size()) return fail("table");
  if (std::fflush(file_) != 0) return fail("flush");
  if (fsync(fileno(file_)) != 0) return fail("fsync");
  const int closed = std::fclose(file_);
  file_ = nullptr;
  if (closed != 0) return fail("close");
  if (std::rename(tempPath_.c_str(), path_.c_str()) != 0) return fail("rename");
  committed_ = true;
  // The rename itself is durable once the directory is synced; a failure here loses nothing.
  if (const int dir = ::open(directoryOf(path_).c_str(), O_RDONLY | O_DIRECTORY); dir >= 0) {
    fsync(dir);
    close(dir);
  }
  return Status::ok();
}

}  // namespace memlens
