#include "memfile/memory_file_writer.h"

#include <cstring>

namespace memlens {

Result<std::unique_ptr<MemoryFileWriter>> MemoryFileWriter::create(const std::string& path,
                                                                   uint32_t sectionCount,
                                                                   JobControl* job) {
  if (sectionCount > MemoryFileLayout::kMaxSections)
    return Status::internal("a memory file holds at most 64 sections");
  auto file = AtomicFileWriter::create(path);
  if (!file) return Status::ioError("cannot write memory file " + file.status().message());
  std::unique_ptr<MemoryFileWriter> w(new MemoryFileWriter());
  w->path_ = path;
  w->file_ = std::move(*file);
  w->capacity_ = sectionCount;
  // The header and table are written last, by commit(); their room is reserved with zeros.
  w->out_.emplace(w->file_->stream(), 0, job);
  const MemoryFileLayout::Header blank{};
  w->out_->put(blank);
  const MemoryFileLayout::Entry none{};
  for (uint32_t i = 0; i < sectionCount; ++i) w->out_->put(none);
  return w;
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
  if (Status s = finish(); !s) return s;
  return publish();
}

Status MemoryFileWriter::publish() {
  if (Status s = file_->publish(); !s)
    return Status::ioError("cannot write memory file " + s.message());
  return Status::ok();
}

Status MemoryFileWriter::finish() {
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

  const auto failed = [&](const Status& s) {
    return Status::ioError("cannot write memory file " + s.message());
  };
  if (Status s = file_->seek(0); !s) return failed(s);
  file_->write({reinterpret_cast<const char*>(&h), sizeof h});
  file_->write(table);
  if (Status s = file_->finish(); !s) return failed(s);
  return Status::ok();
}

}  // namespace memlens
