#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QUndoStack>
#include <QUndoView>
#include <QtTest>
#include <functional>

#include "common/job_runner.h"
#include "common/token_text.h"
#include "compare/compare_snapshot.h"
#include "compare/compare_widget.h"
#include "compare/flip_table_model.h"
#include "find_child.h"
#include "generate/generate_widget.h"
#include "generate_controller.h"
#include "inspect/inspect_widget.h"
#include "main_window.h"
#include "memlens/edited_memory.h"
#include "memlens/option_names.h"
#include "memlens/pruning.h"
#include "memlens/run_comparison.h"
#include "memlens/trace.h"
#include "memlens/usage_census.h"
#include "memory/changed_token_model.h"
#include "memory/memory_browser_widget.h"
#include "memory/memory_table_model.h"
#include "memory_controller.h"
#include "memory_tab_checks.h"
#include "small_experiment.h"
#include "test_support.h"
#include "train/train_options_widget.h"
#include "trained_window.h"
#include "window_steps.h"

using memlens::gui::MainWindow;
using memlens::gui::MemoryController;
using memlens::test::child;
using memlens::test::expectedChanges;
using memlens::test::firstFlippingDeletion;
using memlens::test::predictions;
using memlens::test::previewFlippingDeletion;
using memlens::test::referenceMemory;
using memlens::test::shownChanges;
using memlens::test::trainAndPrepare;
using memlens::test::TrainedWindow;
using memlens::views::ChangedTokenModel;
using memlens::views::MemoryBrowserWidget;

