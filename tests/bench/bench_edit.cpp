// Editing at KJV scale: preview + commit of deleting one stored vector with a 10k-token probe
// set, and a project's save (journal commit) and reopen (rebuild from corpus + journal).
// Usage: bench_edit [ib1|igtree|tribl2] [corpus]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include <unistd.h>

#include "memlens/project.h"

using namespace memlens;

namespace {

double since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
  const std::string model = argc > 1 ? argv[1] : "igtree";
  const std::string corpus = argc > 2 ? argv[2] : MEMLENS_DEMO_CORPUS;
  ProjectOptions o;
  o.experiment.classifier.algorithm = model == "ib1"      ? Algorithm::kIb1
                                      : model == "tribl2" ? Algorithm::kTribl2
                                                          : Algorithm::kIgTree;
  o.experiment.split.trainFraction = 0.9;  // ~830k instances on the KJV, as vs_timbl.sh
  o.experiment.split.validationFraction = 0.0;
  o.experiment.maxTestTokens = 10000;
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("bench_edit_" + std::to_string(::getpid()) + ".memlens"))
                               .string();

  auto t = std::chrono::steady_clock::now();
  auto p = Project::create(path, {corpus}, o);
  if (!p) {
    std::fprintf(stderr, "bench_edit: %s\n", p.status().toString().c_str());
    return 1;
  }
  const double createSeconds = since(t);
  const EditedMemory& m = (*p)->memory();
  std::printf("model %s: %zu train instances, %u slots, %zu probe tokens; create %.2f s\n",
              model.c_str(), m.instances().size(), m.classifier().memory().vectorCount(),
              m.probe().size(), createSeconds);

  // The stored vector of the middle training instance.
  const auto f = m.instances().instance(m.instances().size() / 2);
  MemoryEdit edit{EditKind::kDeleteVector, {f.begin(), f.end()}, 0, 0, 0, {}, ""};
  t = std::chrono::steady_clock::now();
  auto preview = (*p)->preview(edit);
  const double previewSeconds = since(t);
  if (!preview) return std::fprintf(stderr, "%s\n", preview.status().toString().c_str()), 1;
  const size_t changed = preview->changed.size();
  t = std::chrono::steady_clock::now();
  if (Status s = (*p)->commit(std::move(*preview)); !s) return 1;
  const double saveSeconds = since(t);
  std::printf(
      "delete one slot: preview %.3f s (%zu probe tokens change), commit+save %.3f s, "
      "total %.3f s (goal <= 1 s)\n",
      previewSeconds, changed, saveSeconds, previewSeconds + saveSeconds);
  p = Result<std::unique_ptr<Project>>(Status::cancelled());  // close

  t = std::chrono::steady_clock::now();
  auto reopened = Project::open(path);
  const double openSeconds = since(t);
  if (!reopened) return std::fprintf(stderr, "%s\n", reopened.status().toString().c_str()), 1;
  std::printf(
      "project save %.3f s (goal <= 2 s), reopen %.2f s (goal <= 5 s), %zu edit(s) replayed; "
      "file %.1f kB\n",
      saveSeconds, openSeconds, (*reopened)->memory().edits().size(),
      static_cast<double>(std::filesystem::file_size(path)) / 1e3);
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
  return 0;
}
