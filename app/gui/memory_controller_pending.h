#pragma once

// What memory_controller.cpp and memory_controller_readying.cpp share: one job of the Memory
// tab's runner.
#include <QString>
#include <QStringList>
#include <memory>
#include <optional>

#include "memory/memory_browser_widget.h"
#include "memory_controller.h"
#include "project_file.h"

namespace memlens::gui {

// What one job was asked and what it produced; the worker fills it, onFinished() reads it.
struct MemoryController::Pending {
  enum class Kind { kPrepare, kPreview, kStep, kProbe, kRefresh, kReady } kind = Kind::kPrepare;
  std::shared_ptr<const Experiment> trained;
  std::shared_ptr<EditSession> session;                // made by kPrepare, edited by the others
  std::shared_ptr<const views::MemorySnapshot> shown;  // the memory on screen, for token texts
  std::shared_ptr<ProjectFile> project;                // journals the steps, when attached
  // The probe set: kPrepare and kProbe make it of `sentences` (held-out tokens when empty).
  QString sentences;
  std::shared_ptr<const InstanceSet> probe;
  bool keepTrainedWeights = false;  // kPrepare
  bool dragMasks = false;           // kPrepare: EditedMemory::masksCountStops()
  // kPreview: the edit, or the pruning to plan.
  MemoryEdit edit;
  std::optional<PruneOptions> prune;
  // A count-threshold stop the background readying did not ready for: readies the drag first
  // (EditSession::prepareCountDrag: at 100M the edited memory is built once, tens of seconds),
  // and later stops wait for it. kReady does only that.
  bool readies = false;
  // kStep: which, and for kCommit the preview to adopt.
  Step step = Step::kCommit;
  std::shared_ptr<EditedMemory::Preview> preview;
  QString title;
  // Set by the worker.
  std::shared_ptr<const Experiment> memory;
  std::shared_ptr<const views::MemorySnapshot> snapshot;
  std::shared_ptr<views::MemoryChange> change;
  uint64_t correct = 0;                 // probe tokens the memory now predicts right
  size_t edits = 0;                     // in effect
  uint64_t vectors = 0, instances = 0;  // of the memory now
  QStringList deleted;
};

}  // namespace memlens::gui
