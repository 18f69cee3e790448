#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QtTest>
#include <string>

#include "gui_watchdog.h"
#include "main_window.h"
#include "test_support.h"
#include "train/learning_curve_chart.h"
#include "train/run_table_model.h"
#include "train/train_options_widget.h"

using memlens::gui::MainWindow;
using memlens::views::LearningCurveChart;
using memlens::views::RunTableModel;
using memlens::views::TrainOptionsWidget;

namespace {

// 600 lines of a tiny grammar, picked by a fixed linear congruential generator: repetitive
// enough for a memory to predict something, varied enough that it cannot predict everything.
std::string smallCorpus() {
  const char* subjects[] = {"the cat", "a dog", "the old man", "my sister", "the bird"};
  const char* verbs[] = {"sat on", "looked at", "walked to", "slept near", "ran past"};
  const char* objects[] = {"the mat", "the house", "a tree", "the river", "the red door"};
  uint32_t state = 12345;
  auto pick = [&state](int n) {
    state = state * 1103515245u + 12345u;
    return static_cast<int>((state >> 16) % static_cast<uint32_t>(n));
  };
  std::string text;
  for (int line = 0; line < 600; ++line) {
    text += std::string(subjects[pick(5)]) + " " + verbs[pick(5)] + " " + objects[pick(5)] +
            " and then " + verbs[pick(5)] + " " + objects[pick(5)] + " .\n";
  }
  return text;
}

// 20,000 lines of random words from a vocabulary of 3,000: a corpus no memory trains on in the
// instant between a Train and an Esc key press.
std::string largeCorpus() {
  uint32_t state = 777;
  std::string text;
  for (int line = 0; line < 20000; ++line) {
    for (int word = 0; word < 12; ++word) {
      state = state * 1103515245u + 12345u;
      text += "w" + std::to_string((state >> 8) % 3000u) + (word < 11 ? " " : "\n");
    }
  }
  return text;
}

}  // namespace

class TestTrainWorkflow : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void init() { QCoreApplication::setOrganizationName(QStringLiteral("MemLensTest")); }

  void trainsShowsTheRunAndCancelsTheNext() {
    QTemporaryDir dir;
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    auto* options = window.findChild<TrainOptionsWidget*>();
    auto* trainButton = window.findChild<QPushButton*>(QStringLiteral("trainButton"));
    auto* runTable = window.findChild<QTableView*>(QStringLiteral("runTable"));
    auto* chart = window.findChild<LearningCurveChart*>();
    QVERIFY(options && trainButton && runTable && chart);
    QVERIFY2(!trainButton->isEnabled(), "nothing to train on before a corpus is open");

    QSignalSpy settled(&window, &MainWindow::jobSettled);
    window.openPaths(
        {QString::fromStdString(memlens::test::writeFile(dir, "small.txt", smallCorpus()))});
    QVERIFY(settled.wait(30000));
    QVERIFY(trainButton->isEnabled());

    memlens::ExperimentOptions igtree;
    igtree.classifier.algorithm = memlens::Algorithm::kIgTree;
    options->setOptions(igtree);
    {
      memlens::test::GuiWatchdog watchdog;
      QTest::mouseClick(trainButton, Qt::LeftButton);
      QVERIFY(!trainButton->isEnabled());  // one job at a time
      QVERIFY(settled.wait(60000));
      QVERIFY2(watchdog.worstGap() < memlens::test::GuiWatchdog::kLimitMs,
               qPrintable(QStringLiteral("GUI thread blocked for %1 ms").arg(watchdog.worstGap())));
    }
    const QAbstractItemModel* runs = runTable->model();
    QCOMPARE(runs->rowCount(), 1);
    const int sortKey = static_cast<int>(RunTableModel::Role::SortKey);
    const double accuracy = runs->index(0, RunTableModel::kAccuracy).data(sortKey).toDouble();
    QVERIFY2(accuracy > 0.0 && accuracy <= 1.0, qPrintable(QString::number(accuracy)));
    QCOMPARE(runs->index(0, RunTableModel::kAlgorithm).data().toString(), QStringLiteral("igtree"));
    QVERIFY(chart->accuracySeries()->count() >= 1);
    const int points = chart->accuracySeries()->count();
    auto* memory = window.findChild<QLabel*>(QStringLiteral("memoryLabel"));
    QVERIFY(memory && memory->text().contains(QStringLiteral("vectors")));
    const QString memoryText = memory->text();
    auto* accuracyFigure = window.findChild<QLabel*>(QStringLiteral("accuracyValue"));
    QVERIFY(accuracyFigure);
    const QString accuracyText = accuracyFigure->text();
    QCOMPARE(accuracyText, QLocale().toString(accuracy, 'f', 4));

    // A second run, cancelled with Esc before it can finish: the first run stays as it was.
    // It runs on a larger corpus, since the small one trains faster than a key press.
    window.openPaths(
        {QString::fromStdString(memlens::test::writeFile(dir, "large.txt", largeCorpus()))});
    QVERIFY(settled.wait(30000));
    options->setOptions(igtree);
    QTest::keyClick(&window, Qt::Key_T, Qt::ControlModifier);
    QVERIFY(!trainButton->isEnabled());
    QTest::keyClick(&window, Qt::Key_Escape);
    QVERIFY(settled.wait(60000));
    QVERIFY2(window.statusBar()->currentMessage().contains(QStringLiteral("Cancelled")),
             qPrintable(window.statusBar()->currentMessage()));
    QCOMPARE(runs->rowCount(), 1);
    QCOMPARE(runs->index(0, RunTableModel::kAccuracy).data(sortKey).toDouble(), accuracy);
    QCOMPARE(chart->accuracySeries()->count(), points);
    QCOMPARE(memory->text(), memoryText);
    QCOMPARE(accuracyFigure->text(), accuracyText);
    QVERIFY(trainButton->isEnabled());
  }
};

QTEST_MAIN(TestTrainWorkflow)
#include "tst_train_workflow.moc"
