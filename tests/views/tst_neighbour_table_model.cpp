#include <QAbstractItemModelTester>
#include <QtTest>

#include "inspect/neighbour_table_model.h"
#include "memlens/trace.h"
#include "memlens/vector_trace.h"
#include "small_experiment.h"

using memlens::views::InspectSnapshot;
using memlens::views::NeighbourTableModel;

class TestNeighbourTableModel : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;

 private Q_SLOTS:
  void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

  // Every row is a neighbour of the trace, in bucket order, with the trace's own numbers.
  void rowsEqualTheTrace() {
    const auto experiment = memlens::test::smallExperiment(dir_, memlens::Algorithm::kIb1, 3);
    NeighbourTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);

    for (size_t i : {size_t{0}, size_t{7}, experiment->test().size() - 1}) {
      const memlens::Trace trace =
          memlens::traceContext(*experiment, experiment->test().instance(i));
      QVERIFY(trace.buckets.size() >= 2);  // k = 3 on a repetitive corpus reaches past bucket 1
      model.setSnapshot(
          std::make_shared<const InspectSnapshot>(InspectSnapshot::fromTrace(experiment, trace)));
      const int width = static_cast<int>(trace.context.size());
      QCOMPARE(model.columnCount(),
               NeighbourTableModel::kFirstPosition + width + NeighbourTableModel::kTailCount);
      const int key = static_cast<int>(NeighbourTableModel::Role::SortKey);
      const auto& vocab = experiment->corpus().vocab;
      int row = 0;
      for (size_t b = 0; b < trace.buckets.size(); ++b) {
        for (const memlens::NeighbourTrace& n : trace.buckets[b].neighbours) {
          auto at = [&](int column, int role) { return model.index(row, column).data(role); };
          QCOMPARE(at(NeighbourTableModel::kBucket, key).toInt(), static_cast<int>(b + 1));
          QCOMPARE(at(NeighbourTableModel::kVector, key).toUInt(), n.storedVector);
          for (int j = 0; j < width; ++j) {
            const auto p = static_cast<size_t>(j);
            QCOMPARE(at(model.positionColumn(j), Qt::DisplayRole).toString(),
                     QString::fromUtf8(std::string(vocab.text(n.values[p]))));
            QCOMPARE(at(model.positionColumn(j), static_cast<int>(NeighbourTableModel::Role::Match))
                         .toBool(),
                     bool(n.matches[p]));
            QCOMPARE(at(model.positionColumn(j),
                        static_cast<int>(NeighbourTableModel::Role::Contribution))
                         .toDouble(),
                     n.contributions[p]);
          }
          QCOMPARE(at(model.tailColumn(NeighbourTableModel::kDistance), key).toDouble(),
                   n.distance);
          QCOMPARE(at(model.tailColumn(NeighbourTableModel::kWeight), key).toDouble(),
                   trace.buckets[b].weight);
          QCOMPARE(at(model.tailColumn(NeighbourTableModel::kInstances), key).toULongLong(),
                   n.instanceCount);
          // The most frequent next token is named first.
          const auto best = std::max_element(n.counts.begin(), n.counts.end(),
                                             [](auto& a, auto& c) { return a.weight < c.weight; });
          QVERIFY(at(model.tailColumn(NeighbourTableModel::kCounts), Qt::DisplayRole)
                      .toString()
                      .startsWith(QString::fromUtf8(std::string(vocab.text(best->classId))) +
                                  QStringLiteral(" ×")));
          ++row;
        }
      }
      QCOMPARE(model.rowCount(), row);
    }
    model.setSnapshot(nullptr);
    QCOMPARE(model.rowCount(), 0);
  }

  // IGTree votes with no buckets: the rows are the stored vectors under the answering node, as
  // the trace lists them, with their match marks, matched positions and share of the node.
  void rowsAreTheAnsweringNodesVectors() {
    const auto experiment = memlens::test::smallExperiment(dir_, memlens::Algorithm::kIgTree);
    NeighbourTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const auto& vocab = experiment->corpus().vocab;
    const int key = static_cast<int>(NeighbourTableModel::Role::SortKey);
    const int match = static_cast<int>(NeighbourTableModel::Role::Match);
    // "the" as t−1 after unknown words: the walk stops high in the tree, at a node with more
    // vectors under it than the 3 this trace lists.
    memlens::TraceOptions few;
    few.maxTreeEvidence = 3;
    auto the = experiment->corpus().encode("the");
    QVERIFY(the.isOk());
    const std::vector<uint32_t> shallow = {memlens::Vocabulary::kUnknown,
                                           memlens::Vocabulary::kUnknown, (*the)[0]};
    for (const std::vector<uint32_t>& context :
         {shallow, std::vector<uint32_t>(experiment->test().instance(4).begin(),
                                         experiment->test().instance(4).end())}) {
      const memlens::Trace trace = memlens::traceContext(
          *experiment, context, context == shallow ? few : memlens::TraceOptions{});
      QVERIFY(trace.buckets.empty());
      QVERIFY(!trace.evidence.shown.empty());
      if (context == shallow) QVERIFY(trace.evidence.storedVectors > 3);
      model.setSnapshot(
          std::make_shared<const InspectSnapshot>(InspectSnapshot::fromTrace(experiment, trace)));
      QCOMPARE(model.rowCount(), static_cast<int>(trace.evidence.shown.size()));
      const int width = static_cast<int>(trace.context.size());
      for (int row = 0; row < model.rowCount(); ++row) {
        const memlens::NeighbourTrace& n = trace.evidence.shown[static_cast<size_t>(row)];
        auto at = [&](int column, int role) { return model.index(row, column).data(role); };
        QCOMPARE(at(NeighbourTableModel::kBucket, key).toInt(), row + 1);
        QCOMPARE(at(NeighbourTableModel::kVector, key).toUInt(), n.storedVector);
        int matched = 0;
        for (int j = 0; j < width; ++j) {
          const auto p = static_cast<size_t>(j);
          QCOMPARE(at(model.positionColumn(j), Qt::DisplayRole).toString(),
                   QString::fromUtf8(std::string(vocab.text(n.values[p]))));
          QCOMPARE(at(model.positionColumn(j), match).toBool(), n.values[p] == context[p]);
          matched += n.values[p] == context[p] ? 1 : 0;
        }
        // Every feature the walk matched matches in every row.
        for (int d = 0; d < trace.path.depth; ++d)
          QVERIFY(at(model.positionColumn(trace.path.steps[static_cast<size_t>(d)].feature), match)
                      .toBool());
        QCOMPARE(at(model.tailColumn(NeighbourTableModel::kDistance), key).toInt(), matched);
        QCOMPARE(at(model.tailColumn(NeighbourTableModel::kDistance), Qt::DisplayRole).toString(),
                 QStringLiteral("%1 of %2").arg(matched).arg(width));
        QCOMPARE(
            at(model.tailColumn(NeighbourTableModel::kWeight), key).toDouble(),
            static_cast<double>(n.instanceCount) / static_cast<double>(trace.evidence.instances));
        QCOMPARE(at(model.tailColumn(NeighbourTableModel::kInstances), key).toULongLong(),
                 n.instanceCount);
      }
      QCOMPARE(model.headerData(NeighbourTableModel::kBucket, Qt::Horizontal).toString(),
               QStringLiteral("Rank"));
      QCOMPARE(model.headerData(model.tailColumn(NeighbourTableModel::kDistance), Qt::Horizontal)
                   .toString(),
               QStringLiteral("Matched"));
      QVERIFY2(model.nodeEvidenceText().startsWith(
                   QStringLiteral("Showing %1 of %2 stored vectors (%3 instances)")
                       .arg(trace.evidence.shown.size())
                       .arg(QLocale().toString(trace.evidence.storedVectors))
                       .arg(QLocale().toString(static_cast<qulonglong>(trace.evidence.instances)))),
               qPrintable(model.nodeEvidenceText()));
    }
    // A k-NN trace has no node text and its distances back.
    const auto ib1 = memlens::test::smallExperiment(dir_, memlens::Algorithm::kIb1);
    model.setSnapshot(std::make_shared<const InspectSnapshot>(
        InspectSnapshot::fromTrace(ib1, memlens::traceContext(*ib1, shallow))));
    QVERIFY(model.nodeEvidenceText().isEmpty());
    QCOMPARE(model.headerData(model.tailColumn(NeighbourTableModel::kDistance), Qt::Horizontal)
                 .toString(),
             QStringLiteral("Distance"));
  }

  // The vector memory's slots: rank, attention and the attention map's terms.
  void rowsEqualTheVectorTrace() {
    const auto experiment = memlens::test::smallExperiment(dir_, memlens::Algorithm::kVectorMemory);
    auto trace = memlens::traceVectorMemory(*experiment, experiment->test().instance(3));
    QVERIFY2(trace.isOk(), trace.status().message().c_str());
    QVERIFY(!trace->slots.empty());
    NeighbourTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSnapshot(std::make_shared<const InspectSnapshot>(
        InspectSnapshot::fromVectorTrace(experiment, *trace)));
    QCOMPARE(model.rowCount(), static_cast<int>(trace->slots.size()));
    const int key = static_cast<int>(NeighbourTableModel::Role::SortKey);
    for (int row = 0; row < model.rowCount(); ++row) {
      const memlens::VectorSlotTrace& s = trace->slots[static_cast<size_t>(row)];
      QCOMPARE(model.index(row, NeighbourTableModel::kVector).data(key).toUInt(), s.slot);
      QCOMPARE(
          model.index(row, model.tailColumn(NeighbourTableModel::kWeight)).data(key).toDouble(),
          s.attention);
      QCOMPARE(model.index(row, model.positionColumn(0))
                   .data(static_cast<int>(NeighbourTableModel::Role::Contribution))
                   .toDouble(),
               s.terms[0]);
    }
    QCOMPARE(
        model.headerData(model.tailColumn(NeighbourTableModel::kWeight), Qt::Horizontal).toString(),
        QStringLiteral("Attention"));
  }
};

QTEST_MAIN(TestNeighbourTableModel)
#include "tst_neighbour_table_model.moc"
