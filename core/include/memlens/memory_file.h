#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "memlens/experiment.h"
#include "memlens/job_control.h"
#include "memlens/result.h"
#include "memlens/run_record.h"

namespace memlens {

// MemLens memory files (docs/spec/memory-file.md): a trained Experiment, everything needed to
// answer, explain and evaluate without the corpus text, in one versioned, checksummed file.

// What a header says, read without opening the memory.
struct MemoryFileInfo {
  uint32_t formatVersion = 0;
  RunRecord record;  // the saving run's record (options, sizes, metrics, corpus files)
  uint64_t fileBytes = 0;
};

struct MemoryOpenOptions {
  // Map the corpus files when present and unchanged: same size, and same modification time or
  // same SHA-256.
  bool attachCorpus = true;
};

// Writes a trained experiment (every algorithm incl. the vector memory) to `path`: temp file
// beside it + fsync + rename, so a failure or cancel leaves whatever was at `path`.
Status saveMemory(const Experiment& experiment, const std::string& path, JobControl* job = nullptr);

// The experiment saved at `path`: it answers, explains and evaluates exactly as the saved one.
// Its report() is empty (not evaluated) and record() is the saved one. Its corpus has text only
// for files still at their paths and unchanged; the others' Documents say why they have none.
// A truncated, foreign, older, newer or damaged file is an error naming the file. Opening checks
// the small sections' checksums and what does not read the big arrays' elements; those are
// checked as they are first read (a damaged one reads as a safe stand-in: wrong answers, never a
// crash) and by verifyMemory(), which also checks the large sections' checksums, so opening does
// no work proportional to the memory's size (docs/spec/memory-file.md, "Reading the big arrays").
// The experiment views the file's big arrays in place (the mapping lives as long as they do):
// saving replaces a memory file rather than rewriting it, so an open memory is never affected,
// but a file truncated in place by another program while open can end the process (SIGBUS).
Result<std::shared_ptr<const Experiment>> openMemory(const std::string& path,
                                                     const MemoryOpenOptions& options = {},
                                                     JobControl* job = nullptr);

Result<MemoryFileInfo> readMemoryFileInfo(const std::string& path);

// What openMemory() leaves unchecked, at disk speed (seconds for gigabytes): every section's
// checksum ("memory file X is damaged: section 'instance base' fails its checksum"), every
// element of the big arrays ("... section 'instance base': stored vector 0 counts class index
// 9999, past the class count"), and the SHA-256 of every corpus file that has its saved size,
// which opening attaches on its size and modification time alone. Cancellable.
Status verifyMemory(const std::string& path, JobControl* job = nullptr);

}  // namespace memlens
