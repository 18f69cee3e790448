#include "corpus/document_table_model.h"

#include <QFileInfo>
#include <QLocale>

namespace memlens::views {

namespace {

uint64_t numberAt(const DocumentStats& doc, int column) {
  switch (column) {
    case DocumentTableModel::kBytes:
      return doc.bytes;
    case DocumentTableModel::kLines:
      return doc.lines;
    case DocumentTableModel::kTokens:
      return doc.tokens;
    case DocumentTableModel::kTypes:
      return doc.types;
    default:
      return 0;
  }
}

}  // namespace

DocumentTableModel::DocumentTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void DocumentTableModel::setSnapshot(std::shared_ptr<const CorpusStats> snapshot) {
  beginResetModel();
  snapshot_ = std::move(snapshot);
  endResetModel();
}

int DocumentTableModel::rowCount(const QModelIndex& parent) const {
  if (parent.isValid() || !snapshot_) return 0;
  return static_cast<int>(snapshot_->perDocument.size());
}

int DocumentTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

QVariant DocumentTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const DocumentStats& doc = snapshot_->perDocument[static_cast<size_t>(index.row())];
  const int column = index.column();
  switch (role) {
    case Qt::DisplayRole:
      // The file name is what tells documents apart at a glance; the tooltip has the full path.
      if (column == kPath) return QFileInfo(QString::fromStdString(doc.path)).fileName();
      return QLocale().toString(static_cast<qulonglong>(numberAt(doc, column)));
    case Qt::ToolTipRole:
      if (column == kPath) return QString::fromStdString(doc.path);
      return {};
    case Qt::TextAlignmentRole:
      if (column == kPath) return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
      return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    case static_cast<int>(Role::SortKey):
      if (column == kPath) return QString::fromStdString(doc.path);
      return static_cast<qulonglong>(numberAt(doc, column));
    default:
      return {};
  }
}

QVariant DocumentTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
    return QAbstractTableModel::headerData(section, orientation, role);
  }
  switch (section) {
    case kPath:
      return tr("Document");
    case kBytes:
      return tr("Bytes");
    case kLines:
      return tr("Lines");
    case kTokens:
      return tr("Tokens");
    case kTypes:
      return tr("Types");
    default:
      return {};
  }
}

}  // namespace memlens::views
