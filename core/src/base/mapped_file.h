#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "memlens/result.h"

namespace memlens {

// A read-only view of a whole file, valid as long as the object: a memory map, or a copy for files
// under 64 KiB (a process may hold only vm.max_map_count maps, 65,530 by default, and a corpus
// folder can hold more files than that). Immutable: safe to read from many threads.
class MappedFile {
 public:
  // How the file will be read, for the kernel's read-ahead: a corpus being tokenised is read
  // once from start to end (MADV_SEQUENTIAL: aggressive read-ahead, pages dropped behind); a
  // memory file, or a corpus shown as provenance, partly in runs (the sections copied on
  // opening) and partly a few pages at random per query: the kernel's default read-ahead.
  // (MADV_RANDOM made every page of a copied section a separate 4 KB read from a cold disk.)
  enum class Access { kSequential, kMixed };
  static Result<std::unique_ptr<MappedFile>> open(const std::string& path,
                                                  Access access = Access::kSequential);
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::string_view bytes() const { return {data_, size_}; }
  // For a reader passing once over a large file: the pages holding [begin, end), but for the one
  // holding `end`, leave the process's resident set (read again, they come back from the page
  // cache). The bytes stay as they are; a copy keeps its memory.
  void release(size_t begin, size_t end) const;

 private:
  MappedFile(const char* data, size_t size) : data_(data), size_(size), mapped_(true) {}
  explicit MappedFile(std::string copy)
      : copy_(std::move(copy)), data_(copy_.data()), size_(copy_.size()), mapped_(false) {}
  std::string copy_;
  const char* data_;
  size_t size_;
  bool mapped_;
};

}  // namespace memlens
