#pragma once

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <string>

#include "main_window.h"
#include "memlens/option_names.h"
#include "memory/memory_browser_widget.h"
#include "memory_controller.h"
#include "small_experiment.h"
#include "test_support.h"
#include "train/train_options_widget.h"
#include "window_steps.h"

namespace memlens::test {

// Opens the small grammar corpus in a window, trains `algorithm` on it and waits until the
// Memory tab has prepared the memory for editing. Check QTest::currentTestFailed() after it.
struct TrainedWindow {
  QTemporaryDir dir;
  memlens::gui::MainWindow window;
  memlens::views::MemoryBrowserWidget* page = nullptr;
  memlens::gui::MemoryController* controller = nullptr;
};

inline void trainAndPrepare(TrainedWindow& w, memlens::Algorithm algorithm,
                            const std::string& corpus = memlens::test::smallGrammarCorpus(),
                            memlens::DistanceWeighting distanceWeighting = {}) {
  memlens::gui::MainWindow& window = w.window;
  const QTemporaryDir& dir = w.dir;
  window.show();
  QVERIFY(QTest::qWaitForWindowActive(&window));
  w.page = window.findChild<memlens::views::MemoryBrowserWidget*>();
  w.controller = window.findChild<memlens::gui::MemoryController*>();
  memlens::gui::MemoryController* controller = w.controller;
  QVERIFY(w.page && controller);
  QSignalSpy settled(&window, &memlens::gui::MainWindow::jobSettled);
  QSignalSpy prepared(controller, &memlens::gui::MemoryController::settled);
  window.openPaths({QString::fromStdString(memlens::test::writeFile(dir, "g.txt", corpus))});
  QVERIFY(settled.wait(30000));
  memlens::ExperimentOptions options;  // other tests leave other options in the settings
  options.window.width = 3;
  options.classifier.algorithm = algorithm;
  options.classifier.distanceWeighting = distanceWeighting;
  window.findChild<memlens::views::TrainOptionsWidget*>()->setOptions(options);
  QVERIFY(memlens::steps::startTraining(window));
  QVERIFY(settled.wait(60000));
  // The preparation may have finished before the training's settled() got here.
  QVERIFY(prepared.count() > 0 || prepared.wait(60000));
  QVERIFY(controller->memory());
}

}  // namespace memlens::test
