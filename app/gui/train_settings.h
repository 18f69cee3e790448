#pragma once

#include "memlens/run_record.h"

class QSettings;

namespace memlens::gui {

// The last training options, kept in QSettings under "train/" by name ("igtree", "gain-ratio"),
// so that a reordered enum never reinterprets what an older version saved. Anything missing or
// unknown falls back to `defaults`.
ExperimentOptions loadTrainOptions(const QSettings& settings, const ExperimentOptions& defaults);
void saveTrainOptions(QSettings& settings, const ExperimentOptions& options);

}  // namespace memlens::gui
