// readColumnsFile on arbitrary bytes: instances or a Status, never a crash. What it accepts must
// be consistent and survive a write/read round trip unchanged.
#include "memlens/columns_file.h"
#include "scratch_file.h"

using namespace memlens;
using fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = fuzz::writeScratch("input.columns", fuzz::asText(data, size));
  Vocabulary vocab;
  auto set = readColumnsFile(path, vocab);
  if (!set) {
    require(!set.status().message().empty());
    return 0;
  }
  require(set->width >= 1 && set->size() > 0);
  require(set->features.size() == set->size() * static_cast<size_t>(set->width));
  require(set->sources.size() == set->size());
  for (uint32_t id : set->features) require(id < vocab.size());
  for (uint32_t id : set->classes) require(id < vocab.size());

  const std::string copy = (fuzz::scratchDir() / "copy.columns").string();
  require(writeColumnsFile(copy, *set, vocab).isOk());
  auto again = readColumnsFile(copy, vocab);
  require(again.isOk());
  require(again->width == set->width && again->features == set->features &&
          again->classes == set->classes);
  return 0;
}
