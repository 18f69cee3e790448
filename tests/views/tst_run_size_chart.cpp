#include <QApplication>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QTest>

#include "compare/run_size_chart.h"

using memlens::RunRecord;
using memlens::views::RunSizeChart;

namespace {

std::shared_ptr<const RunRecord> run(memlens::Algorithm algorithm, uint64_t instances,
                                     uint32_t vectors, uint64_t correct) {
  auto r = std::make_shared<RunRecord>();
  r->options.classifier.algorithm = algorithm;
  r->trainInstances = instances;
  r->storedVectors = vectors;
  r->test.tokens = 1000;
  r->test.correct = correct;
  r->test.log2ProbabilitySum = -5000.0 - double(correct);
  return r;
}

}  // namespace

class TestRunSizeChart : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  // One accuracy and one perplexity series per algorithm, named after it; a run's points sit at
  // its memory size, by stored vectors or by training instances.
  void plotsEveryRunAtItsMemorySize() {
    RunSizeChart chart;
    QVERIFY(chart.series().isEmpty());
    const std::vector runs = {run(memlens::Algorithm::kIb1, 5000, 3000, 300),
                              run(memlens::Algorithm::kIgTree, 5000, 2500, 280),
                              run(memlens::Algorithm::kIb1, 50000, 20000, 400)};
    chart.setRuns(runs);
    const QList<QScatterSeries*> series = chart.series();
    QCOMPARE(series.size(), 4);
    QCOMPARE(series[0]->name(), QStringLiteral("ib1 accuracy"));
    QCOMPARE(series[1]->name(), QStringLiteral("ib1 perplexity"));
    QCOMPARE(series[2]->name(), QStringLiteral("igtree accuracy"));
    QCOMPARE(series[0]->points(),
             (QList<QPointF>{{3000, runs[0]->test.accuracy()}, {20000, runs[2]->test.accuracy()}}));
    QCOMPARE(series[3]->points(), (QList<QPointF>{{2500, runs[1]->test.perplexity()}}));
    QVERIFY(chart.sizeAxis()->min() <= 2500 && chart.sizeAxis()->max() >= 20000);

    chart.setSize(RunSizeChart::Size::kTrainInstances);
    QCOMPARE(chart.series()[0]->points(),
             (QList<QPointF>{{5000, runs[0]->test.accuracy()}, {50000, runs[2]->test.accuracy()}}));
    QVERIFY(chart.sizeAxis()->max() >= 50000);
  }
};

QTEST_MAIN(TestRunSizeChart)
#include "tst_run_size_chart.moc"
