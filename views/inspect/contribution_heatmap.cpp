#include "inspect/contribution_heatmap.h"

#include <QHelpEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>

namespace memlens::views {

namespace {

constexpr int kMargin = 6;

// Two lines: a narrow map puts the legend's text under its colour bar.
int legendHeight(const QFontMetrics& fm) { return 2 * fm.height() + 6; }
const QColor kHot(0xd9, 0x48, 0x01);  // the largest contribution; 0 is white

}  // namespace

ContributionHeatmap::ContributionHeatmap(QWidget* parent) : QWidget(parent) {
  setMouseTracking(true);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void ContributionHeatmap::setSnapshot(std::shared_ptr<const InspectSnapshot> snapshot) {
  snapshot_ = std::move(snapshot);
  selectedRow_ = -1;
  maxContribution_ = 0.0;
  for (int r = 0; r < rowCount(); ++r) {
    for (double c : snapshot_->neighbours[static_cast<size_t>(r)].contributions) {
      maxContribution_ = std::max(maxContribution_, c);
    }
  }
  updateGeometry();
  update();
}

void ContributionHeatmap::setSelectedRow(int row) {
  selectedRow_ = row;
  update();
}

int ContributionHeatmap::rowCount() const {
  return snapshot_ ? std::min(kMaxRows, static_cast<int>(snapshot_->neighbours.size())) : 0;
}

int ContributionHeatmap::columnCount() const { return snapshot_ ? snapshot_->width() : 0; }

int ContributionHeatmap::labelWidth() const {
  return fontMetrics().horizontalAdvance(QStringLiteral("#00000000")) + kMargin;
}
int ContributionHeatmap::headerHeight() const { return 2 * fontMetrics().height() + kMargin; }
int ContributionHeatmap::rowHeight() const { return fontMetrics().height() + 4; }

// Columns share the width left by the labels, but never get narrower than a short word.
int ContributionHeatmap::columnWidth() const {
  const int columns = std::max(1, columnCount());
  const int minimum = fontMetrics().horizontalAdvance(QStringLiteral("wwwwww"));
  return std::max(minimum, (width() - labelWidth() - 2 * kMargin) / columns);
}

QRect ContributionHeatmap::cellRect(int row, int column) const {
  return {kMargin + labelWidth() + column * columnWidth(),
          kMargin + headerHeight() + row * rowHeight(), columnWidth(), rowHeight()};
}

QSize ContributionHeatmap::sizeHint() const {
  const int columns = std::max(1, columnCount());
  const int w = 2 * kMargin + labelWidth() +
                columns * fontMetrics().horizontalAdvance(QStringLiteral("wwwwwwww"));
  return {w, 2 * kMargin + headerHeight() + std::max(3, rowCount()) * rowHeight() +
                 legendHeight(fontMetrics())};
}

QSize ContributionHeatmap::minimumSizeHint() const {
  return {2 * kMargin + labelWidth() + std::max(1, columnCount()) * 30,
          2 * kMargin + headerHeight() + 3 * rowHeight() + legendHeight(fontMetrics())};
}

std::pair<int, int> ContributionHeatmap::cellAt(const QPoint& pos) const {
  for (int r = 0; r < rowCount(); ++r) {
    for (int c = 0; c < columnCount(); ++c) {
      if (cellRect(r, c).contains(pos)) return {r, c};
    }
  }
  return {-1, -1};
}

QColor ContributionHeatmap::colourOf(double contribution) const {
  const double t =
      maxContribution_ > 0.0 ? std::clamp(contribution / maxContribution_, 0.0, 1.0) : 0.0;
  auto mix = [t](int hot) { return static_cast<int>(255.0 + t * (hot - 255)); };
  return {mix(kHot.red()), mix(kHot.green()), mix(kHot.blue())};
}

QString ContributionHeatmap::toolTipAt(const QPoint& pos) const {
  const auto [row, column] = cellAt(pos);
  if (row < 0) return {};
  const InspectNeighbour& n = snapshot_->neighbours[static_cast<size_t>(row)];
  const auto j = static_cast<size_t>(column);
  const double contribution = j < n.contributions.size() ? n.contributions[j] : 0.0;
  return tr("Vector #%1 at t−%2: “%3” (query “%4”)\n%5")
      .arg(n.storedVector)
      .arg(columnCount() - column)
      .arg(snapshot_->tokenText(n.values[j]), snapshot_->tokenText(snapshot_->context[j]))
      .arg(QLocale().toString(contribution, 'g', 6));
}

bool ContributionHeatmap::event(QEvent* event) {
  if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    const QString text = toolTipAt(help->pos());
    if (text.isEmpty()) {
      QToolTip::hideText();
      event->ignore();
    } else {
      QToolTip::showText(help->globalPos(), text, this,
                         cellRect(cellAt(help->pos()).first, cellAt(help->pos()).second));
    }
    return true;
  }
  return QWidget::event(event);
}

void ContributionHeatmap::mousePressEvent(QMouseEvent* event) {
  const int row = cellAt(event->position().toPoint()).first;
  if (row >= 0) Q_EMIT rowClicked(row);
  QWidget::mousePressEvent(event);
}

void ContributionHeatmap::paintEvent(QPaintEvent* /*event*/) {
  QPainter p(this);
  p.fillRect(rect(), palette().base());
  p.setPen(palette().text().color());
  if (!snapshot_ || rowCount() == 0) {
    p.drawText(rect(), Qt::AlignCenter, tr("No neighbours to map"));
    return;
  }
  const QFontMetrics fm = fontMetrics();
  for (int c = 0; c < columnCount(); ++c) {
    const QRect cell = cellRect(0, c);
    const QRect header(cell.left(), kMargin, cell.width(), headerHeight() - kMargin / 2);
    const QString token =
        fm.elidedText(snapshot_->tokenText(snapshot_->context[static_cast<size_t>(c)]),
                      Qt::ElideRight, cell.width() - 4);
    p.drawText(header, Qt::AlignHCenter | Qt::AlignBottom,
               QStringLiteral("t−%1\n%2").arg(columnCount() - c).arg(token));
  }
  for (int r = 0; r < rowCount(); ++r) {
    const InspectNeighbour& n = snapshot_->neighbours[static_cast<size_t>(r)];
    const QRect first = cellRect(r, 0);
    p.setPen(palette().text().color());
    p.drawText(QRect(kMargin, first.top(), labelWidth() - kMargin, first.height()),
               Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("#%1").arg(n.storedVector));
    for (int c = 0; c < columnCount(); ++c) {
      const auto j = static_cast<size_t>(c);
      const QRect cell = cellRect(r, c);
      p.fillRect(cell.adjusted(0, 0, -1, -1),
                 colourOf(j < n.contributions.size() ? n.contributions[j] : 0.0));
      p.setPen(QColor(Qt::black));
      p.drawText(
          cell.adjusted(3, 0, -3, 0), Qt::AlignCenter,
          fm.elidedText(snapshot_->tokenText(n.values[j]), Qt::ElideRight, cell.width() - 6));
    }
  }
  if (selectedRow_ >= 0 && selectedRow_ < rowCount()) {
    const QRect row = cellRect(selectedRow_, 0).united(cellRect(selectedRow_, columnCount() - 1));
    p.setPen(QPen(palette().highlight().color(), 2));
    p.setBrush(Qt::NoBrush);
    p.drawRect(row.adjusted(0, 0, -1, -1));
  }
  // The legend: the colour scale, and how many rows were left out.
  const int top = cellRect(rowCount(), 0).top() + kMargin;
  QLinearGradient gradient(kMargin + labelWidth(), 0, kMargin + labelWidth() + 120, 0);
  gradient.setColorAt(0, Qt::white);
  gradient.setColorAt(1, kHot);
  const QRect bar(kMargin + labelWidth(), top + 3, 120, fm.height() - 4);
  p.fillRect(bar, gradient);
  p.setPen(palette().text().color());
  p.drawRect(bar);
  QString legend =
      maxContribution_ > 0.0
          ? tr("0 … %1 of the distance").arg(QLocale().toString(maxContribution_, 'g', 4))
          : tr("every position matches: distance 0");
  const int total = static_cast<int>(snapshot_->neighbours.size());
  if (total > rowCount()) legend += tr(" · first %1 of %2 rows").arg(rowCount()).arg(total);
  const QRect beside(bar.right() + 8, top, width() - kMargin - bar.right() - 8, fm.height());
  if (fm.horizontalAdvance(legend) <= beside.width()) {
    p.drawText(beside, Qt::AlignLeft | Qt::AlignVCenter, legend);
  } else {  // a narrow map: under the bar, from the left edge (it was cut off at the right)
    const QRect below(kMargin, top + fm.height(), width() - 2 * kMargin, fm.height());
    p.drawText(below, Qt::AlignLeft | Qt::AlignVCenter,
               fm.elidedText(legend, Qt::ElideRight, below.width()));
  }
}

}  // namespace memlens::views
