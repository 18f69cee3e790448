// The Memory tab readies the count-threshold drag in the background after each step where a
// stop masks the memory's stored vectors (IB1 under kept weights): the page stays usable
// meanwhile, an edit asked meanwhile stops it first and is answered exactly, and the stops after
// it do not ready again.
#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QtTest>
#include <algorithm>

#include "common/job_runner.h"
#include "find_child.h"
#include "main_window.h"
#include "memlens/edited_memory.h"
#include "memlens/pruning.h"
#include "memory/changed_token_model.h"
#include "memory/memory_browser_widget.h"
#include "memory_controller.h"
#include "memory_tab_checks.h"
#include "trained_window.h"
#include "window_steps.h"

using memlens::gui::MemoryController;
using memlens::test::child;
using memlens::test::expectedChanges;
using memlens::test::firstFlippingDeletion;
using memlens::test::referenceMemory;
using memlens::test::shownChanges;
using memlens::test::TrainedWindow;
using memlens::views::ChangedTokenModel;
using memlens::views::MemoryBrowserWidget;

namespace {

constexpr auto kBackground = "Readying the count-threshold drag in the background";
// What a stop that readies the drag itself says.
constexpr auto kAtTheStop = "Readying the count-threshold drag for the memory";

// Trains `algorithm`, keeps its trained weights, and previews and commits through the tab the
// first deletion that flips a probe token, committed in `reference` too (made here). Check
// QTest::currentTestFailed() after it.
void commitUnderKeptWeights(TrainedWindow& w, std::unique_ptr<memlens::EditedMemory>& reference,
                            memlens::Algorithm algorithm = memlens::Algorithm::kIb1) {
  memlens::test::trainAndPrepare(w, algorithm);
  if (QTest::currentTestFailed()) return;
  MemoryController* controller = w.controller;
  const auto trained = controller->memory();
  QSignalSpy memorySettled(controller, &MemoryController::settled);
  memlens::steps::showTabOf(w.window, w.page);
  auto* mode = child<QComboBox>(w.page, "memoryWeightsMode");
  mode->setFocus();
  QTest::keyClick(mode, Qt::Key_Down);  // kept as trained
  QVERIFY(controller->keepTrainedWeights());
  QVERIFY(memorySettled.wait(60000));
  reference = referenceMemory(trained, true);
  auto deletion = memlens::test::previewFlippingDeletion(w.page, controller, *trained, *reference);
  QVERIFY(deletion);
  QVERIFY(reference->commit(std::move(*deletion)).isOk());
}

// A threshold that prunes about half the stored vectors of the memory on the page.
uint32_t middleThreshold(const MemoryBrowserWidget& page) {
  const auto& shown = *page.model()->snapshot();
  std::vector<uint32_t> counts;
  for (uint32_t id = 0; id < shown.vectorCount(); ++id) counts.push_back(shown.instanceCount(id));
  std::ranges::sort(counts);
  return counts[counts.size() / 2] + 1;
}

// The page shows the count-threshold stop `options` as `reference` plans and previews it.
void showsReferenceStop(const TrainedWindow& w, const memlens::EditedMemory& reference,
                        const memlens::PruneOptions& options) {
  auto plan = memlens::planPrune(reference, options);
  QVERIFY2(plan.isOk(), plan.status().message().c_str());
  auto expected = reference.preview(*plan);
  QVERIFY(expected.isOk());
  auto* changes = child<ChangedTokenModel>(w.page);
  QCOMPARE(changes->change()->slotsAfter, expected->slotsAfter);
  QCOMPARE(shownChanges(*changes),
           expectedChanges(*w.controller->memory(), expected->changed, false));
}

// Asks the tab for a count-threshold stop at `minCount`; it must not ready the drag again, and
// shows what `reference` planned and previewed shows.
void stopAsReference(TrainedWindow& w, const memlens::EditedMemory& reference, uint32_t minCount) {
  QSignalSpy memorySettled(w.controller, &MemoryController::settled);
  memlens::PruneOptions options;
  options.strategy = memlens::PruneStrategy::kCountThreshold;
  options.minCount = minCount;
  Q_EMIT w.page->prunePreviewRequested(options);
  QVERIFY(w.controller->isRunning());
  const QString work = child<QLabel>(w.page, "memoryWork")->text();
  QVERIFY2(!work.startsWith(QString::fromLatin1(kAtTheStop)), qPrintable(work));
  QVERIFY(memorySettled.wait(60000));
  showsReferenceStop(w, reference, options);
}

}  // namespace

