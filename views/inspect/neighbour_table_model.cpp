#include "inspect/neighbour_table_model.h"

#include <QBrush>
#include <QColor>
#include <QLocale>
#include <algorithm>

#include "common/inspect_colours.h"

namespace memlens::views {

namespace {

constexpr size_t kCountsShown = 3;  // classes named in the counts cell; the tooltip has all

// "said ×3, spake ×1 (+2 more)", most frequent first.
QString countsText(const InspectSnapshot& s, std::vector<ClassVote> counts, size_t limit) {
  std::stable_sort(counts.begin(), counts.end(),
                   [](const ClassVote& a, const ClassVote& b) { return a.weight > b.weight; });
  QStringList parts;
  for (size_t i = 0; i < counts.size() && i < limit; ++i) {
    parts.append(
        QStringLiteral("%1 ×%2").arg(s.tokenText(counts[i].classId)).arg(counts[i].weight));
  }
  QString text = parts.join(limit > kCountsShown ? QStringLiteral("\n") : QStringLiteral(", "));
  if (counts.size() > limit) {
    text +=
        NeighbourTableModel::tr(" (+%n more)", nullptr, static_cast<int>(counts.size() - limit));
  }
  return text;
}

}  // namespace

NeighbourTableModel::NeighbourTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void NeighbourTableModel::setSnapshot(std::shared_ptr<const InspectSnapshot> snapshot) {
  beginResetModel();
  snapshot_ = std::move(snapshot);
  endResetModel();
}

QString NeighbourTableModel::nodeEvidenceText() const {
  if (!snapshot_) return {};
  const InspectSnapshot& s = *snapshot_;
  const QLocale locale;
  if (!s.nodeEvidence && s.unlistedVectors > 0) {
    const auto listed = static_cast<qulonglong>(s.neighbours.size());
    return tr("Showing %1 of %2 neighbours: %3 more at these distances are counted in the vote "
              "but not listed")
        .arg(locale.toString(listed), locale.toString(listed + s.unlistedVectors),
             locale.toString(static_cast<qulonglong>(s.unlistedVectors)));
  }
  if (!s.nodeEvidence) return {};
  QStringList agreed;  // the positions the walk matched, in the order it tested them
  for (int d = 0; d < s.path.depth; ++d) {
    const TreeStep& step = s.path.steps[static_cast<size_t>(d)];
    agreed.append(
        QStringLiteral("t−%1 “%2”").arg(width() - step.feature).arg(s.tokenText(step.value)));
  }
  const QString shown = tr("Showing %1 of %2 stored vectors (%3 instances)")
                            .arg(locale.toString(static_cast<qulonglong>(s.neighbours.size())),
                                 locale.toString(s.nodeVectors),
                                 locale.toString(static_cast<qulonglong>(s.nodeInstances)));
  if (agreed.isEmpty()) return tr("%1: the root holds them all").arg(shown);
  return tr("%1 that agree with the query on %2").arg(shown, agreed.join(QStringLiteral(", ")));
}

int NeighbourTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() || !snapshot_ ? 0 : static_cast<int>(snapshot_->neighbours.size());
}

int NeighbourTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kFirstPosition + width() + kTailCount;
}

QVariant NeighbourTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid) || !snapshot_) return {};
  const InspectNeighbour& n = snapshot_->neighbours[static_cast<size_t>(index.row())];
  const int column = index.column();
  if (column >= kFirstPosition && column < kFirstPosition + width()) {
    return positionData(n, column - kFirstPosition, role);
  }
  if (column >= kFirstPosition + width())
    return tailData(n, column - kFirstPosition - width(), role);
  const QVariant key = column == kBucket ? QVariant(n.bucket) : QVariant(n.storedVector);
  if (role == static_cast<int>(Role::SortKey)) return key;
  if (role == Qt::DisplayRole)
    return column == kBucket ? key : QVariant(QStringLiteral("#%1").arg(n.storedVector));
  if (role == Qt::TextAlignmentRole) return QVariant(Qt::AlignRight | Qt::AlignVCenter);
  return {};
}

