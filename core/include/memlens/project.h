#pragma once

#include <memory>
#include <string>
#include <vector>

#include "memlens/edit_session.h"
#include "memlens/edited_memory.h"
#include "memlens/experiment.h"
#include "memlens/kneser_ney_model.h"
#include "memlens/project_journal.h"
#include "memlens/project_options.h"
#include "memlens/project_store.h"
#include "memlens/pruning.h"

namespace memlens {

// A .memlens project: corpus references (path, size, SHA-256), options and an edit journal in
// one ProjectStore file, the trained memory in a memory file beside it (memoryPath()), and the
// edited memory they determine. Opening reads the memory file instead of training (when it is
// missing, damaged or made from other options, it trains as the project was made) and applies
// the journal's edits in effect, so it predicts exactly as before; a corpus file that changed
// since (hash mismatch) is refused and the project left untouched.
// Every edit, pruning, undo and redo is one journal transaction, written before the call
// returns. The probe set is the test part of the split, the usage census runs on validation.
// With ProjectOptions::keepTrainedWeights the memory's feature weights are those of the unedited
// training set, recomputed from it on open, so they stay what they were before any edit.
// Only count-vote memories (IB1, IGTree, TRIBL2).
// Not thread-safe: one thread at a time.
class Project {
 public:
  // What save() writes: a memory as a project holds it.
  struct Contents {
    std::vector<ProjectCorpusFile> corpus;
    ProjectOptions options;
    ProjectJournal::Edits edits;    // as EditedMemory::edits() and undone() hold them
    std::vector<std::string> runs;  // the window's runs (RunRecord::toJson()), oldest first
  };

  // Creates `path` (which must not exist) for the corpus `paths`, trains and tunes β.
  static Result<std::unique_ptr<Project>> create(const std::string& path,
                                                 const std::vector<std::string>& paths,
                                                 ProjectOptions options, JobControl* job = nullptr);
  // As create(), from a memory file (saveMemory()) instead of training: the corpus and options
  // are the memory's (its corpus files must be present and unchanged); the file, checked in full
  // (verifyMemory(): a damaged one is refused), is linked (or written) beside the project.
  static Result<std::unique_ptr<Project>> createFromMemory(const std::string& path,
                                                           const std::string& memoryFile,
                                                           bool keepTrainedWeights,
                                                           JobControl* job = nullptr);
  // Opens the project at `path` from its memory file, checked in full (verifyMemory()); without
  // a usable one (damaged, made from other options or text, or none) it trains as it was made.
  static Result<std::unique_ptr<Project>> open(const std::string& path, JobControl* job = nullptr);
  // Where the project at `path` keeps its trained memory: beside it, "x.memlens" -> "x.mlm".
  static std::string memoryPath(const std::string& path);
  // The trained, unedited memory of the project at `path` from its memory file, when that file
  // is there and was made from `corpus` (unchanged, text attached) with `options`; else an error
  // saying why it cannot be used (the caller then trains). Never retrains.
  static Result<std::shared_ptr<const Experiment>> openMemory(
      const std::string& path, const std::vector<ProjectCorpusFile>& corpus,
      const ProjectOptions& options, JobControl* job = nullptr);
  // Writes `contents` as a project (nothing is trained: open() rebuilds the memory) to a new
  // file beside `path` and renames it to `path` once complete, so a failure (a full disk, say)
  // leaves whatever was at `path` as it was. `path` must not be open in a ProjectStore.
  static Status save(const std::string& path, const Contents& contents);
  // The options a project's store holds; a missing or unreadable entry is a corrupt project.
  static Result<ProjectOptions> readOptions(ProjectStore& store);
  // Whether `corpus` is byte for byte the one `stored` describes; else an error naming the file.
  static Status checkCorpus(const std::vector<ProjectCorpusFile>& stored, const Corpus& corpus);
  Project(const Project&) = delete;
  Project& operator=(const Project&) = delete;
  ~Project();

  const ProjectOptions& options() const { return options_; }
  const EditedMemory& memory() const { return session_->edited(); }
  const InstanceSet& validation() const { return experiment_->validation(); }
  // The trained memory before any edit, with its split, base model and tuning.
  const Experiment& experiment() const { return *experiment_; }
  ProjectStore& store() { return *store_; }

  Result<EditedMemory::Preview> preview(const MemoryEdit& edit, JobControl* job = nullptr) const {
    return session_->preview(edit, job);
  }
  // Commits the preview and journals it.
  Status commit(EditedMemory::Preview preview);
  // Plans, applies and journals one pruning (census on validation); metrics on the probe set. A
  // count-threshold one readies the memory first (EditSession::prepareCountDrag()), so that under
  // kept weights it masks the edited memory's stored vectors instead of retraining.
  Result<PruneReport> prune(const PruneOptions& options, JobControl* job = nullptr);
  Status undo(JobControl* job = nullptr);
  Status redo(JobControl* job = nullptr);

  // The current memory on the probe set, smoothed with the project's base model and β.
  Result<Metrics> probeMetrics(JobControl* job = nullptr) const;
  // Evaluates the current memory and stores a run (JSON) in the project.
  Result<int64_t> recordRun(JobControl* job = nullptr);

 private:
  Project() = default;
  // A new project's store filled from `experiment`, its memory.
  static Result<std::unique_ptr<Project>> populate(std::unique_ptr<ProjectStore> store,
                                                   std::shared_ptr<const Experiment> experiment,
                                                   ProjectOptions options, JobControl* job);
  static Result<std::unique_ptr<Project>> build(std::unique_ptr<ProjectStore> store,
                                                std::shared_ptr<const Experiment> experiment,
                                                ProjectOptions options, JobControl* job);

  std::unique_ptr<ProjectStore> store_;
  ProjectOptions options_;
  std::shared_ptr<const Experiment> experiment_;
  std::unique_ptr<EditSession> session_;
  ProjectJournal journal_{nullptr};
};

}  // namespace memlens