class TestMemoryWorkflow : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void init() { QCoreApplication::setOrganizationName(QStringLiteral("MemLensTest")); }

  // Train, delete a vector through the tab, commit, inspect a flipped token, undo with Ctrl+Z.
  void deletesCommitsInspectsAndUndoes() {
    TrainedWindow w;
    trainAndPrepare(w, memlens::Algorithm::kIgTree);
    if (QTest::currentTestFailed()) return;
    MainWindow& window = w.window;
    MemoryBrowserWidget* page = w.page;
    auto* changeModel = child<ChangedTokenModel>(page);
    auto* deleteButton = child<QPushButton>(page, "memoryDelete");
    auto* commitButton = child<QPushButton>(page, "memoryCommit");
    auto* changeTable = child<QTableView>(page, "memoryChanges");
    MemoryController* controller = w.controller;
    QSignalSpy memorySettled(controller, &MemoryController::settled);
    const std::shared_ptr<const memlens::Experiment> trained = controller->memory();
    const memlens::InstanceBase& base = trained->classifier().memory();
    QCOMPARE(page->model()->rowCount(), static_cast<int>(base.vectorCount()));

    // The vector to delete: the first, by instances, whose deletion changes a probe prediction.
    const memlens::InstanceSet probe =
        trained->test().slice(0, std::min(trained->test().size(), MemoryController::kProbeTokens));
    auto reference = referenceMemory(trained);
    page->model()->sort(memlens::views::MemoryTableModel::kInstances, Qt::DescendingOrder);
    int row = 0;
    std::optional<memlens::EditedMemory::Preview> expected =
        firstFlippingDeletion(*page, base, *reference, row);
    QVERIFY(expected);

    // Select it and press Delete: the preview lists exactly the tokens EditedMemory names.
    window.findChild<QTabWidget*>(QStringLiteral("tabs"))->setCurrentWidget(page);
    child<QTableView>(page, "memoryTable")->selectRow(row);
    QVERIFY(deleteButton->isEnabled());
    QTest::mouseClick(deleteButton, Qt::LeftButton);
    QVERIFY(!deleteButton->isEnabled());  // busy: the GUI thread did not block on it
    QVERIFY(memorySettled.wait(60000));
    QVERIFY(changeModel->change() && changeModel->change()->preview);
    QCOMPARE(shownChanges(*changeModel), expectedChanges(*trained, expected->changed, false));
    QCOMPARE(changeModel->change()->slotsAfter, expected->slotsAfter);
    QVERIFY(commitButton->isEnabled());

    // Commit: the flips list shows the same tokens at once; then the edited memory is listed: it
    // is smaller, the table shows it, the journal has the step.
    QSignalSpy changed(controller, &MemoryController::memoryChanged);
    QSignalSpy stepShown(controller, &MemoryController::stepShown);
    std::shared_ptr<const memlens::Experiment> memoryWhenShown;
    connect(controller, &MemoryController::stepShown, this,
            [&] { memoryWhenShown = controller->memory(); });
    const auto settledBefore = memorySettled.count();
    QTest::mouseClick(commitButton, Qt::LeftButton);
    QVERIFY(stepShown.wait(60000));
    QCOMPARE(memoryWhenShown, trained);  // not listed yet
    QVERIFY(!changeModel->change()->preview);
    QCOMPARE(shownChanges(*changeModel), expectedChanges(*trained, expected->changed, false));
    QCOMPARE(controller->undoStack()->count(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(memorySettled.count() > settledBefore, 60000);
    QVERIFY2(changed.size() == 1,
             qPrintable(page->findChild<QLabel*>(QStringLiteral("memoryWork"))->text()));
    const auto edited = controller->memory();
    QCOMPARE(edited->classifier().memory().vectorCount(), expected->slotsAfter);
    QVERIFY(expected->slotsAfter < base.vectorCount());
    QCOMPARE(page->model()->rowCount(), static_cast<int>(expected->slotsAfter));
    QVERIFY(!changeModel->change()->preview);
    QCOMPARE(shownChanges(*changeModel), expectedChanges(*trained, expected->changed, false));
    QCOMPARE(controller->undoStack()->count(), 1);
    QVERIFY(controller->undoAction()->isEnabled());

    // A flipped token, double-clicked, is traced against the edited memory on the Inspect tab.
    QSignalSpy inspected(&window, &MainWindow::inspected);
    auto* inspect = window.findChild<memlens::views::InspectWidget*>();
    const QModelIndex first = changeModel->index(0, ChangedTokenModel::kContext);
    const QRect cell = changeTable->visualRect(first);
    QVERIFY2(changeTable->viewport()->rect().contains(cell.center()),
             qPrintable(QStringLiteral("%1,%2 in %3x%4")
                            .arg(cell.center().x())
                            .arg(cell.center().y())
                            .arg(changeTable->viewport()->width())
                            .arg(changeTable->viewport()->height())));
    QTest::mouseClick(changeTable->viewport(), Qt::LeftButton, {}, cell.center());
    QTest::mouseDClick(changeTable->viewport(), Qt::LeftButton, {}, cell.center());
    QVERIFY(inspected.wait(20000));
    QVERIFY(inspect->isVisible());
    QCOMPARE(inspect->snapshot()->experiment, edited);
    const memlens::ChangedToken& flip = expected->changed.front();
    QCOMPARE(*inspect->snapshot()->token, trained->test().sources[flip.probeIndex]);
    QCOMPARE(inspect->snapshot()->prediction,
             memlens::traceContext(*edited, trained->test().instance(flip.probeIndex))
                 .prediction.classId);
    QCOMPARE(inspect->snapshot()->prediction, flip.newClassId);

    // Ctrl+Z: back to the trained memory's predictions, and the flips are the same tokens back.
    QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(memorySettled.wait(60000));
    QCOMPARE(changed.size(), 2);
    const auto undone = controller->memory();
    QCOMPARE(undone->classifier().memory().vectorCount(), base.vectorCount());
    QCOMPARE(predictions(undone->classifier(), probe), predictions(trained->classifier(), probe));
    QCOMPARE(shownChanges(*changeModel), expectedChanges(*trained, expected->changed, true));
    QCOMPARE(controller->undoStack()->index(), 0);
    QVERIFY(controller->redoAction()->isEnabled());

    // Ctrl+Shift+Z redoes it.
    QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(memorySettled.wait(60000));
    QCOMPARE(controller->memory()->classifier().memory().vectorCount(), expected->slotsAfter);

    // A new training starts a new journal.
    auto* journal = page->findChild<QUndoView*>(QStringLiteral("memoryJournal"));
    QCOMPARE(journal->model()->rowCount(), 2);  // the trained memory and the edit
    QSignalSpy trainedAgain(&window, &MainWindow::jobSettled);
    const auto preparedBefore = memorySettled.count();
    QVERIFY(memlens::steps::startTraining(window));
    QVERIFY(trainedAgain.wait(60000));
    QCOMPARE(controller->undoStack()->count(), 0);
    QCOMPARE(journal->model()->rowCount(), 1);
    QVERIFY(!controller->undoAction()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(memorySettled.count() > preparedBefore, 60000);  // prepared again
    QCOMPARE(page->model()->rowCount(),
             static_cast<int>(controller->memory()->classifier().memory().vectorCount()));
  }

  // The user's own sentences as the probe set: chosen with Probe Set…, the flips of an edit are
  // those tokens', each double-clickable into Inspect; an empty answer goes back to the test part.
  void probesWithOwnSentences() {
    TrainedWindow w;
    trainAndPrepare(w, memlens::Algorithm::kIgTree);
    if (QTest::currentTestFailed()) return;
    MainWindow& window = w.window;
    MemoryBrowserWidget* page = w.page;
    auto* probeButton = child<QPushButton>(page, "memoryProbeSet");
    auto* summary = child<QLabel>(page, "memorySummary");
    auto* changes = child<ChangedTokenModel>(page);
    auto* changeTable = child<QTableView>(page, "memoryChanges");
    MemoryController* controller = w.controller;
    QSignalSpy memorySettled(controller, &MemoryController::settled);
    const auto trained = controller->memory();
    const QString sentences = QStringLiteral(
        "the cat sat on the mat .\na dog ran past the red door .\n\n"
        "my sister looked at a zebra .");
    const auto own = trained->corpus().instancesOf(sentences.toStdString(), trained->train().width);
    QVERIFY(own.isOk());
    QCOMPARE(own->size(), size_t{7 + 8 + 7});

    // Probe Set…, answered with the sentences.
    const auto answer = [](const QString& text) {
      QTimer::singleShot(0, [text] {
        auto* dialog = qobject_cast<QInputDialog*>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        dialog->setTextValue(text);
        dialog->accept();
      });
    };
    window.findChild<QTabWidget*>(QStringLiteral("tabs"))->setCurrentWidget(page);
    answer(sentences);
    QTest::mouseClick(probeButton, Qt::LeftButton);
    QVERIFY(memorySettled.wait(30000));
    QVERIFY2(summary->text().contains(QStringLiteral("on 22 tokens of your sentences")),
             qPrintable(summary->text()));

    // Deleting a vector flips exactly the sentence tokens a reference memory with that probe names.
    auto reference = std::move(*memlens::EditedMemory::create(
        std::shared_ptr<const memlens::TokenisedCorpus>(trained, &trained->corpus()),
        trained->train(), *own, trained->record().options.classifier));
    const memlens::InstanceBase& base = trained->classifier().memory();
    int row = 0;
    std::optional<memlens::EditedMemory::Preview> expected =
        firstFlippingDeletion(*page, base, *reference, row);
    QVERIFY(expected);
    child<QTableView>(page, "memoryTable")->selectRow(row);
    QTest::mouseClick(child<QPushButton>(page, "memoryDelete"), Qt::LeftButton);
    QVERIFY(memorySettled.wait(60000));
    QCOMPARE(shownChanges(*changes), expectedChanges(*trained, expected->changed, false));
    const memlens::ChangedToken& flip = expected->changed.front();
    const QModelIndex source = changes->index(0, ChangedTokenModel::kSource);
    QCOMPARE(source.data().toString(),
             QStringLiteral("line %1").arg(own->sources[flip.probeIndex]));
    QCOMPARE(changes->index(0, ChangedTokenModel::kTruth).data().toString(),
             QString::fromStdString(
                 std::string(trained->corpus().vocab.text(own->classes[flip.probeIndex]))));
    QTest::mouseClick(child<QPushButton>(page, "memoryCommit"), Qt::LeftButton);
    QVERIFY(memorySettled.wait(60000));
    QCOMPARE(shownChanges(*changes), expectedChanges(*trained, expected->changed, false));

    // Double-clicked, the flipped token is traced by its context against the edited memory.
    QSignalSpy inspected(&window, &MainWindow::inspected);
    const QRect cell = changeTable->visualRect(changes->index(0, ChangedTokenModel::kContext));
    QTest::mouseClick(changeTable->viewport(), Qt::LeftButton, {}, cell.center());
    QTest::mouseDClick(changeTable->viewport(), Qt::LeftButton, {}, cell.center());
    QVERIFY(inspected.wait(20000));
    auto* inspect = window.findChild<memlens::views::InspectWidget*>();
    QCOMPARE(inspect->snapshot()->experiment, controller->memory());
    QVERIFY(!inspect->snapshot()->token);
    QCOMPARE(inspect->snapshot()->prediction, flip.newClassId);

    // An empty answer probes with the held-out test tokens again.
    window.findChild<QTabWidget*>(QStringLiteral("tabs"))->setCurrentWidget(page);
    answer(QString());
    QTest::mouseClick(probeButton, Qt::LeftButton);
    QVERIFY(memorySettled.wait(30000));
    const size_t held = std::min(trained->test().size(), MemoryController::kProbeTokens);
    QVERIFY2(summary->text().contains(QStringLiteral("on %1 test tokens")
                                          .arg(QLocale().toString(static_cast<qulonglong>(held)))),
             qPrintable(summary->text()));
  }

  // The Prune panel previews what planPrune plans, and commits it as one undoable step.
  void prunesAsOneStep() {
    TrainedWindow w;
    trainAndPrepare(w, memlens::Algorithm::kIb1);
    if (QTest::currentTestFailed()) return;
    MemoryBrowserWidget* page = w.page;
    auto* changes = child<ChangedTokenModel>(page);
    MemoryController* controller = w.controller;
    QSignalSpy memorySettled(controller, &MemoryController::settled);
    const auto trained = controller->memory();

    // The table's usage census is the core's over the first validation tokens, taken after the
    // table is shown.
    if (page->model()->snapshot()->usage.empty())
      QVERIFY(QSignalSpy(controller, &MemoryController::usageCounted).wait(60000));
    const auto shown = page->model()->snapshot();
    QCOMPARE(shown->experiment, trained);
    const memlens::InstanceSet& validation = trained->validation();
    const size_t tokens = std::min(validation.size(), MemoryController::kProbeTokens);
    QVERIFY(tokens > 0);
    QCOMPARE(shown->usageTokens, uint64_t{tokens});
    const auto census = memlens::usageCensus(trained->classifier(), validation.slice(0, tokens));
    QVERIFY(census.isOk());
    QCOMPARE(shown->usage.size(), census->size());
    for (size_t i = 0; i < census->size(); ++i)
      QCOMPARE(shown->usage[i].neighbourCount, (*census)[i].neighbourCount);

    memlens::PruneOptions options;
    options.strategy = memlens::PruneStrategy::kRandom;
    options.keepFraction = 0.7;
    options.seed = 5;
    auto reference = referenceMemory(trained);
    auto plan = memlens::planPrune(*reference, options);
    QVERIFY2(plan.isOk(), plan.status().message().c_str());
    auto expected = reference->preview(*plan);
    QVERIFY(expected.isOk());

    QComboBox* strategy = child<QComboBox>(page, "pruneStrategy");
    strategy->setCurrentIndex(
        strategy->findText(QString::fromLatin1(memlens::optionLabel(options.strategy))));
    page->findChild<QDoubleSpinBox*>(QStringLiteral("pruneKeep"))->setValue(options.keepFraction);
    page->findChild<QSpinBox*>(QStringLiteral("pruneSeed"))
        ->setValue(static_cast<int>(options.seed));
    QTest::mouseClick(child<QPushButton>(page, "prunePreview"), Qt::LeftButton);
    QVERIFY(memorySettled.wait(60000));
    const auto preview = changes->change();
    QVERIFY(preview && preview->preview);
    QCOMPARE(preview->slotsAfter, expected->slotsAfter);
    QCOMPARE(shownChanges(*changes), expectedChanges(*trained, expected->changed, false));
    QTest::mouseClick(child<QPushButton>(page, "memoryCommit"), Qt::LeftButton);
    QVERIFY(memorySettled.wait(60000));
    QCOMPARE(controller->memory()->classifier().memory().vectorCount(), expected->slotsAfter);
    // Planned without its instances listed (as a drag's stop is), committed with them.
    QCOMPARE(controller->edits().active.back().sources, plan->sources);
    QCOMPARE(controller->undoStack()->count(), 1);
    QVERIFY(child<QLabel>(page, "memorySummary")
                ->text()
                .contains(QLocale().toString(expected->slotsAfter)));
    // Under recomputed weights a count-threshold stop retrains: after the commit it has no drag
    // to ready, and does not say it does.
    QVERIFY(!controller->keepTrainedWeights());
    memlens::PruneOptions stop;
    stop.strategy = memlens::PruneStrategy::kCountThreshold;
    stop.minCount = 2;
    Q_EMIT page->prunePreviewRequested(stop);
    QVERIFY(controller->isRunning());
    QVERIFY(!child<QLabel>(page, "memoryWork")->text().startsWith(QStringLiteral("Readying")));
    QVERIFY(memorySettled.wait(60000));
  }

  // The corpus-prefix strategy ranges over the memory's instances and says where a prefix ends
  // once it is picked (the Memory tab reads the training instances for it only then).
  void showsWhereACorpusPrefixEnds() {
    TrainedWindow w;
    trainAndPrepare(w, memlens::Algorithm::kIb1);
    if (QTest::currentTestFailed()) return;
    MemoryBrowserWidget* page = w.page;
    const memlens::Experiment& memory = *page->model()->snapshot()->experiment;
    const memlens::InstanceSet& train = memory.train();
    auto* instances = child<QSpinBox>(page, "pruneInstances");
    QCOMPARE(static_cast<size_t>(instances->maximum()), train.size() - 1);
    QComboBox* strategy = child<QComboBox>(page, "pruneStrategy");
    strategy->setCurrentIndex(strategy->findText(
        QString::fromLatin1(memlens::optionLabel(memlens::PruneStrategy::kPrefix))));
    instances->setValue(static_cast<int>(train.size() / 3));
    QCOMPARE(
        child<QLabel>(page, "pruneInstancesPosition")->text(),
        QStringLiteral("of %1, up to %2")
            .arg(QLocale().toString(static_cast<qulonglong>(train.size())),
                 memlens::views::sourceText(memory.corpus(), train.sources[train.size() / 3 - 1])));
  }

  // Dragging the count threshold previews it live: a preview still running when the slider
  // moves on is replaced, and the one shown at the end is the last threshold's; with live
  // previews off a drag previews nothing.
  void previewsLiveWhileDragging() {
    TrainedWindow w;
    trainAndPrepare(w, memlens::Algorithm::kIb1);
    if (QTest::currentTestFailed()) return;
    MemoryBrowserWidget* page = w.page;
    MemoryController* controller = w.controller;
    auto* changes = child<ChangedTokenModel>(page);
    QSignalSpy memorySettled(controller, &MemoryController::settled);
    QComboBox* strategy = child<QComboBox>(page, "pruneStrategy");
    strategy->setCurrentIndex(strategy->findText(
        QString::fromLatin1(memlens::optionLabel(memlens::PruneStrategy::kCountThreshold))));
    // A threshold that prunes about half the vectors of this small memory.
    const auto& shown = *page->model()->snapshot();
    std::vector<uint32_t> counts;
    for (uint32_t id = 0; id < shown.vectorCount(); ++id) counts.push_back(shown.instanceCount(id));
    std::ranges::sort(counts);
    const int threshold = static_cast<int>(counts[counts.size() / 2]) + 1;
    QVERIFY(threshold >= 4);
    memlens::PruneOptions options;
    options.strategy = memlens::PruneStrategy::kCountThreshold;
    options.minCount = static_cast<uint32_t>(threshold);
    auto reference = referenceMemory(controller->memory());
    auto plan = memlens::planPrune(*reference, options);
    QVERIFY2(plan.isOk(), plan.status().message().c_str());
    auto expected = reference->preview(*plan);
    QVERIFY(expected.isOk());

    auto* slider = child<QSlider>(page, "pruneMinCountSlider");
    auto* live = child<QCheckBox>(page, "pruneLive");
    memlens::steps::showTabOf(w.window, page);
    QVERIFY(slider->isVisible() && live->isChecked());
    live->setChecked(false);
    child<QSpinBox>(page, "pruneMinCount")->setValue(threshold - 3);
    QCOMPARE(slider->value(), threshold - 3);
    live->setChecked(true);
    slider->setFocus();
    QTest::keyClick(slider, Qt::Key_Right);
    QTRY_VERIFY_WITH_TIMEOUT(controller->isRunning() || memorySettled.count() > 0, 5000);
    QTest::keyClick(slider, Qt::Key_Right);  // while the last one may still be previewed
    QTest::keyClick(slider, Qt::Key_Right);
    QCOMPARE(child<QSpinBox>(page, "pruneMinCount")->value(), threshold);
    // However the earlier previews went (replaced, or finished first), the last one is shown.
    const auto shownIsLast = [&] {
      const auto c = changes->change();
      return !controller->isRunning() && c && c->preview && c->slotsAfter == expected->slotsAfter;
    };
    QTRY_VERIFY_WITH_TIMEOUT(shownIsLast(), 60000);
    const auto preview = changes->change();
    QCOMPARE(shownChanges(*changes),
             expectedChanges(*controller->memory(), expected->changed, false));

    // Asked again before the window's thread has seen the first preview end (so it still runs):
    // the first is replaced, not shown, and only the second settles.
    auto lower = options;
    lower.minCount = static_cast<uint32_t>(threshold - 1);
    const auto before = memorySettled.count();
    Q_EMIT page->prunePreviewRequested(options);
    QVERIFY(controller->isRunning());
    Q_EMIT page->prunePreviewRequested(lower);
    QTRY_VERIFY_WITH_TIMEOUT(!controller->isRunning(), 60000);
    QCOMPARE(memorySettled.count(), before + 1);
    auto plannedLower = memlens::planPrune(*reference, lower);
    QVERIFY(plannedLower.isOk());
    auto expectedLower = reference->preview(*plannedLower);
    QVERIFY(expectedLower.isOk());
    QVERIFY(expectedLower->slotsAfter != expected->slotsAfter);
    QCOMPARE(changes->change()->slotsAfter, expectedLower->slotsAfter);

    live->setChecked(false);
    const auto seen = memorySettled.count();
    QTest::keyClick(slider, Qt::Key_Right);
    QTest::qWait(1000);
    QVERIFY(!controller->isRunning());
    QCOMPARE(memorySettled.count(), seen);
    QCOMPARE(changes->change()->slotsAfter, expectedLower->slotsAfter);
    QVERIFY(changes->change() != preview);
  }

  // The weights mode is on the page; chosen before any edit, the edits keep the trained weights,
  // and it cannot be switched while an edit is in effect.
  void keepsTrainedWeightsWhenChosen() {
    TrainedWindow w;
    trainAndPrepare(w, memlens::Algorithm::kIb1);
    if (QTest::currentTestFailed()) return;
    MemoryBrowserWidget* page = w.page;
    MemoryController* controller = w.controller;
    QSignalSpy memorySettled(controller, &MemoryController::settled);
    const auto trained = controller->memory();
    auto* mode = child<QComboBox>(page, "memoryWeightsMode");
    QVERIFY(mode->isEnabled());
    QCOMPARE(mode->currentData().toBool(), false);  // recomputed, as projects by default
    QVERIFY(!controller->keepTrainedWeights());
    // Only a memory that recomputing would retrain for long keeps its weights by default.
    QVERIFY(!MemoryController::keepsWeightsByDefault(trained->record().trainInstances));
    QVERIFY(MemoryController::keepsWeightsByDefault(MemoryController::kKeepWeightsFrom + 1));
    mode->setFocus();
    QTest::keyClick(mode, Qt::Key_Down);  // "kept as trained", as a user picks it
    QVERIFY(controller->keepTrainedWeights());
    QVERIFY(memorySettled.wait(60000));  // prepared again in the new mode

    // The reference deletes with the trained weights fixed, as the tab should.
    auto reference = referenceMemory(trained, true);
    auto expected = previewFlippingDeletion(page, controller, *trained, *reference);
    QVERIFY(expected);
    QCOMPARE(shownChanges(*child<ChangedTokenModel>(page)),
             expectedChanges(*trained, expected->changed, false));
    QTest::mouseClick(child<QPushButton>(page, "memoryCommit"), Qt::LeftButton);
    QVERIFY(memorySettled.wait(60000));
    QCOMPARE(controller->memory()->classifier().weights(), trained->classifier().weights());
    QVERIFY(!mode->isEnabled());
    QCOMPARE(mode->currentData().toBool(), true);
    controller->undoAction()->trigger();
    QVERIFY(memorySettled.wait(60000));
    QVERIFY(mode->isEnabled());
  }

  // The trained memory is listed at once; a row picked before its usage census lands stays
  // selected when the census fills the Used column, and Delete works on it (a reset of the table
  // dropped the selection and greyed Delete out).
  void keepsTheSelectionWhenTheCensusLands() {
    TrainedWindow w;
    auto* page = w.window.findChild<MemoryBrowserWidget*>();
    auto* table = child<QTableView>(page, "memoryTable");
    auto* deleteButton = child<QPushButton>(page, "memoryDelete");
    QSignalSpy counted(w.window.findChild<MemoryController*>(), &MemoryController::usageCounted);
    // Each memory training lists (the last one is the evaluated memory) is picked from at once.
    connect(page->model(), &QAbstractItemModel::modelReset, this, [&] {
      if (page->model()->rowCount() >= 2 && page->model()->snapshot()->usage.empty())
        table->selectRow(1);
    });
    trainAndPrepare(w, memlens::Algorithm::kIb1);
    if (QTest::currentTestFailed()) return;
    QVERIFY(counted.count() > 0 || counted.wait(60000));
    QVERIFY(!page->model()->snapshot()->usage.empty());
    QVERIFY(table->selectionModel()->isRowSelected(1));
    QVERIFY(deleteButton->isEnabled());
    QSignalSpy memorySettled(w.controller, &MemoryController::settled);
    QTest::mouseClick(deleteButton, Qt::LeftButton);
    QVERIFY(memorySettled.wait(60000));
    QVERIFY(child<ChangedTokenModel>(page)->change()->preview);
    QVERIFY(table->selectionModel()->isRowSelected(1));
    QVERIFY(deleteButton->isEnabled());
  }

  // The window hands the tab the memory again once its evaluation ends (Experiment::evaluated()
  // shares it): the tab keeps the session, table and census it has, prepared and counted once,
  // and from then on hands on the evaluated memory, report and all, also after an edit undone.
  void preparesTheEvaluatedMemoryOnce() {
    TrainedWindow w;
    auto* controller = w.window.findChild<MemoryController*>();
    const auto runners = controller->findChildren<memlens::views::JobRunner*>();
    QCOMPARE(runners.size(), qsizetype{2});  // the edits' and the census's
    int jobs = 0;
    for (memlens::views::JobRunner* runner : runners)
      connect(runner, &memlens::views::JobRunner::finished, this, [&jobs] { ++jobs; });
    QSignalSpy counted(controller, &MemoryController::usageCounted);
    trainAndPrepare(w, memlens::Algorithm::kIb1);
    if (QTest::currentTestFailed()) return;
    QVERIFY(counted.count() > 0 || counted.wait(60000));
    QTRY_VERIFY_WITH_TIMEOUT(!controller->isRunning(), 60000);
    QTest::qWait(500);  // for a second preparation or census to end
    QCOMPARE(jobs, 2);
    QCOMPARE(counted.count(), 1);
    const std::shared_ptr<const memlens::Experiment> memory = controller->memory();
    QVERIFY(memory->report().complete);
    QCOMPARE(controller->trained(), memory);
    QCOMPARE(w.page->model()->snapshot()->experiment, memory);

    // Compare's run is the memory's report; Generate continues from the memory.
    auto* compare = w.window.findChild<memlens::views::CompareWidget*>();
    Q_EMIT compare->comparisonRequested(0, 0);  // the one run, with itself
    QTRY_VERIFY(compare->flips()->snapshot());
    QCOMPARE(compare->flips()->snapshot()->comparison.shared,
             memlens::compareRuns(memory->report(), memory->report()).shared);
    auto* generate = w.window.findChild<memlens::views::GenerateWidget*>();
    QSignalSpy generated(w.window.findChild<memlens::gui::GenerateController*>(),
                         &memlens::gui::GenerateController::settled);
    child<QLineEdit>(generate, "generatePrompt")->setText(QStringLiteral("the old man"));
    QTest::mouseClick(child<QPushButton>(generate, "generateButton"), Qt::LeftButton);
    QVERIFY(generated.wait(20000));
    QCOMPARE(generate->snapshot()->experiment, memory);

    // An edit undone gives back the evaluated memory, not the session's from before it.
    QSignalSpy memorySettled(controller, &MemoryController::settled);
    child<QTableView>(w.page, "memoryTable")->selectRow(0);
    QTest::mouseClick(child<QPushButton>(w.page, "memoryDelete"), Qt::LeftButton);
    QVERIFY(memorySettled.wait(60000));
    QTest::mouseClick(child<QPushButton>(w.page, "memoryCommit"), Qt::LeftButton);
    QVERIFY(memorySettled.wait(60000));
    QVERIFY(controller->memory() != memory);
    QTest::keyClick(&w.window, Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(memorySettled.wait(60000));
    QCOMPARE(controller->memory(), memory);
    QTest::mouseClick(child<QPushButton>(generate, "generateButton"), Qt::LeftButton);
    QVERIFY(generated.wait(20000));
    QCOMPARE(generate->snapshot()->experiment, memory);
  }
};

QTEST_MAIN(TestMemoryWorkflow)
#include "tst_memory_workflow.moc"
