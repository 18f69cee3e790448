#include "memfile/memory_file_reader.h"

#include <cstring>

#include "memfile/checksum64.h"

namespace memlens {

namespace {

using Layout = MemoryFileLayout;

std::string bytesText(uint64_t n) { return std::to_string(n) + " bytes"; }

}  // namespace

Status MemoryFileReader::damaged(std::string_view what) const {
  return Status::corrupt("memory file " + path_ + " is damaged: " + std::string(what));
}

Result<std::unique_ptr<MemoryFileReader>> MemoryFileReader::open(const std::string& path) {
  auto mapped = MappedFile::open(path, MappedFile::Access::kMixed);
  if (!mapped) return mapped.status();
  std::unique_ptr<MemoryFileReader> r(new MemoryFileReader());
  r->path_ = path;
  r->file_ = std::move(*mapped);
  const std::string_view bytes = r->file_->bytes();
  const std::string name = "memory file " + path;
  if (bytes.size() < sizeof(Layout::kMagic) ||
      std::memcmp(bytes.data(), Layout::kMagic, sizeof(Layout::kMagic)) != 0)
    return Status::corrupt(name + " is not a MemLens memory file (it does not start with " +
                           "\"MEMLENS\")");
  if (bytes.size() < Layout::kHeaderBytes)
    return r->damaged("it is truncated (" + bytesText(bytes.size()) + ", shorter than its header)");
  Layout::Header h;
  std::memcpy(&h, bytes.data(), sizeof h);
  if (h.byteOrder != Layout::kByteOrderMark)
    return Status::corrupt(name + " was written on a machine of another byte order, or its " +
                           "header is damaged");
  if (Checksum64::of(bytes.substr(0, 40)) != h.headerChecksum)
    return r->damaged("its header fails its checksum");
  if (h.formatVersion > Layout::kFormatVersion)
    return Status::corrupt(name + " has format version " + std::to_string(h.formatVersion) +
                           ", newer than this MemLens reads (" +
                           std::to_string(Layout::kFormatVersion) + "): open it with a newer " +
                           "MemLens, or save the memory again");
  if (h.formatVersion == 0) return r->damaged("its format version is 0");
  // Version 1 stored no weights or tree and rebuilt them on opening, version 2 no trie order
  // of IGTree's stored vectors (its traces scanned the whole memory), version 3 no subset indexes
  // (IB1 and TRIBL2 built them on opening); reading them would keep
  // that work alive for files that one save makes current.
  if (h.formatVersion < Layout::kFormatVersion)
    return Status::corrupt(name + " has format version " + std::to_string(h.formatVersion) +
                           ", written by an older MemLens; this one reads version " +
                           std::to_string(Layout::kFormatVersion) + ": save the memory again " +
                           "(train it from its corpus with --save)");
  if (h.fileBytes != bytes.size())
    return r->damaged("it is truncated or extended: its header says " + bytesText(h.fileBytes) +
                      ", the file has " + bytesText(bytes.size()));
  if (h.sectionCount > Layout::kMaxSections)
    return r->damaged("its header counts " + std::to_string(h.sectionCount) + " sections");
  const uint64_t tableBytes = uint64_t{h.sectionCount} * Layout::kEntryBytes;
  if (Layout::kHeaderBytes + tableBytes > bytes.size())
    return r->damaged("its section table runs past the end of the file");
  const std::string_view table = bytes.substr(Layout::kHeaderBytes, tableBytes);
  if (Checksum64::of(table) != h.tableChecksum)
    return r->damaged("its section table fails its checksum");
  r->version_ = h.formatVersion;
  r->entries_.resize(h.sectionCount);
  if (tableBytes != 0) std::memcpy(r->entries_.data(), table.data(), tableBytes);
  for (const Layout::Entry& e : r->entries_) {
    const std::string section = "section '" + std::string(Layout::nameOf(e.id)) + "'";
    if (e.offset % Layout::kAlignment != 0 || e.offset < Layout::kHeaderBytes + tableBytes ||
        e.offset > bytes.size() || e.length > bytes.size() - e.offset)
      return r->damaged(section + " lies outside the file (offset " + std::to_string(e.offset) +
                        ", " + bytesText(e.length) + ")");
  }
  return r;
}

Status MemoryFileReader::verify(const std::vector<MemoryFileLayout::Section>& ids,
                                JobControl* job) const {
  for (const Layout::Entry& e : entries_) {
    if (cancelRequested(job)) return Status::cancelled();
    if (!ids.empty()) {
      bool wanted = false;
      for (Layout::Section id : ids) wanted = wanted || static_cast<uint32_t>(id) == e.id;
      if (!wanted) continue;
    }
    if (Checksum64::of(file_->bytes().substr(e.offset, e.length)) != e.checksum)
      return damaged("section '" + std::string(Layout::nameOf(e.id)) + "' fails its checksum");
  }
  return Status::ok();
}

Result<std::string_view> MemoryFileReader::section(MemoryFileLayout::Section id) const {
  for (const Layout::Entry& e : entries_)
    if (e.id == static_cast<uint32_t>(id)) return file_->bytes().substr(e.offset, e.length);
  return damaged("it has no section '" + std::string(Layout::nameOf(static_cast<uint32_t>(id))) +
                 "'");
}

}  // namespace memlens
