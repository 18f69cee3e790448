#pragma once

#include <QString>

class QWidget;

namespace memlens::screenshots {

// Saves what the user sees of `window` to an image file (format from the suffix): the window
// itself plus, centred on it, any dialog it has open (an error box is a window of its own, which
// QWidget::grab() of the main window would leave out). Returns false when the file was not written.
bool saveWindowScreenshot(QWidget& window, const QString& path);

}  // namespace memlens::screenshots
