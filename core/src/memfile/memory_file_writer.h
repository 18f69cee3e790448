#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/atomic_file_writer.h"
#include "memfile/byte_writer.h"
#include "memfile/memory_file_layout.h"
#include "memlens/result.h"

namespace memlens {

// Writes a memory file atomically (AtomicFileWriter): the sections go to a temporary file beside
// `path`, and only commit() (header, fsync, rename) makes it appear at `path`. Destroyed without
// a successful commit, it removes the temporary file, so a failure or cancel leaves whatever was
// at `path`.
// One thread at a time.
class MemoryFileWriter {
 public:
  static Result<std::unique_ptr<MemoryFileWriter>> create(const std::string& path,
                                                          uint32_t sectionCount,
                                                          JobControl* job = nullptr);
  MemoryFileWriter(const MemoryFileWriter&) = delete;
  MemoryFileWriter& operator=(const MemoryFileWriter&) = delete;

  // Starts section `id` on the next 64-byte boundary; write its body through the writer returned
  // (valid until end()).
  ByteWriter& begin(MemoryFileLayout::Section id);
  void end();
  // The first error of any write so far (sticky).
  const Status& status() const { return out_->status(); }
  // finish() then publish().
  Status commit();
  // Writes the header and syncs the temporary file; publish() renames it onto `path` (a
  // sharded memory publishes its files once every rank has finished its own).
  Status finish();
  Status publish();

 private:
  MemoryFileWriter() = default;

  std::string path_;
  std::unique_ptr<AtomicFileWriter> file_;
  uint32_t capacity_ = 0;
  std::optional<ByteWriter> out_;
  std::vector<MemoryFileLayout::Entry> entries_;
};

}  // namespace memlens
