#include <QChart>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QTest>
#include <QValueAxis>

#include "chart_parts.h"
#include "train/learning_curve_chart.h"

using memlens::test::axisAt;
using memlens::test::seriesNamed;
using memlens::views::LearningCurveChart;

namespace {

QLineSeries* accuracy(const LearningCurveChart& c) {
  return seriesNamed<QLineSeries>(c, "Accuracy");
}
QLineSeries* perplexity(const LearningCurveChart& c) {
  return seriesNamed<QLineSeries>(c, "Perplexity");
}

}  // namespace

class TestLearningCurveChart : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void startsEmptyWithoutAxes() {
    LearningCurveChart chart;
    QCOMPARE(accuracy(chart)->count(), 0);
    QVERIFY(!axisAt(chart, Qt::AlignBottom)->isVisible());
    QVERIFY(chart.chart()->title().contains(QStringLiteral("no run")));
  }

  void axesAreLogWhereTheyShouldBe() {
    LearningCurveChart chart;
    // Instances along the bottom, accuracy on the left, perplexity on the right.
    QCOMPARE(axisAt(chart, Qt::AlignBottom)->type(), QAbstractAxis::AxisTypeLogValue);
    QCOMPARE(axisAt(chart, Qt::AlignRight)->type(), QAbstractAxis::AxisTypeLogValue);
    QCOMPARE(axisAt(chart, Qt::AlignLeft)->type(), QAbstractAxis::AxisTypeValue);
    QAbstractAxis* bottom = axisAt(chart, Qt::AlignBottom);
    QCOMPARE(accuracy(chart)->attachedAxes(),
             (QList<QAbstractAxis*>{bottom, axisAt(chart, Qt::AlignLeft)}));
    QCOMPARE(perplexity(chart)->attachedAxes(),
             (QList<QAbstractAxis*>{bottom, axisAt(chart, Qt::AlignRight)}));
    QCOMPARE(axisAt<QValueAxis>(chart, Qt::AlignLeft)->min(), 0.0);
    QCOMPARE(axisAt<QValueAxis>(chart, Qt::AlignLeft)->max(), 1.0);
  }

  void addingPointsGrowsBothSeriesInOrder() {
    LearningCurveChart chart;
    chart.addPoint(100000, 0.24, 161.3);
    QCOMPARE(accuracy(chart)->count(), 1);
    QVERIFY(axisAt(chart, Qt::AlignBottom)->isVisible());
    chart.addPoint(1000, 0.12, 1159.1);
    chart.addPoint(725172, 0.32, 51.7);
    QCOMPARE(accuracy(chart)->count(), 3);
    QCOMPARE(perplexity(chart)->count(), 3);
    QCOMPARE(accuracy(chart)->at(0), QPointF(1000, 0.12));
    QCOMPARE(perplexity(chart)->at(2), QPointF(725172, 51.7));
    // Whole decades around the data.
    QCOMPARE(axisAt<QLogValueAxis>(chart, Qt::AlignBottom)->min(), 1000.0);
    QCOMPARE(axisAt<QLogValueAxis>(chart, Qt::AlignBottom)->max(), 1000000.0);
    QCOMPARE(axisAt<QLogValueAxis>(chart, Qt::AlignRight)->min(), 10.0);
    QCOMPARE(axisAt<QLogValueAxis>(chart, Qt::AlignRight)->max(), 10000.0);
  }

  void aPointAtTheSameSizeReplacesTheOldOne() {
    LearningCurveChart chart;
    chart.addPoint(1000, 0.12, 1159.1);
    chart.addPoint(1000, 0.13, 1000.0);
    QCOMPARE(accuracy(chart)->count(), 1);
    QCOMPARE(accuracy(chart)->at(0).y(), 0.13);
  }

  void ignoresAnEmptyMemoryAndClears() {
    LearningCurveChart chart;
    chart.addPoint(0, 0.0, 1e6);  // no place on a log axis
    QCOMPARE(accuracy(chart)->count(), 0);
    chart.addPoint(1000, 0.12, 1159.1);
    chart.clear(QStringLiteral("training…"));
    QCOMPARE(accuracy(chart)->count(), 0);
    QCOMPARE(perplexity(chart)->count(), 0);
    QCOMPARE(chart.chart()->title(), QStringLiteral("training…"));
  }
};

QTEST_MAIN(TestLearningCurveChart)
#include "tst_learning_curve_chart.moc"
