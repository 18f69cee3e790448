// Projects in the window: Save Project As writes the memory and its journal, later edits are
// journaled as they are made, and Open Project in a new window brings back the same memory with
// its undo history; a changed corpus is refused.
#include <sqlite3.h>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QUndoStack>
#include <QtTest>

#include "find_child.h"
#include "inspect_controller.h"
#include "main_window.h"
#include "memlens/project.h"
#include "memlens/project_store.h"
#include "memory/memory_browser_widget.h"
#include "memory_controller.h"
#include "project_controller.h"
#include "project_file.h"
#include "small_experiment.h"
#include "train/run_table_model.h"
#include "window_workflow.h"

using memlens::gui::MainWindow;
using memlens::gui::MemoryController;
using memlens::gui::ProjectController;
using memlens::test::child;
using memlens::views::MemoryBrowserWidget;

namespace {

std::vector<uint32_t> predictions(const memlens::Experiment& e) {
  const memlens::InstanceSet probe =
      e.test().slice(0, std::min(e.test().size(), MemoryController::kProbeTokens));
  std::vector<uint32_t> out;
  for (const memlens::Prediction& p : *e.classifier().predict(probe)) out.push_back(p.classId);
  return out;
}

// The journal in the file as (kind, undone) pairs.
std::vector<std::pair<std::string, bool>> journalIn(const QString& path) {
  auto store = memlens::ProjectStore::open(path.toStdString());
  std::vector<std::pair<std::string, bool>> out;
  if (!store) return out;
  for (const memlens::JournalEntry& e : *(*store)->journal()) out.emplace_back(e.kind, e.undone);
  return out;
}

// Deletes the stored vector in `row` of the Memory tab's table: preview, then commit.
void deleteRow(MemoryBrowserWidget* page, MemoryController* controller, int row) {
  auto* commitButton = child<QPushButton>(page, "memoryCommit");
  QSignalSpy settled(controller, &MemoryController::settled);
  child<QTableView>(page, "memoryTable")->selectRow(row);
  QTest::mouseClick(child<QPushButton>(page, "memoryDelete"), Qt::LeftButton);
  QVERIFY(settled.wait(60000));
  QVERIFY(commitButton->isEnabled());
  QTest::mouseClick(commitButton, Qt::LeftButton);
  QVERIFY(settled.wait(60000));
}

// Shows `window` with the grammar corpus written into `dir` and trains `algorithm` on it, until
// the Memory tab has prepared the memory. Check QTest::currentTestFailed() after it.
void trainGrammar(MainWindow& window, const QTemporaryDir& dir, memlens::Algorithm algorithm) {
  QVERIFY(memlens::test::showWithCorpus(window, dir, "g.txt", memlens::test::smallGrammarCorpus()));
  QSignalSpy prepared(window.findChild<MemoryController*>(), &MemoryController::settled);
  QVERIFY(memlens::test::trainInWindow(window, algorithm));
  QVERIFY(prepared.count() > 0 || prepared.wait(60000));
}

// Save Project As `path`, to its end.
void saveProject(MainWindow& window, const QString& path) {
  auto* projects = window.findChild<ProjectController*>();
  QSignalSpy saved(projects, &ProjectController::saveSettled);
  QVERIFY(projects->saveAs(path));
  QVERIFY(saved.wait(30000));
}

void undo(MemoryController* controller) {
  QSignalSpy settled(controller, &MemoryController::settled);
  controller->undoAction()->trigger();
  QVERIFY(settled.wait(60000));
}

}  // namespace

