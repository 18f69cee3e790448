#include "common/elide_left_delegate.h"

namespace memlens::views {

void ElideLeftDelegate::initStyleOption(QStyleOptionViewItem* option,
                                        const QModelIndex& index) const {
  QStyledItemDelegate::initStyleOption(option, index);
  option->textElideMode = Qt::ElideLeft;
}

}  // namespace memlens::views
