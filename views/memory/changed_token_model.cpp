#include "memory/changed_token_model.h"

#include <QBrush>

namespace memlens::views {

ChangedTokenModel::ChangedTokenModel(QObject* parent) : QAbstractTableModel(parent) {}

void ChangedTokenModel::setChange(std::shared_ptr<const MemoryChange> change) {
  beginResetModel();
  change_ = std::move(change);
  endResetModel();
}

int ChangedTokenModel::rowCount(const QModelIndex& parent) const {
  if (parent.isValid() || !change_) return 0;
  return static_cast<int>(change_->changed.size());
}

int ChangedTokenModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

QString ChangedTokenModel::prediction(uint32_t classId) const {
  if (classId == Prediction::kNoClass) return tr("(no answer)");
  return change_->memory->tokenText(classId);
}

QVariant ChangedTokenModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const ChangedToken& c = change_->changed[static_cast<size_t>(index.row())];
  const MemorySnapshot& m = *change_->memory;
  const InstanceSet& probe = *change_->probe;
  const uint32_t truth = probe.classes[c.probeIndex];
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case kToken:
          return QStringLiteral("%1").arg(c.probeIndex);
        case kSource:
          return change_->sentences ? tr("line %1").arg(c.source) : m.sourceText(c.source);
        case kContext: {
          QStringList words;
          for (uint32_t v : probe.instance(c.probeIndex)) words.append(m.tokenText(v));
          return words.join(QLatin1Char(' '));
        }
        case kTruth:
          return m.tokenText(truth);
        case kBefore:
          return prediction(c.oldClassId);
        case kAfter:
          return prediction(c.newClassId);
        default:
          return {};
      }
    case Qt::ForegroundRole:
      // Right answers lost are red, right answers gained green.
      if (index.column() == kBefore && c.oldClassId == truth)
        return QBrush(QColor(0x1b, 0x7f, 0x3b));
      if (index.column() == kAfter && c.newClassId == truth)
        return QBrush(QColor(0x1b, 0x7f, 0x3b));
      if (index.column() == kAfter && c.oldClassId == truth)
        return QBrush(QColor(0xb0, 0x20, 0x20));
      return {};
    case Qt::TextAlignmentRole:
      if (index.column() == kToken) return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
      return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ToolTipRole:
      if (!change_->preview) return tr("Double-click to inspect this token against the memory now");
      return {};
    case static_cast<int>(Role::ProbeIndex):
      return static_cast<int>(c.probeIndex);
    default:
      return {};
  }
}

QVariant ChangedTokenModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
    return QAbstractTableModel::headerData(section, orientation, role);
  }
  switch (section) {
    case kToken:
      return tr("Token");
    case kSource:
      return tr("Position");
    case kContext:
      return tr("Context");
    case kTruth:
      return tr("True");
    case kBefore:
      return tr("Before");
    case kAfter:
      return tr("After");
    default:
      return {};
  }
}

}  // namespace memlens::views
