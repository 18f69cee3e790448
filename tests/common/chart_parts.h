#pragma once

// A chart's series and axes found as a user sees them, by legend name and by the side of the plot
// they are drawn on, instead of through accessors a chart view would keep only for tests.
#include <QAbstractAxis>
#include <QAbstractSeries>
#include <QChart>
#include <QChartView>
#include <QString>
#include <QtGlobal>

namespace memlens::test {

template <typename T = QAbstractSeries>
T* seriesNamed(const QChartView& view, const QString& name) {
  for (QAbstractSeries* s : view.chart()->series()) {
    if (s->name() == name) {
      if (auto* found = qobject_cast<T*>(s)) return found;
    }
  }
  qFatal("no %s named '%s' in the chart", T::staticMetaObject.className(), qPrintable(name));
}

template <typename T = QAbstractAxis>
T* axisAt(const QChartView& view, Qt::Alignment side) {
  for (QAbstractAxis* a : view.chart()->axes()) {
    if (a->alignment() == side) {
      if (auto* found = qobject_cast<T*>(a)) return found;
    }
  }
  qFatal("no %s on side %d of the chart", T::staticMetaObject.className(), int(side));
}

}  // namespace memlens::test
