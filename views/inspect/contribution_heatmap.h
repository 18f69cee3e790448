#pragma once

#include <QWidget>
#include <memory>

#include "inspect/inspect_snapshot.h"

namespace memlens::views {

// The feature-match map (k-NN) or attention map (vector memory) of one inspected context:
// one row per neighbour or slot, nearest first, one column per context position; a cell's
// colour is that position's contribution to the neighbour's distance (white: none), its exact
// value is in the tooltip. Shows the first kMaxRows rows; clicking a row emits rowClicked().
class ContributionHeatmap : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kMaxRows = 60;

  explicit ContributionHeatmap(QWidget* parent = nullptr);

  void setSnapshot(std::shared_ptr<const InspectSnapshot> snapshot);
  // Outlines this row (a neighbour index), or none for -1.
  void setSelectedRow(int row);

  int rowCount() const;
  int columnCount() const;
  // The cell of neighbour `row` at context position `column`, in widget coordinates.
  QRect cellRect(int row, int column) const;
  // The tooltip shown at `pos`: the neighbour, the position and the exact contribution on the
  // last line; empty outside the cells.
  QString toolTipAt(const QPoint& pos) const;

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 Q_SIGNALS:
  void rowClicked(int row);

 protected:
  bool event(QEvent* event) override;
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;

 private:
  // The cell under `pos`: {row, column}, or {-1, -1}.
  std::pair<int, int> cellAt(const QPoint& pos) const;
  QColor colourOf(double contribution) const;
  int labelWidth() const;
  int headerHeight() const;
  int columnWidth() const;
  int rowHeight() const;

  std::shared_ptr<const InspectSnapshot> snapshot_;
  double maxContribution_ = 0.0;
  int selectedRow_ = -1;
};

}  // namespace memlens::views
