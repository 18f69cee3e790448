#pragma once

#include <QString>

class QWidget;

namespace memlens::views {

// Renders `widget` (a chart, a heatmap) as it is on screen into `path`: PNG at twice the
// screen's pixel density, or SVG (vector) when the path ends in .svg. All or nothing; on failure
// returns false with the reason in `error`.
bool saveWidgetImage(QWidget& widget, const QString& path, QString* error);

}  // namespace memlens::views
