#include "window_screenshot.h"

#include <QDialog>
#include <QPainter>
#include <QPixmap>
#include <QRect>
#include <QWidget>

namespace memlens::screenshots {

bool saveWindowScreenshot(QWidget& window, const QString& path) {
  QPixmap shot = window.grab();
  QPainter painter(&shot);
  for (QDialog* dialog : window.findChildren<QDialog*>()) {
    if (!dialog->isVisible()) continue;
    QRect box(QPoint(), dialog->size());
    box.moveCenter(window.rect().center());
    painter.drawPixmap(box.topLeft(), dialog->grab());
  }
  painter.end();
  return shot.save(path);
}

}  // namespace memlens::screenshots
