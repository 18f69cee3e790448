// The Memory tab's steps (Commit, Undo, Redo) cancelled, also with a project attached, and its
// layout while one runs.
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QUndoStack>
#include <QUndoView>
#include <QtTest>
#include <functional>

#include "find_child.h"
#include "main_window.h"
#include "memlens/edited_memory.h"
#include "memlens/project_store.h"
#include "memory/changed_token_model.h"
#include "memory/memory_browser_widget.h"
#include "memory_controller.h"
#include "project_controller.h"
#include "trained_window.h"
#include "window_steps.h"

using memlens::gui::MemoryController;
using memlens::gui::ProjectController;
using memlens::test::child;
using memlens::test::trainAndPrepare;
using memlens::test::TrainedWindow;
using memlens::views::ChangedTokenModel;
using memlens::views::MemoryBrowserWidget;

namespace {

// Lines of random words of a vocabulary of 3,000: nearly every context is stored once, so that
// a memory of it is big enough for a step to take a while (a commit building what a prune
// leaves, an undo retraining).
std::string randomWordCorpus(int lines) {
  uint32_t state = 1913;
  std::string text;
  for (int line = 0; line < lines; ++line) {
    for (int word = 0; word < 10; ++word) {
      state = state * 1103515245u + 12345u;
      text += "w" + std::to_string((state >> 8) % 3000) + " ";
    }
    text += ".\n";
  }
  return text;
}

// Presses the Memory tab's Cancel right after a step started by `start`, and waits for the tab to
// settle.
void cancelRightAway(MemoryBrowserWidget* page, MemoryController* controller,
                     const std::function<void()>& start) {
  QSignalSpy settled(controller, &MemoryController::settled);
  auto* cancel = child<QToolButton>(page, "memoryCancel");
  start();
  QVERIFY(controller->isRunning());
  QVERIFY(cancel->isVisible() && cancel->isEnabled());
  QTest::mouseClick(cancel, Qt::LeftButton);
  QVERIFY(settled.wait(120000));
}

// Switches the Memory tab to weights kept as trained (a prune's preview then masks its vectors).
void keepTrainedWeights(TrainedWindow& w) {
  QSignalSpy memorySettled(w.controller, &MemoryController::settled);
  memlens::steps::showTabOf(w.window, w.page);
  auto* mode = child<QComboBox>(w.page, "memoryWeightsMode");
  mode->setFocus();
  QTest::keyClick(mode, Qt::Key_Down);
  QVERIFY(w.controller->keepTrainedWeights());
  QVERIFY(memorySettled.wait(60000));
}

// Under kept weights, previews a random prune whose Commit builds the memory left (long enough to
// be cancelled). Check QTest::currentTestFailed() after it.
void previewPruneBuiltOnCommit(TrainedWindow& w) {
  MemoryBrowserWidget* page = w.page;
  QSignalSpy memorySettled(w.controller, &MemoryController::settled);
  QComboBox* strategy = child<QComboBox>(page, "pruneStrategy");
  strategy->setCurrentIndex(strategy->findText(
      QString::fromLatin1(memlens::optionLabel(memlens::PruneStrategy::kRandom))));
  page->findChild<QDoubleSpinBox*>(QStringLiteral("pruneKeep"))->setValue(0.4);
  QTest::mouseClick(child<QPushButton>(page, "prunePreview"), Qt::LeftButton);
  QVERIFY(memorySettled.wait(120000));
  const QString work = child<QLabel>(page, "memoryWork")->text();
  QVERIFY2(work.contains(QStringLiteral("Commit builds the memory left")), qPrintable(work));
}

// What a cancelled step must leave as it was.
struct TabState {
  std::shared_ptr<const memlens::Experiment> memory;
  memlens::ProjectJournal::Edits edits;
  int stackCount = 0, stackIndex = 0, journalRows = 0;
  QString summary;
  std::shared_ptr<const memlens::views::MemoryChange> change;

