// A mutated .memlens file opened by ProjectStore::open and Project::open: a project or a Status,
// never a crash, and a refused file is left byte for byte as it was.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "memlens/project.h"
#include "scratch_file.h"

using namespace memlens;
using fuzz::require;

namespace {

// The seeds in corpus/fuzz_project name this corpus by a relative path; it is made here, in the
// folder the fuzzer runs in, so every mutation of them can rebuild a memory.
constexpr const char* kCorpusText =
    "the cat sat on the mat .\nthe dog sat on the log .\na cat and a dog sat on a mat .\n"
    "the cat saw the dog .\nthe dog saw the cat on the mat .\n";

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  require(::chdir(fuzz::scratchDir().c_str()) == 0);
  fuzz::writeScratch("corpus.txt", kCorpusText);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes = fuzz::asText(data, size);
  const std::string path = (fuzz::scratchDir() / "project.memlens").string();
  for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(path + suffix);
  fuzz::writeScratch("project.memlens", bytes);

  {
    auto store = ProjectStore::open(path);
    if (!store) {
      require(!store.status().message().empty());
      require(readAll(path) == bytes);
      return 0;
    }
    // Every reader on a file that passed the checks: values or errors, nothing else.
    (void)(*store)->setting("options");
    (void)(*store)->corpus(true);
    (void)(*store)->journal();
    (void)(*store)->runs();
    (void)(*store)->integrityCheck();
  }
  auto project = Project::open(path);
  if (!project) require(!project.status().message().empty());
  return 0;
}
