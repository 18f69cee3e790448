#include <QAbstractItemModelTester>
#include <QLocale>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>
#include <cmath>

#include "train/run_table_model.h"

using memlens::RunRecord;
using memlens::views::RunTableModel;

namespace {

// 1000 test tokens, 320 right, 550 in the top 5, log2 p summing to -5691: 5.691 bits/token.
std::shared_ptr<const RunRecord> sampleRun(memlens::Algorithm algorithm, int k, int width,
                                           uint64_t correct, double latencyMean = 1234.56) {
  auto r = std::make_shared<RunRecord>();
  r->options.classifier.algorithm = algorithm;
  r->options.classifier.k = k;
  r->options.classifier.weighting = memlens::FeatureWeighting::kInfoGain;
  r->options.window.width = width;
  r->trainInstances = 725172;
  r->storedVectors = 482019;
  r->trainSeconds = 16.054;
  r->evaluateSeconds = 12.19;
  r->latencyMeanMicros = latencyMean;
  r->latencyP99Micros = 7890.12;
  r->test.tokens = 1000;
  r->test.correct = correct;
  r->test.inTop5 = 550;
  r->test.reciprocalRankSum = 427.4;
  r->test.log2ProbabilitySum = -5691.0;
  return r;
}

}  // namespace

class TestRunTableModel : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

  void passesTheModelTesterWhileRunsAreAdded() {
    RunTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), int(RunTableModel::kColumnCount));
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.append(sampleRun(memlens::Algorithm::kIgTree, 1, 4, 320));
    model.append(nullptr);  // nothing to show: no row
    model.append(sampleRun(memlens::Algorithm::kIb1, 3, 2, 100));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(inserted.size(), 2);
    QCOMPARE(inserted.at(1).at(1).toInt(), 1);  // appended at the end
    QVERIFY(model.run(1));
    QVERIFY(!model.run(2));
    QVERIFY(!model.run(-1));
  }

  void showsTheRecordsValues() {
    RunTableModel model;
    model.append(sampleRun(memlens::Algorithm::kIgTree, 1, 4, 320));
    auto text = [&](int column) { return model.index(0, column).data().toString(); };
    QCOMPARE(text(RunTableModel::kNumber), QStringLiteral("1"));
    QCOMPARE(text(RunTableModel::kAlgorithm), QStringLiteral("igtree"));
    QCOMPARE(text(RunTableModel::kK), QStringLiteral("1"));
    QCOMPARE(text(RunTableModel::kWidth), QStringLiteral("4"));
    QCOMPARE(text(RunTableModel::kWeighting), QStringLiteral("information-gain"));
    QCOMPARE(text(RunTableModel::kTrainInstances), QStringLiteral("725,172"));
    QCOMPARE(text(RunTableModel::kStoredVectors), QStringLiteral("482,019"));
    QCOMPARE(text(RunTableModel::kAccuracy), QStringLiteral("0.3200"));
    QCOMPARE(text(RunTableModel::kTop5), QStringLiteral("0.5500"));
    QCOMPARE(text(RunTableModel::kMrr), QStringLiteral("0.4274"));
    QCOMPARE(text(RunTableModel::kBitsPerToken), QStringLiteral("5.691"));
    QCOMPARE(text(RunTableModel::kPerplexity), QStringLiteral("51.66"));
    QCOMPARE(text(RunTableModel::kTrainSeconds), QStringLiteral("16.05"));
    QCOMPARE(text(RunTableModel::kEvaluateSeconds), QStringLiteral("12.19"));
    QCOMPARE(text(RunTableModel::kLatency), QStringLiteral("1,234.6"));
    QCOMPARE(model.headerData(RunTableModel::kLatency, Qt::Horizontal).toString(),
             QStringLiteral("Latency µs/token"));
    const QString latencyTip =
        model.index(0, RunTableModel::kLatency).data(Qt::ToolTipRole).toString();
    QVERIFY2(latencyTip.contains(QStringLiteral("mean 1,234.6 µs")) &&
                 latencyTip.contains(QStringLiteral("99th percentile 7,890.1 µs")),
             qPrintable(latencyTip));
    QCOMPARE(model.headerData(RunTableModel::kPerplexity, Qt::Horizontal).toString(),
             QStringLiteral("Perplexity"));
    QVERIFY(model.index(0, RunTableModel::kAlgorithm)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("information-gain")));
  }

  // A run cancelled before its first test token: no metric and no latency to show.
  void showsDashesForARunWithoutEvaluation() {
    RunTableModel model;
    auto run = std::make_shared<RunRecord>(*sampleRun(memlens::Algorithm::kIb1, 1, 4, 0, 0.0));
    run->test = {};
    run->latencyP99Micros = 0.0;
    model.append(run);
    auto text = [&](int column) { return model.index(0, column).data().toString(); };
    QCOMPARE(text(RunTableModel::kAccuracy), QStringLiteral("—"));
    QCOMPARE(text(RunTableModel::kPerplexity), QStringLiteral("—"));
    QCOMPARE(text(RunTableModel::kLatency), QStringLiteral("—"));
    QCOMPARE(text(RunTableModel::kStoredVectors), QStringLiteral("482,019"));
  }

  // Display text is rounded and grouped; the sort key is the raw number.
  void sortsOnRawNumbers() {
    RunTableModel model;
    model.append(sampleRun(memlens::Algorithm::kIgTree, 1, 4, 320, 9.5));
    model.append(sampleRun(memlens::Algorithm::kIb1, 3, 12, 100, 1234.56));
    const int sortKey = static_cast<int>(RunTableModel::Role::SortKey);
    QCOMPARE(model.index(0, RunTableModel::kAccuracy).data(sortKey).toDouble(), 0.32);
    QCOMPARE(model.index(1, RunTableModel::kLatency).data(sortKey).toDouble(), 1234.56);
    QCOMPARE(model.index(0, RunTableModel::kPerplexity).data(sortKey).toDouble(), std::exp2(5.691));
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(sortKey);
    // As text "12" < "4"; as numbers 4 < 12.
    proxy.sort(RunTableModel::kWidth, Qt::DescendingOrder);
    QCOMPARE(proxy.index(0, RunTableModel::kWidth).data().toString(), QStringLiteral("12"));
    proxy.sort(RunTableModel::kAccuracy, Qt::DescendingOrder);
    QCOMPARE(proxy.index(0, RunTableModel::kAlgorithm).data().toString(), QStringLiteral("igtree"));
    // As text "9.5" > "1,234.6"; as numbers IB1's 1234.56 µs is the slower.
    proxy.sort(RunTableModel::kLatency, Qt::DescendingOrder);
    QCOMPARE(proxy.index(0, RunTableModel::kAlgorithm).data().toString(), QStringLiteral("ib1"));
  }
};

QTEST_MAIN(TestRunTableModel)
#include "tst_run_table_model.moc"
