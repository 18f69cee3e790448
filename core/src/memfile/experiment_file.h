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
  static constexpr uint32_t kSectionCount = 13;

  static Status save(const Experiment& experiment, MemoryFileWriter& out);
  // `in` has been opened and its small sections verified (MemoryFileLayout::checkedOnOpen).
  // Every count and index is checked before use, so an unverified section with a wrong byte
  // gives wrong answers or an error, never a read out of bounds; an error names the file and
  // the section.
  static Result<std::unique_ptr<Experiment>> load(const MemoryFileReader& in,
                                                  const MemoryOpenOptions& options,
                                                  JobControl* job);
  // The run record section alone (for readMemoryFileInfo), its options as the JSON gives them.
  static Result<RunRecord> loadRecord(ByteReader& in);
};

}  // namespace memlens
