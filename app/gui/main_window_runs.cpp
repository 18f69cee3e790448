// MainWindow's runs: training a memory, opening or saving a memory file, and the evaluation and
// learning curve that follow either in the job runner, with the window's updates as they come.
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QMetaObject>
#include <QSettings>
#include <QStatusBar>
#include <atomic>
#include <chrono>
#include <thread>

#include "common/job_runner.h"
#include "compare_controller.h"
#include "corpus/corpus_stats_widget.h"
#include "corpus/corpus_text_view.h"
#include "generate_controller.h"
#include "inspect_controller.h"
#include "main_window.h"
#include "main_window_pending.h"
#include "memlens/corpus_stats.h"
#include "memlens/memory_file.h"
#include "memlens/project.h"
#include "memlens/timbl_memory.h"
#include "memory_controller.h"
#include "project_controller.h"
#include "train/learning_curve_chart.h"
#include "train/metrics_widget.h"
#include "train/train_evaluate_widget.h"
#include "train/train_options_widget.h"
#include "train_settings.h"

namespace memlens::gui {

using namespace window_text;

namespace {

// A TiMBL base is read as TiMBL would: a complete one as IB1, with BASE.wgt beside BASE.ibase as
// its weights when there is one (an IGTree base finds BASE.ibase.wgt itself).
TimblMemoryOptions timblOptions(const QString& path, const QStringList& trainingText) {
  TimblMemoryOptions o;
  const QFileInfo info(path);
  const QString weights = info.path() + QLatin1Char('/') + info.completeBaseName() + ".wgt";
  if (QFileInfo::exists(weights)) o.weightsPath = QFile::encodeName(weights).toStdString();
  for (const QString& file : trainingText)
    o.trainingText.push_back(QFile::encodeName(file).toStdString());
  return o;
}

}  // namespace

void MainWindow::startRun(const ExperimentOptions& options, std::shared_ptr<ProjectFile> project) {
  if (!corpus_) {
    statusBar()->showMessage(tr("Open a corpus first: training needs text."), 5000);
    return;
  }
  if (runner_->isRunning()) {
    statusBar()->showMessage(tr("Busy: %1. Cancel it first.").arg(runner_->title()), 5000);
    return;
  }
  QSettings settings;
  saveTrainOptions(settings, options);
  timblBase_.clear();  // the memory on screen is about to be replaced by one trained on text
  auto training = std::make_shared<PendingTraining>();
  training->options = options;
  training->project = std::move(project);
  training->corpus = corpus_;
  training_ = training;
  trainingClock_.start();
  // Until the split is made, the train share of the tokens is the best guess at its size.
  eta_.start(static_cast<uint64_t>(static_cast<double>(corpus_->tokens.size()) *
                                   options.split.trainFraction),
             0.0);
  setBusy(true);
  statusBar()->clearMessage();
  stageLabel_->setText(training->project
                           ? tr("Opening the project: retraining %1…").arg(describeOptions(options))
                           : tr("Training %1…").arg(describeOptions(options)));
  etaLabel_->setText(tr("estimating time left…"));
  memoryLabel_->setText(tr("Memory: building…"));
  trainWidget_->chart()->clear(tr("Learning curve: training and evaluating the full memory…"));
  // Started last: the window's own updates above would otherwise delay a Cancel pressed now.
  // The worker posts the trained memory, the evaluation's updates, the run's record and each
  // curve point to this window; they arrive in order, before the runner's finished(), and are
  // dropped if the window is gone by then.
  runner_->run(tr("training %1").arg(describeOptions(options)),
               [this, training, corpus = corpus_, options](JobControl& job) -> Status {
                 auto trained = Experiment::trained(corpus, options, &job);
                 if (!trained) return trained.status();
                 std::shared_ptr<const Experiment> memory = std::move(*trained);
                 // A project without a usable memory file (one made before them) gets one, so
                 // that it opens without training from now on. Only a cache: a failure to write
                 // it changes nothing else.
                 if (training->project) {
                   const std::string file = Project::memoryPath(
                       QFile::encodeName(training->project->path()).toStdString());
                   if (!saveMemory(*memory, file, &job) && job.cancelRequested())
                     return Status::cancelled();
                 }
                 if (Status s = handOver(memory, job); !s) return s;
                 return evaluateInBackground(training, memory, job);
               });
}

Status MainWindow::handOver(const std::shared_ptr<const Experiment>& memory, JobControl& job) {
  auto handed = std::make_shared<std::atomic<bool>>(false);
  QMetaObject::invokeMethod(
      this,
      [this, memory, handed] {
        onMemoryTrained(memory);
        handed->store(true);
      },
      Qt::QueuedConnection);
  while (!handed->load()) {
    if (job.cancelRequested()) return Status::cancelled();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return Status::ok();
}

Status MainWindow::evaluateInBackground(const std::shared_ptr<PendingTraining>& training,
                                        const std::shared_ptr<const Experiment>& memory,
                                        JobControl& job) {
  auto evaluated = Experiment::evaluated(
      memory, {},
      [this](const EvaluationUpdate& u) {
        QMetaObject::invokeMethod(
            this, [this, u] { onEvaluationUpdate(u); }, Qt::QueuedConnection);
      },
      &job);
  if (!evaluated) return evaluated.status();
  training->experiment = std::move(*evaluated);
  if (!training->experiment->report().complete) return Status::cancelled();
  auto record = std::make_shared<const RunRecord>(training->experiment->record());
  QMetaObject::invokeMethod(
      this, [this, record] { onRunEvaluated(record); }, Qt::QueuedConnection);
  auto curve =
      learningCurve(*training->experiment, &job, [this, training](const LearningCurvePoint& p) {
        training->curve.push_back(p);
        QMetaObject::invokeMethod(
            this, [this, p] { onCurvePoint(p); }, Qt::QueuedConnection);
      });
  return curve.status();
}

void MainWindow::openMemory(const QString& path) { startOpen(path, nullptr); }

void MainWindow::openMemoryDialog() {
  const QString path = QFileDialog::getOpenFileName(
      this, tr("Open Memory"), QString(),
      tr("Memories (*.mlm *.ibase);;MemLens memories (*.mlm);;TiMBL instance bases (*.ibase);;"
         "All files (*)"));
  if (!path.isEmpty()) openMemory(path);
}

void MainWindow::attachTextDialog() {
  if (timblBase_.isEmpty()) return;
  const QStringList files = QFileDialog::getOpenFileNames(
      this, tr("Attach the Text %1 Was Trained On").arg(QFileInfo(timblBase_).fileName()),
      QFileInfo(timblBase_).path(), tr("Text files (*.txt *.tok);;All files (*)"));
  if (!files.isEmpty()) attachTrainingText(files);
}

void MainWindow::attachTrainingText(const QStringList& files) {
  if (timblBase_.isEmpty()) {
    statusBar()->showMessage(tr("Open a TiMBL instance base first: text attaches to it."), 5000);
    return;
  }
  startOpen(timblBase_, nullptr, files);
}

void MainWindow::startOpen(const QString& memoryPath, std::shared_ptr<ProjectFile> project,
                           const QStringList& trainingText) {
  if (runner_->isRunning()) {
    statusBar()->showMessage(tr("Busy: %1. Cancel it first.").arg(runner_->title()), 5000);
    return;
  }
  auto training = std::make_shared<PendingTraining>();
  training->memoryFile = QFileInfo(memoryPath).absoluteFilePath();
  training->project = std::move(project);
  training->trainingText = trainingText;
  if (training->project) training->options = training->project->options().experiment;
  training_ = training;
  trainingClock_.start();
  eta_.start(0, 0.0);  // the memory's size is known once it is open
  setBusy(true);
  statusBar()->clearMessage();
  const QString name = QFileInfo(memoryPath).fileName();
  stageLabel_->setText(tr("Opening %1…").arg(name));
  etaLabel_->setText(tr("estimating time left…"));
  memoryLabel_->setText(tr("Memory: opening…"));
  trainWidget_->chart()->clear(tr("Learning curve: opening the memory…"));
  runner_->run(tr("opening %1").arg(name), [this, training, name](JobControl& job) -> Status {
    const std::string file = QFile::encodeName(training->memoryFile).toStdString();
    const std::string project =
        training->project ? QFile::encodeName(training->project->path()).toStdString() : "";
    const bool timblBase = !training->project && isTimblInstanceBase(file);
    auto opened =
        training->project ? Project::openMemory(project, training->project->corpus(),
                                                training->project->options(), &job)
        : timblBase
            ? openTimblBase(file, timblOptions(training->memoryFile, training->trainingText), &job)
            : memlens::openMemory(file, {}, &job);
    if (!opened) return opened.status();
    std::shared_ptr<const Experiment> memory = std::move(*opened);
    training->corpus = std::shared_ptr<const TokenisedCorpus>(memory, &memory->corpus());
    training->options = memory->record().options;
    QMetaObject::invokeMethod(
        this, [this, memory] { onMemoryOpened(memory); }, Qt::QueuedConnection);
    if (Status s = handOver(memory, job); !s) return s;
    // The corpus figures, a pass over every token (seconds at 100M), come beside the evaluation:
    // Inspect and the Memory tab need only the memory.
    std::jthread figures([this, corpus = training->corpus] {
      auto stats = std::make_shared<const CorpusStats>(
          CorpusStats::compute(*corpus->corpus, corpus->tokens, corpus->vocab));
      QMetaObject::invokeMethod(
          this, [this, stats] { statsWidget_->setSnapshot(stats); }, Qt::QueuedConnection);
    });
    if (timblBase) return Status::ok();  // no test text to evaluate it on, no checksums to check
    // What opening leaves unchecked (the large sections' checksums, the corpus hashes) is checked
    // while the memory is evaluated: a failure cancels the evaluation and fails the opening, so
    // the memory is dropped with an error naming the section (docs/spec/memory-file.md).
    Status verified = Status::cancelled();
    JobControl verifying;
    std::jthread verifier([&] {
      verified = verifyMemory(project.empty() ? file : Project::memoryPath(project), &verifying);
      if (!verified && !verified.isCancelled()) job.cancel();
      if (verified)
        QMetaObject::invokeMethod(
            this,
            [this, name] {
              statusBar()->showMessage(
                  tr("Checked %1: every section and corpus file is as saved.").arg(name), 8000);
            },
            Qt::QueuedConnection);
    });
    const Status evaluated = evaluateInBackground(training, memory, job);
    if (job.cancelRequested()) verifying.cancel();
    verifier.join();
    if (!verified && !verified.isCancelled()) {
      training->experiment = nullptr;  // not kept: its answers may not be the saved ones
      return verified;
    }
    return evaluated;
  });
}

void MainWindow::onMemoryOpened(const std::shared_ptr<const Experiment>& memory) {
  corpus_ = training_->corpus;
  statsWidget_->setSnapshot(nullptr);  // until its figures come
  // Its first page (a rich-text layout, 75 ms at 100M) after the tabs have the memory, queued
  // behind it.
  QMetaObject::invokeMethod(
      this,
      [this, corpus = corpus_] {
        if (corpus_ == corpus) textView_->setCorpus(corpus);
      },
      Qt::QueuedConnection);
  showTokeniserOf(*corpus_);
  shownPaths_.clear();
  const Corpus& texts = *corpus_->corpus;
  QStringList missing;
  for (size_t d = 0; d < texts.documentCount(); ++d) {
    shownPaths_.append(QFile::decodeName(texts.document(d).path.c_str()));
    if (!texts.document(d).textAvailable)
      missing.append(QString::fromStdString(texts.document(d).textMissing));
  }
  trainWidget_->options()->setOptions(memory->record().options);
  // Text attaches to a complete TiMBL base without provenance; an IGTree base has no instances.
  const bool complete = memory->classifier().memory().vectorCount() > 0;
  timblBase_ = memory->hasProvenance() || !complete ? QString() : training_->memoryFile;
  updateTitle();
  if (!missing.isEmpty())
    warn(tr("Corpus text not shown"),
         tr("The memory answers and explains as saved, but its corpus text is not available."),
         Status::notFound(missing.join(QLatin1Char('\n')).toStdString()));
}

void MainWindow::saveMemoryDialog() {
  if (!experiment_) return;
  if (runner_->isRunning()) {
    statusBar()->showMessage(tr("Busy: %1. Cancel it first.").arg(runner_->title()), 5000);
    return;
  }
  QString path = QFileDialog::getSaveFileName(this, tr("Save Memory As"), QString(),
                                              tr("MemLens memories (*.mlm)"));
  if (path.isEmpty()) return;
  if (QFileInfo(path).suffix().isEmpty()) path += QStringLiteral(".mlm");
  savingMemory_ = path;
  setBusy(true);
  stageLabel_->setText(tr("Saving the memory to %1…").arg(QFileInfo(path).fileName()));
  runner_->run(tr("saving the memory"),
               [memory = experiment_, file = QFile::encodeName(path).toStdString()](
                   JobControl& job) { return saveMemory(*memory, file, &job); });
}

double MainWindow::trainingSeconds() const {
  return static_cast<double>(trainingClock_.elapsed()) / 1000.0;
}

void MainWindow::onMemoryTrained(const std::shared_ptr<const Experiment>& memory) {
  const RunRecord& record = memory->record();
  eta_.start(record.trainInstances, 0.0);  // now the split is known, so is every curve step
  experiment_ = memory;
  training_->openProject = projects_->project();
  inspector_->setExperiment(memory);
  memoryController_->setExperiment(memory, training_->project);
  comparer_->setInspected(memory);
  generator_->setExperiment(memory);
  showMemory(record.storedVectors, record.trainInstances);
  trainWidget_->chart()->clear(tr("Learning curve: evaluating the full memory…"));
  Q_EMIT memoryReady();
}

void MainWindow::onEvaluationUpdate(const EvaluationUpdate& update) {
  const double now = trainingSeconds();
  eta_.projectStepEnd(now + update.secondsLeft);
  if (const std::optional<double> left = eta_.secondsLeft(now)) {
    etaLabel_->setText(describeSecondsLeft(*left));
  }
  trainWidget_->metrics()->setLive(update, experiment_->record().storedVectors);
  Q_EMIT evaluationUpdated();
}

void MainWindow::onRunEvaluated(const std::shared_ptr<const RunRecord>& record) {
  eta_.beginStep(1, trainingSeconds());
  // The figures are final already; only the curve is still to come. A cancel now keeps them.
  trainWidget_->metrics()->setRun(record);
  trainWidget_->chart()->clear(tr("Learning curve: growing the memory…"));
}

void MainWindow::onCurvePoint(const LearningCurvePoint& point) {
  eta_.beginStep(eta_.step() + 1, trainingSeconds());
  trainWidget_->chart()->addPoint(static_cast<double>(point.trainInstances),
                                  point.metrics.accuracy(), point.metrics.perplexity());
  showMemory(point.storedVectors, point.trainInstances);
}

void MainWindow::onTrainingFinished(const Status& status) {
  const std::shared_ptr<PendingTraining> training = std::move(training_);
  setBusy(false);
  // A cancel after the evaluation had begun keeps what it measured: a random sample of the test
  // tokens, or the full evaluation and the curve points so far.
  if (status.isOk() && !training->experiment) {
    // A TiMBL base: a memory only, with no test text to evaluate it on.
    updateTitle();
    const QString name = QFileInfo(training->memoryFile).fileName();
    statusBar()->showMessage(
        experiment_->hasProvenance()
            ? tr("Opened %1 with its training text: not evaluated (no test text).").arg(name)
        : timblBase_.isEmpty()
            ? tr("Opened %1: an IGTree base keeps its pruned tree, not its training instances, "
                 "so it has no stored vectors or provenance to show.")
                  .arg(name)
            : tr("Opened %1: no provenance. File ▸ Attach Training Text… gives its stored "
                 "vectors the text they came from.")
                  .arg(name));
    return;
  }
  const bool kept = training->experiment && (status.isOk() || status.isCancelled());
  if (kept) {
    experiment_ = training->experiment;
    auto record = std::make_shared<const RunRecord>(experiment_->record());
    QString note;  // after the run's figures on the status bar
    if (training->project) {
      // The runs of earlier sessions first; the retrained memory is the project's own again.
      size_t cliRuns = 0;
      auto stored = training->project->readRuns(&cliRuns);
      if (!stored)
        warn(tr("Project runs"), tr("The project's earlier runs could not be read."),
             stored.status());
      // Short: the status bar shares its width with the memory size.
      if (cliRuns == 1) note = tr(" Not shown: 1 memlens-cli probe run.");
      if (cliRuns > 1) note = tr(" Not shown: %1 memlens-cli probe runs.").arg(cliRuns);
      for (RunRecord& r : stored ? *stored : std::vector<RunRecord>{}) {
        addRun({std::make_shared<const RunRecord>(std::move(r)), {}, nullptr}, training->corpus);
      }
    } else if (const std::shared_ptr<ProjectFile> project = training->openProject) {
      // Trained while a project was open: kept in it, though the new memory is not the project's.
      if (const Status s = project->addRun(record->toJson()); !s) {
        warn(tr("Project runs"), tr("The run could not be added to the project."), s);
      }
    }
    // Inspect, Memory and Generate have had the memory since it was trained; unless it has been
    // edited meanwhile, they now get it with its evaluation (Inspect keeps what it shows).
    if (!training->memoryEdited) {
      inspector_->setExperiment(experiment_);
      // A project's journal is being replayed onto the memory already: not twice.
      if (!training->project) memoryController_->setExperiment(experiment_, nullptr);
      comparer_->setInspected(experiment_);
      generator_->setExperiment(experiment_);
    }
    if (training->project) projects_->opened(training->project->path());
    updateTitle();
    textView_->setOutcomes(experiment_);
    addRun(
        {record, training->curve, std::make_shared<const EvaluationReport>(experiment_->report())},
        training->corpus);
    showRun(static_cast<int>(runs_.size()) - 1);
    const RunRecord& r = *runs_.back().record;
    if (status.isCancelled()) {
      statusBar()->showMessage(
          r.test.tokens == 0
              ? tr("Cancelled before any test token was evaluated: run %1 keeps its memory, "
                   "without an evaluation.")
                    .arg(runs_.size())
          : r.test.tokens < r.testInstances
              ? tr("Cancelled: run %1 keeps its evaluation on a random sample of %2 of %3 test "
                   "tokens.")
                    .arg(runs_.size())
                    .arg(number(r.test.tokens), number(r.testInstances))
              : tr("Cancelled: run %1 keeps its evaluation and %2 learning-curve points.")
                    .arg(runs_.size())
                    .arg(training->curve.size()));
      return;
    }
    statusBar()->showMessage(tr("Run %1: accuracy %2, perplexity %3, on %4 test tokens.")
                                 .arg(runs_.size())
                                 .arg(QLocale().toString(r.test.accuracy(), 'f', 4))
                                 .arg(QLocale().toString(r.test.perplexity(), 'f', 2))
                                 .arg(number(r.test.tokens)) +
                             note);
    return;
  }
  // What was on screen before this run comes back; the run leaves nothing behind.
  showRun(shownRun_);
  if (status.isCancelled()) {
    statusBar()->showMessage(
        training->memoryFile.isEmpty()
            ? tr("Cancelled training %1.").arg(describeOptions(training->options))
            : tr("Cancelled opening %1.").arg(training->memoryFile),
        8000);
    return;
  }
  if (!training->memoryFile.isEmpty() && training->project) {
    // The project's memory file cannot serve (made before memory files, damaged, or its corpus
    // changed): the project is opened as it was made, by training.
    statusBar()->showMessage(
        tr("Retraining the project's memory: %1").arg(QString::fromStdString(status.message())),
        10000);
    QStringList paths;
    for (const ProjectCorpusFile& f : training->project->corpus())
      paths.append(QFile::decodeName(f.path.c_str()));
    load(paths, training->project);
    return;
  }
  if (!training->memoryFile.isEmpty()) {
    statusBar()->clearMessage();
    warn(tr("Could not open the memory"),
         tr("MemLens could not open %1.").arg(training->memoryFile), status);
    return;
  }
  statusBar()->clearMessage();
  warn(tr("Could not train"),
       tr("MemLens could not train %1.").arg(describeOptions(training->options)), status);
}

}  // namespace memlens::gui