  static TabState of(MemoryBrowserWidget* page, MemoryController* controller) {
    return {controller->memory(),
            controller->edits(),
            controller->undoStack()->count(),
            controller->undoStack()->index(),
            child<QUndoView>(page, "memoryJournal")->model()->rowCount(),
            child<QLabel>(page, "memorySummary")->text(),
            child<ChangedTokenModel>(page)->change()};
  }
  bool operator==(const TabState& o) const {
    return memory == o.memory && edits.active.size() == o.edits.active.size() &&
           edits.undone.size() == o.edits.undone.size() && stackCount == o.stackCount &&
           stackIndex == o.stackIndex && journalRows == o.journalRows && summary == o.summary &&
           change == o.change;
  }
};

}  // namespace

class TestMemorySteps : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void init() { QCoreApplication::setOrganizationName(QStringLiteral("MemLensTest")); }

  // A commit cancelled (the one of a prune whose preview masked the pruned vectors: it builds the
  // memory left) changes nothing and says so; the preview is still there and commits.
  void cancelsACommit() {
    TrainedWindow w;
    trainAndPrepare(w, memlens::Algorithm::kIb1, randomWordCorpus(15000));
    if (QTest::currentTestFailed()) return;
    MemoryBrowserWidget* page = w.page;
    MemoryController* controller = w.controller;
    QSignalSpy memorySettled(controller, &MemoryController::settled);
    keepTrainedWeights(w);
    if (QTest::currentTestFailed()) return;
    previewPruneBuiltOnCommit(w);
    if (QTest::currentTestFailed()) return;
    auto* work = child<QLabel>(page, "memoryWork");
    const TabState before = TabState::of(page, controller);
    QVERIFY(before.change && before.change->preview);
    QCOMPARE(before.stackCount, 0);
    QCOMPARE(before.journalRows, 1);  // the trained memory
    const uint32_t slotsAfter = before.change->slotsAfter;

    auto* commit = child<QPushButton>(page, "memoryCommit");
    cancelRightAway(page, controller, [commit] { QTest::mouseClick(commit, Qt::LeftButton); });
    if (QTest::currentTestFailed()) return;
    QCOMPARE(work->text(), QStringLiteral("Commit cancelled: nothing changed."));
    QVERIFY(TabState::of(page, controller) == before);
    QVERIFY(commit->isEnabled());

    // Committed to the end, it applies.
    QTest::mouseClick(commit, Qt::LeftButton);
    QVERIFY(controller->isRunning());
    QVERIFY(memorySettled.wait(120000));
    QCOMPARE(controller->undoStack()->count(), 1);
    QCOMPARE(controller->undoStack()->index(), 1);
    QCOMPARE(controller->edits().active.size(), size_t{1});
    QCOMPARE(controller->memory()->classifier().memory().vectorCount(), slotsAfter);
    QVERIFY(!child<ChangedTokenModel>(page)->change()->preview);
  }

  // With a project attached, a cancelled commit writes nothing to its journal; the commit done
  // to its end is journaled.
  void cancelledCommitLeavesTheProject() {
    TrainedWindow w;
    trainAndPrepare(w, memlens::Algorithm::kIb1, randomWordCorpus(15000));
    if (QTest::currentTestFailed()) return;
    keepTrainedWeights(w);  // a project keeps the mode it was saved with
    if (QTest::currentTestFailed()) return;
    const QString path = w.dir.filePath(QStringLiteral("random.memlens"));
    auto* projects = w.window.findChild<ProjectController*>();
    QSignalSpy saved(projects, &ProjectController::saveSettled);
    QVERIFY(projects->saveAs(path));
    QVERIFY(saved.wait(60000));
    QVERIFY(saved.front().front().value<memlens::Status>().isOk());
    const auto journal = [&path]() -> std::vector<std::string> {
      auto store = memlens::ProjectStore::open(path.toStdString());
      if (!store) return {"unreadable: " + store.status().message()};
      std::vector<std::string> kinds;
      for (const memlens::JournalEntry& e : *(*store)->journal())
        kinds.push_back(e.kind + (e.undone ? " (undone)" : ""));
      return kinds;
    };
    QCOMPARE(journal(), std::vector<std::string>{});
    previewPruneBuiltOnCommit(w);
    if (QTest::currentTestFailed()) return;
    const TabState before = TabState::of(w.page, w.controller);
    auto* commit = child<QPushButton>(w.page, "memoryCommit");
    cancelRightAway(w.page, w.controller, [commit] { QTest::mouseClick(commit, Qt::LeftButton); });
    if (QTest::currentTestFailed()) return;
    QCOMPARE(child<QLabel>(w.page, "memoryWork")->text(),
             QStringLiteral("Commit cancelled: nothing changed."));
    QVERIFY(TabState::of(w.page, w.controller) == before);
    QCOMPARE(journal(), std::vector<std::string>{});
    QVERIFY(!projects->hasUnsavedEdits());

    QSignalSpy settled(w.controller, &MemoryController::settled);
    QTest::mouseClick(commit, Qt::LeftButton);
    QVERIFY(settled.wait(120000));
    QCOMPARE(journal(), std::vector<std::string>{"prune"});
    QVERIFY(!projects->hasUnsavedEdits());
  }

  // An undo or a redo cancelled (each retrains this memory: a distance-weighted vote under
  // recomputed weights) changes nothing and says so, and the steps queued behind it are dropped;
  // run to the end, each applies.
  void cancelsAnUndoAndARedo() {
    TrainedWindow w;
    trainAndPrepare(w, memlens::Algorithm::kIb1, randomWordCorpus(15000),
                    memlens::DistanceWeighting::kInverseDistance);
    if (QTest::currentTestFailed()) return;
    MemoryBrowserWidget* page = w.page;
    MemoryController* controller = w.controller;
    QSignalSpy memorySettled(controller, &MemoryController::settled);
    memlens::steps::showTabOf(w.window, page);
    QVERIFY(!controller->keepTrainedWeights());
    for (int edit = 0; edit < 2; ++edit) {
      child<QTableView>(page, "memoryTable")->selectRow(0);
      QTest::mouseClick(child<QPushButton>(page, "memoryDelete"), Qt::LeftButton);
      QVERIFY(memorySettled.wait(120000));
      QTest::mouseClick(child<QPushButton>(page, "memoryCommit"), Qt::LeftButton);
      QVERIFY(memorySettled.wait(120000));
    }
    auto* work = child<QLabel>(page, "memoryWork");
    const TabState edited = TabState::of(page, controller);
    QCOMPARE(edited.stackCount, 2);
    QCOMPARE(edited.stackIndex, 2);
    QCOMPARE(edited.journalRows, 3);

    cancelRightAway(page, controller, [&] { controller->undoAction()->trigger(); });
    if (QTest::currentTestFailed()) return;
    QCOMPARE(work->text(), QStringLiteral("Undo cancelled: nothing changed."));
    QVERIFY(TabState::of(page, controller) == edited);
    QVERIFY(controller->undoAction()->isEnabled());

    // Back to the trained memory in one go (as a click on the journal's first row does): the
    // second undo, queued behind the first, is dropped with it.
    cancelRightAway(page, controller, [&] { controller->undoStack()->setIndex(0); });
    if (QTest::currentTestFailed()) return;
    QCOMPARE(work->text(),
             QStringLiteral("Undo cancelled: nothing changed. The step queued after it was not "
                            "taken."));
    QVERIFY(TabState::of(page, controller) == edited);

    controller->undoAction()->trigger();
    QVERIFY(memorySettled.wait(120000));
    QCOMPARE(controller->undoStack()->index(), 1);
    QCOMPARE(controller->edits().active.size(), size_t{1});
    QCOMPARE(controller->edits().undone.size(), size_t{1});
    QCOMPARE(controller->memory()->classifier().memory().vectorCount(),
             edited.memory->classifier().memory().vectorCount() + 1);
    const TabState undone = TabState::of(page, controller);

    cancelRightAway(page, controller, [&] { controller->redoAction()->trigger(); });
    if (QTest::currentTestFailed()) return;
    QCOMPARE(work->text(), QStringLiteral("Redo cancelled: nothing changed."));
    QVERIFY(TabState::of(page, controller) == undone);

    controller->redoAction()->trigger();
    QVERIFY(memorySettled.wait(120000));
    QCOMPARE(controller->undoStack()->index(), 2);
    QCOMPARE(controller->edits().active.size(), size_t{2});
    QCOMPARE(controller->memory()->classifier().memory().vectorCount(),
             edited.memory->classifier().memory().vectorCount());
  }

  // A job starting moves nothing on the tab, and the change pane at its smallest (the window at
  // its smallest, the pane's splitter handle dragged up) keeps its text whole, above the table.
  void keepsTheLayoutWhileBusy() {
    TrainedWindow w;
    trainAndPrepare(w, memlens::Algorithm::kIb1);
    if (QTest::currentTestFailed()) return;
    MemoryBrowserWidget* page = w.page;
    QSignalSpy memorySettled(w.controller, &MemoryController::settled);
    memlens::steps::showTabOf(w.window, page);
    child<QTableView>(page, "memoryTable")->selectRow(0);
    QTest::mouseClick(child<QPushButton>(page, "memoryDelete"), Qt::LeftButton);
    QVERIFY(memorySettled.wait(60000));
    const QList<QWidget*> watched = {
        child<QLabel>(page, "memorySummary"),     child<QTableView>(page, "memoryTable"),
        child<QLabel>(page, "memoryChangeTitle"), child<QLabel>(page, "memoryChangeFigures"),
        child<QTableView>(page, "memoryChanges"), child<QUndoView>(page, "memoryJournal")};
    const auto laidOut = [] {
      QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
      QCoreApplication::processEvents();
    };
    const auto geometries = [&watched] {
      QList<QRect> rects;
      for (QWidget* widget : watched) rects.append(widget->geometry());
      return rects;
    };
    auto* sideRows = qobject_cast<QSplitter*>(watched.back()->parentWidget()->parentWidget());
    QVERIFY(sideRows);
    for (const QSize size : {w.window.size(), QSize(1, 1)}) {  // as it is, and at its smallest
      w.window.resize(size);
      laidOut();
      if (size == QSize(1, 1)) {
        sideRows->setSizes({1, sideRows->height(), sideRows->height()});
        laidOut();
      }
      const QList<QRect> idle = geometries();
      page->setBusy(true, true);
      laidOut();
      QCOMPARE(geometries(), idle);
      for (const char* name : {"memoryChangeTitle", "memoryChangeFigures"}) {
        auto* label = child<QLabel>(page, name);
        QVERIFY2(label->height() >= label->heightForWidth(label->width()), name);
      }
      QVERIFY(child<QLabel>(page, "memoryChangeFigures")->geometry().bottom() <
              child<QTableView>(page, "memoryChanges")->geometry().top());
      page->setBusy(false, false);
    }
  }

  // A preview can be cancelled; the memory and the page stay as they were.
  void cancelsAPreview() {
    TrainedWindow w;
    trainAndPrepare(w, memlens::Algorithm::kIb1);
    if (QTest::currentTestFailed()) return;
    MemoryBrowserWidget* page = w.page;
    auto* changeModel = child<ChangedTokenModel>(page);
    MemoryController* controller = w.controller;
    const int rows = page->model()->rowCount();
    child<QTableView>(page, "memoryTable")->selectRow(0);
    QTest::mouseClick(child<QPushButton>(page, "memoryDelete"), Qt::LeftButton);
    page->findChild<QToolButton*>(QStringLiteral("memoryCancel"))
        ->click();  // Cancel, before the worker gets far
    QTRY_VERIFY_WITH_TIMEOUT(!controller->isRunning(), 30000);
    // Either it was cancelled or it finished first; neither changes the memory.
    QCOMPARE(page->model()->rowCount(), rows);
    QCOMPARE(controller->undoStack()->count(), 0);
    QVERIFY(!changeModel->change() || changeModel->change()->preview);
  }
};

QTEST_MAIN(TestMemorySteps)
#include "tst_memory_steps.moc"
