// Editing at KJV scale with a 10k-token probe set: preview and commit (journalled) of deleting one
// stored vector, of removing a document and of a count-threshold prune, each then undone; a
// project's save (journal commit) and reopen (rebuild from corpus + journal).
// Usage: bench_edit [ib1|igtree|tribl2] [keep|recompute] [corpus files...]
// (keep: the trained feature weights are kept through edits; recompute: the default.)
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

#include "memlens/project.h"
#include "memlens/pruning.h"

using namespace memlens;

namespace {

double since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
  const std::string model = argc > 1 ? argv[1] : "igtree";
  const bool keep = argc > 2 && std::string(argv[2]) == "keep";
  std::vector<std::string> corpus;
  for (int i = 3; i < argc; ++i) corpus.emplace_back(argv[i]);
  if (corpus.empty()) corpus.emplace_back(MEMLENS_DEMO_CORPUS);
  ProjectOptions o;
  o.experiment.classifier.algorithm = model == "ib1"      ? Algorithm::kIb1
                                      : model == "tribl2" ? Algorithm::kTribl2
                                                          : Algorithm::kIgTree;
  o.experiment.split.trainFraction = 0.9;  // ~830k instances on the KJV, as vs_timbl.sh
  o.experiment.split.validationFraction = 0.0;
  o.experiment.maxTestTokens = 10000;
  o.keepTrainedWeights = keep;
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("bench_edit_" + std::to_string(::getpid()) + ".memlens"))
                               .string();

  auto t = std::chrono::steady_clock::now();
  auto p = Project::create(path, corpus, o);
  if (!p) {
    std::fprintf(stderr, "bench_edit: %s\n", p.status().toString().c_str());
    return 1;
  }
  const double createSeconds = since(t);
  const EditedMemory& m = (*p)->memory();
  const char* weights = keep ? "kept" : "recomputed";
  std::printf(
      "model %s, weights %s: %zu train instances, %u slots, %zu probe tokens, "
      "%zu documents; create %.2f s\n",
      model.c_str(), weights, m.instances().size(), m.classifier().memory().vectorCount(),
      m.probe().size(), m.corpus().corpus->documentCount(), createSeconds);

  // Preview, commit (with its journal transaction) and undo of `edit`, one table row.
  double oneSlotTotal = 0.0;
  const auto measure = [&](const char* what, const MemoryEdit& edit, double planSeconds) {
    auto start = std::chrono::steady_clock::now();
    auto preview = (*p)->preview(edit);
    const double previewSeconds = since(start) + planSeconds;
    if (!preview) {
      std::fprintf(stderr, "%s: %s\n", what, preview.status().toString().c_str());
      return false;
    }
    const size_t changed = preview->changed.size();
    const uint32_t slotsAfter = preview->slotsAfter;
    const char* made = !preview->retrained     ? "in place"
                       : preview->orderChanged ? "retrained (order moved)"
                                               : "retrained";
    start = std::chrono::steady_clock::now();
    if (Status s = (*p)->commit(std::move(*preview)); !s) return false;
    const double commitSeconds = since(start);
    start = std::chrono::steady_clock::now();
    if (Status s = (*p)->undo(); !s) return false;
    const double undoSeconds = since(start);
    std::printf("| %-6s | %-10s | %-16s | %9.3f | %8.3f | %8.3f | %7.3f | %8u | %7zu | %s |\n",
                model.c_str(), weights, what, previewSeconds, commitSeconds,
                previewSeconds + commitSeconds, undoSeconds, slotsAfter, changed, made);
    if (std::string(what) == "delete one slot") oneSlotTotal = previewSeconds + commitSeconds;
    return true;
  };
  std::printf(
      "| model  | weights    | edit             | preview s | commit s |  total s |  undo s "
      "| slots    | changed | edit made |\n");
  // The stored vector of the middle training instance (a copy: instances() is replaced by edits).
  const auto middle = m.instances().instance(m.instances().size() / 2);
  const std::vector<uint32_t> f(middle.begin(), middle.end());
  if (!measure("delete one slot", {EditKind::kDeleteVector, {f.begin(), f.end()}, 0, 0, 0, {}, ""},
               0.0))
    return 1;
  const uint32_t documents = m.corpus().corpus->documentCount();
  if (documents > 1 && !measure("remove document",
                                {EditKind::kRemoveDocument, {}, 0, documents / 2, 0, {}, ""}, 0.0))
    return 1;
  PruneOptions prune;
  prune.strategy = PruneStrategy::kCountThreshold;
  prune.minCount = 2;
  t = std::chrono::steady_clock::now();
  auto plan = planPrune(m, prune);
  const double planSeconds = since(t);
  if (!plan) return std::fprintf(stderr, "%s\n", plan.status().toString().c_str()), 1;
  if (!measure("prune count < 2", *plan, planSeconds)) return 1;
  std::printf("delete one slot: preview + commit %.3f s (goal <= 0.05 s)\n", oneSlotTotal);

  // The reopen replays one journalled edit.
  auto preview = (*p)->preview({EditKind::kDeleteVector, {f.begin(), f.end()}, 0, 0, 0, {}, ""});
  if (!preview) return 1;
  t = std::chrono::steady_clock::now();
  if (Status s = (*p)->commit(std::move(*preview)); !s) return 1;
  const double saveSeconds = since(t);
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
  std::remove(Project::memoryPath(path).c_str());  // the memory file saved beside it
  return 0;
}