class TestMemoryDragReadying : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void init() { QCoreApplication::setOrganizationName(QStringLiteral("MemLensTest")); }

  void readiesInTheBackgroundAfterACommit_data() {
    QTest::addColumn<int>("algorithm");
    QTest::newRow("ib1") << static_cast<int>(memlens::Algorithm::kIb1);
    QTest::newRow("igtree") << static_cast<int>(memlens::Algorithm::kIgTree);
    QTest::newRow("tribl2") << static_cast<int>(memlens::Algorithm::kTribl2);
  }

  // Committed, the step settles with the drag being readied in the background (no stop asked),
  // the page usable and saying so; once it says the drag is ready, stops do not ready again.
  void readiesInTheBackgroundAfterACommit() {
    QFETCH(int, algorithm);
    TrainedWindow w;
    std::unique_ptr<memlens::EditedMemory> reference;
    commitUnderKeptWeights(w, reference, static_cast<memlens::Algorithm>(algorithm));
    if (QTest::currentTestFailed()) return;
    MemoryController* controller = w.controller;
    MemoryBrowserWidget* page = w.page;
    auto* work = child<QLabel>(page, "memoryWork");
    QSignalSpy memorySettled(controller, &MemoryController::settled);
    QSignalSpy ended(controller, &MemoryController::readyingEnded);
    bool readying = false, busy = true, usable = false;
    QString said;
    connect(
        controller, &MemoryController::settled, this,
        [&] {
          readying = controller->isReadying();
          busy = controller->isRunning();
          usable = child<QPushButton>(page, "prunePreview")->isEnabled() &&
                   controller->undoAction()->isEnabled();
          said = work->text();
        },
        Qt::SingleShotConnection);
    QTest::mouseClick(child<QPushButton>(page, "memoryCommit"), Qt::LeftButton);
    QVERIFY(memorySettled.wait(60000));
    QVERIFY(readying);
    QVERIFY(!busy);
    QVERIFY(usable);
    QVERIFY2(said.startsWith(QString::fromLatin1(kBackground)), qPrintable(said));
    QVERIFY(ended.count() > 0 || ended.wait(60000));
    QVERIFY(!controller->isReadying());
    QVERIFY2(work->text().startsWith(QStringLiteral("The count-threshold drag is ready")),
             qPrintable(work->text()));
    const uint32_t threshold = middleThreshold(*page);
    QVERIFY(threshold >= 4);
    for (const uint32_t minCount : {threshold, threshold - 1}) {
      stopAsReference(w, *reference, minCount);
      if (QTest::currentTestFailed()) return;
    }
    QCOMPARE(ended.count(), 1);
  }

  // A stop asked as the readying starts waits for it, and the status line keeps saying so when
  // the readying reports its progress; the stop then shows what the reference previews.
  void aStopWaitsForTheReadying() {
    TrainedWindow w;
    std::unique_ptr<memlens::EditedMemory> reference;
    commitUnderKeptWeights(w, reference);
    if (QTest::currentTestFailed()) return;
    MemoryController* controller = w.controller;
    auto* work = child<QLabel>(w.page, "memoryWork");
    QSignalSpy memorySettled(controller, &MemoryController::settled);
    memlens::PruneOptions options;
    options.strategy = memlens::PruneStrategy::kCountThreshold;
    bool readying = false;
    QString asked, reported;
    connect(
        controller, &MemoryController::settled, this,
        [&] {
          readying = controller->isReadying();
          options.minCount = middleThreshold(*w.page);
          Q_EMIT w.page->prunePreviewRequested(options);
          asked = work->text();
          // The KJV slice readies too fast to be seen reporting: report as its worker would.
          for (auto* runner : controller->findChildren<memlens::views::JobRunner*>())
            Q_EMIT runner->progress(0.5, QStringLiteral("walking"));
          reported = work->text();
        },
        Qt::SingleShotConnection);
    QTest::mouseClick(child<QPushButton>(w.page, "memoryCommit"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(memorySettled.count() == 2, 60000);  // the commit, then the stop
    QVERIFY(readying);
    const QString waits = QStringLiteral("the stop is previewed once it is ready");
    QVERIFY2(asked.startsWith(QString::fromLatin1(kBackground)) && asked.contains(waits),
             qPrintable(asked));
    QVERIFY2(reported.contains(QStringLiteral("(walking: 50%)")) && reported.contains(waits),
             qPrintable(reported));
    showsReferenceStop(w, *reference, options);
  }

  // A preview asked while the drag is readied stops the readying first (the page waits for
  // that), and shows exactly what the reference previews; the readying resumes after it, and
  // the stops then do not ready again.
  void anEditStopsTheReadyingFirst() {
    TrainedWindow w;
    std::unique_ptr<memlens::EditedMemory> reference;
    commitUnderKeptWeights(w, reference);
    if (QTest::currentTestFailed()) return;
    MemoryController* controller = w.controller;
    const auto trained = controller->trained();
    // The next deletion that flips a probe token of the memory as committed.
    int row = 0;
    auto expected = firstFlippingDeletion(*w.page, trained->classifier().memory(), *reference, row);
    QVERIFY(expected);
    auto* work = child<QLabel>(w.page, "memoryWork");
    QSignalSpy memorySettled(controller, &MemoryController::settled);
    QSignalSpy ended(controller, &MemoryController::readyingEnded);
    bool readying = false, waits = false;
    QString said;
    // Asked as soon as the commit settles: the readying has just started.
    connect(
        controller, &MemoryController::settled, this,
        [&] {
          readying = controller->isReadying();
          controller->preview(expected->edit, QStringLiteral("Delete"));
          waits = controller->isRunning() &&
                  !child<QPushButton>(w.page, "prunePreview")->isEnabled() &&
                  !controller->undoAction()->isEnabled();
          said = work->text();
        },
        Qt::SingleShotConnection);
    QTest::mouseClick(child<QPushButton>(w.page, "memoryCommit"), Qt::LeftButton);
    QVERIFY(memorySettled.wait(60000));  // the commit
    QVERIFY(readying);
    QVERIFY(waits);
    QVERIFY2(said.startsWith(QStringLiteral("Stopping the readying")), qPrintable(said));
    QTRY_VERIFY_WITH_TIMEOUT(memorySettled.count() == 2, 60000);  // the preview
    auto* changes = child<ChangedTokenModel>(w.page);
    QVERIFY(changes->change()->preview);
    QCOMPARE(shownChanges(*changes), expectedChanges(*trained, expected->changed, false));
    QVERIFY(ended.count() > 0 || ended.wait(60000));
    QCOMPARE(ended.count(), 1);
    stopAsReference(w, *reference, middleThreshold(*w.page));
  }

  // An undo asked as the readying starts stops it first and is taken: the memory is the trained
  // one again, readied in the background in turn, and its stops answer as the unedited reference.
  void anUndoStopsTheReadyingFirst() {
    TrainedWindow w;
    std::unique_ptr<memlens::EditedMemory> reference;
    commitUnderKeptWeights(w, reference);
    if (QTest::currentTestFailed()) return;
    MemoryController* controller = w.controller;
    QSignalSpy stepShown(controller, &MemoryController::stepShown);
    QSignalSpy ended(controller, &MemoryController::readyingEnded);
    bool readying = false;
    connect(
        controller, &MemoryController::settled, this,
        [&] {
          readying = controller->isReadying();
          controller->undoAction()->trigger();
        },
        Qt::SingleShotConnection);
    QTest::mouseClick(child<QPushButton>(w.page, "memoryCommit"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(stepShown.count() == 2, 60000);  // the commit, then the undo
    QVERIFY(readying);
    QVERIFY(controller->edits().active.empty());
    // Then the undone memory is listed and readied in turn (when the first readying ended
    // before the undo could stop it, that end is already counted).
    const auto trained = controller->trained();
    QTRY_VERIFY_WITH_TIMEOUT(
        ended.count() > 0 && !controller->isReadying() && controller->memory() == trained, 60000);
    stopAsReference(w, *referenceMemory(trained, true), middleThreshold(*w.page));
  }
};

QTEST_MAIN(TestMemoryDragReadying)
#include "tst_memory_drag_readying.moc"