class TestProjectWorkflow : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void init() { QCoreApplication::setOrganizationName(QStringLiteral("MemLensTest")); }

  void savesJournalsAndReopens() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("grammar.memlens"));
    std::vector<uint32_t> saved;
    uint32_t savedVectors = 0;
    std::string firstRun;
    {
      MainWindow window;
      trainGrammar(window, dir, memlens::Algorithm::kIb1);
      if (QTest::currentTestFailed()) return;
      auto* controller = window.findChild<MemoryController*>();
      auto* page = window.findChild<MemoryBrowserWidget*>();
      QVERIFY(!window.isWindowModified());

      // Two edits, the second undone: unsaved until saved.
      deleteRow(page, controller, 0);
      deleteRow(page, controller, 0);
      undo(controller);
      auto* projects = window.findChild<ProjectController*>();
      QVERIFY(projects->hasUnsavedEdits());
      QVERIFY(window.isWindowModified());

      QSignalSpy savedSpy(projects, &ProjectController::saveSettled);
      QVERIFY(projects->saveAs(path));
      QVERIFY(savedSpy.wait(30000));
      QVERIFY2(savedSpy.front().front().value<memlens::Status>().isOk(),
               savedSpy.front().front().value<memlens::Status>().message().c_str());
      QVERIFY(!projects->hasUnsavedEdits());
      QVERIFY(!window.isWindowModified());
      QVERIFY(window.windowTitle().contains(QStringLiteral("grammar.memlens")));
      using Journal = std::vector<std::pair<std::string, bool>>;
      QCOMPARE(journalIn(path), (Journal{{"delete-vector", false}, {"delete-vector", true}}));

      // An edit after the save is in the file once it is done; it ends the redo history.
      deleteRow(page, controller, 1);
      QCOMPARE(journalIn(path), (Journal{{"delete-vector", false}, {"delete-vector", false}}));
      QCOMPARE(controller->undoStack()->count(), 2);
      saved = predictions(*controller->memory());
      savedVectors = controller->memory()->classifier().memory().vectorCount();
      QVERIFY(savedVectors < controller->trained()->classifier().memory().vectorCount());
      QVERIFY(saved != predictions(*controller->trained()));
      firstRun = window.findChild<memlens::views::RunTableModel*>()->run(0)->toJson();

      // A run trained while the project is open is kept in it (the new memory is not the
      // project's).
      QVERIFY(memlens::test::trainInWindow(window, memlens::Algorithm::kIgTree));
      auto store = memlens::ProjectStore::open(path.toStdString());
      QVERIFY(store.isOk());
      auto stored = (*store)->runs();
      QVERIFY(stored.isOk());
      QCOMPARE(stored->size(), size_t{2});
      QVERIFY(stored->back().record.find("\"algorithm\":\"igtree\"") != std::string::npos);
    }

    // A probe run as memlens-cli records it: counted on the status bar, not a row.
    {
      auto project = memlens::Project::open(path.toStdString());
      QVERIFY2(project.isOk(), project.status().message().c_str());
      QVERIFY((*project)->recordRun().isOk());
    }

    // A new window opens it: corpus, retrained memory, the journal replayed with its history.
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    auto* controller = window.findChild<MemoryController*>();
    QSignalSpy edited(controller, &MemoryController::memoryChanged);
    window.openProject(path);
    QTRY_VERIFY_WITH_TIMEOUT(controller->memory() && controller->undoStack()->count() == 2, 120000);
    QCOMPARE(controller->undoStack()->index(), 2);
    QCOMPARE(controller->memory()->classifier().memory().vectorCount(), savedVectors);
    QCOMPARE(predictions(*controller->memory()), saved);
    QCOMPARE(edited.count(), 1);  // Inspect was handed the edited memory
    QVERIFY(window.windowTitle().contains(QStringLiteral("grammar.memlens")));
    QVERIFY(!window.findChild<ProjectController*>()->hasUnsavedEdits());

    // The runs table has the project's two runs, then the retrained memory's.
    auto* runs = window.findChild<memlens::views::RunTableModel*>();
    QCOMPARE(runs->rowCount(), 3);
    QVERIFY2(window.statusBar()->currentMessage().endsWith(
                 QStringLiteral(" Not shown: 1 memlens-cli probe run.")),
             qPrintable(window.statusBar()->currentMessage()));
    QCOMPARE(runs->run(0)->options.classifier.algorithm, memlens::Algorithm::kIb1);
    QCOMPARE(runs->run(1)->options.classifier.algorithm, memlens::Algorithm::kIgTree);
    QCOMPARE(runs->run(2)->options.classifier.algorithm, memlens::Algorithm::kIb1);
    QCOMPARE(runs->run(0)->storedVectors, runs->run(2)->storedVectors);
    QCOMPARE(runs->run(0)->created, memlens::RunRecord::fromJson(firstRun)->created);
    QCOMPARE(runs->run(0)->test.correct, runs->run(2)->test.correct);  // the same memory, retrained

    // Undo in the reopened window is journaled too.
    undo(controller);
    using Journal = std::vector<std::pair<std::string, bool>>;
    QCOMPARE(journalIn(path), (Journal{{"delete-vector", false}, {"delete-vector", true}}));
    QVERIFY(controller->redoAction()->isEnabled());
  }

  // A step the project file refuses (another writer holds it past the store's wait) changes
  // nothing, and says why: the memory, the stack, the journal in the file; then it goes through.
  void aStepTheFileRefusesChangesNothing() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("g.memlens"));
    MainWindow window;
    trainGrammar(window, dir, memlens::Algorithm::kIb1);
    if (QTest::currentTestFailed()) return;
    auto* controller = window.findChild<MemoryController*>();
    auto* page = window.findChild<MemoryBrowserWidget*>();
    deleteRow(page, controller, 0);
    saveProject(window, path);
    if (QTest::currentTestFailed()) return;
    using Journal = std::vector<std::pair<std::string, bool>>;
    QCOMPARE(journalIn(path), (Journal{{"delete-vector", false}}));
    const auto edited = controller->memory();

    sqlite3* writer = nullptr;
    QCOMPARE(sqlite3_open(path.toUtf8().constData(), &writer), SQLITE_OK);
    QCOMPARE(sqlite3_exec(writer, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
    QSignalSpy settled(controller, &MemoryController::settled);
    controller->undoAction()->trigger();
    QVERIFY(settled.wait(60000));
    const QString work = child<QLabel>(page, "memoryWork")->text();
    QVERIFY2(work.startsWith(QStringLiteral("Undo failed, nothing changed: the project file could "
                                            "not record it")),
             qPrintable(work));
    QCOMPARE(controller->undoStack()->count(), 1);
    QCOMPARE(controller->undoStack()->index(), 1);
    QCOMPARE(controller->edits().active.size(), size_t{1});
    QCOMPARE(controller->memory(), edited);
    QVERIFY(controller->undoAction()->isEnabled());
    sqlite3_exec(writer, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(writer);
    QCOMPARE(journalIn(path), (Journal{{"delete-vector", false}}));

    undo(controller);
    QCOMPARE(controller->undoStack()->index(), 0);
    QCOMPARE(journalIn(path), (Journal{{"delete-vector", true}}));
  }

  // A corpus changed since the save: the project is refused with the reason, nothing trains.
  void changedCorpusIsRefused() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("g.memlens"));
    {
      MainWindow window;
      trainGrammar(window, dir, memlens::Algorithm::kIgTree);
      if (!QTest::currentTestFailed()) saveProject(window, path);
      if (QTest::currentTestFailed()) return;
    }
    memlens::test::writeFile(dir, "g.txt", memlens::test::smallGrammarCorpus() + "one more line\n");
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QSignalSpy settled(&window, &MainWindow::jobSettled);
    window.openProject(path);
    QVERIFY(settled.wait(30000));
    QMessageBox* box = nullptr;
    QTRY_VERIFY((box = window.findChild<QMessageBox*>()) != nullptr);
    QVERIFY2(box->informativeText().contains(QStringLiteral("changed since the project was made")),
             qPrintable(box->informativeText()));
    QVERIFY(!settled.wait(500));  // no training followed
    QVERIFY(!window.findChild<MemoryController*>()->trained());
  }
};

QTEST_MAIN(TestProjectWorkflow)
#include "tst_project_workflow.moc"
