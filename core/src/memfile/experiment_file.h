#pragma once

#include <memory>

#include "memfile/byte_reader.h"
#include "memfile/memory_file_reader.h"
#include "memfile/memory_file_writer.h"
#include "memlens/experiment.h"
#include "memlens/memory_file.h"

namespace memlens {

// The sections of a memory file that hold an Experiment (docs/spec/memory-file.md): what each
// part of a trained experiment writes and how it is put back together. A friend of Experiment,
// so the restored one is complete without Experiment growing a public way to build it.
class ExperimentFile {
 public:
  static constexpr uint32_t kSectionCount = 14;

  static Status save(const Experiment& experiment, MemoryFileWriter& out);
  // `in` has been opened and its small sections verified (MemoryFileLayout::checkedOnOpen).
  // Sizes and small tables are checked here; the big arrays' elements as they are first read,
  // each reader bounds-safe whatever they hold (docs/spec/memory-file.md, "Opening"), so an
  // unverified section with a wrong byte gives wrong answers or an error, never a read out of
  // bounds. `checkEverything` makes every deferred check before the experiment is made
  // (verifyMemory()). An error names the file and the section.
  static Result<std::unique_ptr<Experiment>> load(const MemoryFileReader& in,
                                                  const MemoryOpenOptions& options, JobControl* job,
                                                  bool checkEverything = false);
  // The run record section alone (for readMemoryFileInfo), its options as the JSON gives them.
  static Result<RunRecord> loadRecord(ByteReader& in);
};

}  // namespace memlens
