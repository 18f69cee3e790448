#include "memlens/project.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "memlens/json_writer.h"
#include "memlens/memory_file.h"
#include "memlens/option_names.h"

namespace memlens {
namespace {

constexpr const char* kOptionsKey = "options";

void removeProjectFiles(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
}

}  // namespace

Project::~Project() = default;

// The corpus must be byte for byte what the project was made from, or the journal's sources
// would name other tokens.
Status Project::checkCorpus(const std::vector<ProjectCorpusFile>& stored, const Corpus& corpus) {
  const auto now = RunRecord::describeCorpus(corpus);
  if (now.size() != stored.size())
    return Status::invalidArgument("the corpus now has " + std::to_string(now.size()) +
                                   " files, the project was made from " +
                                   std::to_string(stored.size()) + "; nothing was changed");
  for (size_t i = 0; i < now.size(); ++i) {
    if (now[i].sha256 != stored[i].sha256)
      return Status::invalidArgument(stored[i].path +
                                     " changed since the project was made (SHA-256 differs); "
                                     "restore the original file; nothing was changed");
  }
  return Status::ok();
}

Result<ProjectOptions> Project::readOptions(ProjectStore& store) {
  auto text = store.setting(kOptionsKey);
  if (!text) return text.status();
  if (!*text)
    return Status::corrupt(store.path() + ": the project has no options (an unfinished create?)");
  auto options = ProjectOptions::parse(**text);
  if (!options) return Status::corrupt(store.path() + ": " + options.status().message());
  return options;
}

Status Project::save(const std::string& path, const Contents& contents) {
  if (contents.options.experiment.classifier.algorithm == Algorithm::kVectorMemory)
    return Status::invalidArgument(
        "projects hold IB1, IGTree or TRIBL2 memories, not the vector memory");
  const std::string part = path + ".saving";
  removeProjectFiles(part);  // left by a save that crashed
  Status written = [&]() -> Status {
    auto store = ProjectStore::create(part);
    if (!store) return store.status();
    if (Status s = (*store)->setCorpus(contents.corpus); !s) return s;
    if (Status s = (*store)->setSetting(kOptionsKey, contents.options.toText()); !s) return s;
    // Appending ends the redo history, so every edit goes in first, in the order they were made,
    // and the undone ones are marked after.
    std::vector<int64_t> undoneSeqs;
    for (const MemoryEdit& e : contents.edits.active)
      if (auto seq = (*store)->appendJournal(e.kindName(), e.payload()); !seq) return seq.status();
    for (auto e = contents.edits.undone.rbegin(); e != contents.edits.undone.rend(); ++e) {
      auto seq = (*store)->appendJournal(e->kindName(), e->payload());
      if (!seq) return seq.status();
      undoneSeqs.push_back(*seq);
    }
    for (int64_t seq : undoneSeqs)
      if (Status s = (*store)->setUndone(seq, true); !s) return s;
    for (const std::string& run : contents.runs)
      if (auto id = (*store)->addRun(RunKind::kWindow, run); !id) return id.status();
    return Status::ok();
  }();  // the store is closed here, its write-ahead log folded into the file
  if (!written) {
    removeProjectFiles(part);
    return written;
  }
  // A log left beside `path` by a crashed session belongs to the file being replaced.
  for (const char* suffix : {"-wal", "-shm"}) std::remove((path + suffix).c_str());
  if (std::rename(part.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    removeProjectFiles(part);
    return Status::ioError(path + ": could not replace it with the saved project: " + why);
  }
  return Status::ok();
}

Result<std::unique_ptr<Project>> Project::create(const std::string& path,
                                                 const std::vector<std::string>& paths,
                                                 ProjectOptions options, JobControl* job) {
  if (options.experiment.classifier.algorithm == Algorithm::kVectorMemory)
    return Status::invalidArgument(
        "projects hold IB1, IGTree or TRIBL2 memories, not the vector memory");
  auto corpus = TokenisedCorpus::load(paths, options.tokeniser, {}, job);
  if (!corpus) return corpus.status();
  auto store = ProjectStore::create(path);  // before training: a path in use is refused at once
  if (!store) return store.status();
  const std::string memory = memoryPath(path);
  // Nothing half-made stays behind: a failed or cancelled create removes the files.
  auto project = [&]() -> Result<std::unique_ptr<Project>> {
    auto experiment = Experiment::trained(std::move(*corpus), options.experiment, job);
    if (!experiment) return experiment.status();
    if (Status s = saveMemory(**experiment, memory, job); !s) return s;
    return populate(std::move(*store), std::move(*experiment), std::move(options), job);
  }();
  if (!project) {
    removeProjectFiles(path);
    std::remove(memory.c_str());
  }
  return project;
}

Result<std::unique_ptr<Project>> Project::createFromMemory(const std::string& path,
                                                           const std::string& memoryFile,
                                                           bool keepTrainedWeights,
                                                           JobControl* job) {
  auto experiment = memlens::openMemory(memoryFile, MemoryOpenOptions{}, job);
  if (!experiment) return experiment.status();
  // Damage that opening leaves to the first reads would be the project's from now on.
  if (Status s = verifyMemory(memoryFile, job); !s) return s;
  const RunRecord& r = (*experiment)->record();
  if (r.options.classifier.algorithm == Algorithm::kVectorMemory)
    return Status::invalidArgument(
        "projects hold IB1, IGTree or TRIBL2 memories, not the vector memory");
  const Corpus& texts = *(*experiment)->corpus().corpus;
  for (size_t i = 0; i < texts.documentCount(); ++i)
    if (!texts.document(i).textAvailable)
      return Status::invalidArgument("a project needs the corpus its memory was trained on: " +
                                     texts.document(i).textMissing);
  auto store = ProjectStore::create(path);
  if (!store) return store.status();
  const std::string memory = memoryPath(path);
  auto project = [&]() -> Result<std::unique_ptr<Project>> {
    // The file as it is, linked when the file system allows; else written again.
    std::error_code error;
    std::filesystem::remove(memory, error);
    std::filesystem::create_hard_link(memoryFile, memory, error);
    if (error)
      if (Status s = saveMemory(**experiment, memory, job); !s) return s;
    ProjectOptions options;
    options.tokeniser = r.tokeniser;
    options.experiment = r.options;
    options.keepTrainedWeights = keepTrainedWeights;
    return populate(std::move(*store), std::move(*experiment), std::move(options), job);
  }();
  if (!project) {
    removeProjectFiles(path);
    std::remove(memory.c_str());
  }
  return project;
}

Result<std::unique_ptr<Project>> Project::populate(std::unique_ptr<ProjectStore> store,
                                                   std::shared_ptr<const Experiment> experiment,
                                                   ProjectOptions options, JobControl* job) {
  std::vector<ProjectCorpusFile> files;
  for (const RunRecord::CorpusFile& f : experiment->record().corpus)
    files.push_back({f.path, f.bytes, f.sha256, std::nullopt});
  if (Status s = store->setCorpus(files); !s) return s;
  // β as tuned on validation when the memory was trained.
  options.smoothingBeta = experiment->record().smoothingBeta;
  auto p = build(std::move(store), std::move(experiment), std::move(options), job);
  if (!p) return p;
  if (Status s = (*p)->store_->setSetting(kOptionsKey, (*p)->options_.toText()); !s) return s;
  return p;
}

std::string Project::memoryPath(const std::string& path) {
  constexpr std::string_view kSuffix = ".memlens";
  const bool suffixed = path.size() > kSuffix.size() && path.ends_with(kSuffix);
  return (suffixed ? path.substr(0, path.size() - kSuffix.size()) : path) + ".mlm";
}

Result<std::shared_ptr<const Experiment>> Project::openMemory(
    const std::string& path, const std::vector<ProjectCorpusFile>& corpus,
    const ProjectOptions& options, JobControl* job) {
  const std::string file = memoryPath(path);
  auto experiment = memlens::openMemory(file, MemoryOpenOptions{}, job);
  if (!experiment) return experiment.status();
  const RunRecord& r = (*experiment)->record();
  // The options as the project would train with them, against those the memory was made with.
  ProjectOptions made = options;
  made.tokeniser = r.tokeniser;
  made.experiment = r.options;
  made.experiment.ngramOrder = options.experiment.ngramOrder;
  if (made.toText() != options.toText() ||
      r.options.ngramOrder !=
          std::min(options.experiment.ngramOrder, options.experiment.window.width + 1))
    return Status::invalidArgument(file + " was made with other options than the project's");
  if (r.corpus.size() != corpus.size())
    return Status::invalidArgument(file + " was made from another corpus than the project's");
  const Corpus& texts = *(*experiment)->corpus().corpus;
  for (size_t i = 0; i < corpus.size(); ++i) {
    if (r.corpus[i].sha256 != corpus[i].sha256)
      return Status::invalidArgument(file + " was made from another corpus than the project's");
    if (!texts.document(i).textAvailable) return Status::notFound(texts.document(i).textMissing);
  }
  return experiment;
}

Result<std::unique_ptr<Project>> Project::open(const std::string& path, JobControl* job) {
  auto store = ProjectStore::open(path);
  if (!store) return store.status();
  auto options = readOptions(**store);
  if (!options) return options.status();
  auto files = (*store)->corpus();
  if (!files) return files.status();
  auto saved = openMemory(path, *files, *options, job);
  // Opening leaves the big sections' checks to their first reads, where damage reads as a safe
  // stand-in (wrong answers): made here, so that a damaged file is not used.
  if (saved)
    if (Status s = verifyMemory(memoryPath(path), job); !s) saved = s;
  if (saved) return build(std::move(*store), std::move(*saved), std::move(*options), job);
  if (saved.status().isCancelled()) return saved.status();
  // No usable memory file (made before memory files, deleted, damaged, or the corpus changed):
  // train as the project was made; the corpus must be the project's.
  std::vector<std::string> paths;
  for (const ProjectCorpusFile& f : *files) paths.push_back(f.path);
  auto corpus = TokenisedCorpus::load(paths, options->tokeniser, {}, job);
  if (!corpus) return corpus.status();
  if (Status s = checkCorpus(*files, *(*corpus)->corpus); !s)
    return Status::invalidArgument(path + ": " + s.message());
  auto experiment = Experiment::trained(std::move(*corpus), options->experiment, job);
  if (!experiment) return experiment.status();
  return build(std::move(*store), std::move(*experiment), std::move(*options), job);
}

Result<std::unique_ptr<Project>> Project::build(std::unique_ptr<ProjectStore> store,
                                                std::shared_ptr<const Experiment> experiment,
                                                ProjectOptions options, JobControl* job) {
  std::unique_ptr<Project> p(new Project());
  p->store_ = std::move(store);
  p->options_ = std::move(options);
  p->experiment_ = std::move(experiment);
  p->journal_ = ProjectJournal(p->store_.get());
  auto edits = p->journal_.read();
  if (!edits) return edits.status();
  const InstanceSet& probe = p->experiment_->test();
  auto session = EditSession::open(
      p->experiment_, probe,
      {p->options_.keepTrainedWeights, std::move(edits->active), std::move(edits->undone)}, job);
  if (!session) return session.status();
  p->session_ = std::move(*session);
  return p;
}

Status Project::commit(EditedMemory::Preview preview) {
  auto change = session_->commit(std::move(preview), &journal_);
  return change ? Status::ok() : change.status();
}

Result<PruneReport> Project::prune(const PruneOptions& options, JobControl* job) {
  auto before = probeMetrics(job);
  if (!before) return before.status();
  // After edits under kept weights (IB1), a count-threshold prune is answered from the edited
  // memory's stored vectors masked once that memory is its own base, as the Memory tab's drag is;
  // else planning it lists the edited memory and its preview retrains (minutes at 100M).
  if (options.strategy == PruneStrategy::kCountThreshold)
    if (Status s = session_->prepareCountDrag(job); !s) return s;
  auto edit = session_->planPrune(options, job);
  if (!edit) return edit.status();
  auto preview = session_->preview(*edit, job);
  if (!preview) return preview.status();
  PruneReport report;
  report.edit = *edit;
  report.slotsBefore = preview->slotsBefore;
  report.slotsAfter = preview->slotsAfter;
  report.before = *before;
  if (Status s = commit(std::move(*preview)); !s) return s;
  // Committed: the measurement after it runs to the end (cancel applies to the pruning itself).
  auto after = probeMetrics(nullptr);
  if (!after) return after.status();
  report.after = *after;
  return report;
}

Status Project::undo(JobControl* job) {
  auto change = session_->undo(&journal_, job);
  return change ? Status::ok() : change.status();
}

Status Project::redo(JobControl* job) {
  auto change = session_->redo(&journal_, job);
  return change ? Status::ok() : change.status();
}

Result<Metrics> Project::probeMetrics(JobControl* job) const {
  const MemorySmoother smoother(experiment_->base(), options_.smoothingBeta);
  auto report = evaluate(memory().classifier(), smoother, memory().probe(),
                         experiment_->trainClassCounts(), nullptr, job);
  if (!report) return report.status();
  return report->overall;
}

Result<int64_t> Project::recordRun(JobControl* job) {
  auto metrics = probeMetrics(job);
  if (!metrics) return metrics.status();
  const ClassifierOptions& c = options_.experiment.classifier;
  JsonWriter json;
  json.beginObject()
      .field("model", optionLabel(c.algorithm))
      .field("k", c.k)
      .field("weighting", optionLabel(c.weighting))
      .field("width", options_.experiment.window.width)
      .field("edits", static_cast<uint64_t>(memory().edits().size()))
      .field("weightsAfterEdits", options_.keepTrainedWeights ? "kept" : "recomputed")
      .field("instances", static_cast<uint64_t>(memory().instances().size()))
      .field("storedVectors", memory().classifier().memory().vectorCount())
      .field("smoothingBeta", options_.smoothingBeta)
      .field("probeTokens", metrics->tokens)
      .field("accuracy", metrics->accuracy())
      .field("perplexity", metrics->perplexity())
      .field("crossEntropyBits", metrics->crossEntropyBits());
  return store_->addRun(RunKind::kProbe, json.endObject().str());
}

}  // namespace memlens
