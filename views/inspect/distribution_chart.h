#pragma once

#include <QChartView>
#include <memory>

#include "inspect/inspect_snapshot.h"

class QBarCategoryAxis;
class QBarSet;
class QHorizontalBarSeries;
class QValueAxis;

namespace memlens::views {

// The most probable next tokens of an inspected context as horizontal bars, most probable on
// top: their smoothed probability (memory vote interpolated with Kneser-Ney). The true next
// token, when a corpus position was inspected and it is among them, is drawn in another colour.
class DistributionChart : public QChartView {
  Q_OBJECT

 public:
  explicit DistributionChart(QWidget* parent = nullptr);

  // Null shows an empty chart titled `emptyTitle`.
  void setSnapshot(const std::shared_ptr<const InspectSnapshot>& snapshot,
                   const QString& emptyTitle = {});

 private:
  QHorizontalBarSeries* series_;
  QBarSet* probabilities_;
  QBarCategoryAxis* tokenAxis_;
  QValueAxis* probabilityAxis_;
};

}  // namespace memlens::views
