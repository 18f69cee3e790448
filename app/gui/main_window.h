#pragma once

#include <QMainWindow>
#include <QStringList>
#include <memory>

#include "memlens/status.h"
#include "memlens/tokeniser.h"

class QAction;
class QComboBox;
class QLabel;
class QMenu;
class QProgressBar;
class QToolButton;

namespace memlens::views {
class CorpusStatsWidget;
class JobRunner;
}  // namespace memlens::views

namespace memlens::gui {

// The MemLens main window: opens a corpus (files or a folder, from the menu, the recent list, the
// command line or by drag and drop) and shows its statistics. Every load runs in the job runner;
// the status bar shows its progress and a Cancel button while it runs. A failed or cancelled load
// leaves the corpus shown before it on screen.
class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Loads the corpus made of these files and folders; ignored (with a status message) while
  // another job runs.
  void openPaths(const QStringList& paths);

 Q_SIGNALS:
  // A job has finished and its outcome is on screen (statistics, or an error message box).
  void jobSettled();

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  struct PendingLoad;

  void createActions();
  void createStatusBar();
  void openFilesDialog();
  void openFolderDialog();
  void rebuildRecentMenu();
  void addRecent(const QStringList& paths);
  void reloadWithNewTokeniser();
  void showAbout();
  TokeniserOptions tokeniserOptions() const;
  void setBusy(bool busy);
  void onProgress(double fraction, const QString& stage);
  void onJobFinished(const Status& status);

  views::JobRunner* runner_;
  views::CorpusStatsWidget* statsWidget_;
  QComboBox* tokeniserBox_ = nullptr;
  QMenu* recentMenu_ = nullptr;
  QList<QAction*> openActions_;
  QAction* cancelAction_ = nullptr;
  QLabel* stageLabel_ = nullptr;
  QProgressBar* progressBar_ = nullptr;
  QToolButton* cancelButton_ = nullptr;

  // The corpus on screen: its paths and tokeniser choice, to reload it with another tokeniser
  // and to put the choice back when such a reload fails.
  QStringList shownPaths_;
  int shownTokeniser_ = 0;
  // Filled by the running load's worker, read in onJobFinished().
  std::shared_ptr<PendingLoad> pending_;
};

}  // namespace memlens::gui
