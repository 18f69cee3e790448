// A mutated memory file checked by verifyMemory and opened by readMemoryFileInfo and openMemory:
// an experiment or a Status, never a crash. Each input is tried twice: as it is (stopped by the
// checksums of the small sections; damage in the large ones reaches their consistency checks,
// which opening relies on) and with every checksum recomputed, so every mutation reaches them.
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "memfile/checksum64.h"
#include "memfile/memory_file_layout.h"
#include "memlens/classifier.h"
#include "memlens/feature_weights.h"
#include "memlens/memory_file.h"
#include "memlens/trace.h"
#include "scratch_file.h"

using namespace memlens;
using fuzz::require;
using Layout = MemoryFileLayout;

namespace {

// The seeds in corpus/fuzz_memory_file were saved from this text by the relative path
// "corpus.txt" (`memlens-cli eval corpus.txt --width 2 --train 0.6 --validation 0.2 --seed 4
// --model ib1|igtree|tribl2|vector --dims 4 --save ...`); it is made here, in the folder the fuzzer
// runs in, so opening them attaches the text as well. ib1-bucket-without-counts.mlm is a damaged
// version-3 file (a past crash) given version 4's subset-index section holding no index.
constexpr const char* kCorpusText =
    "the cat sat on the mat .\nthe dog sat on the log .\na cat and a dog sat on a mat .\n"
    "the cat saw the dog .\nthe dog saw the cat on the mat .\n";

// The input with every section, table and header checksum made to match, when its header and
// table are whole enough to say where the sections are.
std::string restamped(std::string bytes) {
  if (bytes.size() < Layout::kHeaderBytes) return bytes;
  Layout::Header h;
  std::memcpy(&h, bytes.data(), sizeof h);
  const uint64_t tableBytes = uint64_t{h.sectionCount} * Layout::kEntryBytes;
  if (h.sectionCount > Layout::kMaxSections || Layout::kHeaderBytes + tableBytes > bytes.size())
    return bytes;
  std::vector<Layout::Entry> entries(h.sectionCount);
  if (tableBytes) std::memcpy(entries.data(), bytes.data() + Layout::kHeaderBytes, tableBytes);
  for (Layout::Entry& e : entries)
    if (e.offset <= bytes.size() && e.length <= bytes.size() - e.offset)
      e.checksum = Checksum64::of(std::string_view(bytes).substr(e.offset, e.length));
  if (tableBytes) std::memcpy(bytes.data() + Layout::kHeaderBytes, entries.data(), tableBytes);
  h.fileBytes = bytes.size();
  h.tableChecksum =
      Checksum64::of(std::string_view(bytes).substr(Layout::kHeaderBytes, tableBytes));
  h.headerChecksum = Checksum64::of({reinterpret_cast<const char*>(&h), 40});
  std::memcpy(bytes.data(), &h, sizeof h);
  return bytes;
}

void openAndUse(std::string_view bytes) {
  const std::string path = fuzz::writeScratch("memory.mlm", bytes);
  auto info = readMemoryFileInfo(path);
  if (!info) require(!info.status().message().empty());
  // Opening checks the small sections' checksums only: an input damaged in a large one gets past
  // them to the bounds checks, and to the full check here.
  const Status verified = verifyMemory(path);
  if (!verified) require(!verified.message().empty());
  auto opened = openMemory(path);
  if (!opened) {
    require(!opened.status().message().empty());
    return;
  }
  // Whatever opened must answer: predictions, a trace with provenance, an evaluation.
  const Experiment& e = **opened;
  if (e.test().size() > 0) {
    const auto query = e.test().instance(0);
    (void)e.classifier().predictOne(query);
    (void)traceContext(e, query);
  }
  // What opening leaves unread until first used: every line, the value×class counts.
  const TokenStream& tokens = e.corpus().tokens;
  for (size_t l = 0; l < tokens.lineCount(); ++l)
    if (const uint64_t first = tokens.line(l).firstToken; first < tokens.lineEnd(l))
      (void)tokens.position(first);
  const InstanceBase& memory = e.classifier().memory();
  (void)computeFeatureWeights(memory.featureCounts(), memory.classTotals(),
                              FeatureWeighting::kGainRatio);
  (void)Experiment::evaluated(*opened);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  require(::chdir(fuzz::scratchDir().c_str()) == 0);
  fuzz::writeScratch("corpus.txt", kCorpusText);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(fuzz::asText(data, size));
  openAndUse(bytes);
  const std::string stamped = restamped(bytes);
  if (stamped != bytes) openAndUse(stamped);
  return 0;
}
