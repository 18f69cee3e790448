// A memory is usable before its evaluation ends: the vector memory on the KJV (an evaluation of
// minutes here) answers on the Inspect page while the Train page still shows live metrics on a
// growing sample, and Cancel keeps the sample measured so far as a partial run.
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QtTest>

#include "inspect/inspect_widget.h"
#include "main_window.h"
#include "train/train_options_widget.h"
#include "window_steps.h"

using memlens::gui::MainWindow;

class TestProgressiveWorkflow : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void init() { QCoreApplication::setOrganizationName(QStringLiteral("MemLensTest")); }

  void inspectsWhileEvaluatingAndKeepsTheSampleOnCancel() {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QSignalSpy settled(&window, &MainWindow::jobSettled);
    window.openPaths({QStringLiteral(MEMLENS_DEMO_CORPUS)});
    QVERIFY(settled.wait(120000));

    memlens::ExperimentOptions options;
    options.classifier.algorithm = memlens::Algorithm::kVectorMemory;
    window.findChild<memlens::views::TrainOptionsWidget*>()->setOptions(options);
    QSignalSpy ready(&window, &MainWindow::memoryReady);
    QSignalSpy live(&window, &MainWindow::evaluationUpdated);
    QVERIFY(memlens::steps::startTraining(window));
    QVERIFY(ready.wait(600000));
    QCOMPARE(settled.count(), 1);  // the opening only: the run goes on

    // The Inspect page answers from the memory while the evaluation runs.
    QSignalSpy inspected(&window, &MainWindow::inspected);
    auto* page = window.findChild<memlens::views::InspectWidget*>();
    memlens::steps::showTabOf(window, page);
    page->contextEdit()->setText(QStringLiteral("and the LORD spake unto"));
    QTest::keyClick(page->contextEdit(), Qt::Key_Return);
    QVERIFY(inspected.wait(120000));
    QVERIFY(page->snapshot());
    QCOMPARE(page->snapshot()->experiment->record().options.classifier.algorithm,
             memlens::Algorithm::kVectorMemory);
    auto* runs = window.findChild<QTableView*>(QStringLiteral("runTable"))->model();
    QCOMPARE(runs->rowCount(), 0);  // no run yet: its evaluation has not finished
    QCOMPARE(settled.count(), 1);

    // Live figures on a sample, with intervals; then Cancel keeps that sample.
    if (live.isEmpty()) QVERIFY(live.wait(120000));
    auto* accuracy = window.findChild<QLabel*>(QStringLiteral("accuracyValue"));
    auto* tokens = window.findChild<QLabel*>(QStringLiteral("testTokensValue"));
    QVERIFY2(accuracy->text().contains(QStringLiteral("–")), qPrintable(accuracy->text()));
    QVERIFY2(tokens->text().contains(QStringLiteral("random sample so far")),
             qPrintable(tokens->text()));
    QCOMPARE(runs->rowCount(), 0);
    QTest::keyClick(&window, Qt::Key_Escape);
    QVERIFY(settled.wait(120000));
    QCOMPARE(runs->rowCount(), 1);
    QVERIFY2(tokens->text().contains(QStringLiteral("cancelled, a random sample")),
             qPrintable(tokens->text()));
    QVERIFY2(window.statusBar()->currentMessage().contains(QStringLiteral("random sample")),
             qPrintable(window.statusBar()->currentMessage()));
  }
};

QTEST_MAIN(TestProgressiveWorkflow)
#include "tst_progressive_workflow.moc"
