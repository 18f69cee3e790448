#pragma once

#include <QString>
#include <memory>
#include <mutex>
#include <vector>

#include "memlens/edit_journal.h"
#include "memlens/project_journal.h"
#include "memlens/project_options.h"
#include "memlens/project_store.h"
#include "memlens/run_record.h"

namespace memlens::gui {

// The .memlens project the window has open: its options and corpus references as read at open,
// and its store, in which the Memory tab's worker journals each commit, undo and redo as it
// happens (so a committed edit survives a crash). Every store call holds the one mutex, so the
// window's thread and the memory's worker may both use it.
class ProjectFile : public EditJournal {
 public:
  static Result<std::shared_ptr<ProjectFile>> open(const QString& path);

  const QString& path() const { return path_; }
  const ProjectOptions& options() const { return options_; }
  const std::vector<ProjectCorpusFile>& corpus() const { return corpus_; }

  // The journal's edits, to rebuild the memory from; also what later records are counted from.
  Result<ProjectJournal::Edits> readEdits();
  Status recordCommit(const MemoryEdit& edit) override;
  Status recordUndo() override;
  Status recordRedo() override;
  // Stores a training run of the window (RunRecord::toJson()).
  Status addRun(const std::string& recordJson);
  // The window's runs stored in the file, oldest first; one it cannot read is an error naming
  // it. memlens-cli's probe summaries (a shape of their own) are only counted, in `cliRuns`.
  Result<std::vector<RunRecord>> readRuns(size_t* cliRuns);

 private:
  ProjectFile(QString path, std::unique_ptr<ProjectStore> store);

  QString path_;
  ProjectOptions options_;
  std::vector<ProjectCorpusFile> corpus_;
  std::mutex mutex_;
  std::unique_ptr<ProjectStore> store_;
  ProjectJournal journal_;
};

}  // namespace memlens::gui
