#include <QAbstractItemModelTester>
#include <QLocale>
#include <QSortFilterProxyModel>
#include <QTest>

#include "corpus/top_types_table_model.h"
#include "sample_stats.h"

using memlens::CorpusStats;
using memlens::views::TopTypesTableModel;

class TestTopTypesTableModel : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

  void passesTheModelTesterEmptyFilledAndSwapped() {
    TopTypesTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    model.setSnapshot(memlens::test::sampleStats());
    QCOMPARE(model.rowCount(), 3);
    model.setSnapshot(std::make_shared<const CorpusStats>());  // no tokens: no division by zero
    QCOMPARE(model.rowCount(), 0);
    model.setSnapshot(nullptr);
    QCOMPARE(model.rowCount(), 0);
  }

  void showsRankTypeCountAndShare() {
    TopTypesTableModel model;
    model.setSnapshot(memlens::test::sampleStats());
    auto text = [&](int row, int column) { return model.index(row, column).data().toString(); };
    QCOMPARE(text(0, TopTypesTableModel::kRank), QStringLiteral("1"));
    QCOMPARE(text(0, TopTypesTableModel::kType), QStringLiteral("the"));
    QCOMPARE(text(0, TopTypesTableModel::kCount), QStringLiteral("123,412"));
    QCOMPARE(text(0, TopTypesTableModel::kShare), QStringLiteral("10.00 %"));  // of 1,234,119
    QCOMPARE(text(1, TopTypesTableModel::kShare), QStringLiteral("5.00 %"));
    QCOMPARE(text(2, TopTypesTableModel::kType), QStringLiteral("Zion"));
    QCOMPARE(text(2, TopTypesTableModel::kRank), QStringLiteral("3"));
  }

  void sortsByCountAsNumbers() {
    TopTypesTableModel model;
    model.setSnapshot(memlens::test::sampleStats());
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(static_cast<int>(TopTypesTableModel::Role::SortKey));
    proxy.sort(TopTypesTableModel::kCount, Qt::AscendingOrder);
    QStringList order;
    for (int row = 0; row < proxy.rowCount(); ++row) {
      order.append(proxy.index(row, TopTypesTableModel::kType).data().toString());
    }
    QCOMPARE(order,
             (QStringList{QStringLiteral("Zion"), QStringLiteral(","), QStringLiteral("the")}));
  }
};

QTEST_MAIN(TestTopTypesTableModel)
#include "tst_top_types_table_model.moc"
