// memlens-cli project: a .memlens project edited and pruned headless. Every command that
// changes the memory writes one journal entry before it returns.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <functional>
#include <optional>

#include "cli_common.h"
#include "commands.h"
#include "enum_option.h"
#include "experiment_args.h"
#include "memlens/memory_file.h"
#include "memlens/project.h"
#include "memlens/timbl_memory.h"
#include "memlens/typed_tokens.h"
#include "memory_file_args.h"
#include "number_range.h"

namespace memlens::cli {
namespace {

constexpr int kMaxWhole = 1 << 30;  // the bound of documents, counts and seeds

struct CreateArgs {
  std::string file;
  CorpusArgs corpus;
  ProjectOptions options;
  MemoryFileArgs files;  // --memory: made from that memory file; --save: a copy of its memory
};

// `project edit`: one edit, read into `edit` (its kind and its source, document or context).
struct EditArgs {
  MemoryEdit edit;
  std::string option;   // the edit's option, for messages
  std::string context;  // of the vector edits and --insert
  std::optional<std::string> classToken;
  bool preview = false;
};

struct PruneArgs {
  PruneOptions options;
  std::optional<int> k;  // its default depends on the strategy
};

// The edit with its context and class read from the project's vocabulary.
Result<MemoryEdit> editFrom(const EditArgs& args, const Vocabulary& vocab) {
  MemoryEdit e = args.edit;
  if (e.kind == EditKind::kDeleteVector || e.kind == EditKind::kRestoreVector ||
      e.kind == EditKind::kRelabelVector || e.kind == EditKind::kInsertInstance) {
    auto ids = typedContext(vocab, args.context);
    if (!ids) return ids.status();
    e.features = std::move(*ids);
  }
  const bool needsClass = e.kind == EditKind::kRelabelInstance ||
                          e.kind == EditKind::kRelabelVector || e.kind == EditKind::kInsertInstance;
  if (needsClass != args.classToken.has_value()) {
    return Status::invalidArgument(needsClass ? args.option + " needs --class TOKEN"
                                              : "--class goes with relabel or insert");
  }
  if (needsClass) {
    auto id = typedToken(vocab, *args.classToken);
    if (!id) return id.status();
    e.classId = *id;
  }
  return e;
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

int runCreate(const CLI::App& command, const CreateArgs& args) {
  ProjectOptions o = args.options;
  o.tokeniser = args.corpus.tokeniser;
  auto job = makeTerminalProgress();
  Result<std::unique_ptr<Project>> p = Status::cancelled();
  if (!args.files.memory.empty()) {
    if (Status s = args.files.checkMemoryAlone(command); !s) return reportError(s);
    if (isTimblInstanceBase(args.files.memory))
      return reportError(Status::invalidArgument(
          "a project is made from a MemLens memory file or a corpus; " + args.files.memory +
          " is a TiMBL instance base (explain, predict and generate take it with --memory)"));
    p = Project::createFromMemory(args.file, args.files.memory, o.keepTrainedWeights, job.get());
  } else {
    if (Status s = args.corpus.check(); !s) return reportError(s);
    if (args.corpus.paths.empty())
      return reportError(
          Status::invalidArgument("give the corpus PATH... to train on, or --memory FILE"));
    p = Project::create(args.file, args.corpus.paths, o, job.get());
  }
  if (!p) return reportError(p.status());
  std::printf(
      "created %s: %u slots from %zu instances; smoothing beta %.4g; weights %s after edits; "
      "memory in %s\n",
      args.file.c_str(), (*p)->memory().classifier().memory().vectorCount(),
      (*p)->memory().instances().size(), (*p)->options().smoothingBeta,
      o.keepTrainedWeights ? "kept" : "recomputed", Project::memoryPath(args.file).c_str());
  if (!args.files.save.empty()) {
    if (Status s = saveMemory((*p)->experiment(), args.files.save, job.get()); !s)
      return reportError(s);
    std::printf("saved the memory to %s\n", args.files.save.c_str());
  }
  return 0;
}

int runInfo(Project& p) {
  const ExperimentOptions& x = p.options().experiment;
  std::printf("model %s, k=%d, weighting %s, width %d; weights %s after every edit\n",
              std::string(optionLabel(x.classifier.algorithm)).c_str(), x.classifier.k,
              std::string(optionLabel(x.classifier.weighting)).c_str(), x.window.width,
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

int runRuns(Project& p) {
  for (const StoredRun& r : *p.store().runs())
    std::printf("%lld\t%s\t%s\n", static_cast<long long>(r.id), r.created.c_str(),
                r.record.c_str());
  return 0;
}

int runUndoRedo(Project& p, JobControl* job, bool undo) {
  if (Status s = undo ? p.undo(job) : p.redo(job); !s) return reportError(s);
  std::printf("%s done: %u slots\n", undo ? "undo" : "redo",
              p.memory().classifier().memory().vectorCount());
  return 0;
}

int runEdit(Project& p, JobControl* job, const EditArgs& args) {
  auto edit = editFrom(args, p.memory().corpus().vocab);
  if (!edit) return reportError(edit.status());
  auto preview = p.preview(*edit, job);
  if (!preview) return reportError(preview.status());
  printChanges(p, *preview);
  if (args.preview) return 0;
  if (Status s = p.commit(std::move(*preview)); !s) return reportError(s);
  std::printf("committed\n");
  return 0;
}

int runPrune(Project& p, JobControl* job, const PruneArgs& args) {
  PruneOptions options = args.options;
  options.neighbours = options.mergeNeighbours =
      args.k.value_or(options.strategy == PruneStrategy::kMerge ? 1 : 3);
  auto report = p.prune(options, job);
  if (!report) return reportError(report.status());
  if (auto run = p.recordRun(job); !run) return reportError(run.status());
  std::printf("strategy\tslots\taccuracy\tperplexity\n");
  std::printf("%s\t%u -> %u\t%.4f -> %.4f\t%.2f -> %.2f\n",
              report->edit.note.empty() ? std::string(optionLabel(options.strategy)).c_str()
                                        : report->edit.note.c_str(),
              report->slotsBefore, report->slotsAfter, report->before.accuracy(),
              report->after.accuracy(), report->before.perplexity(), report->after.perplexity());
  return 0;
}

// A command on an existing project FILE: `run` gets the project opened.
CLI::App* addOnProject(CLI::App& project, CommandRuns& runs, const std::string& name,
                       const std::string& description,
                       std::function<int(Project&, JobControl*)> run) {
  CLI::App* command = project.add_subcommand(name, description);
  auto file = std::make_shared<std::string>();
  command->add_option("FILE", *file, "the .memlens project")->required();
  runs[command] = [file, run = std::move(run)] {
    auto job = makeTerminalProgress();
    auto opened = Project::open(*file, job.get());
    if (!opened) return reportError(opened.status());
    return run(**opened, job.get());
  };
  return command;
}

void addEditOptions(CLI::App& edit, EditArgs& args) {
  CLI::Option_group* what = edit.add_option_group("Edits", "exactly one");
  what->require_option(1);
  // An edit option records its kind and stores its value where that kind takes it.
  const auto add = [what, &args]<typename T>(const char* name, EditKind kind, T& value,
                                             const char* valueName, const char* description) {
    return what
        ->add_option_function<T>(
            name,
            [&args, &value, name, kind](const T& given) {
              args.option = name;
              args.edit.kind = kind;
              value = given;
            },
            description)
        ->type_name(valueName);
  };
  add("--delete-instance", EditKind::kDeleteInstance, args.edit.source, "SRC",
      "delete the instance made at source SRC (token index)");
  add("--restore-instance", EditKind::kRestoreInstance, args.edit.source, "SRC",
      "restore a deleted instance");
  add("--relabel-instance", EditKind::kRelabelInstance, args.edit.source, "SRC",
      "give an instance --class TOKEN");
  add("--delete-vector", EditKind::kDeleteVector, args.context, "CONTEXT",
      "delete the stored vector of this context (farthest token first, _ pads)");
  add("--restore-vector", EditKind::kRestoreVector, args.context, "CONTEXT",
      "restore a deleted stored vector");
  add("--relabel-vector", EditKind::kRelabelVector, args.context, "CONTEXT",
      "give a stored vector --class TOKEN");
  add("--insert", EditKind::kInsertInstance, args.context, "CONTEXT",
      "insert an instance of this context, --class TOKEN");
  add("--remove-document", EditKind::kRemoveDocument, args.edit.document, "N",
      "remove document N's instances")
      ->check(CLI::Range(0, kMaxWhole));
  add("--restore-document", EditKind::kRestoreDocument, args.edit.document, "N",
      "restore a removed document")
      ->check(CLI::Range(0, kMaxWhole));
  edit.add_option("--class", args.classToken, "the class of a relabel or insert")
      ->type_name("TOKEN");
  edit.add_flag("--preview", args.preview, "show what changes, commit nothing");
}

void addPruneOptions(CLI::App& prune, PruneArgs& args) {
  PruneOptions& o = args.options;
  addEnumOption(prune, "--strategy", o.strategy, "what to prune")->required()->default_str("");
  prune.add_option("--min-count", o.minCount, "count: keep slots seen this often")
      ->check(CLI::Range(1, kMaxWhole));
  prune.add_option("--keep", o.keepFraction, "random: the share of slots kept")
      ->check(numberRange(0.0, 1.0));
  prune.add_option("--seed", o.seed, "random: the seed")->check(CLI::Range(0, kMaxWhole));
  prune.add_option("--document", o.document, "document: the document pruned")
      ->check(CLI::Range(0, kMaxWhole));
  prune
      .add_option("--instances", o.instances,
                  "prefix: the first instances kept (corpus order), the memory as it was then")
      ->check(CLI::Range(1, kMaxWhole));
  prune.add_option("-k", args.k, "distance buckets: wilson's (default 3), merge's (default 1)")
      ->check(CLI::Range(1, 100));
}

}  // namespace

void addProjectCommand(CLI::App& app, CommandRuns& runs) {
  CLI::App* project =
      app.add_subcommand("project", "Create, edit, prune and inspect .memlens projects");

  auto create = std::make_shared<CreateArgs>();
  CLI::App* createCommand =
      project->add_subcommand("create", "Train a memory on the corpus and save it as a project");
  createCommand->add_option("FILE", create->file, "the .memlens project to write")->required();
  create->corpus.addTo(*createCommand, false);
  addExperimentOptions(*createCommand, create->options.experiment);
  create->files.addMemoryOption(*createCommand);
  create->files.addSaveOption(*createCommand);
  createCommand->add_flag("--keep-weights", create->options.keepTrainedWeights,
                          "edited memories keep the trained feature weights (default: recomputed)");
  runs[createCommand] = [createCommand, create] { return runCreate(*createCommand, *create); };

  addOnProject(*project, runs, "info", "Print the options, corpus, sizes and journal",
               [](Project& p, JobControl*) { return runInfo(p); });
  addOnProject(*project, runs, "runs", "Print the recorded runs",
               [](Project& p, JobControl*) { return runRuns(p); });
  addOnProject(*project, runs, "undo", "Undo the last edit",
               [](Project& p, JobControl* job) { return runUndoRedo(p, job, true); });
  addOnProject(*project, runs, "redo", "Redo the last undone edit",
               [](Project& p, JobControl* job) { return runUndoRedo(p, job, false); });
  auto edit = std::make_shared<EditArgs>();
  addEditOptions(
      *addOnProject(*project, runs, "edit", "Preview and commit one edit of the memory",
                    [edit](Project& p, JobControl* job) { return runEdit(p, job, *edit); }),
      *edit);
  auto prune = std::make_shared<PruneArgs>();
  addPruneOptions(
      *addOnProject(*project, runs, "prune", "Prune the memory and record a run",
                    [prune](Project& p, JobControl* job) { return runPrune(p, job, *prune); }),
      *prune);
  // After the commands were added, so that they do not inherit it.
  project->footer(
      "A .memlens project is a trained memory (kept beside it in a .mlm memory file) with its\n"
      "corpus, its options and an edit journal. Edits show the probe tokens whose prediction\n"
      "changes; prune strategies report slots, accuracy and perplexity before and after.");
}

}  // namespace memlens::cli
