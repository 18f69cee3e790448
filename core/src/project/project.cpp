#include "memlens/project.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "base/release_if_cancelled.h"
#include "memlens/data_split.h"
#include "memlens/instance_builder.h"
#include "memlens/json_writer.h"

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
      if (auto id = (*store)->addRun(run); !id) return id.status();
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
  auto store = ProjectStore::create(path);
  if (!store) return store.status();
  // Nothing half-made stays behind: a failed or cancelled create removes the file.
  auto project = [&]() -> Result<std::unique_ptr<Project>> {
    std::vector<ProjectCorpusFile> files;
    for (const auto& f : RunRecord::describeCorpus(*(*corpus)->corpus))
      files.push_back({f.path, f.bytes, f.sha256, std::nullopt});
    if (Status s = (*store)->setCorpus(files); !s) return s;
    auto p = build(std::move(*store), std::move(*corpus), std::move(options), true, job);
    if (!p) return p;
    if (Status s = (*p)->store_->setSetting(kOptionsKey, (*p)->options_.toText()); !s) return s;
    return p;
  }();
  if (!project) removeProjectFiles(path);
  return project;
}

Result<std::unique_ptr<Project>> Project::open(const std::string& path, JobControl* job) {
  auto store = ProjectStore::open(path);
  if (!store) return store.status();
  auto options = readOptions(**store);
  if (!options) return options.status();
  auto files = (*store)->corpus();
  if (!files) return files.status();
  std::vector<std::string> paths;
  for (const ProjectCorpusFile& f : *files) paths.push_back(f.path);
  auto corpus = TokenisedCorpus::load(paths, options->tokeniser, {}, job);
  if (!corpus) return corpus.status();
  if (Status s = checkCorpus(*files, *(*corpus)->corpus); !s)
    return Status::invalidArgument(path + ": " + s.message());
  return build(std::move(*store), std::move(*corpus), std::move(*options), false, job);
}

Result<std::unique_ptr<Project>> Project::build(std::unique_ptr<ProjectStore> store,
                                                std::shared_ptr<TokenisedCorpus> corpus,
                                                ProjectOptions options, bool tuneBeta,
                                                JobControl* job) {
  std::unique_ptr<Project> p(new Project());
  InstanceSet all, train, probe;
  ReleaseIfCancelled release(job, p, all, train, probe);
  p->store_ = std::move(store);
  p->options_ = std::move(options);
  const ExperimentOptions& x = p->options_.experiment;
  auto split = DataSplit::make(corpus->tokens, x.split);
  if (!split) return split.status();
  auto instances = buildInstances(corpus->tokens, corpus->paddingId, x.window, job);
  if (!instances) return instances.status();
  all = std::move(*instances);
  train = split->select(all, corpus->tokens, SplitPart::kTrain, job);
  p->validation_ = split->select(all, corpus->tokens, SplitPart::kValidation, job);
  probe = split->select(all, corpus->tokens, SplitPart::kTest, job);
  if (cancelRequested(job)) return Status::cancelled();
  releaseInBackground(std::move(all));  // not needed past the split (3 GB at 100M instances)
  if (x.maxTestTokens > 0 && probe.size() > x.maxTestTokens)
    probe = probe.slice(0, x.maxTestTokens);
  if (train.size() == 0) return Status::invalidArgument("the train part of the split is empty");

  KneserNeyOptions kn;
  kn.order = std::min(x.ngramOrder, x.window.width + 1);
  auto base = KneserNeyModel::train(train, corpus->vocab.size(), kn, job);
  if (!base) return base.status();
  p->base_ = std::move(*base);
  p->trainClassCounts_.assign(corpus->vocab.size(), 0);
  for (uint32_t c : train.classes) ++p->trainClassCounts_[c];

  p->journal_ = ProjectJournal(p->store_.get());
  auto edits = p->journal_.read();
  if (!edits) return edits.status();
  ClassifierOptions classifier = x.classifier;
  if (p->options_.keepTrainedWeights) {
    auto weights = EditedMemory::trainedWeights(train, classifier, job);
    if (!weights) return weights.status();
    classifier.fixedWeights = std::move(*weights);
  }
  auto memory =
      EditedMemory::create(std::move(corpus), std::move(train), std::move(probe), classifier,
                           std::move(edits->active), std::move(edits->undone), job);
  if (!memory) return memory.status();
  p->memory_ = std::move(*memory);
  if (tuneBeta && p->validation_.size() > 0) {
    auto beta = tuneSmoothing(p->memory_->classifier(), *p->base_, p->validation_, job);
    if (!beta) return beta.status();
    p->options_.smoothingBeta = *beta;
  }
  return p;
}

Status Project::commit(EditedMemory::Preview preview) {
  const MemoryEdit edit = preview.edit;
  if (Status s = memory_->commit(std::move(preview)); !s) return s;
  if (Status s = journal_.recordCommit(edit); !s) {
    memory_->undo();  // keep the memory what the file says
    return s;
  }
  return Status::ok();
}

Result<PruneReport> Project::prune(const PruneOptions& options, JobControl* job) {
  PruneOptions o = options;
  o.census = &validation_;
  auto before = probeMetrics(job);
  if (!before) return before.status();
  auto edit = planPrune(*memory_, o, job);
  if (!edit) return edit.status();
  auto preview = memory_->preview(*edit, job);
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

Status Project::undo(JobControl* job) { return step(true, job); }
Status Project::redo(JobControl* job) { return step(false, job); }

// The memory first, then the file; the memory is put back if the file cannot be written.
Status Project::step(bool undo, JobControl* job) {
  if (Status s = undo ? memory_->undo(job) : memory_->redo(job); !s) return s;
  if (Status s = undo ? journal_.recordUndo() : journal_.recordRedo(); !s) {
    if (undo)
      memory_->redo();
    else
      memory_->undo();
    return s;
  }
  return Status::ok();
}

Result<Metrics> Project::probeMetrics(JobControl* job) const {
  const MemorySmoother smoother(*base_, options_.smoothingBeta);
  auto report =
      evaluate(memory_->classifier(), smoother, memory_->probe(), trainClassCounts_, nullptr, job);
  if (!report) return report.status();
  return report->overall;
}

Result<int64_t> Project::recordRun(JobControl* job) {
  auto metrics = probeMetrics(job);
  if (!metrics) return metrics.status();
  const ClassifierOptions& c = options_.experiment.classifier;
  JsonWriter json;
  json.beginObject()
      .field("model", algorithmName(c.algorithm))
      .field("k", c.k)
      .field("weighting", weightingName(c.weighting))
      .field("width", options_.experiment.window.width)
      .field("edits", static_cast<uint64_t>(memory_->edits().size()))
      .field("weightsAfterEdits", options_.keepTrainedWeights ? "kept" : "recomputed")
      .field("instances", static_cast<uint64_t>(memory_->instances().size()))
      .field("storedVectors", memory_->classifier().memory().vectorCount())
      .field("smoothingBeta", options_.smoothingBeta)
      .field("probeTokens", metrics->tokens)
      .field("accuracy", metrics->accuracy())
      .field("perplexity", metrics->perplexity())
      .field("crossEntropyBits", metrics->crossEntropyBits());
  return store_->addRun(json.endObject().str());
}

}  // namespace memlens
