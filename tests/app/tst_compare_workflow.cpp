#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMenu>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QtTest>
#include <algorithm>
#include <string>

#include "compare/compare_widget.h"
#include "compare/flip_table_model.h"
#include "export_menu.h"
#include "inspect/inspect_widget.h"
#include "main_window.h"
#include "memlens/run_comparison.h"
#include "window_workflow.h"

using memlens::gui::MainWindow;
using memlens::views::CompareWidget;
using memlens::views::FlipTableModel;
using memlens::views::InspectWidget;

namespace {

// 600 lines of 3 to 9 words drawn (by a fixed generator) from 40, the low ones far likelier: many
// test contexts were never stored, so IB1's nearest neighbours and IGTree's defaults part ways.
std::string noisyCorpus() {
  uint32_t state = 99;
  auto next = [&state](uint32_t n) {
    state = state * 1103515245u + 12345u;
    return (state >> 16) % n;
  };
  std::string text;
  for (int line = 0; line < 600; ++line) {
    const uint32_t words = 3 + next(7);
    for (uint32_t w = 0; w < words; ++w) {
      const uint32_t word = std::min(next(40), next(40));
      text += (w ? " w" : "w") + std::to_string(word);
    }
    text += "\n";
  }
  return text;
}

}  // namespace

class TestCompareWorkflow : public QObject {
  Q_OBJECT

  // Trains `algorithm` through the window, then inspects test token 0 to get hold of the memory
  // the window trained (the Inspect page's snapshot names it).
  std::shared_ptr<const memlens::Experiment> train(MainWindow& window,
                                                   memlens::Algorithm algorithm) {
    if (!memlens::test::trainInWindow(window, algorithm)) return nullptr;
    auto* page = window.findChild<InspectWidget*>();
    QSignalSpy inspected(&window, &MainWindow::inspected);
    page->inspectTestToken(0);
    if (!inspected.wait(20000) || !page->snapshot()) return nullptr;
    return page->snapshot()->experiment;
  }

 private Q_SLOTS:
  void init() { QCoreApplication::setOrganizationName(QStringLiteral("MemLensTest")); }

  // Two runs on one corpus: the Compare page counts what compareRuns() counts on their reports,
  // lists its flips, and a double-clicked flip is inspected as that test token.
  void comparesTwoRunsAndInspectsAFlip() {
    QTemporaryDir dir;
    MainWindow window;
    QVERIFY(memlens::test::showWithCorpus(window, dir, "noisy.txt", noisyCorpus()));
    auto* compare = window.findChild<CompareWidget*>();
    QVERIFY(compare);
    QVERIFY(!compare->runBBox()->isEnabled());

    const auto ib1 = train(window, memlens::Algorithm::kIb1);
    QVERIFY(ib1);
    const auto igtree = train(window, memlens::Algorithm::kIgTree);
    QVERIFY(igtree);
    QCOMPARE(ib1->record().options.classifier.algorithm, memlens::Algorithm::kIb1);
    QCOMPARE(igtree->record().options.classifier.algorithm, memlens::Algorithm::kIgTree);

    auto* tabs = window.findChild<QTabWidget*>(QStringLiteral("tabs"));
    tabs->setCurrentWidget(compare);
    QCOMPARE(compare->runABox()->count(), 2);
    compare->runABox()->setCurrentIndex(0);
    compare->runBBox()->setCurrentIndex(1);
    const memlens::RunComparison expected = memlens::compareRuns(ib1->report(), igtree->report());
    const auto shown = compare->flips()->snapshot();
    QVERIFY(shown);
    QCOMPARE(shown->comparison.shared, expected.shared);
    QCOMPARE(shown->comparison.bothRight, expected.bothRight);
    QCOMPARE(shown->comparison.bothWrong, expected.bothWrong);
    QCOMPARE(shown->comparison.rightToWrong.size(), expected.rightToWrong.size());
    QCOMPARE(shown->comparison.wrongToRight.size(), expected.wrongToRight.size());
    QCOMPARE(expected.shared, uint64_t(ib1->test().size()));  // same corpus, same split
    const QString counts = compare->countsLabel()->text();
    for (uint64_t n :
         {expected.shared, expected.bothRight, expected.bothWrong,
          uint64_t(expected.rightToWrong.size()), uint64_t(expected.wrongToRight.size())}) {
      QVERIFY2(counts.contains(QStringLiteral("<b>%1</b>").arg(QLocale().toString(qulonglong(n)))),
               qPrintable(counts));
    }
    const int flips = compare->flips()->rowCount();
    QCOMPARE(flips, int(expected.rightToWrong.size() + expected.wrongToRight.size()));
    QVERIFY2(flips > 0, "IB1 and IGTree disagree on some test token");

    // The last flip, double-clicked: Inspect shows that test token of the latest memory.
    const int row = flips - 1;
    const uint64_t source = row < int(expected.rightToWrong.size())
                                ? expected.rightToWrong.back().source
                                : expected.wrongToRight.back().source;
    QTableView* table = compare->flipTable();
    table->scrollTo(compare->flips()->index(row, 0));
    const QRect cell = table->visualRect(compare->flips()->index(row, FlipTableModel::kTrue));
    QSignalSpy inspected(&window, &MainWindow::inspected);
    QSignalSpy activated(compare, &CompareWidget::flipActivated);
    // QTest's double click is only a press and a double-click event; a real one starts with a
    // click.
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center());
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, cell.center());
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.at(0).at(0).toULongLong(), source);
    QVERIFY(inspected.wait(20000));
    auto* page = window.findChild<InspectWidget*>();
    QCOMPARE(tabs->currentWidget(), page);
    QVERIFY(page->snapshot()->token.has_value());
    QCOMPARE(*page->snapshot()->token, source);
    const auto& sources = igtree->test().sources;
    const int index = int(std::find(sources.begin(), sources.end(), source) - sources.begin());
    QCOMPARE(page->testTokenBox()->value(), index);
    QCOMPARE(page->snapshot()->target, igtree->test().classes[size_t(index)]);

    // File ▸ Export offers the Compare tab's chart and flip table, and both runs as JSON.
    tabs->setCurrentWidget(compare);
    QMenu* exportMenu = nullptr;
    for (QMenu* menu : window.findChildren<QMenu*>()) {
      if (menu->title() == QStringLiteral("&Export")) exportMenu = menu;
    }
    QVERIFY(exportMenu);
    Q_EMIT exportMenu->aboutToShow();
    QStringList offered;
    for (QAction* action : exportMenu->actions()) offered.append(action->text());
    QVERIFY2(offered.contains(QStringLiteral("“Metrics against memory size” as SVG…")),
             qPrintable(offered.join('|')));
    QVERIFY2(offered.contains(QStringLiteral("“Token by token” table as CSV…")),
             qPrintable(offered.join('|')));
    QVERIFY2(offered.contains(QStringLiteral("All 2 runs as JSON…")),
             qPrintable(offered.join('|')));
    const QJsonDocument runs = QJsonDocument::fromJson(memlens::gui::ExportMenu::runsJson(
        {std::make_shared<const memlens::RunRecord>(ib1->record()),
         std::make_shared<const memlens::RunRecord>(igtree->record())}));
    QVERIFY(runs.isArray());
    QCOMPARE(runs.array().size(), 2);
    QCOMPARE(runs.array()[1]
                 .toObject()[QStringLiteral("model")]
                 .toObject()[QStringLiteral("algorithm")]
                 .toString(),
             QStringLiteral("igtree"));
  }
};

QTEST_MAIN(TestCompareWorkflow)
#include "tst_compare_workflow.moc"
