#include "project_controller.h"

#include <QAction>
#include <QFileDialog>
#include <QFileInfo>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>
#include <QStatusBar>
#include <QUndoStack>

#include "common/job_runner.h"
#include "memlens/experiment.h"
#include "memlens/memory_file.h"
#include "memlens/project.h"
#include "memory_controller.h"
#include "project_file.h"
#include "recent_menu.h"

namespace memlens::gui {

namespace {

// A function, not a static: tr() must run after the translators are installed.
QString projectFilter() {
  return ProjectController::tr("MemLens projects (*.memlens);;All files (*)");
}

// The edits as the journal writes them, to see whether the memory changed during a save.
std::vector<std::string> journalLines(const ProjectJournal::Edits& edits) {
  std::vector<std::string> lines;
  for (const auto* list : {&edits.active, &edits.undone})
    for (const MemoryEdit& e : *list)
      lines.push_back(std::string(e.kindName()) + '\n' + e.payload());
  lines.push_back(std::to_string(edits.active.size()));
  return lines;
}

}  // namespace

struct ProjectController::PendingSave {
  QString path;
  std::vector<std::string> edits;     // journalLines() of what was saved
  std::shared_ptr<ProjectFile> file;  // set by the worker
};

ProjectController::ProjectController(QMainWindow* window, MemoryController* memory, Runs runs)
    : QObject(window),
      window_(window),
      memory_(memory),
      runs_(std::move(runs)),
      runner_(new views::JobRunner(this)) {
  connect(runner_, &views::JobRunner::finished, this, &ProjectController::onSaved);
  connect(memory_->undoStack(), &QUndoStack::indexChanged, this, &ProjectController::stateChanged);
}

ProjectController::~ProjectController() = default;

void ProjectController::addActions(QMenu* menu) {
  QAction* open = menu->addAction(tr("Open &Project…"), this, &ProjectController::openDialog);
  open->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_O));
  recent_ = new RecentMenu(
      menu->addMenu(tr("Open Recent Pro&ject")), QStringLiteral("recentProjects"),
      tr("No recent projects"),
      [](const QStringList& entry) { return QFileInfo(entry.front()).fileName(); }, this);
  connect(recent_, &RecentMenu::chosen, this,
          [this](const QStringList& entry) { Q_EMIT openRequested(entry.front()); });
  save_ = menu->addAction(tr("&Save Project"), this, &ProjectController::save);
  save_->setShortcut(QKeySequence::Save);
  save_->setToolTip(tr("Save the memory, its edits and the runs as a project (Ctrl+S)"));
  saveAs_ = menu->addAction(tr("Save Project &As…"), this, &ProjectController::saveAsDialog);
  saveAs_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
}

void ProjectController::opened(const QString& path) {
  recent_->add({QFileInfo(path).absoluteFilePath()});
  Q_EMIT stateChanged();
}

std::shared_ptr<ProjectFile> ProjectController::project() const { return memory_->project(); }

bool ProjectController::hasUnsavedEdits() const {
  return !memory_->project() && memory_->undoStack()->index() > 0;
}

bool ProjectController::isSaving() const { return runner_->isRunning(); }

void ProjectController::save() {
  if (const auto project = memory_->project()) {
    window_->statusBar()->showMessage(
        tr("%1 is up to date: every edit is saved in it as it is made.")
            .arg(QFileInfo(project->path()).fileName()),
        8000);
    return;
  }
  saveAsDialog();
}

void ProjectController::saveAsDialog() {
  QString path =
      QFileDialog::getSaveFileName(window_, tr("Save Project As"), QString(), projectFilter());
  if (path.isEmpty()) return;
  if (QFileInfo(path).suffix().isEmpty()) path += QStringLiteral(".memlens");
  saveAs(path);
}

void ProjectController::openDialog() {
  const QString path =
      QFileDialog::getOpenFileName(window_, tr("Open Project"), QString(), projectFilter());
  if (!path.isEmpty()) Q_EMIT openRequested(path);
}