QVariant NeighbourTableModel::positionData(const InspectNeighbour& n, int position,
                                           int role) const {
  const auto j = static_cast<size_t>(position);
  const bool match = n.matches[j];
  const double contribution = j < n.contributions.size() ? n.contributions[j] : 0.0;
  switch (role) {
    case Qt::DisplayRole:
    case static_cast<int>(Role::SortKey):
      return snapshot_->tokenText(n.values[j]);
    case static_cast<int>(Role::Match):
      return match;
    case static_cast<int>(Role::Contribution):
      return contribution;
    case Qt::BackgroundRole:
      return QBrush(match ? kMatchColour : kMismatchColour);
    case Qt::ForegroundRole:
      return QBrush(QColor(Qt::black));  // the tints are light in every palette
    case Qt::ToolTipRole:
      return tr("%1: adds %2 to the distance")
          .arg(match ? tr("matches the query") : tr("differs from the query"))
          .arg(QLocale().toString(contribution, 'g', 4));
    default:
      return {};
  }
}

QVariant NeighbourTableModel::tailData(const InspectNeighbour& n, int tail, int role) const {
  const QLocale locale;
  if (role == static_cast<int>(Role::SortKey) || role == Qt::DisplayRole) {
    const bool display = role == Qt::DisplayRole;
    const bool tree = snapshot_->nodeEvidence;
    switch (tail) {
      case kDistance:
        if (tree) {
          return display ? QVariant(tr("%1 of %2").arg(n.matchedFeatures).arg(width()))
                         : QVariant(n.matchedFeatures);
        }
        return display ? QVariant(locale.toString(n.distance, 'f', 4)) : QVariant(n.distance);
      case kWeight:
        if (tree && display)
          return locale.toString(100.0 * n.weight, 'f', 1) + QStringLiteral(" %");
        return display ? QVariant(locale.toString(n.weight, 'g', 4)) : QVariant(n.weight);
      case kCounts:
        return countsText(*snapshot_, n.counts, kCountsShown);
      case kInstances:
        return display ? QVariant(locale.toString(static_cast<qulonglong>(n.instanceCount)))
                       : QVariant(static_cast<qulonglong>(n.instanceCount));
      default:
        return {};
    }
  }
  if (role == Qt::ToolTipRole && tail == kCounts) return countsText(*snapshot_, n.counts, 30);
  if (role == Qt::TextAlignmentRole && tail != kCounts) {
    return QVariant(Qt::AlignRight | Qt::AlignVCenter);
  }
  return {};
}

QVariant NeighbourTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || section < 0 || section >= columnCount()) return {};
  const bool vector = snapshot_ && snapshot_->vectorMemory;
  const bool tree = snapshot_ && snapshot_->nodeEvidence;
  if (section >= kFirstPosition && section < kFirstPosition + width()) {
    const auto j = static_cast<size_t>(section - kFirstPosition);
    // t−1 is the token just before the one predicted.
    if (role == Qt::DisplayRole) {
      return QStringLiteral("t−%1\n%2")
          .arg(width() - static_cast<int>(j))
          .arg(snapshot_->tokenText(snapshot_->context[j]));
    }
    if (role == Qt::ToolTipRole) {
      return tr("Context position %1 (feature f%1), weight %2; the query has “%3” here")
          .arg(j + 1)
          .arg(QLocale().toString(snapshot_->featureWeights[j], 'g', 4))
          .arg(snapshot_->tokenText(snapshot_->context[j]));
    }
    return {};
  }
  if (role == Qt::ToolTipRole) {
    if (section == kBucket) {
      if (tree) return tr("Rank by instances among the stored vectors under the answering node");
      return vector ? tr("Rank of the slot by distance") : tr("Distance bucket (k counts these)");
    }
    if (section == kVector) return tr("Stored vector id in the memory");
    switch (section - kFirstPosition - width()) {
      case kDistance:
        if (tree) {
          return tr(
              "Context positions where the stored vector has the query's value (every "
              "feature the tree path matched, and perhaps others)");
        }
        return {};
      case kWeight:
        if (tree) return tr("Share of the answering node's instances: its part of the answer");
        return vector ? tr("Attention α: the slot's share of the memory's vote")
                      : tr("Distance weight every count in the bucket was multiplied by");
      case kCounts:
        return tr("How often each next token followed this stored context in training");
      case kInstances:
        return tr("Training instances merged into this stored vector");
      default:
        return {};
    }
  }
  if (role != Qt::DisplayRole) return {};
  if (section == kBucket) return vector || tree ? tr("Rank") : tr("Bucket");
  if (section == kVector) return tr("Vector");
  switch (section - kFirstPosition - width()) {
    case kDistance:
      return tree ? tr("Matched") : tr("Distance");
    case kWeight:
      if (tree) return tr("Share");
      return vector ? tr("Attention") : tr("Vote weight");
    case kCounts:
      return tr("Next tokens");
    case kInstances:
      return tr("Instances");
    default:
      return {};
  }
}

}  // namespace memlens::views
