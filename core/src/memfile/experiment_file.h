#pragma once

#include <memory>

#include "classify/classifier_factories.h"
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
  // The sections saveParts() writes, and saveMemory().
  static constexpr uint32_t kPartsSectionCount = 10;
  static constexpr uint32_t kMemorySectionCount = 4;

  static Status save(const Experiment& experiment, MemoryFileWriter& out);
  // The pieces of save(), which a sharded memory's files (core/src/distributed/shard_file.h) are
  // made of: every section of the experiment but its memory's (rank 0's file), the options
  // alone (the other ranks'), and a memory's four: `base`, its weights, IGTree's tree (null for
  // the other algorithms) and IB1's or TRIBL2's pattern search (null: none).
  static void saveParts(const Experiment& experiment, MemoryFileWriter& out);
  static void saveOptionsSection(const ExperimentOptions& options, MemoryFileWriter& out);
  static Status saveMemory(const InstanceBase& base, const std::vector<double>& weights,
                           const IgTree* tree, const OverlapMemory* overlap, MemoryFileWriter& out);

  // `in` has been opened and its small sections verified (MemoryFileLayout::checkedOnOpen).
  // Sizes and small tables are checked here; the big arrays' elements as they are first read,
  // each reader bounds-safe whatever they hold (docs/spec/memory-file.md, "Opening"), so an
  // unverified section with a wrong byte gives wrong answers or an error, never a read out of
  // bounds. `checkEverything` makes every deferred check before the experiment is made
  // (verifyMemory()). An error names the file and the section. A shard file is refused.
  static Result<std::unique_ptr<Experiment>> load(const MemoryFileReader& in,
                                                  const MemoryOpenOptions& options, JobControl* job,
                                                  bool checkEverything = false);
  // The pieces of load(): what saveParts() wrote, as an experiment without a classifier
  // (setClassifier() completes it; `trainInstances`, when given, gets the train part's size);
  // the options section alone; and what saveMemory() wrote, for a memory of `width` features
  // over `vocabSize` tokens whose sources are below `sourceLimit`.
  static Result<std::unique_ptr<Experiment>> loadParts(const MemoryFileReader& in,
                                                       const MemoryOpenOptions& options,
                                                       JobControl* job,
                                                       bool checkEverything = false,
                                                       uint64_t* trainInstances = nullptr);
  static Result<ExperimentOptions> loadOptionsSection(const MemoryFileReader& in);
  struct StoredMemory {
    InstanceBase base;
    StoredDerivations stored;
  };
  static Result<StoredMemory> loadMemory(const MemoryFileReader& in,
                                         const ClassifierOptions& options, int width,
                                         uint32_t vocabSize, uint64_t sourceLimit, JobControl* job,
                                         bool checkEverything = false);
  static void setClassifier(Experiment& experiment, std::shared_ptr<const Classifier> classifier);
  // The run record section alone (for readMemoryFileInfo), its options as the JSON gives them.
  static Result<RunRecord> loadRecord(ByteReader& in);
  // An error naming the ranks that saved `in` when it is a shard file, else ok.
  static Status refuseShard(const MemoryFileReader& in);
};

}  // namespace memlens
