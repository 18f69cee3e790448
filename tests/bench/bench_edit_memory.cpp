// Editing a saved memory file (issue 19's 100M-instance goals) with its test tokens as the probe
// set and the trained weights kept (or recomputed): EditSession::open, then preview, commit, undo
// and redo of deleting one stored vector (the middle training instance's, and one a probe token
// matches), and preview, commit and undo of removing a document (when the corpus has several; else
// of a hundredth of the instances, a document of a 100-document corpus) and of a count-threshold
// prune, each timed on its own (the prune first on the memory as opened, the count-threshold
// drag's case: planned and previewed as a stop, then planned with its instances and committed;
// then after the others); after a committed one-vector deletion, the drag readied and its stops at
// min-count 3, 5 and 2; then those three edits committed in turn and undone (and redone) several
// in a row, and a count-threshold prune of the memory they leave, readied first as
// memlens-cli project prune readies it.
// Usage: bench_edit_memory MEMORY.mlm [MIN_COUNT] [keep|recompute]
//   (MIN_COUNT: default 2, 0: no prune; weights: kept by default, recompute: recomputed after each
//   edit, the app's default, where each step says whether it was made in place or retrained)
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "memlens/edit_session.h"
#include "memlens/memory_file.h"

using namespace memlens;

namespace {

double since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// The 1-minute load average, printed beside each figure (the machine is shared).
std::string load() {
  std::ifstream in("/proc/loadavg");
  std::string first;
  in >> first;
  return first;
}

// CPU seconds of all the process's threads: on a shared machine the wall time also counts the
// time other jobs held the cores.
double cpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

template <typename F>
auto timed(const char* what, F f) {
  const auto t = std::chrono::steady_clock::now();
  const double cpu = cpuSeconds();
  auto r = f();
  std::printf("%-36s %9.3f s  cpu %7.3f s  load %s\n", what, since(t), cpuSeconds() - cpu,
              load().c_str());
  std::fflush(stdout);
  return r;
}

bool fail(const char* what, const Status& s) {
  std::fprintf(stderr, "%s: %s\n", what, s.toString().c_str());
  return false;
}

// Preview, commit and undo of `edit` (and redo then undo again with `redo`).
bool measure(EditSession& session, const char* what, const MemoryEdit& edit, bool redo) {
  const std::string name(what);
  auto preview = timed((name + ": preview").c_str(), [&] { return session.preview(edit); });
  if (!preview) return fail(what, preview.status());
  std::printf("  made %s\n", !preview->retrained     ? "in place"
                             : preview->orderChanged ? "by retraining (the weights moved the order)"
                                                     : "by retraining");
  std::printf("  %zu probe tokens change, %u -> %u stored vectors, %llu -> %llu instances\n",
              preview->changed.size(), preview->slotsBefore, preview->slotsAfter,
              static_cast<unsigned long long>(preview->instancesBefore),
              static_cast<unsigned long long>(preview->instancesAfter));
  auto commit = timed((name + ": commit").c_str(),
                      [&] { return session.commit(std::move(*preview), nullptr); });
  if (!commit) return fail(what, commit.status());
  auto undo = timed((name + ": undo").c_str(), [&] { return session.undo(nullptr); });
  if (!undo) return fail(what, undo.status());
  std::printf("  undo %s\n", session.edited().retrained() ? "retrained" : "without retraining");
  if (!redo) return true;
  auto again = timed((name + ": redo").c_str(), [&] { return session.redo(nullptr); });
  if (!again) return fail(what, again.status());
  auto back = timed((name + ": undo again").c_str(), [&] { return session.undo(nullptr); });
  return back ? true : fail(what, back.status());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return std::fputs("usage: bench_edit_memory MEMORY.mlm [MIN_COUNT]\n", stderr), 2;
  const uint32_t minCount = argc > 2 ? static_cast<uint32_t>(std::stoul(argv[2])) : 2;
  const bool recompute = argc > 3 && std::string(argv[3]) == "recompute";
  auto opened = timed("open the memory file", [&] { return openMemory(argv[1]); });
  if (!opened) return fail("open", opened.status()), 1;
  const std::shared_ptr<const Experiment> trained = *opened;
  const InstanceSet& train = trained->train();
  std::printf("%zu train instances, %u stored vectors, %zu probe (test) tokens, %zu documents\n",
              train.size(), trained->classifier().memory().vectorCount(), trained->test().size(),
              trained->corpus().corpus->documentCount());
  // Recomputed weights (the app's default): IGTree edits in place while the weights keep its
  // feature order; IB1 and TRIBL2 retrain and re-predict every probe token on each edit.
  std::printf("mode: %s\n", recompute ? "weights recomputed after each edit (the default)"
                                      : "trained weights kept (keepTrainedWeights)");
  EditSession::Options options;
  options.keepTrainedWeights = !recompute;
  auto session = timed(
      recompute ? "EditSession::open (weights recomputed)" : "EditSession::open (weights kept)",
      [&] { return EditSession::open(trained, trained->test(), options); });
  if (!session) return fail("EditSession::open", session.status()), 1;
  EditSession& s = **session;
  PruneOptions prune;
  prune.minCount = minCount;
  if (minCount != 0) {
    // A drag's stop first (the first touch of the memory file's pages is its): its sources are
    // listed only on Commit.
    PruneOptions stop = prune;
    stop.listSources = false;
    auto quick = timed("a drag's stop: plan", [&] { return s.planPrune(stop); });
    if (!quick) return fail("plan", quick.status()), 1;
    auto shown = timed("a drag's stop: preview", [&] { return s.preview(*quick); });
    if (!shown) return fail("a drag's stop", shown.status()), 1;
    std::printf("  %zu probe tokens change, %u -> %u stored vectors\n", shown->changed.size(),
                shown->slotsBefore, shown->slotsAfter);
    auto plan = timed("prune of the opened memory: plan", [&] { return s.planPrune(prune); });
    if (!plan) return fail("plan", plan.status()), 1;
    // Without the planned vectors, as before they were planned: a change per instance.
    MemoryEdit unplanned = *plan;
    unplanned.planned.reset();
    if (!measure(s, "the same, unplanned", unplanned, false)) return 1;
    if (!measure(s, "prune of the opened memory", *plan, false)) return 1;
  }

  const auto middle = train.instance(train.size() / 2);
  MemoryEdit deleteVector;
  deleteVector.features.assign(middle.begin(), middle.end());
  if (!measure(s, "delete one vector", deleteVector, true)) return 1;
  if (minCount != 0) {
    // The count-threshold drag after a committed edit: readied as the app readies it after a
    // step (the edited memory built as the base the stops mask, and walked), then stops at
    // min-count 3, 5 and 2 as the Prune panel makes them (planned unlisted, previewed).
    auto deleted = s.preview(deleteVector);
    if (!deleted) return fail("delete one vector", deleted.status()), 1;
    if (auto c = s.commit(std::move(*deleted), nullptr); !c) return fail("commit", c.status()), 1;
    if (auto r = timed("after it, ready the drag", [&] { return s.prepareCountDrag(); }); !r)
      return fail("ready the drag", r), 1;
    for (const uint32_t at : {3u, 5u, 2u}) {
      PruneOptions stop;
      stop.minCount = at;
      stop.listSources = false;
      const std::string what = "after it, a stop at min-count " + std::to_string(at);
      auto shown = timed(what.c_str(), [&]() -> Result<EditedMemory::Preview> {
        auto plan = s.planPrune(stop);
        if (!plan) return plan.status();
        return s.preview(*plan);
      });
      if (!shown) return fail("a drag's stop", shown.status()), 1;
      std::printf("  %s, %zu probe tokens change, %u -> %u stored vectors\n",
                  shown->buildsOnCommit ? "masked" : "retrained", shown->changed.size(),
                  shown->slotsBefore, shown->slotsAfter);
    }
    if (auto u = s.undo(nullptr); !u) return fail("undo", u.status()), 1;
  }
  // A vector the probe set uses: the first probe token's context that the memory stores.
  const InstanceSet& probe = trained->test();
  std::optional<MemoryEdit> used;
  for (size_t i = 0; i < probe.size() && !used; ++i)
    if (trained->classifier().memory().find(probe.instance(i)) != InstanceBase::kNone)
      used.emplace().features.assign(probe.instance(i).begin(), probe.instance(i).end());
  if (used && !measure(s, "delete a probe token's vector", *used, true)) return 1;
  const uint32_t documents = trained->corpus().corpus->documentCount();
  MemoryEdit large;  // a document, or a document-sized run
  if (documents > 1) {
    large.kind = EditKind::kRemoveDocument;
    large.document = documents / 2;
    if (!measure(s, "remove a document", large, false)) return 1;
  } else {
    // One document (the 100M-instance corpus is one file): the instances a document of a
    // 100-document corpus would hold, a hundredth of them from the middle, as one edit.
    large.kind = EditKind::kPrune;
    const size_t from = train.size() / 2;
    large.sources.assign(
        train.sources.begin() + static_cast<std::ptrdiff_t>(from),
        train.sources.begin() + static_cast<std::ptrdiff_t>(from + train.size() / 100));
    std::sort(large.sources.begin(), large.sources.end());
    std::printf("a hundredth of the instances: %zu\n", large.sources.size());
    if (!measure(s, "remove a document-sized run", large, false)) return 1;
  }
  // Undo and redo several in a row: the document (or run), the probe token's vector and the last
  // instance's vector (outside the run) committed one after another, then undone newest first and
  // redone.
  std::vector<MemoryEdit> chain{large};
  if (used) chain.push_back(*used);
  MemoryEdit last;
  last.features.assign(train.instance(train.size() - 1).begin(),
                       train.instance(train.size() - 1).end());
  if (!used || used->features != last.features) chain.push_back(last);
  for (size_t i = 0; i < chain.size(); ++i) {
    // After the first, a preview edits a memory that edits already changed.
    const std::string what = "in a row, edit " + std::to_string(i + 1) + ": preview";
    auto preview = timed(what.c_str(), [&] { return s.preview(chain[i]); });
    if (!preview) return fail("chain preview", preview.status()), 1;
    if (auto c = s.commit(std::move(*preview), nullptr); !c)
      return fail("chain commit", c.status()), 1;
  }
  for (size_t i = chain.size(); i-- > 0;) {
    const std::string what = "undo in a row, edit " + std::to_string(i + 1);
    if (auto u = timed(what.c_str(), [&] { return s.undo(nullptr); }); !u)
      return fail("undo", u.status()), 1;
  }
  for (size_t i = 0; i < chain.size(); ++i) {
    const std::string what = "redo in a row, edit " + std::to_string(i + 1);
    if (auto r = timed(what.c_str(), [&] { return s.redo(nullptr); }); !r)
      return fail("redo", r.status()), 1;
  }
  if (minCount == 0) return 0;
  // As memlens-cli project prune does after edits: the memory readied first (built as its own
  // base), so the prune masks its stored vectors instead of listing and retraining it.
  if (auto r = timed("count-threshold prune: ready", [&] { return s.prepareCountDrag(); }); !r)
    return fail("ready the prune", r), 1;
  auto plan = timed("count-threshold prune: plan", [&] { return s.planPrune(prune); });
  if (!plan) return fail("plan", plan.status()), 1;
  std::printf("  %s: %zu instances\n", plan->note.c_str(), plan->sources.size());
  return measure(s, "count-threshold prune", *plan, false) ? 0 : 1;
}
