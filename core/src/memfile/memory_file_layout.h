#pragma once

#include <cstdint>
#include <string_view>

namespace memlens {

// The fixed parts of a memory file (docs/spec/memory-file.md): a 64-byte header, then a table of
// 32-byte section entries, then the sections, each starting on a 64-byte boundary.
struct MemoryFileLayout {
  static constexpr char kMagic[8] = {'M', 'E', 'M', 'L', 'E', 'N', 'S', '\0'};
  static constexpr uint32_t kFormatVersion = 4;
  static constexpr uint32_t kByteOrderMark = 0x01020304u;  // reads 0x04030201 when swapped
  static constexpr uint64_t kAlignment = 64;
  static constexpr uint64_t kHeaderBytes = 64;
  static constexpr uint64_t kEntryBytes = 32;
  static constexpr uint32_t kMaxSections = 64;

  enum class Section : uint32_t {
    kRecord = 1,  // the saving run's RunRecord (JSON)
    kDocuments,   // path, size, lines, BOM of every corpus file
    kVocabulary,  // token strings and counts
    kTokens,      // the TokenStream: ids, offsets, lengths, lines
    kOptions,     // the ExperimentOptions, every field (the record's JSON holds a summary)
    kTrain,       // the three InstanceSets
    kValidation,
    kTest,
    kInstanceBase,   // the classifier's memory
    kBaseModel,      // the Kneser-Ney model
    kClassCounts,    // trainClassCounts
    kWeights,        // the classifier's feature weights, as training computed them
    kIgTree,         // IGTree's nodes and their distributions (empty for the other algorithms)
    kSubsetIndexes,  // IB1's and TRIBL2's pattern-search indexes (none for the others)
    kShard,          // a sharded memory's files only: the rank, the save, the global statistics
  };

  struct Header {
    char magic[8];
    uint32_t formatVersion;
    uint32_t byteOrder;
    uint64_t fileBytes;
    uint32_t sectionCount;
    uint32_t reserved;
    uint64_t tableChecksum;
    uint64_t headerChecksum;  // of the 40 bytes before it
    uint64_t padding[2];
  };
  struct Entry {
    uint32_t id;
    uint32_t reserved;
    uint64_t offset;
    uint64_t length;
    uint64_t checksum;
  };
  static_assert(sizeof(Header) == kHeaderBytes && sizeof(Entry) == kEntryBytes);

  // "instance base", for messages.
  static std::string_view nameOf(uint32_t id);
  // Whether opening checks the section's checksum: the small ones (a few KB to MB whatever the
  // memory's size). The others are checked by verifyMemory(); opening relies on its bounds
  // checks for them (docs/spec/memory-file.md, "What is checked when").
  static bool checkedOnOpen(uint32_t id);
};

}  // namespace memlens
