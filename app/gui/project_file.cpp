#include "project_file.h"

#include <QFile>

#include "memlens/project.h"

namespace memlens::gui {

ProjectFile::ProjectFile(QString path, std::unique_ptr<ProjectStore> store)
    : path_(std::move(path)), store_(std::move(store)), journal_(store_.get()) {}

Result<std::shared_ptr<ProjectFile>> ProjectFile::open(const QString& path) {
  auto store = ProjectStore::open(QFile::encodeName(path).toStdString());
  if (!store) return store.status();
  auto options = Project::readOptions(**store);
  if (!options) return options.status();
  auto corpus = (*store)->corpus();
  if (!corpus) return corpus.status();
  std::shared_ptr<ProjectFile> file(new ProjectFile(path, std::move(*store)));
  file->options_ = std::move(*options);
  file->corpus_ = std::move(*corpus);
  return file;
}

Result<ProjectJournal::Edits> ProjectFile::readEdits() {
  const std::lock_guard lock(mutex_);
  return journal_.read();
}

Status ProjectFile::recordCommit(const MemoryEdit& edit) {
  const std::lock_guard lock(mutex_);
  return journal_.recordCommit(edit);
}

Status ProjectFile::recordUndo() {
  const std::lock_guard lock(mutex_);
  return journal_.recordUndo();
}

Status ProjectFile::recordRedo() {
  const std::lock_guard lock(mutex_);
  return journal_.recordRedo();
}

Result<std::vector<RunRecord>> ProjectFile::readRuns(size_t* cliRuns) {
  const std::lock_guard lock(mutex_);
  auto stored = store_->runs();
  if (!stored) return stored.status();
  std::vector<RunRecord> runs;
  *cliRuns = 0;
  for (const StoredRun& s : *stored) {
    if (s.record.find("\"probeTokens\"") != std::string::npos) {  // Project::recordRun's summary
      ++*cliRuns;
      continue;
    }
    auto run = RunRecord::fromJson(s.record);
    if (!run)
      return Status::corrupt("stored run " + std::to_string(s.id) + ": " + run.status().message());
    runs.push_back(std::move(*run));
  }
  return runs;
}

Status ProjectFile::addRun(const std::string& recordJson) {
  const std::lock_guard lock(mutex_);
  auto id = store_->addRun(recordJson);
  return id ? Status::ok() : id.status();
}

}  // namespace memlens::gui
