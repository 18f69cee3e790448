#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/mapped_file.h"
#include "memfile/memory_file_layout.h"
#include "memlens/job_control.h"
#include "memlens/result.h"

namespace memlens {

// A memory file opened by mapping it: open() checks the header and the section table (magic,
// version, byte order, sizes, every section inside the file and aligned); verify() checks every
// section's checksum. Errors name the file and say what is wrong with it.
// Immutable after open(): safe to read from many threads.
class MemoryFileReader {
 public:
  static Result<std::unique_ptr<MemoryFileReader>> open(const std::string& path);

  // Checks the sections' checksums; `ids` empty: all of them.
  Status verify(const std::vector<MemoryFileLayout::Section>& ids = {},
                JobControl* job = nullptr) const;
  // The bytes of section `id`; an error when the file has no such section.
  Result<std::string_view> section(MemoryFileLayout::Section id) const;

  const std::string& path() const { return path_; }
  uint32_t formatVersion() const { return version_; }
  uint64_t fileBytes() const { return file_->bytes().size(); }
  // The mapping the sections lie in: arrays viewed in place keep it alive.
  std::shared_ptr<const void> owner() const { return file_; }
  // "memory file X is damaged: <what>", the form every reading error takes.
  Status damaged(std::string_view what) const;

 private:
  MemoryFileReader() = default;
  std::string path_;
  std::shared_ptr<const MappedFile> file_;
  uint32_t version_ = 0;
  std::vector<MemoryFileLayout::Entry> entries_;
};

}  // namespace memlens
