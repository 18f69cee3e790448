// memlens-cli project: a .memlens project edited and pruned headless. Every command that
// changes the memory writes one journal entry before it returns.
#include <charconv>
#include <cstdio>

#include "cli_common.h"
#include "commands.h"
#include "experiment_args.h"
#include "memlens/project.h"

namespace memlens::cli {
namespace {

constexpr const char* kProjectUsage =
    "project create FILE [eval options] [--keep-weights] PATH... | info FILE | runs FILE |\n"
    "    undo FILE | redo FILE\n"
    "project edit FILE [--preview] (--delete-instance SRC | --restore-instance SRC |\n"
    "    --relabel-instance SRC --class TOKEN | --delete-vector \"CONTEXT\" | --restore-vector\n"
    "    \"CONTEXT\" | --relabel-vector \"CONTEXT\" --class TOKEN | --insert \"CONTEXT\" --class "
    "TOKEN |\n"
    "    --remove-document N | --restore-document N)\n"
    "project prune FILE --strategy count|never-neighbour|negative-credit|random|document|wilson|\n"
    "    merge|cnn|igtree [--min-count 2] [--keep 0.5] [--seed 1] [--document N]\n"
    "    [-k 3 (wilson), 1 (merge)]\n"
    "--keep-weights: edited memories keep the trained feature weights (default: recomputed)";

Status usage(const std::string& why) {
  return Status::invalidArgument("project: " + why + "\nusage: memlens-cli " + kProjectUsage);
}

Result<uint32_t> tokenId(const Vocabulary& vocab, const std::string& text) {
  const uint32_t id = vocab.lookup(text);
  if (id == Vocabulary::kUnknown)
    return Status::invalidArgument("'" + text + "' is not in the corpus vocabulary");
  return id;
}

// A stored vector given as its context tokens, space-separated, farthest first ("_" pads).
Result<std::vector<uint32_t>> contextIds(const Vocabulary& vocab, const std::string& text) {
  std::vector<uint32_t> ids;
  for (size_t i = 0; i < text.size();) {
    const size_t end = std::min(text.find(' ', i), text.size());
    if (end > i) {
      auto id = tokenId(vocab, text.substr(i, end - i));
      if (!id) return id.status();
      ids.push_back(*id);
    }
    i = end + 1;
  }
  return ids;
}

Result<uint64_t> sourceValue(const ArgParser& args, const std::string& name) {
  const std::string v = args.value(name);
  uint64_t out = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || end != v.data() + v.size() || v.empty())
    return Status::invalidArgument(name + " takes a source (token index), got '" + v + "'");
  return out;
}

Result<MemoryEdit> editFrom(const ArgParser& args, const Vocabulary& vocab) {
  const std::pair<const char*, EditKind> kinds[] = {
      {"--delete-instance", EditKind::kDeleteInstance},
      {"--restore-instance", EditKind::kRestoreInstance},
      {"--relabel-instance", EditKind::kRelabelInstance},
      {"--delete-vector", EditKind::kDeleteVector},
      {"--restore-vector", EditKind::kRestoreVector},
      {"--relabel-vector", EditKind::kRelabelVector},
      {"--insert", EditKind::kInsertInstance},
      {"--remove-document", EditKind::kRemoveDocument},
      {"--restore-document", EditKind::kRestoreDocument}};
  MemoryEdit e;
  std::string option;
  for (const auto& [name, kind] : kinds) {
    if (!args.has(name)) continue;
    if (!option.empty()) return usage("one edit at a time (" + option + " and " + name + ")");
    option = name;
    e.kind = kind;
  }
  if (option.empty()) return usage("edit: say what to edit");
  switch (e.kind) {
    case EditKind::kDeleteInstance:
    case EditKind::kRestoreInstance:
    case EditKind::kRelabelInstance: {
      auto src = sourceValue(args, option);
      if (!src) return src.status();
      e.source = *src;
      break;
    }
    case EditKind::kRemoveDocument:
    case EditKind::kRestoreDocument: {
      auto d = args.intValue(option, 0, 0, 1 << 30);
      if (!d) return d.status();
      e.document = static_cast<uint32_t>(*d);
      break;
    }
    default: {
      auto ids = contextIds(vocab, args.value(option));
      if (!ids) return ids.status();
      e.features = std::move(*ids);
    }
  }
  const bool needsClass = e.kind == EditKind::kRelabelInstance ||
                          e.kind == EditKind::kRelabelVector || e.kind == EditKind::kInsertInstance;
  if (needsClass != args.has("--class"))
    return usage(needsClass ? option + " needs --class TOKEN"
                            : "--class goes with relabel or insert");
  if (needsClass) {
    auto id = tokenId(vocab, args.value("--class"));
    if (!id) return id.status();
    e.classId = *id;
  }
  return e;
}

Result<PruneOptions> pruneOptionsFrom(const ArgParser& args) {
  PruneOptions o;
  const std::string name = args.value("--strategy");
  bool found = false;
  for (auto s : {PruneStrategy::kCountThreshold, PruneStrategy::kNeverNeighbour,
                 PruneStrategy::kNegativeCredit, PruneStrategy::kRandom, PruneStrategy::kDocument,
                 PruneStrategy::kWilson, PruneStrategy::kMerge, PruneStrategy::kCondensed,
                 PruneStrategy::kIgTreeCompression}) {
    if (name == pruneStrategyName(s) || (name == "count" && s == PruneStrategy::kCountThreshold)) {
      o.strategy = s;
      found = true;
    }
  }
  if (!found) return usage("prune: unknown --strategy '" + name + "'");
  auto minCount = args.intValue("--min-count", 2, 1, 1 << 30);
  auto keep = args.doubleValue("--keep", 0.5, 0.0, 1.0);
  auto seed = args.intValue("--seed", 1, 0, 1 << 30);
  auto document = args.intValue("--document", 0, 0, 1 << 30);
  auto k = args.intValue("-k", o.strategy == PruneStrategy::kMerge ? 1 : 3, 1, 100);
  for (const Status* s :
       {&minCount.status(), &keep.status(), &seed.status(), &document.status(), &k.status()})
    if (!s->isOk()) return *s;
  o.minCount = static_cast<uint32_t>(*minCount);
  o.keepFraction = *keep;
  o.seed = static_cast<uint64_t>(*seed);
  o.document = static_cast<uint32_t>(*document);
  o.neighbours = *k;
  o.mergeNeighbours = *k;
  return o;
}

void printChanges(const Project& p, const EditedMemory::Preview& preview) {
  const Vocabulary& vocab = p.memory().corpus().vocab;
  std::printf("slots %u -> %u, instances %llu -> %llu, probe tokens changing prediction: %zu\n",
              preview.slotsBefore, preview.slotsAfter,
              static_cast<unsigned long long>(preview.instancesBefore),
              static_cast<unsigned long long>(preview.instancesAfter), preview.changed.size());
  for (const ChangedToken& c : preview.changed)
    std::printf("  source %llu: %s -> %s\n", static_cast<unsigned long long>(c.source),
                tokenText(vocab, c.oldClassId).c_str(), tokenText(vocab, c.newClassId).c_str());
}

int runCreate(const ArgParser& args, const std::string& file) {
  auto experiment = experimentOptionsFrom(args);
  if (!experiment) return reportError(experiment.status());
  auto tokeniser = tokeniserOptionsFrom(args);
  if (!tokeniser) return reportError(tokeniser.status());
  std::vector<std::string> paths(args.positional().begin() + 2, args.positional().end());
  if (paths.empty()) return reportError(usage("create: give the corpus files or folders"));
  ProjectOptions o;
  o.tokeniser = *tokeniser;
  o.experiment = *experiment;
  o.keepTrainedWeights = args.has("--keep-weights");
  auto job = makeTerminalProgress();
  auto p = Project::create(file, paths, o, job.get());
  if (!p) return reportError(p.status());
  std::printf(
      "created %s: %u slots from %zu instances; smoothing beta %.4g; weights %s after edits\n",
      file.c_str(), (*p)->memory().classifier().memory().vectorCount(),
      (*p)->memory().instances().size(), (*p)->options().smoothingBeta,
      o.keepTrainedWeights ? "kept" : "recomputed");
  return 0;
}

int runInfo(Project& p) {
  const ExperimentOptions& x = p.options().experiment;
  std::printf("model %s, k=%d, weighting %s, width %d; weights %s after every edit\n",
              algorithmName(x.classifier.algorithm), x.classifier.k,
              weightingName(x.classifier.weighting), x.window.width,
              p.options().keepTrainedWeights ? "kept (the trained ones)" : "recomputed");
  for (const ProjectCorpusFile& f : *p.store().corpus())
    std::printf("corpus %s (%llu bytes, sha256 %s)\n", f.path.c_str(),
                static_cast<unsigned long long>(f.bytes), f.sha256.c_str());
  std::printf("%u slots, %zu instances, %zu probe tokens\n",
              p.memory().classifier().memory().vectorCount(), p.memory().instances().size(),
              p.memory().probe().size());
  for (const JournalEntry& e : *p.store().journal()) {
    auto edit = MemoryEdit::parse(e.kind, e.payload);
    std::printf("#%lld %s %s%s%s\n", static_cast<long long>(e.seq), e.created.c_str(),
                e.kind.c_str(),
                edit && !edit->note.empty() ? (" (" + edit->note + ")").c_str() : "",
                e.undone ? " [undone]" : "");
  }
  return 0;
}

}  // namespace

