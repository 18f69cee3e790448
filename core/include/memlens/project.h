#pragma once

#include <memory>
#include <string>
#include <vector>

#include "memlens/edited_memory.h"
#include "memlens/kneser_ney_model.h"
#include "memlens/project_journal.h"
#include "memlens/project_options.h"
#include "memlens/project_store.h"
#include "memlens/pruning.h"

namespace memlens {

// A .memlens project: corpus references (path, size, SHA-256), options and an edit journal in
// one ProjectStore file, and the edited memory they determine. Opening rebuilds the memory from
// the corpus, the options and the journal's edits in effect, so it predicts exactly as before;
// a corpus file that changed since (hash mismatch) is refused and the project left untouched.
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
    std::vector<std::string> runs;  // RunRecord::toJson(), oldest first
  };

  // Creates `path` (which must not exist) for the corpus `paths`, trains and tunes β.
  static Result<std::unique_ptr<Project>> create(const std::string& path,
                                                 const std::vector<std::string>& paths,
                                                 ProjectOptions options, JobControl* job = nullptr);
  static Result<std::unique_ptr<Project>> open(const std::string& path, JobControl* job = nullptr);
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
  const EditedMemory& memory() const { return *memory_; }
  const InstanceSet& validation() const { return validation_; }
  ProjectStore& store() { return *store_; }

  Result<EditedMemory::Preview> preview(const MemoryEdit& edit, JobControl* job = nullptr) const {
    return memory_->preview(edit, job);
  }
  // Commits the preview and journals it.
  Status commit(EditedMemory::Preview preview);
  // Plans, applies and journals one pruning (census on validation); metrics on the probe set.
  Result<PruneReport> prune(const PruneOptions& options, JobControl* job = nullptr);
  Status undo(JobControl* job = nullptr);
  Status redo(JobControl* job = nullptr);

  // The current memory on the probe set, smoothed with the project's base model and β.
  Result<Metrics> probeMetrics(JobControl* job = nullptr) const;
  // Evaluates the current memory and stores a run (JSON) in the project.
  Result<int64_t> recordRun(JobControl* job = nullptr);

 private:
  Project() = default;
  static Result<std::unique_ptr<Project>> build(std::unique_ptr<ProjectStore> store,
                                                std::shared_ptr<TokenisedCorpus> corpus,
                                                ProjectOptions options, bool tuneBeta,
                                                JobControl* job);
  Status step(bool undo, JobControl* job);

  std::unique_ptr<ProjectStore> store_;
  ProjectOptions options_;
  InstanceSet validation_;
  std::unique_ptr<KneserNeyModel> base_;
  std::vector<uint64_t> trainClassCounts_;
  std::unique_ptr<EditedMemory> memory_;
  ProjectJournal journal_{nullptr};
};

}  // namespace memlens
