#include <QAbstractItemModelTester>
#include <QFileInfo>
#include <QTest>
#include <string>

#include "compare/flip_table_model.h"
#include "memlens/run_comparison.h"
#include "small_experiment.h"

using memlens::Experiment;
using memlens::views::ComparedRun;
using memlens::views::CompareSnapshot;
using memlens::views::FlipTableModel;

namespace {

ComparedRun comparedRun(int number, const std::shared_ptr<const Experiment>& e) {
  return {number, std::make_shared<const memlens::RunRecord>(e->record()),
          std::make_shared<const memlens::EvaluationReport>(e->report()),
          std::shared_ptr<const memlens::TokenisedCorpus>(e, &e->corpus())};
}

QString text(const Experiment& e, uint32_t id) {
  return QString::fromStdString(std::string(e.corpus().vocab.text(id)));
}

}  // namespace

class TestFlipTableModel : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  // IB1 and the vector memory on the same small corpus and split (IB1, IGTree and TRIBL2 agree on
  // every test token of this grammar; the vector memory does not): every row is one of
  // compareRuns()'s flips, in its order, with the corpus position, the true token and both
  // predictions as the test tokens and the corpus have them.
  void listsTheFlipsOfCompareRuns() {
    QTemporaryDir dir;
    const auto ib1 = memlens::test::smallExperiment(dir, memlens::Algorithm::kIb1, 3);
    const auto attention = memlens::test::smallExperiment(dir, memlens::Algorithm::kVectorMemory);
    auto snapshot = std::make_shared<CompareSnapshot>();
    snapshot->a = comparedRun(1, ib1);
    snapshot->b = comparedRun(2, attention);
    snapshot->comparison = memlens::compareRuns(ib1->report(), attention->report());
    const memlens::RunComparison& c = snapshot->comparison;
    QVERIFY2(!c.rightToWrong.empty() || !c.wrongToRight.empty(),
             "the two memories disagree somewhere");

    FlipTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    model.setSnapshot(snapshot);
    QCOMPARE(model.rowCount(), int(c.rightToWrong.size() + c.wrongToRight.size()));
    QCOMPARE(model.columnCount(), int(FlipTableModel::kColumnCount));

    const memlens::TokenisedCorpus& corpus = ib1->corpus();
    for (int row = 0; row < model.rowCount(); ++row) {
      const bool rightToWrong = static_cast<size_t>(row) < c.rightToWrong.size();
      const memlens::RunComparison::Flip& f =
          rightToWrong ? c.rightToWrong[size_t(row)]
                       : c.wrongToRight[size_t(row) - c.rightToWrong.size()];
      auto cell = [&model, row](int column, int role = Qt::DisplayRole) {
        return model.data(model.index(row, column), role);
      };
      QCOMPARE(cell(0, FlipTableModel::kSourceRole).toULongLong(), f.source);
      // The test token at this corpus position, looked up in the test set, not the report.
      const auto& sources = ib1->test().sources;
      const size_t test =
          size_t(std::find(sources.begin(), sources.end(), f.source) - sources.begin());
      QVERIFY(test < sources.size());
      QCOMPARE(cell(FlipTableModel::kTrue).toString(), text(*ib1, ib1->test().classes[test]));
      QCOMPARE(cell(FlipTableModel::kTrue).toString(), text(*ib1, corpus.tokens.id(f.source)));
      const memlens::TokenRecord& a = ib1->report().tokens[f.indexA];
      const memlens::TokenRecord& b = attention->report().tokens[f.indexB];
      QCOMPARE(cell(FlipTableModel::kPredictionA).toString(), text(*ib1, a.predictedId));
      QCOMPARE(cell(FlipTableModel::kPredictionB).toString(), text(*ib1, b.predictedId));
      QCOMPARE(a.predictedId == a.trueId, rightToWrong);
      QCOMPARE(b.predictedId == b.trueId, !rightToWrong);
      QCOMPARE(model.isRightToWrong(row), rightToWrong);
      const memlens::TokenPosition p = corpus.tokens.position(f.source);
      QCOMPARE(cell(FlipTableModel::kPosition).toString(),
               QStringLiteral("grammar.txt:%1").arg(p.line));
      // The context is the text before the token on its line (lines hold 6 to 8 tokens).
      const QString context = cell(FlipTableModel::kContext).toString();
      const QString previous = text(*ib1, corpus.tokens.id(f.source - 1));
      if (f.source > corpus.tokens.line(corpus.tokens.lineOf(f.source)).firstToken) {
        QVERIFY2(context.endsWith(QLatin1Char(' ') + previous) || context == previous,
                 qPrintable(context));
      } else {
        QCOMPARE(context, QString());
      }
    }
    QVERIFY(!model.flip(model.rowCount()));
    QVERIFY(!model.flip(-1));

    model.setSnapshot(nullptr);
    QCOMPARE(model.rowCount(), 0);
  }
};

QTEST_MAIN(TestFlipTableModel)
#include "tst_flip_table_model.moc"
