#include "memfile/memory_file_layout.h"

namespace memlens {

std::string_view MemoryFileLayout::nameOf(uint32_t id) {
  switch (static_cast<Section>(id)) {
    case Section::kRecord:
      return "run record";
    case Section::kDocuments:
      return "documents";
    case Section::kVocabulary:
      return "vocabulary";
    case Section::kTokens:
      return "token stream";
    case Section::kOptions:
      return "options";
    case Section::kTrain:
      return "train instances";
    case Section::kValidation:
      return "validation instances";
    case Section::kTest:
      return "test instances";
    case Section::kInstanceBase:
      return "instance base";
    case Section::kBaseModel:
      return "base model";
    case Section::kClassCounts:
      return "class counts";
    case Section::kWeights:
      return "feature weights";
    case Section::kIgTree:
      return "IGTree";
    case Section::kSubsetIndexes:
      return "subset indexes";
    case Section::kShard:
      return "shard";
  }
  return "unknown";
}

bool MemoryFileLayout::checkedOnOpen(uint32_t id) {
  switch (static_cast<Section>(id)) {
    case Section::kRecord:
    case Section::kDocuments:
    case Section::kVocabulary:
    case Section::kOptions:
    case Section::kWeights:
    case Section::kShard:
      return true;
    default:
      return false;
  }
}

}  // namespace memlens
