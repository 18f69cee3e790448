#include <QAbstractItemModelTester>
#include <QtTest>

#include "inspect/tree_path_model.h"
#include "memlens/trace.h"
#include "small_experiment.h"

using memlens::views::InspectSnapshot;
using memlens::views::TreePathModel;

class TestTreePathModel : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;

  static std::shared_ptr<const InspectSnapshot> snapshotOf(
      const std::shared_ptr<const memlens::Experiment>& e, std::span<const uint32_t> context) {
    return std::make_shared<const InspectSnapshot>(
        InspectSnapshot::fromTrace(e, memlens::traceContext(*e, context)));
  }

 private Q_SLOTS:
  // One row per level of the walk, with the step's depth, value, match and counts.
  void rowsEqualThePath() {
    for (auto algorithm : {memlens::Algorithm::kIgTree, memlens::Algorithm::kTribl2}) {
      const auto experiment = memlens::test::smallExperiment(dir_, algorithm);
      TreePathModel model;
      QAbstractItemModelTester tester(&model,
                                      QAbstractItemModelTester::FailureReportingMode::QtTest);
      // An unknown nearest token stops the walk early; a test context may go all the way.
      std::vector<uint32_t> unknown(experiment->test().instance(0).begin(),
                                    experiment->test().instance(0).end());
      unknown.back() = memlens::Vocabulary::kUnknown;
      for (const auto& context : {std::vector<uint32_t>(experiment->test().instance(0).begin(),
                                                        experiment->test().instance(0).end()),
                                  unknown}) {
        const auto snapshot = snapshotOf(experiment, context);
        model.setSnapshot(snapshot);
        const memlens::TreePath& path = snapshot->path;
        QVERIFY(!path.steps.empty());
        QCOMPARE(model.rowCount(), static_cast<int>(path.steps.size()));
        const int key = static_cast<int>(TreePathModel::Role::SortKey);
        for (int row = 0; row < model.rowCount(); ++row) {
          const memlens::TreeStep& s = path.steps[static_cast<size_t>(row)];
          QCOMPARE(model.index(row, TreePathModel::kDepth).data(key).toInt(), s.depth);
          QCOMPARE(model.index(row, TreePathModel::kInstances).data(key).toULongLong(),
                   s.instances);
          QCOMPARE(model.index(row, TreePathModel::kMatched).data(key).toBool(), s.matched);
          QCOMPARE(model.index(row, TreePathModel::kDefault).data().toString(),
                   snapshot->tokenText(s.defaultClass));
          if (s.tested) {
            QCOMPARE(model.index(row, TreePathModel::kValue).data().toString(),
                     snapshot->tokenText(s.value));
          }
        }
        QVERIFY2(!model.answerText().isEmpty(), "a tree walk always says how it ended");
      }
    }
  }

  void ib1HasNoPath() {
    const auto experiment = memlens::test::smallExperiment(dir_, memlens::Algorithm::kIb1);
    TreePathModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSnapshot(snapshotOf(experiment, experiment->test().instance(0)));
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(model.answerText().isEmpty());
  }
};

QTEST_MAIN(TestTreePathModel)
#include "tst_tree_path_model.moc"
