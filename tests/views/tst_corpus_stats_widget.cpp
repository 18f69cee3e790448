#include <QLabel>
#include <QLineSeries>
#include <QLocale>
#include <QTableView>
#include <QTest>

#include "corpus/corpus_stats_widget.h"
#include "corpus/type_token_chart.h"
#include "sample_stats.h"

using memlens::views::CorpusStatsWidget;
using memlens::views::TypeTokenChart;

class TestCorpusStatsWidget : public QObject {
  Q_OBJECT

 private:
  static QString figure(const CorpusStatsWidget& widget, const char* name) {
    const auto* label = widget.findChild<QLabel*>(QString::fromLatin1(name));
    return label ? label->text() : QStringLiteral("<no label %1>").arg(QString::fromLatin1(name));
  }

 private Q_SLOTS:
  void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

  void summaryShowsTheSnapshotsNumbers() {
    CorpusStatsWidget widget;
    widget.setSnapshot(memlens::test::sampleStats());
    widget.show();
    QVERIFY(QTest::qWaitForWindowExposed(&widget));
    QCOMPARE(figure(widget, "documentsValue"), QStringLiteral("3"));
    QCOMPARE(figure(widget, "bytesValue"), QStringLiteral("1.18 MiB"));
    QCOMPARE(figure(widget, "linesValue"), QStringLiteral("45 (4 empty)"));
    QCOMPARE(figure(widget, "tokensValue"), QStringLiteral("1,234,119"));
    QCOMPARE(figure(widget, "typesValue"), QStringLiteral("4,321"));
    QCOMPARE(figure(widget, "hapaxesValue"), QStringLiteral("1,000 (23.1 % of types)"));
    QCOMPARE(figure(widget, "typeTokenRatioValue"), QStringLiteral("0.0035"));
  }

  void tablesAndChartShowTheSnapshot() {
    CorpusStatsWidget widget;
    widget.setSnapshot(memlens::test::sampleStats());
    const auto* documents = widget.findChild<QTableView*>(QStringLiteral("documentsTable"));
    const auto* topTypes = widget.findChild<QTableView*>(QStringLiteral("topTypesTable"));
    QVERIFY(documents && topTypes);
    QCOMPARE(documents->model()->rowCount(), 3);
    // Unsorted until the user clicks a header: the corpus order is kept.
    QCOMPARE(documents->model()->index(0, 0).data().toString(), QStringLiteral("b.txt"));
    QCOMPARE(topTypes->model()->rowCount(), 3);

    const auto* chart = widget.findChild<TypeTokenChart*>();
    QVERIFY(chart);
    const QList<QPointF> points = chart->series()->points();
    QCOMPARE(points.size(), 5);  // the (0, 0) point has no place on a log axis
    QCOMPARE(points.front(), QPointF(1, 1));
    QCOMPARE(points.back(), QPointF(1234119, 4321));
  }

  void clearingShowsDashesAndEmptyTables() {
    CorpusStatsWidget widget;
    widget.setSnapshot(memlens::test::sampleStats());
    widget.setSnapshot(nullptr);
    QCOMPARE(figure(widget, "tokensValue"), QStringLiteral("—"));
    QCOMPARE(figure(widget, "typeTokenRatioValue"), QStringLiteral("—"));
    QCOMPARE(widget.findChild<QTableView*>(QStringLiteral("documentsTable"))->model()->rowCount(),
             0);
    QVERIFY(widget.findChild<TypeTokenChart*>()->series()->points().isEmpty());
  }

  void splitterStateRoundTrips() {
    CorpusStatsWidget widget;
    widget.resize(1000, 700);
    widget.show();
    QVERIFY(QTest::qWaitForWindowExposed(&widget));
    const QByteArray state = widget.saveState();
    CorpusStatsWidget other;
    other.restoreState(state);
    QCOMPARE(other.saveState(), state);
    other.restoreState(QByteArray());  // nothing saved yet: keeps its own layout
  }
};

QTEST_MAIN(TestCorpusStatsWidget)
#include "tst_corpus_stats_widget.moc"
