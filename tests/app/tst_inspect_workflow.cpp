#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QTableView>
#include <QtTest>
#include <string>

#include "find_child.h"
#include "inspect/inspect_widget.h"
#include "inspect/neighbour_table_model.h"
#include "inspect_controller.h"
#include "main_window.h"
#include "memlens/trace.h"
#include "small_experiment.h"
#include "test_support.h"
#include "train/train_options_widget.h"
#include "window_steps.h"

using memlens::gui::InspectController;
using memlens::gui::MainWindow;
using memlens::test::child;
using memlens::views::InspectWidget;

namespace {

QString tokenText(const memlens::Experiment& e, uint32_t id) {
  return QString::fromStdString(std::string(e.corpus().vocab.text(id)));
}

// What the page should show for typed `text`: the core's trace of its last width tokens.
memlens::Trace traceOfText(const memlens::Experiment& e, const std::string& text) {
  const auto ids = e.corpus().encode(text);
  if (!ids) qFatal("%s", ids.status().message().c_str());
  return memlens::traceContext(
      e, memlens::contextWindow(*ids, e.record().options.window.width, e.corpus().paddingId));
}

// Trains `algorithm` at width 3 from the window's Train page (other tests leave other options in
// the settings); true once the training job settled.
bool train(MainWindow& window, QSignalSpy& settled, memlens::Algorithm algorithm) {
  memlens::ExperimentOptions options;
  options.window.width = 3;
  options.classifier.algorithm = algorithm;
  window.findChild<memlens::views::TrainOptionsWidget*>()->setOptions(options);
  return memlens::steps::startTraining(window) && settled.wait(60000);
}

// Opens the small grammar corpus, trains `algorithm` and inspects "the old man" as a user would
// (Ctrl+I, type, Enter); true once the page shows its answer.
bool trainAndInspect(MainWindow& window, const QTemporaryDir& dir, memlens::Algorithm algorithm) {
  auto* page = window.findChild<InspectWidget*>();
  QSignalSpy settled(&window, &MainWindow::jobSettled);
  window.openPaths({QString::fromStdString(
      memlens::test::writeFile(dir, "g.txt", memlens::test::smallGrammarCorpus()))});
  if (!settled.wait(30000) || !train(window, settled, algorithm)) return false;
  QSignalSpy inspected(&window, &MainWindow::inspected);
  QTest::keyClick(&window, Qt::Key_I, Qt::ControlModifier);
  QTest::keyClicks(page->contextEdit(), QStringLiteral("the old man"));
  QTest::keyClick(page->contextEdit(), Qt::Key_Return);
  return inspected.wait(20000);
}

}  // namespace

