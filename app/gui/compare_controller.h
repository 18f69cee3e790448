#pragma once

#include <QObject>
#include <memory>
#include <vector>

#include "compare/compare_snapshot.h"
#include "memlens/experiment.h"

namespace memlens::views {
class CompareWidget;
}

namespace memlens::gui {

// Answers the Compare page: keeps every finished run's record, per-token report and corpus,
// compares the two the page picks, and turns a double-clicked flip into a test token of the
// memory the Inspect page traces against. compareRuns() is one hash join over the test tokens
// (milliseconds on the KJV), so it runs on the GUI thread.
class CompareController : public QObject {
  Q_OBJECT

 public:
  CompareController(views::CompareWidget* page, QObject* parent = nullptr);

  void addRun(views::ComparedRun run);
  // The memory the Inspect page traces against; flips are looked up in its test set.
  void setInspected(std::shared_ptr<const Experiment> experiment);
  const std::vector<views::ComparedRun>& runs() const { return runs_; }

 Q_SIGNALS:
  // A flip is test token `index` of the inspected memory.
  void inspectTestTokenRequested(int index);
  // Why a flip cannot be inspected.
  void problem(const QString& message);

 private:
  void compare(int a, int b);
  void inspectFlip(quint64 source);

  views::CompareWidget* page_;
  std::vector<views::ComparedRun> runs_;
  std::shared_ptr<const Experiment> inspected_;
};

}  // namespace memlens::gui
