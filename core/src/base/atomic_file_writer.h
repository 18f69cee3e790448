#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "memlens/result.h"
#include "memlens/status.h"

namespace memlens {

// Writes a file atomically: into a temporary file beside it (PATH.tmp-XXXXXX, unique), which
// commit() syncs to disk and renames onto PATH (then syncs the folder, so the rename is durable
// too). Destroyed without a successful commit() (an error, a cancel), it removes the temporary
// file, so PATH is never left half-written. Buffered; not thread-safe.
class AtomicFileWriter {
 public:
  static Result<std::unique_ptr<AtomicFileWriter>> create(const std::string& path);
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;
  ~AtomicFileWriter();

  void write(std::string_view bytes) { std::fwrite(bytes.data(), 1, bytes.size(), file_); }
  void put(char c) { std::fputc(c, file_); }
  // The stream, for writers that format into it themselves (a memory file's sections).
  std::FILE* stream() const { return file_; }
  // Moves the write position to `offset` bytes from the start (a header written last).
  Status seek(uint64_t offset);
  // finish() then publish().
  Status commit();
  // Syncs the temporary file to disk and closes it; it stays beside PATH, unpublished (removed
  // on destruction), until publish() renames it onto PATH. Files written by several processes
  // that must all appear or none (a sharded memory's) are finished by each, and published once
  // every one has finished.
  Status finish();
  Status publish();

 private:
  AtomicFileWriter(std::string path, std::string tmp, std::FILE* file);
  std::string path_, tmp_;
  std::FILE* file_;
  bool published_ = false;
  std::vector<char> buffer_;
};

// `text` written to `path` through an AtomicFileWriter.
Status writeFileAtomically(const std::string& path, std::string_view text);

}  // namespace memlens
