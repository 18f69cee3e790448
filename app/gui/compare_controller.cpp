#include "compare_controller.h"

#include <algorithm>

#include "compare/compare_widget.h"
#include "compare/flip_table_model.h"

namespace memlens::gui {

CompareController::CompareController(views::CompareWidget* page, QObject* parent)
    : QObject(parent), page_(page) {
  connect(page_, &views::CompareWidget::comparisonRequested, this, &CompareController::compare);
  connect(page_, &views::CompareWidget::flipActivated, this, &CompareController::inspectFlip);
}

void CompareController::addRun(views::ComparedRun run) {
  runs_.push_back(std::move(run));
  page_->setRuns(runs_);
}

void CompareController::setInspected(std::shared_ptr<const Experiment> experiment) {
  inspected_ = std::move(experiment);
}

void CompareController::compare(int a, int b) {
  if (a < 0 || b < 0 || a >= static_cast<int>(runs_.size()) || b >= static_cast<int>(runs_.size()))
    return;
  auto snapshot = std::make_shared<views::CompareSnapshot>();
  snapshot->a = runs_[static_cast<size_t>(a)];
  snapshot->b = runs_[static_cast<size_t>(b)];
  // Sources are token indices into one corpus; another corpus's would match by accident.
  if (snapshot->a.corpus != snapshot->b.corpus) {
    page_->setSnapshot(nullptr,
                       tr("Runs %1 and %2 were trained on different corpora (or tokenisers): "
                          "they share no test tokens.")
                           .arg(snapshot->a.number)
                           .arg(snapshot->b.number));
    return;
  }
  for (const views::ComparedRun* run : {&snapshot->a, &snapshot->b}) {
    if (run->report) continue;
    page_->setSnapshot(nullptr,
                       tr("Run %1 was read from the project file, which keeps its metrics but not "
                          "its per-token results: train it again to compare it token by token.")
                           .arg(run->number));
    return;
  }
  snapshot->comparison = compareRuns(*snapshot->a.report, *snapshot->b.report);
  page_->setSnapshot(std::move(snapshot));
}

void CompareController::inspectFlip(quint64 source) {
  const std::shared_ptr<const views::CompareSnapshot> shown = page_->flips()->snapshot();
  if (!inspected_ || !shown || &inspected_->corpus() != shown->a.corpus.get()) {
    Q_EMIT problem(
        tr("The memory on the Inspect tab is of another corpus; train on this one to inspect "
           "corpus token %1.")
            .arg(source));
    return;
  }
  const std::vector<uint64_t>& sources = inspected_->test().sources;
  const auto at = std::find(sources.begin(), sources.end(), source);
  if (at == sources.end()) {
    Q_EMIT problem(
        tr("Corpus token %1 is not in the test set of the memory on the Inspect tab (another "
           "split or a shorter test set).")
            .arg(source));
    return;
  }
  Q_EMIT inspectTestTokenRequested(static_cast<int>(at - sources.begin()));
}

}  // namespace memlens::gui
