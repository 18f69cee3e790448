#include "memory_controller.h"

#include <QAction>
#include <QLocale>
#include <QUndoStack>
#include <algorithm>
#include <optional>
#include <utility>

#include "common/job_runner.h"
#include "memlens/option_names.h"
#include "memory/memory_browser_widget.h"
#include "memory_controller_pending.h"
#include "memory_edit_command.h"
#include "project_file.h"

namespace memlens::gui {

namespace {

// Whether two experiments hold one memory (Experiment::evaluated() shares the trained one's).
bool sameMemory(const Experiment& a, const Experiment& b) {
  return &a.classifier() == &b.classifier();
}

// Contexts of the vectors deleted by edits in effect that the memory does not hold again.
QStringList deletedContexts(const EditedMemory& edited, const views::MemorySnapshot& shown) {
  QStringList contexts;
  for (const MemoryEdit& e : edited.edits()) {
    if (e.kind != EditKind::kDeleteVector) continue;
    if (shown.memory().find(e.features) != InstanceBase::kNone) continue;
    QStringList words;
    for (uint32_t v : e.features) words.append(shown.tokenText(v));
    const QString context = words.join(QLatin1Char(' '));
    if (!contexts.contains(context)) contexts.append(context);
  }
  return contexts;
}

// The page's account of a preview or a step, on the probe set the job was given.
std::shared_ptr<views::MemoryChange> changeShown(ProbeChange c, const QString& title,
                                                 std::shared_ptr<const InstanceSet> probe,
                                                 bool sentences, bool preview) {
  auto change = std::make_shared<views::MemoryChange>();
  static_cast<ProbeChange&>(*change) = std::move(c);
  change->title = title;
  change->preview = preview;
  change->probeTokens = probe ? probe->size() : 0;
  change->probe = std::move(probe);
  change->sentences = sentences;
  return change;
}

QString number(uint64_t n) { return QLocale().toString(static_cast<qulonglong>(n)); }

// The held-out probe set (a prefix of the test part), or `sentences` made into instances.
Result<InstanceSet> probeSet(const Experiment& trained, const QString& sentences) {
  if (sentences.isEmpty()) {
    const InstanceSet& test = trained.test();
    return test.slice(0, std::min(test.size(), MemoryController::kProbeTokens));
  }
  return trained.corpus().instancesOf(sentences.toStdString(), trained.train().width);
}

// A replayed edit's line in the journal view (live edits are named when they are made).
QString describeEdit(const MemoryEdit& e, const views::MemorySnapshot& shown) {
  QStringList words;
  for (uint32_t v : e.features) words.append(shown.tokenText(v));
  const QString context = words.join(QLatin1Char(' '));
  switch (e.kind) {
    case EditKind::kDeleteVector:
      return MemoryController::tr("Delete “%1”").arg(context);
    case EditKind::kRestoreVector:
      return MemoryController::tr("Restore “%1”").arg(context);
    case EditKind::kRelabelVector:
      return MemoryController::tr("Relabel “%1” → %2").arg(context, shown.tokenText(e.classId));
    default:
      break;
  }
  const QString kind = QString::fromLatin1(e.kindName());
  return e.note.empty() ? kind : QStringLiteral("%1: %2").arg(kind, QString::fromStdString(e.note));
}

}  // namespace

MemoryController::MemoryController(views::MemoryBrowserWidget* page, QObject* parent)
    : QObject(parent),
      page_(page),
      runner_(new views::JobRunner(this)),
      censusRunner_(new views::JobRunner(this)),
      stack_(new QUndoStack(this)),
      undo_(new QAction(tr("&Undo Edit"), this)),
      redo_(new QAction(tr("&Redo Edit"), this)) {
  undo_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Z));
  redo_->setShortcuts(
      {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
  undo_->setObjectName(QStringLiteral("memoryUndo"));
  redo_->setObjectName(QStringLiteral("memoryRedo"));
  connect(undo_, &QAction::triggered, this, [this] {
    if (!isRunning() && stack_->canUndo()) stack_->undo();
  });
  connect(redo_, &QAction::triggered, this, [this] {
    if (!isRunning() && stack_->canRedo()) stack_->redo();
  });
  connect(stack_, &QUndoStack::indexChanged, this, &MemoryController::updateActions);
  page_->setUndoStack(stack_);
  page_->setProbeNote(probeNote());
  connect(page_, &views::MemoryBrowserWidget::deleteRequested, this,
          &MemoryController::deleteVectors);
  connect(page_, &views::MemoryBrowserWidget::relabelRequested, this,
          &MemoryController::relabelVector);
  connect(page_, &views::MemoryBrowserWidget::restoreRequested, this,
          &MemoryController::restoreVector);
  connect(page_, &views::MemoryBrowserWidget::prunePreviewRequested, this,
          &MemoryController::previewPrune);
  connect(page_, &views::MemoryBrowserWidget::commitRequested, this,
          &MemoryController::commitPreview);
  connect(page_, &views::MemoryBrowserWidget::discardRequested, this, [this] {
    preview_.reset();
    page_->clearChange();
  });
  connect(page_, &views::MemoryBrowserWidget::cancelRequested, runner_, &views::JobRunner::cancel);
  connect(page_, &views::MemoryBrowserWidget::inspectRequested, this,
          &MemoryController::inspectProbeToken);
  connect(page_, &views::MemoryBrowserWidget::probeSentencesChosen, this,
          &MemoryController::setProbeSentences);
  connect(page_, &views::MemoryBrowserWidget::weightsModeChosen, this,
          &MemoryController::chooseWeightsMode);
  connect(page_, &views::MemoryBrowserWidget::listEditedRequested, this, [this] {
    if (isRunning() || !steps_.empty() || !unlisted_) return;
    // Readied, the edited memory is its own base and lists at once: worth waiting for.
    const auto list = [this] {
      if (unlisted_ && steps_.empty()) refresh();
    };
    if (!afterReadying(list, false)) list();
  });
  connect(runner_, &views::JobRunner::progress, page_, &views::MemoryBrowserWidget::showProgress);
  connect(runner_, &views::JobRunner::progress, this,
          [this](double fraction, const QString& stage) {
            if (isReadying() && !stage.isEmpty())
              page_->showWork(readyingWork(
                  QStringLiteral("%1: %2%").arg(stage).arg(static_cast<int>(fraction * 100.0))));
          });
  connect(runner_, &views::JobRunner::finished, this, &MemoryController::onFinished);
  connect(censusRunner_, &views::JobRunner::finished, this, &MemoryController::onCounted);
  updateActions();
}

MemoryController::~MemoryController() = default;

bool MemoryController::isRunning() const { return runner_->isRunning() && !isReadying(); }

void MemoryController::setExperiment(std::shared_ptr<const Experiment> experiment,
                                     std::shared_ptr<ProjectFile> project) {
  if (experiment && trained_ && experiment != trained_ && project == project_ &&
      sameMemory(*experiment, *trained_)) {
    adoptEvaluation(std::move(experiment));
    return;
  }
  trained_ = std::move(experiment);
  project_ = std::move(project);
  session_.reset();
  memory_.reset();
  // The same memory again (another weights mode) keeps its table and census.
  if (snapshot_ && snapshot_->experiment != trained_) {
    snapshot_.reset();
    censusRunner_->cancel();
  }
  preview_.reset();
  steps_.clear();
  refreshQueued_ = false;
  unlisted_ = false;
  page_->setListEditedOffered(false);
  stack_->clear();  // deletes the commands without undoing them
  prepareQueued_ = false;
  pruneQueued_.reset();
  readyWanted_ = false;
  afterReadying_ = nullptr;
  updateActions();
  if (!trained_) {
    page_->showUnavailable(
        tr("Train a memory on the Train & Evaluate tab to browse and edit it here."));
    return;
  }
  if (trained_->vectorMemory() != nullptr) {
    page_->showUnavailable(
        tr("The vector memory cannot be edited here: train IB1, IGTree or "
           "TRIBL2 to browse, edit and prune the memory."));
    return;
  }
  // The table needs only the memory: it shows at once, the edits once the session is ready.
  if (!snapshot_)
    showSnapshot(
        std::make_shared<const views::MemorySnapshot>(views::MemorySnapshot::of(trained_)));
  page_->setSummary(tr("<b>%1</b> stored vectors from <b>%2</b> instances · preparing the edits…")
                        .arg(number(trained_->record().storedVectors),
                             number(trained_->record().trainInstances)));
  if (runner_->isRunning()) {
    prepareQueued_ = true;  // its answer is about the memory that was replaced
    runner_->cancel();
    return;
  }
  auto pending = std::make_shared<Pending>();
  pending->kind = Pending::Kind::kPrepare;
  start(std::move(pending), tr("Preparing the memory for editing…"), true);
}

// The memory with its evaluation (Experiment::evaluated() shares it): the session, table and
// census, ready or being prepared, are its own; only what they are handed on as changes.
void MemoryController::adoptEvaluation(std::shared_ptr<const Experiment> evaluated) {
  const std::shared_ptr<const Experiment> before = std::exchange(trained_, std::move(evaluated));
  if (memory_ == before) memory_ = trained_;
  if (snapshot_ && snapshot_->experiment == before) {
    auto shown = std::make_shared<views::MemorySnapshot>(*snapshot_);  // its lookups shared
    shown->experiment = trained_;
    snapshot_ = std::move(shown);
    page_->setSnapshot(snapshot_);
  }
}

void MemoryController::preview(const MemoryEdit& edit, const QString& title) {
  if (!session_ || isRunning()) return;
  if (afterReadying([this, edit, title] { preview(edit, title); }, true)) return;
  auto pending = std::make_shared<Pending>();
  pending->kind = Pending::Kind::kPreview;
  pending->edit = edit;
  pending->title = title;
  start(std::move(pending), tr("Previewing: %1 (retraining the memory)…").arg(title), true);
}

void MemoryController::previewPrune(const PruneOptions& options) {
  if (!session_) return;
  if (isReadying()) {
    // A stop waits for the readying it needs; any other pruning stops it first.
    if (options.strategy == PruneStrategy::kCountThreshold) {
      pruneQueued_ = options;
      page_->showWork(readyingWork());
    } else {
      afterReadying([this, options] { previewPrune(options); }, true);
    }
    return;
  }
  if (isRunning()) {
    // A live drag asks again while the last preview runs: only the latest is worth finishing
    // (but the readying, which every later stop needs).
    if (pending_ && pending_->kind == Pending::Kind::kPreview) {
      pruneQueued_ = options;
      if (!pending_->readies) runner_->cancel();
    }
    return;
  }
  auto pending = std::make_shared<Pending>();
  pending->kind = Pending::Kind::kPreview;
  pending->prune = options;
  // A stop previews from the stored vectors planned; Commit lists their instances.
  pending->prune->listSources = false;
  // Only a memory whose stops mask (dragMasks()) is readied (elsewhere a stop retrains).
  pending->readies =
      !dragReadied_ && options.strategy == PruneStrategy::kCountThreshold && dragMasks();
  pending->title = tr("Prune (%1)").arg(QString::fromLatin1(optionLabel(options.strategy)));
  const QString what = pending->readies ? tr("Readying the count-threshold drag for the memory "
                                             "as it stands (once), then previewing…")
                                        : tr("Planning and previewing the pruning…");
  start(std::move(pending), what, true);
}

bool MemoryController::setProbeSentences(const QString& sentences) {
  if (!session_ || isRunning() || !steps_.empty()) return false;
  if (afterReadying([this, sentences] { setProbeSentences(sentences); }, true)) return true;
  auto pending = std::make_shared<Pending>();
  pending->kind = Pending::Kind::kProbe;
  pending->sentences = sentences;
  start(std::move(pending),
        sentences.isEmpty() ? tr("Probing with the held-out test tokens…")
                            : tr("Probing with your sentences…"),
        true);
  return true;
}

void MemoryController::inspectProbeToken(int probeIndex) {
  if (sentences_.isEmpty()) {
    Q_EMIT inspectRequested(probeIndex);
    return;
  }
  const auto context = probe_->instance(static_cast<size_t>(probeIndex));
  Q_EMIT inspectContextRequested({context.begin(), context.end()});
}

void MemoryController::attachProject(std::shared_ptr<ProjectFile> project) {
  project_ = std::move(project);
}

ProjectJournal::Edits MemoryController::edits() const {
  if (!session_) return {};
  return {session_->edited().edits(), session_->edited().undone()};
}

void MemoryController::queueStep(Step step, const QString& title) {
  if (restoring_) return;
  steps_.push_back({step, title});
  if (!runner_->isRunning())
    startNext();
  else
    afterReadying([] {}, true);  // onReadied() starts the steps; else they follow the job running
  updateActions();
}

void MemoryController::refresh() {
  refreshQueued_ = false;
  unlisted_ = false;
  page_->setListEditedOffered(false);
  auto pending = std::make_shared<Pending>();
  pending->kind = Pending::Kind::kRefresh;
  start(std::move(pending), tr("Listing the edited memory for the table and Inspect…"), false);
}

void MemoryController::startNext() {
  if (steps_.empty() || !session_) return;
  const QueuedStep next = steps_.front();
  steps_.pop_front();
  auto pending = std::make_shared<Pending>();
  pending->kind = Pending::Kind::kStep;
  pending->step = next.step;
  pending->title = next.title;
  if (next.step == Step::kCommit) pending->preview = preview_;  // kept until the commit is taken
  const QString what = next.step == Step::kCommit ? tr("Committing: %1…")
                       : next.step == Step::kUndo ? tr("Undoing: %1 (retraining)…")
                                                  : tr("Redoing: %1 (retraining)…");
  start(std::move(pending), what.arg(next.title), true);
}

void MemoryController::start(std::shared_ptr<Pending> pending, const QString& what,
                             bool cancellable) {
  pending->trained = trained_;
  pending->session = session_;
  pending->shown = snapshot_;
  pending->project = project_;
  pending->keepTrainedWeights = keepTrainedWeights();
  if (pending->kind != Pending::Kind::kProbe) pending->sentences = sentences_;
  pending->probe = probe_;
  pending_ = pending;
  // The background readying leaves the page usable.
  page_->setBusy(true, cancellable, pending->kind != Pending::Kind::kReady);
  page_->showWork(what);
  updateActions();
  runner_->run(what, [pending](JobControl& job) -> Status {
    if (pending->kind == Pending::Kind::kReady) return pending->session->prepareCountDrag(&job);
    const std::shared_ptr<const Experiment>& trained = pending->trained;
    if (pending->kind == Pending::Kind::kProbe) {
      auto probe = probeSet(*trained, pending->sentences);
      if (!probe) return probe.status();
      if (Status s = pending->session->setProbe(*probe, &job); !s) return s;
      pending->probe = std::make_shared<const InstanceSet>(std::move(*probe));
      pending->correct = pending->session->correct();
      pending->edits = pending->session->edited().edits().size();
      return Status::ok();
    }
    if (pending->kind == Pending::Kind::kStep) {
      EditSession& session = *pending->session;
      EditJournal* journal = pending->project.get();
      auto change =
          pending->step == Step::kUndo ? session.undo(journal, &job)
          : pending->step == Step::kRedo
              ? session.redo(journal, &job)
              // A copy (it shares the edited memory): cancelled, the preview commits again.
              : (pending->preview ? session.commit(*pending->preview, journal, &job)
                                  : Status::invalidArgument("no preview to commit"));
      if (!change) return change.status();
      pending->change = changeShown(std::move(*change), pending->title, pending->probe,
                                    !pending->sentences.isEmpty(), false);
      pending->change->memory = pending->shown;  // until the edited memory is listed
      pending->correct = session.correct();
      pending->edits = session.edited().edits().size();
      pending->vectors = session.edited().vectorCount();
      pending->instances = session.edited().instanceCount();
      return Status::ok();
    }
    if (pending->kind == Pending::Kind::kPrepare) {
      auto probe = probeSet(*trained, pending->sentences);
      if (!probe) return probe.status();
      pending->probe = std::make_shared<const InstanceSet>(*probe);
      EditSession::Options options;
      options.keepTrainedWeights = pending->keepTrainedWeights;
      if (pending->project) {
        auto edits = pending->project->readEdits();
        if (!edits) return edits.status();
        options.edits = std::move(edits->active);
        options.undone = std::move(edits->undone);
      }
      auto session = EditSession::open(trained, std::move(*probe), std::move(options), &job);
      if (!session) return session.status();
      // A 100M memory's first drag stop would otherwise walk the probe set itself (most of it).
      if (Status s = (*session)->prepareCountDrag(&job); !s) return s;
      pending->dragMasks = (*session)->edited().masksCountStops();
      pending->session = std::move(*session);
    } else if (pending->kind == Pending::Kind::kPreview) {
      const EditSession& session = *pending->session;
      MemoryEdit edit = pending->edit;
      if (pending->readies)
        if (Status s = pending->session->prepareCountDrag(&job); !s) return s;
      if (pending->prune) {
        auto planned = session.planPrune(*pending->prune, &job);
        if (!planned) return planned.status();
        edit = std::move(*planned);
        if (!edit.note.empty())
          pending->title = QStringLiteral("Prune: %1").arg(QString::fromStdString(edit.note));
      }
      auto preview = session.preview(edit, &job);
      if (!preview) return preview.status();
      pending->change = changeShown(session.changeOf(*preview), pending->title, pending->probe,
                                    !pending->sentences.isEmpty(), true);
      pending->change->memory = pending->shown;
      pending->preview = std::make_shared<EditedMemory::Preview>(std::move(*preview));
      return Status::ok();
    }
    const EditSession& session = *pending->session;
    auto memory = session.memory();
    if (!memory) return memory.status();
    pending->memory = std::move(*memory);
    pending->snapshot =
        std::make_shared<const views::MemorySnapshot>(views::MemorySnapshot::of(pending->memory));
    pending->correct = session.correct();
    pending->edits = session.edited().edits().size();
    pending->vectors = pending->snapshot->vectorCount();
    pending->instances = pending->snapshot->memory().instanceCount();
    pending->deleted = deletedContexts(session.edited(), *pending->snapshot);
    return Status::ok();
  });
}

void MemoryController::onFinished(const Status& status) {
  const std::shared_ptr<Pending> pending = std::move(pending_);
  page_->setBusy(false, false);
  // A job started before the window handed the memory again with its evaluation is still current.
  const bool current = trained_ && sameMemory(*pending->trained, *trained_);
  if (pending->kind == Pending::Kind::kReady) return onReadied(*pending, status, current);
  if (current && status.isOk()) {
    switch (pending->kind) {
      case Pending::Kind::kReady:  // onReadied()
        break;
      case Pending::Kind::kProbe:
        probe_ = pending->probe;
        sentences_ = pending->sentences;
        preview_.reset();  // its tokens are of the old probe set
        page_->clearChange();
        page_->setProbeNote(probeNote());
        dragReadied_ = false;  // walked for the old probe set
        readyWanted_ = true;
        page_->setSummary(summary(pending->correct, pending->edits, snapshot_->vectorCount(),
                                  snapshot_->memory().instanceCount()));
        page_->showWork(tr("Probing with %1 tokens.").arg(number(probe_->size())));
        break;
      case Pending::Kind::kPrepare:
        session_ = pending->session;
        dragMasks_ = pending->dragMasks;
        dragReadied_ = true;
        probe_ = pending->probe;
        sentences_ = pending->sentences;
        page_->setProbeNote(probeNote());
        if (const EditedMemory& e = session_->edited(); !e.edits().empty() || !e.undone().empty())
          restoreStack(e, *pending->snapshot);
        [[fallthrough]];
      case Pending::Kind::kRefresh:
        // Unedited, it is the trained memory: the session's may be from before its evaluation.
        memory_ = sameMemory(*pending->memory, *trained_) ? trained_ : pending->memory;
        // The trained memory, unedited, is on screen since setExperiment() (with its census).
        if (!snapshot_ || snapshot_->experiment != memory_) showSnapshot(pending->snapshot);
        page_->setSummary(
            summary(pending->correct, pending->edits, pending->vectors, pending->instances));
        page_->setDeletedContexts(pending->deleted);
        page_->showWork(pending->kind == Pending::Kind::kRefresh
                            ? tr("Done: the table and Inspect show the edited memory.")
                        : defaultWeightsNote().isEmpty()
                            ? tr("Ready: select stored vectors to edit.")
                            : tr("Ready: select stored vectors to edit. Feature weights: %1")
                                  .arg(defaultWeightsNote()));
        // A memory replayed from a project is an edited one too.
        if (pending->kind == Pending::Kind::kRefresh || pending->edits > 0)
          Q_EMIT memoryChanged(memory_);
        break;
      case Pending::Kind::kStep:
        preview_.reset();  // committed, or of the memory before the step
        dragReadied_ = false;
        readyWanted_ = true;
        if (pending->step == Step::kCommit) pushCommitted(pending->title);
        page_->setSummary(
            summary(pending->correct, pending->edits, pending->vectors, pending->instances));
        page_->showChange(pending->change);
        page_->showWork(tr("Done: %1.").arg(pending->title));
        refreshQueued_ = true;
        Q_EMIT stepShown();
        break;
      case Pending::Kind::kPreview:
        if (pending->readies) {
          dragReadied_ = true;
          readyWanted_ = false;
        }
        preview_ = pending->preview;
        previewTitle_ = pending->change->title;
        page_->showChange(pending->change);
        // Which way the edit went: recomputed weights retrain when they move the feature order
        // (IGTree, TRIBL2) or the order of match distances (IB1, TRIBL2).
        page_->showWork(
            tr("Preview ready (%1, feature weights %2): %3")
                .arg(preview_->buildsOnCommit ? tr("the pruned stored vectors masked in the "
                                                   "memory as it stands")
                     : !preview_->retrained   ? tr("edited in place")
                     : preview_->orderChanged ? tr("retrained: the weights moved the feature or "
                                                   "distance order")
                                              : tr("retrained"),
                     keepTrainedWeights() ? tr("kept") : tr("recomputed"),
                     preview_->buildsOnCommit ? tr("Commit builds the memory left and applies it.")
                                              : tr("Commit applies it.")));
        break;
    }
  } else if (current && pending->kind == Pending::Kind::kStep && pending->session == session_) {
    stepNotTaken(pending->step, status);
  } else if (current && status.isCancelled() && pruneQueued_) {
    // Replaced by the preview queued: it starts below.
  } else if (current && status.isCancelled()) {
    page_->showWork(tr("Cancelled."));
    if (pending->kind == Pending::Kind::kPrepare)
      page_->showUnavailable(tr("Preparing the memory was cancelled."));
  } else if (current) {
    page_->showWork(tr("Failed: %1").arg(QString::fromStdString(status.message())));
    if (pending->kind == Pending::Kind::kPrepare) {
      page_->showUnavailable(tr("The memory could not be prepared for editing: %1")
                                 .arg(QString::fromStdString(status.message())));
    }
  }
  if (prepareQueued_) {
    setExperiment(trained_, project_);
    return;
  }
  if (!steps_.empty()) {
    pruneQueued_.reset();  // a step changes the memory the pruning was asked of
    startNext();
    return;
  }
  if (refreshQueued_ && current && session_) {
    refreshQueued_ = false;
    if (trained_->record().trainInstances <= kListEditedUpTo) {
      pruneQueued_.reset();
      refresh();
      return;
    }
    unlisted_ = true;
    page_->setListEditedOffered(true);
    page_->showWork(tr("Done: %1. The table and Inspect show the memory before it: List Edited "
                       "Memory lists the %2 instances (minutes, gigabytes).")
                        .arg(pending->title, number(pending->instances)));
  }
  if (pruneQueued_) {
    const PruneOptions options = *pruneQueued_;
    pruneQueued_.reset();
    previewPrune(options);
    return;
  }
  if (current) startReadying();
  updateActions();
  if (current) Q_EMIT settled();
}

void MemoryController::commitPreview() {
  if (!preview_ || isRunning() || !steps_.empty()) return;
  queueStep(Step::kCommit, previewTitle_);
}

void MemoryController::pushCommitted(const QString& title) {
  restoring_ = true;  // its redo() is the commit just taken
  stack_->push(new MemoryEditCommand(this, title));
  restoring_ = false;
}

// EditSession::take() changed nothing: the stack goes back to the session's edits. The steps
// queued behind are dropped: each was asked of the memory this one would have left.
void MemoryController::stepNotTaken(Step step, const Status& status) {
  const auto dropped = static_cast<int>(steps_.size());
  steps_.clear();
  const QString name = step == Step::kCommit ? tr("Commit")
                       : step == Step::kUndo ? tr("Undo")
                                             : tr("Redo");
  QString message;
  if (status.code() == Status::Code::kInternal) {
    // The memory could not be put back to match the project file: the stack no longer
    // describes it. Keep the memory, drop the history.
    stack_->clear();
    message = tr("%1 failed: %2").arg(name, QString::fromStdString(status.message()));
  } else {
    restoring_ = true;
    stack_->setIndex(static_cast<int>(session_->edited().edits().size()));
    restoring_ = false;
    message = status.isCancelled() ? tr("%1 cancelled: nothing changed.").arg(name)
                                   : tr("%1 failed, nothing changed: %2")
                                         .arg(name, QString::fromStdString(status.message()));
  }
  if (dropped == 1)
    message += QLatin1Char(' ') + tr("The step queued after it was not taken.");
  else if (dropped > 1)
    message += QLatin1Char(' ') + tr("The %1 steps queued after it were not taken.").arg(dropped);
  page_->showWork(message);
}

void MemoryController::deleteVectors(const QList<quint32>& vectors) {
  if (!snapshot_ || vectors.isEmpty()) return;
  const InstanceBase& base = snapshot_->memory();
  MemoryEdit edit;
  if (vectors.size() == 1) {
    edit.kind = EditKind::kDeleteVector;
    const auto v = base.vector(vectors.front());
    edit.features.assign(v.begin(), v.end());
    preview(
        edit,
        tr("Delete #%1 “%2”").arg(vectors.front()).arg(snapshot_->contextText(vectors.front())));
    return;
  }
  // Several vectors are one step: the instances they hold, pruned together.
  edit.kind = EditKind::kPrune;
  for (quint32 id : vectors) {
    const std::vector<uint64_t> sources = base.sources(id);
    edit.sources.insert(edit.sources.end(), sources.begin(), sources.end());
  }
  std::ranges::sort(edit.sources);
  edit.note = "delete " + std::to_string(vectors.size()) + " selected vectors";
  preview(edit, tr("Delete %n selected vectors", nullptr, static_cast<int>(vectors.size())));
}

void MemoryController::relabelVector(quint32 vector, const QString& token) {
  if (!snapshot_) return;
  const uint32_t classId = snapshot_->experiment->corpus().vocab.lookup(token.toStdString());
  if (classId == Vocabulary::kUnknown) {
    page_->showWork(
        tr("“%1” is not in the vocabulary: relabel to a token of the corpus.").arg(token));
    return;
  }
  MemoryEdit edit;
  edit.kind = EditKind::kRelabelVector;
  const auto v = snapshot_->memory().vector(vector);
  edit.features.assign(v.begin(), v.end());
  edit.classId = classId;
  preview(edit, tr("Relabel #%1 “%2” → %3").arg(vector).arg(snapshot_->contextText(vector), token));
}

std::optional<std::vector<uint32_t>> MemoryController::contextIds(const QString& context) {
  const QStringList words = context.split(QLatin1Char(' '), Qt::SkipEmptyParts);
  const int width = snapshot_->memory().width();
  if (words.size() != width) {
    page_->showWork(tr("A stored vector has %1 context tokens; “%2” has %3.")
                        .arg(width)
                        .arg(context)
                        .arg(words.size()));
    return std::nullopt;
  }
  std::vector<uint32_t> ids;
  for (const QString& w : words) {
    const uint32_t id = snapshot_->experiment->corpus().vocab.lookup(w.toStdString());
    if (id == Vocabulary::kUnknown) {
      page_->showWork(tr("“%1” is not in the vocabulary.").arg(w));
      return std::nullopt;
    }
    ids.push_back(id);
  }
  return ids;
}

void MemoryController::restoreVector(const QString& context) {
  if (!snapshot_) return;
  auto ids = contextIds(context);
  if (!ids) return;
  MemoryEdit edit;
  edit.kind = EditKind::kRestoreVector;
  edit.features = std::move(*ids);
  preview(edit, tr("Restore “%1”").arg(context.simplified()));
}

void MemoryController::restoreStack(const EditedMemory& edited,
                                    const views::MemorySnapshot& shown) {
  restoring_ = true;
  for (const MemoryEdit& e : edited.edits())
    stack_->push(new MemoryEditCommand(this, describeEdit(e, shown)));
  for (auto e = edited.undone().rbegin(); e != edited.undone().rend(); ++e)
    stack_->push(new MemoryEditCommand(this, describeEdit(*e, shown)));
  stack_->setIndex(static_cast<int>(edited.edits().size()));
  restoring_ = false;
}

QString MemoryController::defaultWeightsNote() const {
  if (project_ || keepTrainedWeights_ || !keepTrainedWeights()) return {};
  return tr("Kept by default for this memory of %1 training instances: recomputed weights would "
            "retrain it on every preview, undo and redo.")
      .arg(number(trained_->record().trainInstances));
}

bool MemoryController::keepTrainedWeights() const {
  if (project_) return project_->options().keepTrainedWeights;
  return keepTrainedWeights_.value_or(trained_ &&
                                      keepsWeightsByDefault(trained_->record().trainInstances));
}

// The mode decides the memory every edit makes, so it only switches while none is in effect.
void MemoryController::chooseWeightsMode(bool keepTrained) {
  if (project_ || keepTrained == keepTrainedWeights() || isRunning() || !steps_.empty() ||
      (session_ && !session_->edited().edits().empty())) {
    updateWeightsMode();
    return;
  }
  keepTrainedWeights_ = keepTrained;
  if (session_) setExperiment(trained_, project_);
}

void MemoryController::updateWeightsMode() {
  QString why;
  if (project_)
    why = tr("The project was made with this mode (memlens-cli project create --keep-weights).");
  else if (session_ && !session_->edited().edits().empty())
    why = tr("Undo every edit to switch.");
  const bool idle = !isRunning() && steps_.empty();
  page_->setWeightsMode(keepTrainedWeights(), idle && why.isEmpty(),
                        why.isEmpty() ? defaultWeightsNote() : why);
}

void MemoryController::updateActions() {
  const bool idle = !isRunning() && steps_.empty() && session_;
  undo_->setEnabled(idle && stack_->canUndo());
  redo_->setEnabled(idle && stack_->canRedo());
  undo_->setText(stack_->canUndo() ? tr("&Undo %1").arg(stack_->undoText()) : tr("&Undo Edit"));
  redo_->setText(stack_->canRedo() ? tr("&Redo %1").arg(stack_->redoText()) : tr("&Redo Edit"));
  updateWeightsMode();
}

QString MemoryController::summary(uint64_t correct, size_t edits, uint64_t vectors,
                                  uint64_t instances) const {
  const uint64_t probe = session_ ? session_->edited().probe().size() : 0;
  const QString inEffect = edits == 0   ? tr("no edits")
                           : edits == 1 ? tr("1 edit in effect")
                                        : tr("%1 edits in effect").arg(number(edits));
  return tr("<b>%1</b> stored vectors from <b>%2</b> instances (trained: %3 from %4) · %5 · probe "
            "accuracy %6 on %7 %8")
      .arg(number(vectors), number(instances), number(trained_->record().storedVectors),
           number(trained_->record().trainInstances), inEffect,
           QLocale().toString(
               probe ? static_cast<double>(correct) / static_cast<double>(probe) : 0.0, 'f', 4),
           number(probe),
           sentences_.isEmpty() ? tr("test tokens") : tr("tokens of your sentences"));
}

QString MemoryController::probeNote() const {
  if (sentences_.isEmpty()) {
    return tr("Probe: the first %1 tokens of the test part (or all of it when smaller); previews "
              "compare their predictions.")
        .arg(number(kProbeTokens));
  }
  const auto lines =
      static_cast<uint64_t>(sentences_.split(QLatin1Char('\n'), Qt::SkipEmptyParts).size());
  const QString tokens = number(probe_ ? probe_->size() : 0);
  if (lines == 1)
    return tr("Probe: your sentence, %1 tokens; previews compare their predictions.").arg(tokens);
  return tr("Probe: your %1 sentences, %2 tokens; previews compare their predictions.")
      .arg(number(lines), tokens);
}

}  // namespace memlens::gui
