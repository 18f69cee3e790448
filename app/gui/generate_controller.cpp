#include "generate_controller.h"

#include <QLocale>

#include "common/job_runner.h"
#include "generate/generate_widget.h"

namespace memlens::gui {

namespace {

// "the edited igtree memory (1,234 stored vectors)"
QString describe(const Experiment& memory, bool edited) {
  const RunRecord& record = memory.record();
  return (edited ? GenerateController::tr("the edited %1 memory (%2 stored vectors)")
                 : GenerateController::tr("the trained %1 memory (%2 stored vectors)"))
      .arg(QString::fromLatin1(algorithmName(record.options.classifier.algorithm)),
           QLocale().toString(record.storedVectors));
}

}  // namespace

GenerateController::GenerateController(views::GenerateWidget* page, QObject* parent)
    : QObject(parent), page_(page), runner_(new views::JobRunner(this)) {
  connect(page_, &views::GenerateWidget::generateRequested, this, &GenerateController::generate);
  connect(page_, &views::GenerateWidget::cancelRequested, runner_, &views::JobRunner::cancel);
  connect(page_, &views::GenerateWidget::tokenActivated, this, [this](int index) {
    const auto snapshot = page_->snapshot();
    if (snapshot && index >= 0 && static_cast<size_t>(index) < snapshot->tokens.size()) {
      Q_EMIT inspectContextRequested(snapshot->tokens[static_cast<size_t>(index)].context);
    }
  });
  connect(runner_, &views::JobRunner::progress, this, [this](double fraction, const QString&) {
    page_->showMessage(tr("Generating… %1%").arg(static_cast<int>(fraction * 100.0)));
  });
  connect(runner_, &views::JobRunner::finished, this, &GenerateController::onFinished);
}

GenerateController::~GenerateController() = default;

bool GenerateController::isRunning() const { return runner_->isRunning(); }

void GenerateController::setExperiment(std::shared_ptr<const Experiment> experiment, bool edited) {
  experiment_ = std::move(experiment);
  edited_ = edited;
  page_->setMemoryAvailable(experiment_ != nullptr);
  page_->setMemoryDescription(
      experiment_ ? tr("Generates with %1.").arg(describe(*experiment_, edited_)) : QString());
}

void GenerateController::generate() {
  if (!experiment_ || runner_->isRunning()) return;
  auto ids = experiment_->corpus().encode(page_->prompt().toStdString());
  if (!ids) {
    page_->showMessage(QString::fromStdString(ids.status().message()));
    Q_EMIT settled();
    return;
  }
  auto snapshot = std::make_shared<views::GenerationSnapshot>();
  snapshot->experiment = experiment_;
  snapshot->prompt = std::move(*ids);
  snapshot->options = page_->options();
  pending_ = snapshot;
  pendingMemory_ = describe(*experiment_, edited_);
  page_->setRunning(true);
  runner_->run(tr("generating"), [snapshot](JobControl& job) -> Status {
    auto tokens =
        memlens::generate(*snapshot->experiment, snapshot->prompt, snapshot->options, &job);
    if (!tokens) return tokens.status();
    snapshot->tokens = std::move(*tokens);
    return Status::ok();
  });
}

void GenerateController::onFinished(const Status& status) {
  const std::shared_ptr<const views::GenerationSnapshot> snapshot = std::move(pending_);
  page_->setRunning(false);
  if (status.isOk()) {
    page_->setSnapshot(snapshot);
    page_->showMessage(
        tr("%1 tokens from %2. Click one to inspect its context.")
            .arg(QLocale().toString(static_cast<qulonglong>(snapshot->tokens.size())),
                 pendingMemory_));
  } else if (status.isCancelled()) {
    page_->showMessage(tr("Cancelled."));
  } else {
    page_->showMessage(tr("Could not generate: %1").arg(QString::fromStdString(status.message())));
  }
  Q_EMIT settled();
}

}  // namespace memlens::gui
