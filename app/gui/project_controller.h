#pragma once

#include <QObject>
#include <QString>
#include <functional>
#include <memory>
#include <vector>

#include "memlens/run_record.h"
#include "memlens/status.h"

class QAction;
class QMainWindow;
class QMenu;

namespace memlens::views {
class JobRunner;
}

namespace memlens::gui {

class MemoryController;
class ProjectFile;
class RecentMenu;

// The project half of the File menu. Save Project As writes the memory on the Memory tab (its
// corpus references and options, its edits with their redo history) and the session's runs as a
// .memlens project (core's Project::save, on this controller's job runner: the file appears only
// once complete), then attaches the file to the Memory tab, which journals every later edit in it
// as it is made: Save then has nothing left to do. Open Project asks the window to open a file
// (openRequested()), which loads its corpus, retrains its memory and replays its journal.
// Closing with edits that are in no project asks whether to save them.
class ProjectController : public QObject {
  Q_OBJECT

 public:
  using Runs = std::function<std::vector<std::shared_ptr<const RunRecord>>()>;

  ProjectController(QMainWindow* window, MemoryController* memory, Runs runs);
  ~ProjectController() override;

  // Open Project…, Open Recent Project, Save Project and Save Project As… at the end of `menu`.
  void addActions(QMenu* menu);
  // The window opened `path` as a project (for the recent list).
  void opened(const QString& path);
  // The attached project, or null.
  std::shared_ptr<ProjectFile> project() const;
  // Edits on the Memory tab that no project holds.
  bool hasUnsavedEdits() const;
  bool isSaving() const;

  // Saves as `path` without asking (the dialog's and the tests' way in); false if it cannot
  // start (nothing to save, busy), with the reason on the status bar.
  bool saveAs(const QString& path);
  // Closing: true if the window may close now. With unsaved edits the user chooses Save (the
  // window closes once saved), Discard or Cancel.
  bool confirmClose();

 Q_SIGNALS:
  void openRequested(const QString& path);
  // A save ended: the file attached, or an error shown.
  void saveSettled(const Status& status);
  // The attached project or the unsaved state changed: the title should follow.
  void stateChanged();

 private:
  void save();
  void saveAsDialog();
  void openDialog();
  void onSaved(const Status& status);
  void updateActions();

  struct PendingSave;
  QMainWindow* window_;
  MemoryController* memory_;
  Runs runs_;
  views::JobRunner* runner_;
  RecentMenu* recent_ = nullptr;
  QAction* save_ = nullptr;
  QAction* saveAs_ = nullptr;
  std::shared_ptr<PendingSave> pending_;
  bool closeWhenSaved_ = false;
};

}  // namespace memlens::gui
