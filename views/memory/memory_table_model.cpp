#include "memory/memory_table_model.h"

#include <QLocale>

#include "common/job_runner.h"

namespace memlens::views {

namespace {
constexpr size_t kTargetsShown = 3;
constexpr size_t kTargetsInTooltip = 30;
}  // namespace

// What one worker picked, for which request.
struct MemoryTableModel::Picked {
  std::shared_ptr<const MemorySnapshot> snapshot;
  QString filter;
  MemoryFilterScope scope = MemoryFilterScope::kEither;
  MemoryOrder order = MemoryOrder::kIdAscending;
  std::shared_ptr<const std::vector<uint32_t>> rows;  // set by the worker
  bool reversed = false;
  // Cancelled: not shown, even when the worker had ended before it saw the cancel.
  bool dropped = false;
};

MemoryTableModel::MemoryTableModel(QObject* parent)
    : QAbstractTableModel(parent),
      rows_(std::make_shared<const std::vector<uint32_t>>()),
      runner_(new JobRunner(this)),
      orderer_(new JobRunner(this)) {
  connect(runner_, &JobRunner::progress, this, &MemoryTableModel::picking);
  connect(runner_, &JobRunner::finished, this, &MemoryTableModel::onPicked);
  connect(orderer_, &JobRunner::finished, this, &MemoryTableModel::orderAhead);
}

void MemoryTableModel::setSnapshot(std::shared_ptr<const MemorySnapshot> snapshot) {
  // The same memory with its usage census: the rows stay, so does the user's selection; only
  // the Used column changes.
  const bool sameRows = snapshot && shown_ && shown_ == snapshot_ && !isPicking() &&
                        &snapshot->memory() == &shown_->memory();
  snapshot_ = std::move(snapshot);
  if (!sameRows) {
    refresh();
    orderAhead();
    return;
  }
  shown_ = snapshot_;
  if (rowCount() > 0) Q_EMIT dataChanged(index(0, kUsed), index(rowCount() - 1, kUsed));
}

// A big memory's instance order and token index take a second or more to make: made on a worker
// as soon as the memory is shown, the order first (the cheaper one), so that a sort by instances
// later is a reset and a filter a lookup. One for an older memory is stopped: when it ends, the
// memory shown is ordered.
void MemoryTableModel::orderAhead() {
  // The memory, whichever experiment holds it (the trained one, then the same evaluated).
  const auto ordering = ordering_.lock();
  if (ordering && snapshot_ && &ordering->classifier().memory() == &snapshot_->memory()) return;
  if (orderer_->isRunning()) {
    ordering_.reset();
    orderer_->cancel();
    return;
  }
  if (!snapshot_ || snapshot_->vectorCount() <= kInlineVectors) return;
  ordering_ = snapshot_->experiment;
  orderer_->run(tr("indexing the memory"), [snapshot = snapshot_](JobControl& job) -> Status {
    if (const auto order = snapshot->byCount(&job); !order) return order.status();
    const auto index = snapshot->tokenIndex(&job);
    return index ? Status::ok() : index.status();
  });
}

bool MemoryTableModel::setFilter(const QString& token, MemoryFilterScope scope) {
  filter_ = token;
  scope_ = scope;
  return refresh();
}

void MemoryTableModel::sort(int column, Qt::SortOrder order) {
  const bool ascending = order == Qt::AscendingOrder;
  if (column == kId) {
    order_ = ascending ? MemoryOrder::kIdAscending : MemoryOrder::kIdDescending;
  } else if (column == kInstances) {
    order_ = ascending ? MemoryOrder::kFewestInstances : MemoryOrder::kMostInstances;
  } else {
    return;
  }
  refresh();
}

bool MemoryTableModel::isPicking() const { return runner_->isRunning(); }

void MemoryTableModel::cancelPicking() {
  repick_ = false;
  if (picked_) picked_->dropped = true;
  runner_->cancel();
}

bool MemoryTableModel::byInstances() const {
  return order_ == MemoryOrder::kMostInstances || order_ == MemoryOrder::kFewestInstances;
}

bool MemoryTableModel::refresh() {
  const bool known = !snapshot_ || snapshot_->knows(filter_);
  const bool filtered = !filter_.trimmed().isEmpty();
  const bool small = snapshot_ && snapshot_->vectorCount() <= kInlineVectors;
  if (snapshot_ && known && !filtered) {
    if (!byInstances()) {
      // Every vector by id: the rows are the ids themselves, nothing to list.
      if (isPicking()) cancelPicking();
      show(snapshot_, nullptr, false, order_ == MemoryOrder::kIdDescending ? -1 : 1);
      return known;
    }
    // By instances: the kept order, once made (made here for a small memory).
    auto order = snapshot_->byCountIfMade();
    if (!order && small) order = *snapshot_->byCount();
    if (order) {
      if (isPicking()) cancelPicking();
      show(snapshot_, std::move(order), order_ == MemoryOrder::kFewestInstances);
      return known;
    }
  }
  if (!snapshot_ || !known || small) {
    if (isPicking()) cancelPicking();  // replaced by these rows
    auto rows = snapshot_ ? snapshot_->select(filter_, scope_, order_)
                          : Result<std::vector<uint32_t>>(std::vector<uint32_t>());
    show(snapshot_, std::make_shared<const std::vector<uint32_t>>(rows ? std::move(*rows)
                                                                       : std::vector<uint32_t>()));
    return known;
  }
  if (isPicking()) {
    repick_ = true;  // onPicked() starts the latest request
    runner_->cancel();
  } else {
    startPicking();
  }
  return known;
}

void MemoryTableModel::startPicking() {
  repick_ = false;
  auto picked = std::make_shared<Picked>();
  picked->snapshot = snapshot_;
  picked->filter = filter_;
  picked->scope = scope_;
  picked->order = order_;
  picked_ = picked;
  runner_->run(tr("picking rows"), [picked](JobControl& job) -> Status {
    const MemorySnapshot& snapshot = *picked->snapshot;
    if (picked->filter.trimmed().isEmpty()) {  // by instances: the kept order, when made
      job.report(0.0, "ordering by instances");
      auto order = snapshot.byCount(&job);
      if (!order) return order.status();
      picked->rows = std::move(*order);
      picked->reversed = picked->order == MemoryOrder::kFewestInstances;
      return Status::ok();
    }
    auto rows = snapshot.select(picked->filter, picked->scope, picked->order, &job);
    if (!rows) return rows.status();
    picked->rows = std::make_shared<const std::vector<uint32_t>>(std::move(*rows));
    return Status::ok();
  });
}

void MemoryTableModel::onPicked(const Status& status) {
  const std::shared_ptr<Picked> picked = std::move(picked_);
  if (repick_) {
    startPicking();
    return;
  }
  // Only the latest request's rows are shown; an inline refresh may have come meanwhile.
  if (status.isOk() && !picked->dropped && picked->snapshot == snapshot_ &&
      picked->filter == filter_ && picked->scope == scope_ && picked->order == order_)
    show(picked->snapshot, std::move(picked->rows), picked->reversed);
  Q_EMIT pickingDone();
}

void MemoryTableModel::show(std::shared_ptr<const MemorySnapshot> snapshot,
                            std::shared_ptr<const std::vector<uint32_t>> rows, bool reversed,
                            int idOrder) {
  beginResetModel();
  shown_ = std::move(snapshot);
  rows_ = rows ? std::move(rows) : std::make_shared<const std::vector<uint32_t>>();
  reversed_ = reversed;
  idOrder_ = shown_ ? idOrder : 0;
  idRows_ = idOrder_ != 0 ? shown_->vectorCount() : 0;
  endResetModel();
}

uint32_t MemoryTableModel::storedVector(int row) const {
  const auto r = static_cast<uint32_t>(row);
  if (idOrder_ > 0) return r;
  if (idOrder_ < 0) return idRows_ - 1 - r;
  return (*rows_)[reversed_ ? rows_->size() - 1 - r : r];
}

int MemoryTableModel::rowCount(const QModelIndex& parent) const {
  if (parent.isValid()) return 0;
  return static_cast<int>(idOrder_ != 0 ? idRows_ : rows_->size());
}

int MemoryTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

QVariant MemoryTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const uint32_t id = storedVector(index.row());
  const MemorySnapshot& s = *shown_;
  const int column = index.column();
  switch (role) {
    case Qt::DisplayRole:
      switch (column) {
        case kId:
          return QStringLiteral("#%1").arg(id);
        case kContext:
          return s.contextText(id);
        case kTargets:
          return s.targetsText(id, kTargetsShown);
        case kInstances:
          return QLocale().toString(s.instanceCount(id));
        case kUsed:
          return s.usage.empty() ? QStringLiteral("—")
                                 : QLocale().toString(s.usage[id].neighbourCount);
        case kSource:
          return s.sourceText(s.firstSource(id));
        default:
          return {};
      }
    case Qt::ToolTipRole:
      if (column == kTargets) return s.targetsText(id, kTargetsInTooltip);
      if (column == kUsed && !s.usage.empty()) {
        return tr("A neighbour in %1 of the predictions for the first %2 validation tokens; credit "
                  "%3 "
                  "(its vote share for the true token minus its best share for another, summed)")
            .arg(QLocale().toString(s.usage[id].neighbourCount),
                 QLocale().toString(static_cast<qulonglong>(s.usageTokens)),
                 QLocale().toString(s.usage[id].credit, 'f', 2));
      }
      if (column == kUsed) return tr("IGTree answers from tree nodes: no neighbours to count");
      return {};
    case Qt::TextAlignmentRole:
      if (column == kId || column == kInstances || column == kUsed) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
      }
      return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    case static_cast<int>(Role::StoredVector):
      return id;
    default:
      return {};
  }
}

QVariant MemoryTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
    return QAbstractTableModel::headerData(section, orientation, role);
  }
  switch (section) {
    case kId:
      return tr("Vector");
    case kContext:
      return tr("Context");
    case kTargets:
      return tr("Targets");
    case kInstances:
      return tr("Instances");
    case kUsed:
      return tr("Used");
    case kSource:
      return tr("First source");
    default:
      return {};
  }
}

}  // namespace memlens::views
