// Projects in the window: Save Project As writes the memory and its journal, later edits are
// journaled as they are made, and Open Project in a new window brings back the same memory with
// its undo history; a changed corpus is refused.
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QUndoStack>
#include <QtTest>

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
  QSignalSpy settled(controller, &MemoryController::settled);
  page->table()->selectRow(row);
  QTest::mouseClick(page->deleteButton(), Qt::LeftButton);
  QVERIFY(settled.wait(60000));
  QVERIFY(page->commitButton()->isEnabled());
  QTest::mouseClick(page->commitButton(), Qt::LeftButton);
  QVERIFY(settled.wait(60000));
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
      QVERIFY(
          memlens::test::showWithCorpus(window, dir, "g.txt", memlens::test::smallGrammarCorpus()));
      auto* controller = window.findChild<MemoryController*>();
      auto* page = window.findChild<MemoryBrowserWidget*>();
      QSignalSpy prepared(controller, &MemoryController::settled);
      QVERIFY(memlens::test::trainInWindow(window, memlens::Algorithm::kIb1));
      QVERIFY(prepared.count() > 0 || prepared.wait(60000));
      QVERIFY(!window.isWindowModified());

      // Two edits, the second undone: unsaved until saved.
      deleteRow(page, controller, 0);
      deleteRow(page, controller, 0);
      undo(controller);
      QVERIFY(window.projects()->hasUnsavedEdits());
      QVERIFY(window.isWindowModified());

      QSignalSpy savedSpy(window.projects(), &memlens::gui::ProjectController::saveSettled);
      QVERIFY(window.projects()->saveAs(path));
      QVERIFY(savedSpy.wait(30000));
      QVERIFY2(savedSpy.front().front().value<memlens::Status>().isOk(),
               savedSpy.front().front().value<memlens::Status>().message().c_str());
      QVERIFY(!window.projects()->hasUnsavedEdits());
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
    QVERIFY(!window.projects()->hasUnsavedEdits());

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

  // A corpus changed since the save: the project is refused with the reason, nothing trains.
  void changedCorpusIsRefused() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("g.memlens"));
    {
      MainWindow window;
      QVERIFY(
          memlens::test::showWithCorpus(window, dir, "g.txt", memlens::test::smallGrammarCorpus()));
      auto* controller = window.findChild<MemoryController*>();
      QSignalSpy prepared(controller, &MemoryController::settled);
      QVERIFY(memlens::test::trainInWindow(window, memlens::Algorithm::kIgTree));
      QVERIFY(prepared.count() > 0 || prepared.wait(60000));
      QSignalSpy savedSpy(window.projects(), &memlens::gui::ProjectController::saveSettled);
      QVERIFY(window.projects()->saveAs(path));
      QVERIFY(savedSpy.wait(30000));
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
