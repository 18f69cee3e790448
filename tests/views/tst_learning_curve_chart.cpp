#include <QChart>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QTest>
#include <QValueAxis>

#include "train/learning_curve_chart.h"

using memlens::views::LearningCurveChart;

class TestLearningCurveChart : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void startsEmptyWithoutAxes() {
    LearningCurveChart chart;
    QCOMPARE(chart.accuracySeries()->count(), 0);
    QVERIFY(!chart.instancesAxis()->isVisible());
    QVERIFY(chart.chart()->title().contains(QStringLiteral("no run")));
  }

  void axesAreLogWhereTheyShouldBe() {
    LearningCurveChart chart;
    QCOMPARE(chart.instancesAxis()->type(), QAbstractAxis::AxisTypeLogValue);
    QCOMPARE(chart.perplexityAxis()->type(), QAbstractAxis::AxisTypeLogValue);
    QCOMPARE(chart.accuracyAxis()->type(), QAbstractAxis::AxisTypeValue);
    QCOMPARE(chart.instancesAxis()->alignment(), Qt::AlignBottom);
    QCOMPARE(chart.accuracyAxis()->alignment(), Qt::AlignLeft);
    QCOMPARE(chart.perplexityAxis()->alignment(), Qt::AlignRight);
    QCOMPARE(chart.accuracyAxis()->min(), 0.0);
    QCOMPARE(chart.accuracyAxis()->max(), 1.0);
  }

  void addingPointsGrowsBothSeriesInOrder() {
    LearningCurveChart chart;
    chart.addPoint(100000, 0.24, 161.3);
    QCOMPARE(chart.accuracySeries()->count(), 1);
    QVERIFY(chart.instancesAxis()->isVisible());
    chart.addPoint(1000, 0.12, 1159.1);
    chart.addPoint(725172, 0.32, 51.7);
    QCOMPARE(chart.accuracySeries()->count(), 3);
    QCOMPARE(chart.perplexitySeries()->count(), 3);
    QCOMPARE(chart.accuracySeries()->at(0), QPointF(1000, 0.12));
    QCOMPARE(chart.perplexitySeries()->at(2), QPointF(725172, 51.7));
    // Whole decades around the data.
    QCOMPARE(chart.instancesAxis()->min(), 1000.0);
    QCOMPARE(chart.instancesAxis()->max(), 1000000.0);
    QCOMPARE(chart.perplexityAxis()->min(), 10.0);
    QCOMPARE(chart.perplexityAxis()->max(), 10000.0);
  }

  void aPointAtTheSameSizeReplacesTheOldOne() {
    LearningCurveChart chart;
    chart.addPoint(1000, 0.12, 1159.1);
    chart.addPoint(1000, 0.13, 1000.0);
    QCOMPARE(chart.accuracySeries()->count(), 1);
    QCOMPARE(chart.accuracySeries()->at(0).y(), 0.13);
  }

  void ignoresAnEmptyMemoryAndClears() {
    LearningCurveChart chart;
    chart.addPoint(0, 0.0, 1e6);  // no place on a log axis
    QCOMPARE(chart.accuracySeries()->count(), 0);
    chart.addPoint(1000, 0.12, 1159.1);
    chart.clear(QStringLiteral("training…"));
    QCOMPARE(chart.accuracySeries()->count(), 0);
    QCOMPARE(chart.perplexitySeries()->count(), 0);
    QCOMPARE(chart.chart()->title(), QStringLiteral("training…"));
  }
};

QTEST_MAIN(TestLearningCurveChart)
#include "tst_learning_curve_chart.moc"
