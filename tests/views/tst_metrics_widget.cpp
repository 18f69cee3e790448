// The Train page's figures: a finished run, a run being evaluated (the sample so far with its
// intervals) and a run cancelled during its evaluation (a sample, or nothing, said so); the band
// table's headers are never cut.
#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QtTest>

#include "train/metrics_widget.h"

using memlens::EvaluationUpdate;
using memlens::Metrics;
using memlens::RunRecord;
using memlens::views::MetricsWidget;

namespace {

Metrics metrics(uint64_t tokens, uint64_t correct) {
  Metrics m;
  m.tokens = tokens;
  m.correct = correct;
  m.inTop5 = correct;
  m.reciprocalRankSum = static_cast<double>(correct);
  m.log2ProbabilitySum = -5.0 * static_cast<double>(tokens);  // perplexity 32
  return m;
}

QString figure(const MetricsWidget& w, const char* name) {
  return w.findChild<QLabel*>(QString::fromLatin1(name))->text();
}

}  // namespace

class TestMetricsWidget : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  // The C locale: no group separators, "." for decimals.
  void init() { QLocale::setDefault(QLocale::c()); }

  void finishedRun() {
    MetricsWidget w;
    auto run = std::make_shared<RunRecord>();
    run->test = metrics(1000, 250);
    run->testInstances = 1000;
    run->storedVectors = 7;
    w.setRun(run);
    QCOMPARE(figure(w, "accuracyValue"), QStringLiteral("0.2500"));
    QCOMPARE(figure(w, "perplexityValue"), QStringLiteral("32.00"));
    QCOMPARE(figure(w, "testTokensValue"), QStringLiteral("1000"));
  }

  void liveSample() {
    MetricsWidget w;
    EvaluationUpdate u;
    u.sample = metrics(1024, 256);
    u.evaluatedTokens = 1024;
    u.testTokens = 8192;
    u.accuracy = {0.2241, 0.2789};
    u.perplexity = {30.5, 33.6};
    w.setLive(u, 7);
    QCOMPARE(figure(w, "accuracyValue"), QStringLiteral("0.2500 (0.2241–0.2789)"));
    QCOMPARE(figure(w, "perplexityValue"), QStringLiteral("32.00 (30.50–33.60)"));
    QCOMPARE(figure(w, "testTokensValue"),
             QStringLiteral("1024 of 8192 (13 %): a random sample so far"));
  }

  // Cancelled during its evaluation: the sample it kept, or none (no "sample of 0").
  void cancelledRun_data() {
    QTest::addColumn<quint64>("tokens");
    QTest::addColumn<quint64>("correct");
    QTest::addColumn<QString>("accuracy");
    QTest::addColumn<QString>("testTokens");
    QTest::newRow("a sample") << quint64{3072} << quint64{768} << "0.2500"
                              << "3072 of 8192 (38 %): cancelled, a random sample";
    QTest::newRow("none") << quint64{0} << quint64{0} << "—"
                          << "none of 8192: cancelled before any was evaluated";
  }
  void cancelledRun() {
    QFETCH(quint64, tokens);
    QFETCH(quint64, correct);
    QFETCH(QString, accuracy);
    QFETCH(QString, testTokens);
    MetricsWidget w;
    auto run = std::make_shared<RunRecord>();
    run->test = metrics(tokens, correct);
    run->testInstances = 8192;
    w.setRun(run);
    QCOMPARE(figure(w, "accuracyValue"), accuracy);
    QCOMPARE(figure(w, "testTokensValue"), testTokens);
  }

  // In a narrow page the band column, stretched, was cut to "ain frequenc".
  void bandHeadersFit() {
    MetricsWidget w;
    auto run = std::make_shared<RunRecord>();
    run->test = metrics(1000, 250);
    w.setRun(run);
    w.resize(600, 300);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto* table = w.findChild<QTableView*>(QStringLiteral("bandTable"));
    QVERIFY(table);
    const QHeaderView* header = table->horizontalHeader();
    // The first header narrower than its text, once the header has laid out its sections.
    const auto cut = [&] {
      for (int c = 0; c < header->count(); ++c) {
        const QString text = table->model()->headerData(c, Qt::Horizontal).toString();
        if (header->sectionSize(c) < header->fontMetrics().horizontalAdvance(text)) return text;
      }
      return QString();
    };
    QTRY_COMPARE(cut(), QString());
  }
};

QTEST_MAIN(TestMetricsWidget)
#include "tst_metrics_widget.moc"
