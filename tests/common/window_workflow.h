#pragma once

// Steps the app workflow tests share: a shown main window with a corpus open, and a training
// through its Train & Evaluate form.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <string>

#include "main_window.h"
#include "test_support.h"
#include "train/train_options_widget.h"

namespace memlens::test {

// Shows `window` and opens `text`, written into `dir` as `name`; false if the load did not settle.
inline bool showWithCorpus(gui::MainWindow& window, const QTemporaryDir& dir,
                           const std::string& name, const std::string& text) {
  window.show();
  if (!QTest::qWaitForWindowActive(&window)) return false;
  QSignalSpy settled(&window, &gui::MainWindow::jobSettled);
  window.openPaths({QString::fromStdString(writeFile(dir, name, text))});
  return settled.wait(30000);
}

// Trains `algorithm` at width 3 (other tests leave other options in the settings); false if the
// training did not start or settle.
inline bool trainInWindow(gui::MainWindow& window, Algorithm algorithm) {
  ExperimentOptions options;
  options.window.width = 3;
  options.classifier.algorithm = algorithm;
  window.findChild<views::TrainOptionsWidget*>()->setOptions(options);
  QSignalSpy settled(&window, &gui::MainWindow::jobSettled);
  return window.startTraining() && settled.wait(60000);
}

}  // namespace memlens::test
