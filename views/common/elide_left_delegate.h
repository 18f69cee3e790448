#pragma once

#include <QStyledItemDelegate>

namespace memlens::views {

// Draws a column's text cut at its start ("…saw the light , that it"): a left context reads
// from the target backwards, so at 16 or 32 tokens the nearest ones are the ones to keep.
// GUI thread only, like every delegate.
class ElideLeftDelegate : public QStyledItemDelegate {
  Q_OBJECT

 public:
  using QStyledItemDelegate::QStyledItemDelegate;

 protected:
  void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override;
};

}  // namespace memlens::views
