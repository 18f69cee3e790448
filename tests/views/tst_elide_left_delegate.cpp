#include <QStandardItemModel>
#include <QTableView>
#include <QtTest>

#include "common/elide_left_delegate.h"
#include "memory/memory_browser_widget.h"
#include "memory/memory_table_model.h"

using memlens::views::ElideLeftDelegate;
using memlens::views::MemoryBrowserWidget;
using memlens::views::MemoryTableModel;

namespace {

// Reads the style option the delegate paints with (initStyleOption is protected).
class OptionReader : public ElideLeftDelegate {
 public:
  using ElideLeftDelegate::ElideLeftDelegate;
  QStyleOptionViewItem optionFor(const QModelIndex& index) const {
    QStyleOptionViewItem option;
    initStyleOption(&option, index);
    return option;
  }
};

}  // namespace

class TestElideLeftDelegate : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void cutsTheStartAndKeepsTheNearestTokens() {
    const QString context = QStringLiteral(
        "_ _ _ _ _ _ _ _ _ _ And God saw the light , that it was good : and God divided the");
    QStandardItemModel model(1, 1);
    model.setData(model.index(0, 0), context);
    OptionReader delegate;
    const QStyleOptionViewItem option = delegate.optionFor(model.index(0, 0));
    QCOMPARE(option.text, context);
    QCOMPARE(option.textElideMode, Qt::ElideLeft);
    const QString shown = option.fontMetrics.elidedText(
        option.text, option.textElideMode, option.fontMetrics.horizontalAdvance(context) / 3);
    QVERIFY2(shown.endsWith(QStringLiteral("divided the")), qPrintable(shown));
  }

  // The Memory tab's context column, and only it, is drawn that way.
  void memoryTableContextColumn() {
    MemoryBrowserWidget browser;
    auto* table = browser.findChild<QTableView*>(QStringLiteral("memoryTable"));
    QVERIFY(table);
    QVERIFY(
        qobject_cast<ElideLeftDelegate*>(table->itemDelegateForColumn(MemoryTableModel::kContext)));
    QVERIFY(!qobject_cast<ElideLeftDelegate*>(
        table->itemDelegateForColumn(MemoryTableModel::kTargets)));
  }
};

QTEST_MAIN(TestElideLeftDelegate)
#include "tst_elide_left_delegate.moc"
