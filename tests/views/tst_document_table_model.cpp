#include <QAbstractItemModelTester>
#include <QLocale>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

#include "corpus/document_table_model.h"
#include "sample_stats.h"

using memlens::CorpusStats;
using memlens::views::DocumentTableModel;

class TestDocumentTableModel : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

  void passesTheModelTesterEmptyFilledAndSwapped() {
    DocumentTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), int(DocumentTableModel::kColumnCount));

    model.setSnapshot(memlens::test::sampleStats());
    QCOMPARE(model.rowCount(), 3);
    model.setSnapshot(std::make_shared<const CorpusStats>());  // a snapshot with no documents
    QCOMPARE(model.rowCount(), 0);
    model.setSnapshot(memlens::test::sampleStats());
    model.setSnapshot(nullptr);
    QCOMPARE(model.rowCount(), 0);
  }

  void swappingASnapshotResetsTheModel() {
    DocumentTableModel model;
    QSignalSpy aboutToReset(&model, &QAbstractItemModel::modelAboutToBeReset);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setSnapshot(memlens::test::sampleStats());
    QCOMPARE(aboutToReset.size(), 1);
    QCOMPARE(reset.size(), 1);
  }

  void showsTheSnapshotsNumbers() {
    DocumentTableModel model;
    model.setSnapshot(memlens::test::sampleStats());
    auto text = [&](int row, int column) { return model.index(row, column).data().toString(); };
    QCOMPARE(text(0, DocumentTableModel::kPath), QStringLiteral("b.txt"));
    QCOMPARE(text(0, DocumentTableModel::kBytes), QStringLiteral("1,234,567"));
    QCOMPARE(text(0, DocumentTableModel::kLines), QStringLiteral("40"));
    QCOMPARE(text(1, DocumentTableModel::kTokens), QStringLiteral("100"));
    QCOMPARE(text(2, DocumentTableModel::kTypes), QStringLiteral("10"));
    QCOMPARE(model.index(1, DocumentTableModel::kPath).data(Qt::ToolTipRole).toString(),
             QStringLiteral("/data/corpus/a.txt"));
    QCOMPARE(model.headerData(DocumentTableModel::kTokens, Qt::Horizontal).toString(),
             QStringLiteral("Tokens"));

    const auto numberAlignment = model.index(0, DocumentTableModel::kBytes)
                                     .data(Qt::TextAlignmentRole)
                                     .value<Qt::Alignment>();
    QVERIFY(numberAlignment & Qt::AlignRight);
  }

  void sortKeyIsTheRawNumber() {
    DocumentTableModel model;
    model.setSnapshot(memlens::test::sampleStats());
    const int sortKey = static_cast<int>(DocumentTableModel::Role::SortKey);
    QCOMPARE(model.index(0, DocumentTableModel::kBytes).data(sortKey).toULongLong(), 1234567ULL);
    QCOMPARE(model.index(0, DocumentTableModel::kPath).data(sortKey).toString(),
             QStringLiteral("/data/corpus/b.txt"));

    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(sortKey);
    proxy.sort(DocumentTableModel::kTokens, Qt::AscendingOrder);
    QStringList order;
    for (int row = 0; row < proxy.rowCount(); ++row) {
      order.append(proxy.index(row, DocumentTableModel::kTokens).data().toString());
    }
    QCOMPARE(order,
             (QStringList{QStringLiteral("9"), QStringLiteral("10"), QStringLiteral("100")}));
  }
};

QTEST_MAIN(TestDocumentTableModel)
#include "tst_document_table_model.moc"
