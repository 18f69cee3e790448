#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTextBrowser>
#include <QtTest>
#include <algorithm>
#include <optional>

#include "compare/compare_snapshot.h"
#include "compare/compare_widget.h"
#include "compare/flip_table_model.h"
#include "corpus/corpus_text_view.h"
#include "inspect/inspect_widget.h"
#include "main_window.h"
#include "memlens/edited_memory.h"
#include "memlens/run_comparison.h"
#include "memlens/trace.h"
#include "memory/changed_token_model.h"
#include "memory/memory_browser_widget.h"
#include "memory_controller.h"
#include "small_experiment.h"
#include "window_workflow.h"

using memlens::gui::MainWindow;
using memlens::gui::MemoryController;

// The whole workflow of the window, as a user does it: open a corpus, train, click a test token
// on the Text tab, delete its nearest neighbour on the Memory tab, see its prediction flip in
// Inspect, undo, train a second memory and compare the two runs. Each answer is checked against
// the core computing the same thing on its own.
class TestEndToEnd : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void init() { QCoreApplication::setOrganizationName(QStringLiteral("MemLensTest")); }

  void openTrainInspectDeleteUndoCompare() {
    QTemporaryDir dir;
    MainWindow window;
    QVERIFY(
        memlens::test::showWithCorpus(window, dir, "g.txt", memlens::test::smallGrammarCorpus()));
    auto* controller = window.findChild<MemoryController*>();
    auto* text = window.findChild<memlens::views::CorpusTextView*>();
    auto* inspect = window.findChild<memlens::views::InspectWidget*>();
    auto* memoryPage = window.findChild<memlens::views::MemoryBrowserWidget*>();
    auto* compare = window.findChild<memlens::views::CompareWidget*>();
    auto* tabs = window.findChild<QTabWidget*>(QStringLiteral("tabs"));
    QVERIFY(controller && text && inspect && memoryPage && compare && tabs);
    QSignalSpy memorySettled(controller, &MemoryController::settled);
    QVERIFY(memlens::test::trainInWindow(window, memlens::Algorithm::kIb1));
    QVERIFY(memorySettled.count() > 0 || memorySettled.wait(60000));
    const std::shared_ptr<const memlens::Experiment> ib1 = controller->memory();
    QVERIFY(ib1);

    // A test token whose prediction changes when its nearest stored vector goes, found by the
    // core alone.
    auto reference = memlens::EditedMemory::create(
        std::shared_ptr<const memlens::TokenisedCorpus>(ib1, &ib1->corpus()), ib1->train(),
        ib1->test().slice(0, std::min(ib1->test().size(), MemoryController::kProbeTokens)),
        ib1->record().options.classifier);
    QVERIFY(reference.isOk());
    size_t index = 0;
    std::vector<uint32_t> nearest;
    std::optional<memlens::EditedMemory::Preview> expected;
    for (; index < (*reference)->probe().size(); ++index) {
      const memlens::Trace t = memlens::traceContext(*ib1, ib1->test().instance(index));
      memlens::MemoryEdit edit;
      edit.kind = memlens::EditKind::kDeleteVector;
      edit.features = t.buckets.front().neighbours.front().values;
      auto preview = (*reference)->preview(edit);
      QVERIFY(preview.isOk());
      if (std::any_of(preview->changed.begin(), preview->changed.end(),
                      [index](const memlens::ChangedToken& c) { return c.probeIndex == index; })) {
        nearest = edit.features;
        expected = std::move(*preview);
        break;
      }
    }
    QVERIFY2(expected, "some test token flips when its nearest neighbour is deleted");

    // Click it on the Text tab: Inspect shows that test token, the neighbour nearest.
    QSignalSpy inspected(&window, &MainWindow::inspected);
    tabs->setCurrentWidget(text);
    text->showToken(ib1->test().sources[index]);
    QVERIFY(text->browser()->toHtml().contains(
        QStringLiteral("token:%1").arg(ib1->test().sources[index])));
    Q_EMIT text->browser()->anchorClicked(
        QUrl(QStringLiteral("token:%1").arg(ib1->test().sources[index])));
    QVERIFY(inspected.wait(20000));
    QCOMPARE(tabs->currentWidget(), static_cast<QWidget*>(inspect));
    QCOMPARE(*inspect->snapshot()->token, ib1->test().sources[index]);
    QCOMPARE(inspect->snapshot()->neighbours.front().values, nearest);
    const uint32_t before = inspect->snapshot()->prediction;

    // Delete that neighbour: the preview lists exactly the core's changes; commit.
    const auto& vocab = ib1->corpus().vocab;
    QStringList words;
    for (uint32_t id : nearest) words << QString::fromStdString(std::string(vocab.text(id)));
    memorySettled.clear();
    QVERIFY(controller->previewDeletion(words.join(QLatin1Char(' '))));
    QVERIFY(memorySettled.wait(60000));
    const auto change = memoryPage->changes()->change();
    QVERIFY(change && change->preview);
    QCOMPARE(memoryPage->changes()->rowCount(), static_cast<int>(expected->changed.size()));
    QTest::mouseClick(memoryPage->commitButton(), Qt::LeftButton);
    QVERIFY(memorySettled.wait(60000));

    // The flip, seen in Inspect against the edited memory.
    inspected.clear();
    inspect->inspectTestToken(static_cast<int>(index));
    QVERIFY(inspected.wait(20000));
    const auto flipped =
        std::find_if(expected->changed.begin(), expected->changed.end(),
                     [index](const memlens::ChangedToken& c) { return c.probeIndex == index; });
    QCOMPARE(inspect->snapshot()->experiment, controller->memory());
    QCOMPARE(inspect->snapshot()->prediction, flipped->newClassId);
    QVERIFY(inspect->snapshot()->prediction != before);
    for (const auto& n : inspect->snapshot()->neighbours) QVERIFY(n.values != nearest);

    // Another k on Inspect retrains the edited memory, not the trained one.
    auto* k = inspect->findChild<QSpinBox*>(QStringLiteral("inspectK"));
    QVERIFY(k);
    inspected.clear();
    k->setValue(3);
    QVERIFY(inspected.wait(60000));
    QCOMPARE(inspect->snapshot()->experiment->record().options.classifier.k, 3);
    QVERIFY(controller->memory()->train().size() < ib1->train().size());
    QCOMPARE(inspect->snapshot()->experiment->train().size(), controller->memory()->train().size());
    inspected.clear();
    k->setValue(1);
    QVERIFY(inspected.wait(60000));

    // Undo (Ctrl+Z): the neighbour and the old prediction are back.
    tabs->setCurrentWidget(memoryPage);
    QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(memorySettled.wait(60000));
    inspected.clear();
    inspect->inspectTestToken(static_cast<int>(index));
    QVERIFY(inspected.wait(20000));
    QCOMPARE(inspect->snapshot()->prediction, before);
    QCOMPARE(inspect->snapshot()->neighbours.front().values, nearest);

    // A second memory, then Compare: the counts are compareRuns() on the two reports.
    memorySettled.clear();
    QVERIFY(memlens::test::trainInWindow(window, memlens::Algorithm::kIgTree));
    QVERIFY(memorySettled.count() > 0 || memorySettled.wait(60000));
    const std::shared_ptr<const memlens::Experiment> igtree = controller->memory();
    QCOMPARE(igtree->record().options.classifier.algorithm, memlens::Algorithm::kIgTree);
    tabs->setCurrentWidget(compare);
    compare->runABox()->setCurrentIndex(0);
    compare->runBBox()->setCurrentIndex(1);
    const memlens::RunComparison runs = memlens::compareRuns(ib1->report(), igtree->report());
    const auto shown = compare->flips()->snapshot();
    QVERIFY(shown);
    QCOMPARE(shown->comparison.shared, runs.shared);
    QCOMPARE(shown->comparison.bothRight, runs.bothRight);
    QCOMPARE(compare->flips()->rowCount(),
             static_cast<int>(runs.rightToWrong.size() + runs.wrongToRight.size()));
  }
};

QTEST_MAIN(TestEndToEnd)
#include "tst_end_to_end.moc"
