#include <QHelpEvent>
#include <QToolTip>
#include <QtTest>

#include "inspect/contribution_heatmap.h"
#include "memlens/trace.h"
#include "small_experiment.h"

using memlens::views::ContributionHeatmap;
using memlens::views::InspectSnapshot;

class TestContributionHeatmap : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;

  // The exact value on a tooltip's last line.
  static double valueOf(const QString& tooltip) {
    bool ok = false;
    const double value = QLocale().toDouble(tooltip.split(QLatin1Char('\n')).last(), &ok);
    return ok ? value : -1.0;
  }

 private Q_SLOTS:
  void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

  // Every cell's tooltip carries that neighbour's contribution at that position.
  void tooltipShowsTheContribution() {
    const auto experiment = memlens::test::smallExperiment(dir_, memlens::Algorithm::kIb1, 2);
    const memlens::Trace trace = memlens::traceContext(*experiment, experiment->test().instance(5));
    const auto snapshot =
        std::make_shared<const InspectSnapshot>(InspectSnapshot::fromTrace(experiment, trace));
    ContributionHeatmap heatmap;
    heatmap.resize(600, 900);
    heatmap.setSnapshot(snapshot);
    heatmap.show();
    QVERIFY(QTest::qWaitForWindowExposed(&heatmap));
    QCOMPARE(heatmap.rowCount(), std::min<int>(ContributionHeatmap::kMaxRows,
                                               static_cast<int>(snapshot->neighbours.size())));
    QCOMPARE(heatmap.columnCount(), 3);
    bool sawMismatch = false;
    for (int r = 0; r < heatmap.rowCount(); ++r) {
      for (int c = 0; c < heatmap.columnCount(); ++c) {
        const double expected = snapshot->neighbours[size_t(r)].contributions[size_t(c)];
        sawMismatch = sawMismatch || expected > 0.0;
        const QString tip = heatmap.toolTipAt(heatmap.cellRect(r, c).center());
        QVERIFY2(
            std::abs(valueOf(tip) - expected) <= 1e-5 * std::max(1.0, expected),
            qPrintable(
                QStringLiteral("row %1 col %2: %3 vs %4").arg(r).arg(c).arg(tip).arg(expected)));
      }
    }
    QVERIFY2(sawMismatch, "the k = 2 trace should reach neighbours that differ somewhere");
    QVERIFY(heatmap.toolTipAt(QPoint(1, 1)).isEmpty());  // the corner is no cell

    // The real hover path shows the same text.
    const QPoint cell = heatmap.cellRect(heatmap.rowCount() - 1, 2).center();
    QHelpEvent hover(QEvent::ToolTip, cell, heatmap.mapToGlobal(cell));
    QApplication::sendEvent(&heatmap, &hover);
    QCOMPARE(QToolTip::text(), heatmap.toolTipAt(cell));

    QSignalSpy clicked(&heatmap, &ContributionHeatmap::rowClicked);
    QTest::mouseClick(&heatmap, Qt::LeftButton, {}, heatmap.cellRect(1, 0).center());
    QCOMPARE(clicked.size(), 1);
    QCOMPARE(clicked.at(0).at(0).toInt(), 1);
  }
};

QTEST_MAIN(TestContributionHeatmap)
#include "tst_contribution_heatmap.moc"
