#pragma once

// What main_window.cpp and main_window_runs.cpp share: the training (or the opening of a memory
// file) in progress, and how the window words sizes, options and time left.
#include <QLocale>
#include <QString>
#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "main_window.h"
#include "memlens/experiment.h"
#include "memlens/option_names.h"
#include "project_file.h"

namespace memlens::gui {

struct MainWindow::PendingTraining {
  ExperimentOptions options;
  std::shared_ptr<ProjectFile> project;           // its memory is being opened or retrained
  QString memoryFile;                             // opened instead of training
  QStringList trainingText;                       // a TiMBL base's, attached as it opens
  std::shared_ptr<const TokenisedCorpus> corpus;  // trained on
  // The project open when the memory was trained (the Memory tab lets go of it then), which
  // keeps the run.
  std::shared_ptr<ProjectFile> openProject;
  bool memoryEdited = false;  // on the Memory tab, since the memory was trained
  // Set by the worker once the memory is evaluated, if only on a sample (then the job was
  // cancelled); the curve grows point by point. Kept when the job is cancelled after them.
  std::shared_ptr<const Experiment> experiment;
  std::vector<LearningCurvePoint> curve;
};

namespace window_text {

inline QString number(uint64_t n) { return QLocale().toString(static_cast<qulonglong>(n)); }

// "about 40 s", "about 3 min": a guess, rounded like one.
inline QString describeSecondsLeft(double seconds) {
  if (seconds < 60.0) {
    return MainWindow::tr("about %1 s left")
        .arg(std::max(5, 5 * static_cast<int>(std::ceil(seconds / 5.0))));
  }
  return MainWindow::tr("about %1 min left").arg(static_cast<int>(std::ceil(seconds / 60.0)));
}

inline QString describeOptions(const ExperimentOptions& o) {
  return QStringLiteral("%1, width %2")
      .arg(QString::fromLatin1(optionLabel(o.classifier.algorithm)))
      .arg(o.window.width);
}

}  // namespace window_text

}  // namespace memlens::gui