int runProject(const std::vector<std::string>& argv) {
  auto values = kTokeniserValueOptions;
  values.insert(kExperimentValueOptions.begin(), kExperimentValueOptions.end());
  for (const char* v :
       {"--delete-instance", "--restore-instance", "--relabel-instance", "--delete-vector",
        "--restore-vector", "--relabel-vector", "--insert", "--remove-document",
        "--restore-document", "--class", "--strategy", "--min-count", "--keep", "--document"})
    values.insert(v);
  auto flags = kTokeniserFlags;
  flags.insert("--preview");
  flags.insert("--keep-weights");
  ArgParser args(values, flags);
  if (Status s = args.parse(argv); !s) return reportError(s);
  const auto& pos = args.positional();
  if (pos.size() < 2) return reportError(usage("give a subcommand and a project FILE"));
  const std::string& sub = pos[0];
  const std::string& file = pos[1];
  if (sub == "create") return runCreate(args, file);
  if (pos.size() != 2) return reportError(usage("unexpected argument '" + pos[2] + "'"));
  if (sub != "info" && sub != "runs" && sub != "undo" && sub != "redo" && sub != "edit" &&
      sub != "prune")
    return reportError(usage("unknown subcommand '" + sub + "'"));
  auto job = makeTerminalProgress();
  auto opened = Project::open(file, job.get());
  if (!opened) return reportError(opened.status());
  Project& p = **opened;
  if (sub == "info") return runInfo(p);
  if (sub == "runs") {
    for (const StoredRun& r : *p.store().runs())
      std::printf("%lld\t%s\t%s\n", static_cast<long long>(r.id), r.created.c_str(),
                  r.record.c_str());
    return 0;
  }
  if (sub == "undo" || sub == "redo") {
    if (Status s = sub == "undo" ? p.undo(job.get()) : p.redo(job.get()); !s) return reportError(s);
    std::printf("%s done: %u slots\n", sub.c_str(), p.memory().classifier().memory().vectorCount());
    return 0;
  }
  if (sub == "edit") {
    auto edit = editFrom(args, p.memory().corpus().vocab);
    if (!edit) return reportError(edit.status());
    auto preview = p.preview(*edit, job.get());
    if (!preview) return reportError(preview.status());
    printChanges(p, *preview);
    if (args.has("--preview")) return 0;
    if (Status s = p.commit(std::move(*preview)); !s) return reportError(s);
    std::printf("committed\n");
    return 0;
  }
  auto options = pruneOptionsFrom(args);
  if (!options) return reportError(options.status());
  auto report = p.prune(*options, job.get());
  if (!report) return reportError(report.status());
  if (auto run = p.recordRun(job.get()); !run) return reportError(run.status());
  std::printf("strategy\tslots\taccuracy\tperplexity\n");
  std::printf(
      "%s\t%u -> %u\t%.4f -> %.4f\t%.2f -> %.2f\n",
      report->edit.note.empty() ? pruneStrategyName(options->strategy) : report->edit.note.c_str(),
      report->slotsBefore, report->slotsAfter, report->before.accuracy(), report->after.accuracy(),
      report->before.perplexity(), report->after.perplexity());
  return 0;
}

}  // namespace memlens::cli