bool ProjectController::saveAs(const QString& path) {
  QStatusBar* bar = window_->statusBar();
  const std::shared_ptr<const Experiment>& trained = memory_->trained();
  if (!trained) {
    bar->showMessage(tr("Train a memory first: a project holds a trained memory and its edits."),
                     8000);
    return false;
  }
  if (trained->vectorMemory() != nullptr) {
    bar->showMessage(
        tr("Projects hold IB1, IGTree or TRIBL2 memories; the vector memory cannot be saved."),
        8000);
    return false;
  }
  if (runner_->isRunning() || memory_->isRunning() || !memory_->memory()) {
    bar->showMessage(tr("Busy: wait for the memory's job to finish, then save."), 8000);
    return false;
  }
  const QString target = QFileInfo(path).absoluteFilePath();
  if (memory_->project() && QFileInfo(memory_->project()->path()).absoluteFilePath() == target) {
    save();
    return false;
  }
  const RunRecord& r = trained->record();
  Project::Contents contents;
  for (const RunRecord::CorpusFile& f : r.corpus)
    contents.corpus.push_back({f.path, f.bytes, f.sha256, std::nullopt});
  contents.options.tokeniser = r.tokeniser;
  contents.options.experiment = r.options;
  contents.options.smoothingBeta = r.smoothingBeta;
  contents.options.keepTrainedWeights = memory_->keepTrainedWeights();
  contents.edits = memory_->edits();
  for (const auto& run : runs_()) contents.runs.push_back(run->toJson());

  auto pending = std::make_shared<PendingSave>();
  pending->path = target;
  pending->edits = journalLines(contents.edits);
  pending_ = pending;
  runner_->run(tr("saving %1").arg(QFileInfo(target).fileName()),
               [pending, trained, contents = std::move(contents)](JobControl& job) -> Status {
                 const std::string path = QFile::encodeName(pending->path).toStdString();
                 // The trained memory beside it first, so the project opens without training.
                 if (Status s = saveMemory(*trained, Project::memoryPath(path), &job); !s) return s;
                 if (Status s = Project::save(path, contents); !s) return s;
                 auto file = ProjectFile::open(pending->path);
                 if (!file) return file.status();
                 // Reading the journal back is what lets the later edits be recorded against it.
                 if (auto edits = (*file)->readEdits(); !edits) return edits.status();
                 pending->file = std::move(*file);
                 return Status::ok();
               });
  bar->showMessage(tr("Saving %1…").arg(QFileInfo(target).fileName()));
  updateActions();
  return true;
}

void ProjectController::onSaved(const Status& status) {
  const std::shared_ptr<PendingSave> pending = std::move(pending_);
  updateActions();
  QStatusBar* bar = window_->statusBar();
  const QString name = QFileInfo(pending->path).fileName();
  Status outcome = status;
  if (outcome.isOk() &&
      (memory_->isRunning() || journalLines(memory_->edits()) != pending->edits)) {
    outcome = Status::invalidArgument(
        "the memory was edited while it was being saved; the file holds "
        "it as it was when the save began. Save again to keep the newer edits.");
  }
  if (outcome.isOk()) {
    memory_->attachProject(pending->file);
    recent_->add({pending->path});
    bar->showMessage(tr("Saved %1: later edits are saved in it as you make them.").arg(name), 8000);
  } else {
    closeWhenSaved_ = false;
    bar->clearMessage();
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Could not save the project"),
                                tr("MemLens could not save %1.").arg(pending->path),
                                QMessageBox::Ok, window_);
    box->setInformativeText(QString::fromStdString(outcome.message()));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
  }
  Q_EMIT stateChanged();
  Q_EMIT saveSettled(outcome);
  if (outcome.isOk() && closeWhenSaved_) window_->close();
}

bool ProjectController::confirmClose() {
  if (isSaving()) {
    closeWhenSaved_ = true;
    window_->statusBar()->showMessage(tr("Saving: the window closes when the project is saved."));
    return false;
  }
  if (!hasUnsavedEdits()) return true;
  QMessageBox box(QMessageBox::Question, tr("Save the edits?"),
                  tr("The memory has %n edit(s) that no project holds.", nullptr,
                     memory_->undoStack()->index()),
                  QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, window_);
  box.setInformativeText(tr("Save them as a project to keep them, or discard them."));
  box.setDefaultButton(QMessageBox::Save);
  const int choice = box.exec();
  if (choice == QMessageBox::Discard) return true;
  if (choice != QMessageBox::Save) return false;
  QString path =
      QFileDialog::getSaveFileName(window_, tr("Save Project As"), QString(), projectFilter());
  if (path.isEmpty()) return false;
  if (QFileInfo(path).suffix().isEmpty()) path += QStringLiteral(".memlens");
  closeWhenSaved_ = saveAs(path);
  return false;
}

void ProjectController::updateActions() {
  save_->setEnabled(!runner_->isRunning());
  saveAs_->setEnabled(!runner_->isRunning());
}

}  // namespace memlens::gui
