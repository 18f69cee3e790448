#include <QAbstractItemModelTester>
#include <QGroupBox>
#include <QLabel>
#include <QListWidget>
#include <QTableView>
#include <QtTest>
#include <algorithm>

#include "inspect/inspect_widget.h"
#include "inspect/neighbour_table_model.h"
#include "inspect/source_context_view.h"
#include "memlens/trace.h"
#include "small_experiment.h"

using memlens::views::InspectSnapshot;
using memlens::views::InspectWidget;

class TestInspectWidget : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;

 private Q_SLOTS:
  void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

  // An IGTree answer fills the page below the tree path: the node's stored vectors with their
  // header line, and selecting one lists the corpus lines that made it and opens the first.
  void treePageListsTheNodesVectorsAndTheirProvenance() {
    const auto experiment = memlens::test::smallExperiment(dir_, memlens::Algorithm::kIgTree);
    InspectWidget page;
    QAbstractItemModelTester tester(page.neighbours(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    page.setExperiment(experiment);
    // Unknown words before "the": the walk stops high in the tree, over several stored vectors.
    auto the = experiment->corpus().encode("the");
    QVERIFY(the.isOk());
    const std::vector<uint32_t> context = {memlens::Vocabulary::kUnknown,
                                           memlens::Vocabulary::kUnknown, (*the)[0]};
    const memlens::Trace trace = memlens::traceContext(*experiment, context);
    QVERIFY(trace.evidence.shown.size() >= 2);
    page.setSnapshot(
        std::make_shared<const InspectSnapshot>(InspectSnapshot::fromTrace(experiment, trace)));

    QCOMPARE(page.neighbours()->rowCount(), static_cast<int>(trace.evidence.shown.size()));
    QVERIFY(page.neighbourTable()->isVisibleTo(&page));
    QVERIFY(page.nodeEvidenceLabel()->isVisibleTo(&page));
    QVERIFY(page.nodeEvidenceLabel()->text().startsWith(
        QStringLiteral("Showing %1 of %2 stored vectors")
            .arg(trace.evidence.shown.size())
            .arg(QLocale().toString(trace.evidence.storedVectors))));
    auto* box = qobject_cast<QGroupBox*>(page.neighbourTable()->parentWidget()->parentWidget());
    QVERIFY(box);
    QCOMPARE(box->title(), QStringLiteral("Stored vectors under the answering node"));

    // The first row is selected with the page; selecting the second shows its provenance.
    QCOMPARE(page.neighbourTable()->currentIndex().row(), 0);
    page.neighbourTable()->selectRow(1);
    const memlens::NeighbourTrace& second = trace.evidence.shown[1];
    QVERIFY(!second.provenance.empty());
    const int more = second.instanceCount > second.provenance.size() ? 1 : 0;
    QCOMPARE(page.provenanceList()->count(), static_cast<int>(second.provenance.size()) + more);
    for (size_t i = 0; i < second.provenance.size(); ++i) {
      const QString item = page.provenanceList()->item(static_cast<int>(i))->text();
      QVERIFY2(item.endsWith(QString::fromStdString(second.provenance[i].snippet)),
               qPrintable(item));
    }
    QCOMPARE(page.provenanceList()->currentRow(), 0);
    // The source view highlights the target of that instance: a token its stored vector predicts.
    const QString shown = page.sourceView()->highlightedText();
    const auto& vocab = experiment->corpus().vocab;
    QCOMPARE(shown, QString::fromUtf8(std::string(vocab.text(
                        experiment->corpus().tokens.id(second.provenance.front().token)))));
    QVERIFY(
        std::any_of(second.counts.begin(), second.counts.end(), [&](const memlens::ClassVote& c) {
          return QString::fromUtf8(std::string(vocab.text(c.classId))) == shown;
        }));

    // An IB1 trace on the same page: neighbours again, no node line.
    const auto ib1 = memlens::test::smallExperiment(dir_, memlens::Algorithm::kIb1);
    page.setExperiment(ib1);
    page.setSnapshot(std::make_shared<const InspectSnapshot>(
        InspectSnapshot::fromTrace(ib1, memlens::traceContext(*ib1, ib1->test().instance(2)))));
    QVERIFY(!page.nodeEvidenceLabel()->isVisibleTo(&page));
    QCOMPARE(box->title(), QStringLiteral("Neighbours"));
  }
};

QTEST_MAIN(TestInspectWidget)
#include "tst_inspect_widget.moc"
