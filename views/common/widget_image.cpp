#include "common/widget_image.h"

#include <QBuffer>
#include <QPainter>
#include <QPixmap>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QWidget>

namespace memlens::views {

namespace {

QByteArray svgBytes(QWidget& widget) {
  QBuffer buffer;
  QSvgGenerator svg;
  svg.setOutputDevice(&buffer);
  svg.setSize(widget.size());
  svg.setViewBox(widget.rect());
  svg.setTitle(widget.objectName());
  QPainter painter(&svg);
  widget.render(&painter);
  painter.end();
  return buffer.data();
}

QByteArray pngBytes(QWidget& widget) {
  constexpr qreal kScale = 2.0;
  QPixmap pixmap(widget.size() * kScale);
  pixmap.setDevicePixelRatio(kScale);
  pixmap.fill(Qt::white);
  widget.render(&pixmap);
  QByteArray bytes;
  QBuffer buffer(&bytes);
  buffer.open(QIODevice::WriteOnly);
  pixmap.save(&buffer, "PNG");
  return bytes;
}

}  // namespace

bool saveWidgetImage(QWidget& widget, const QString& path, QString* error) {
  const QByteArray bytes = path.endsWith(QStringLiteral(".svg"), Qt::CaseInsensitive)
                               ? svgBytes(widget)
                               : pngBytes(widget);
  QSaveFile file(path);
  if (bytes.isEmpty()) {
    if (error) *error = QStringLiteral("the image could not be rendered");
    return false;
  }
  if (!file.open(QIODevice::WriteOnly) || file.write(bytes) < 0 || !file.commit()) {
    if (error) *error = file.errorString();
    return false;
  }
  return true;
}

}  // namespace memlens::views
