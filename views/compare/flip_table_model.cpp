#include "compare/flip_table_model.h"

#include <QBrush>
#include <QColor>
#include <QFileInfo>
#include <algorithm>
#include <climits>
#include <span>
#include <vector>

#include "common/token_text.h"

namespace memlens::views {

FlipTableModel::FlipTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void FlipTableModel::setSnapshot(std::shared_ptr<const CompareSnapshot> snapshot) {
  beginResetModel();
  snapshot_ = std::move(snapshot);
  endResetModel();
}

const RunComparison::Flip* FlipTableModel::flip(int row) const {
  if (!snapshot_ || row < 0 || row >= rowCount()) return nullptr;
  const RunComparison& c = snapshot_->comparison;
  const auto r = static_cast<size_t>(row);
  return r < c.rightToWrong.size() ? &c.rightToWrong[r]
                                   : &c.wrongToRight[r - c.rightToWrong.size()];
}

bool FlipTableModel::isRightToWrong(int row) const {
  return snapshot_ && row >= 0 &&
         static_cast<size_t>(row) < snapshot_->comparison.rightToWrong.size();
}

int FlipTableModel::rowCount(const QModelIndex& parent) const {
  if (parent.isValid() || !snapshot_) return 0;
  const RunComparison& c = snapshot_->comparison;
  return static_cast<int>(std::min<size_t>(c.rightToWrong.size() + c.wrongToRight.size(), INT_MAX));
}

int FlipTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

QString FlipTableModel::cellText(int row, int column) const {
  const RunComparison::Flip& f = *flip(row);
  const TokenisedCorpus& corpus = *snapshot_->a.corpus;
  const TokenRecord& a = snapshot_->a.report->tokens[f.indexA];
  const TokenRecord& b = snapshot_->b.report->tokens[f.indexB];
  switch (column) {
    case kChange:
      return isRightToWrong(row) ? tr("A right, B wrong") : tr("A wrong, B right");
    case kPosition: {
      const TokenPosition p = corpus.tokens.position(f.source);
      const QString path = QString::fromStdString(corpus.corpus->document(p.document).path);
      return QStringLiteral("%1:%2").arg(QFileInfo(path).fileName()).arg(p.line);
    }
    case kContext: {
      const uint64_t lineStart = corpus.tokens.line(corpus.tokens.lineOf(f.source)).firstToken;
      const uint64_t from =
          std::max<uint64_t>(lineStart, f.source > kContextTokens ? f.source - kContextTokens : 0);
      const auto& ids = corpus.tokens.ids();
      const QString text =
          tokensText(corpus.vocab, std::span(ids).subspan(from, f.source - from), corpus.paddingId);
      return from > lineStart ? QStringLiteral("… ") + text : text;
    }
    case kTrue:
      return tokenText(corpus.vocab, a.trueId);
    case kPredictionA:
      return tokenText(corpus.vocab, a.predictedId);
    case kPredictionB:
      return tokenText(corpus.vocab, b.predictedId);
    default:
      return {};
  }
}

QVariant FlipTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const int row = index.row();
  switch (role) {
    case Qt::DisplayRole:
      return cellText(row, index.column());
    case Qt::ToolTipRole:
      return index.column() == kPosition
                 ? QVariant(
                       tr("Corpus token %1; double-click to inspect it").arg(flip(row)->source))
                 : QVariant(tr("Double-click to inspect this test token"));
    case kSourceRole:
      return static_cast<qulonglong>(flip(row)->source);
    case Qt::ForegroundRole: {
      // The right prediction in green, the wrong one in red.
      const bool aRight = isRightToWrong(row);
      if (index.column() == kPredictionA)
        return QBrush(aRight ? QColor(0x1a, 0x7f, 0x37) : QColor(0xb0, 0x00, 0x20));
      if (index.column() == kPredictionB)
        return QBrush(aRight ? QColor(0xb0, 0x00, 0x20) : QColor(0x1a, 0x7f, 0x37));
      return {};
    }
    default:
      return {};
  }
}

QVariant FlipTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case kChange:
      return tr("Change");
    case kPosition:
      return tr("Position");
    case kContext:
      return tr("Context");
    case kTrue:
      return tr("True token");
    case kPredictionA:
      return tr("Run A predicted");
    case kPredictionB:
      return tr("Run B predicted");
    default:
      return {};
  }
}

}  // namespace memlens::views
