#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "memlens/result.h"

namespace memlens {

struct PrunedVectors;

enum class EditKind {
  kDeleteVector,    // every instance merged into the stored vector `features`
  kRestoreVector,   // undoes deletions of those instances (however they were deleted)
  kRelabelVector,   // every live instance of `features` gets class `classId`
  kDeleteInstance,  // the training instance whose source is `source`
  kRestoreInstance,
  kRelabelInstance,
  kInsertInstance,  // a new instance `features` → `classId` (no corpus position)
  kRemoveDocument,  // corpus surgery: every instance whose target lies in `document`
  kRestoreDocument,
  kPrune,       // the instances `sources` chosen by a pruning strategy (`note` says which)
  kMerge,       // instance sources[i] takes the current features of instance targets[i]:
                // merges stored vectors, the survivor's counts growing (`note` says how)
  kKeepPrefix,  // every instance made at or after corpus token `source`, inserted ones too:
                // the memory as it was before it
};

// One user action on a memory, as the journal stores it. Stored vectors are named by their
// feature values and instances by their corpus source (token index), never by ids that a
// rebuild renumbers, so replaying the journal on the same corpus and options is exact.
// A plain value: safe to share between threads.
struct MemoryEdit {
  EditKind kind = EditKind::kDeleteVector;
  std::vector<uint32_t> features;  // vocabulary ids, f1 (farthest) first
  uint64_t source = 0;
  uint32_t document = 0;
  uint32_t classId = 0;           // vocabulary id
  std::vector<uint64_t> sources;  // ascending
  std::string note;
  // kMerge: one per source. Defaulted so that brace-initialised edits may stop at `note`.
  std::vector<uint64_t> targets = {};
  // kPrune as planPrune() made it: the stored vectors it removes, for a preview on the memory it
  // was planned on (not journaled; see PrunedVectors).
  std::shared_ptr<const PrunedVectors> planned = nullptr;

  // "delete-vector", "relabel-instance", ... (the journal's kind column).
  const char* kindName() const;
  // key=value lines; long source lists are delta-encoded.
  std::string payload() const;
  // Reads what kindName() and payload() wrote; anything else is an error naming the problem.
  static Result<MemoryEdit> parse(std::string_view kind, std::string_view payload);
};

}  // namespace memlens