class TestInspectWorkflow : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void init() { QCoreApplication::setOrganizationName(QStringLiteral("MemLensTest")); }

  // Train, type a context, pick a test token, change k: each answer on the page is the one
  // traceContext() gives for the memory it names.
  void inspectsTypedContextsAndTestTokens() {
    QTemporaryDir dir;
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    auto* page = window.findChild<InspectWidget*>();
    auto* predictionLabel = child<QLabel>(page, "predictionLabel");
    auto* controller = window.findChild<InspectController*>();
    QVERIFY(page && controller);
    auto* empty = page->findChild<QLabel*>(QStringLiteral("inspectEmpty"));
    QVERIFY(empty);

    QSignalSpy settled(&window, &MainWindow::jobSettled);
    window.openPaths({QString::fromStdString(
        memlens::test::writeFile(dir, "g.txt", memlens::test::smallGrammarCorpus()))});
    QVERIFY(settled.wait(30000));
    QTest::keyClick(&window, Qt::Key_I, Qt::ControlModifier);
    QVERIFY2(empty->isVisible(), "before training the page says to train first");
    QVERIFY(!page->contextEdit()->isVisible());
    QVERIFY(train(window, settled, memlens::Algorithm::kIb1));

    // Ctrl+I puts the cursor in the context field; Enter asks for the trace.
    QSignalSpy inspected(&window, &MainWindow::inspected);
    QTest::keyClick(&window, Qt::Key_I, Qt::ControlModifier);
    QVERIFY(!empty->isVisible());
    QCOMPARE(QApplication::focusWidget(), page->contextEdit());
    QTest::keyClicks(page->contextEdit(), QStringLiteral("the old man"));
    QTest::keyClick(page->contextEdit(), Qt::Key_Return);
    QVERIFY(inspected.wait(20000));
    auto snapshot = page->snapshot();
    QVERIFY(snapshot);
    const memlens::Experiment& trained = *snapshot->experiment;
    const memlens::Trace expected = traceOfText(trained, "the old man");
    QCOMPARE(predictionLabel->text(), tokenText(trained, expected.prediction.classId));
    QCOMPARE(snapshot->context, expected.context);
    QVERIFY(page->neighbours()->rowCount() > 0);

    // A test token: its context and its true next token.
    child<QSpinBox>(page, "inspectTestToken")->setValue(5);
    QVERIFY(inspected.wait(20000));
    snapshot = page->snapshot();
    const auto context = trained.test().instance(5);
    QCOMPARE(snapshot->target, trained.test().classes[5]);
    QCOMPARE(predictionLabel->text(),
             tokenText(trained, memlens::traceContext(trained, context).prediction.classId));

    // Another k retrains a memory for the page; the answer is that memory's.
    auto* k = page->findChild<QSpinBox*>(QStringLiteral("inspectK"));
    QVERIFY(k && k->isVisible());
    k->setValue(4);
    QVERIFY(inspected.wait(60000));
    snapshot = page->snapshot();
    QCOMPARE(snapshot->experiment->record().options.classifier.k, 4);
    QVERIFY(snapshot->experiment.get() != &trained);
    const memlens::Trace variant = memlens::traceContext(*snapshot->experiment, context);
    QCOMPARE(predictionLabel->text(), tokenText(trained, variant.prediction.classId));
    QCOMPARE(static_cast<size_t>(snapshot->neighbours.back().bucket), variant.buckets.size());
  }

  // Replay: the slider traces against the memory of the first N training instances in corpus
  // order, which answers as a memory trained on them alone; at its end, the trained memory again.
  void replaysTheMemoryAsItWas() {
    QTemporaryDir dir;
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    auto* page = window.findChild<InspectWidget*>();
    QVERIFY(trainAndInspect(window, dir, memlens::Algorithm::kIgTree));
    QSignalSpy inspected(&window, &MainWindow::inspected);
    const std::shared_ptr<const memlens::Experiment> trained = page->snapshot()->experiment;
    const memlens::InstanceSet& train = trained->train();
    QVERIFY(std::ranges::is_sorted(train.sources));  // corpus order

    auto* replay = child<QSlider>(page, "inspectReplay");
    QVERIFY(replay->isVisible());
    QCOMPARE(static_cast<size_t>(replay->maximum()), train.size());
    QCOMPARE(replay->value(), replay->maximum());
    for (const size_t n : {size_t{7}, train.size() / 3}) {
      replay->setFocus();
      replay->setValue(static_cast<int>(n));
      QVERIFY(inspected.wait(60000));
      const auto snapshot = page->snapshot();
      QCOMPARE(snapshot->experiment->classifier().memory().instanceCount(), uint64_t{n});
      auto alone = std::move(*memlens::createClassifier(trained->record().options.classifier));
      QVERIFY(alone->train(train.slice(0, n)).isOk());
      const auto context = memlens::contextWindow(*trained->corpus().encode("the old man"), 3,
                                                  trained->corpus().paddingId);
      memlens::InstanceSet query;
      query.width = 3;
      query.features = context;
      query.classes = {0};
      query.sources = {0};
      QCOMPARE(snapshot->prediction, (*alone->predict(query))[0].classId);
      QVERIFY2(child<QLabel>(page, "inspectReplayText")
                   ->text()
                   .startsWith(QStringLiteral("the first %1 of")
                                   .arg(QLocale().toString(static_cast<qulonglong>(n)))),
               qPrintable(child<QLabel>(page, "inspectReplayText")->text()));
    }
    QTest::keyClick(replay, Qt::Key_End);
    QVERIFY(inspected.wait(60000));
    QCOMPARE(page->snapshot()->experiment, trained);
  }

  // IGTree: the page shows the stored vectors under the node that answered, and their provenance.
  void inspectsTheIgTreeNodesVectors() {
    QTemporaryDir dir;
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    auto* page = window.findChild<InspectWidget*>();
    auto* provenance = child<QListWidget>(page, "provenanceList");
    QVERIFY(trainAndInspect(window, dir, memlens::Algorithm::kIgTree));
    const auto snapshot = page->snapshot();
    QVERIFY(snapshot && snapshot->nodeEvidence);
    const memlens::Trace expected = traceOfText(*snapshot->experiment, "the old man");
    QVERIFY(!expected.evidence.shown.empty());
    QCOMPARE(page->neighbours()->rowCount(), static_cast<int>(expected.evidence.shown.size()));
    QVERIFY(child<QTableView>(page, "neighbourTable")->isVisible());
    QVERIFY(child<QLabel>(page, "nodeEvidenceLabel")->isVisible());
    QVERIFY(provenance->isVisible());
    QVERIFY(provenance->count() > 0);  // the first row is selected with the page
  }
};

QTEST_MAIN(TestInspectWorkflow)
#include "tst_inspect_workflow.moc"
