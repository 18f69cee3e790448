#include "inspect_controller.h"

#include <QFile>
#include <QLineEdit>
#include <QLocale>
#include <utility>

#include "common/job_runner.h"
#include "common/token_text.h"
#include "memlens/option_names.h"
#include "memlens/trace.h"
#include "memlens/trace_json.h"
#include "memlens/vector_trace.h"

namespace memlens::gui {

// A trace file being read: the worker fills `snapshot`, onTraceRead() shows it.
struct InspectController::TraceRead {
  QString path;
  std::shared_ptr<const views::InspectSnapshot> snapshot;
};

// What one job was asked and what it produced; the worker fills it, onFinished() reads it.
struct InspectController::Pending {
  std::shared_ptr<const Experiment> trained;
  std::shared_ptr<const Experiment> memory;  // the trained one or a variant; set by the worker
  views::InspectSettings settings;
  bool retrain = false;
  std::shared_ptr<const views::InspectSnapshot> snapshot;
};

namespace {

// Traces `query` against `memory`; positions come from `trained`'s test set, which a variant
// shares (same corpus, same split).
Result<views::InspectSnapshot> trace(const std::shared_ptr<const Experiment>& memory,
                                     const Experiment& trained, const QString& text, int testIndex,
                                     const std::vector<uint32_t>& ids) {
  std::vector<uint32_t> context;
  std::optional<uint64_t> token;
  uint32_t target = Prediction::kNoClass;
  if (testIndex >= 0) {
    const auto i = static_cast<size_t>(testIndex);
    if (i >= trained.test().size()) return Status::invalidArgument("no such test token");
    const auto instance = trained.test().instance(i);
    context.assign(instance.begin(), instance.end());
    token = trained.test().sources[i];
    target = trained.test().classes[i];
  } else if (!ids.empty()) {
    context = contextWindow(ids, memory->record().options.window.width, memory->corpus().paddingId);
  } else {
    auto ids = memory->corpus().encode(text.toStdString());
    if (!ids) return ids.status();
    context =
        contextWindow(*ids, memory->record().options.window.width, memory->corpus().paddingId);
  }
  views::InspectSnapshot snapshot;
  if (memory->vectorMemory() != nullptr) {
    auto t = traceVectorMemory(*memory, context);
    if (!t) return t.status();
    snapshot = views::InspectSnapshot::fromVectorTrace(memory, std::move(*t));
  } else {
    snapshot = views::InspectSnapshot::fromTrace(memory, traceContext(*memory, context));
  }
  snapshot.token = token;
  snapshot.target = target;
  return snapshot;
}

// The memory `trained` would be with `settings`. A count-vote memory is retrained on its own
// train part (or the replayed prefix of it), which holds the Memory tab's edits if any, and keeps
// its base model and β (only the neighbours and their votes change); the vector memory's T and λ
// take a whole new experiment.
Result<std::shared_ptr<const Experiment>> variantOf(
    const std::shared_ptr<const Experiment>& trained, const views::InspectSettings& settings,
    JobControl& job) {
  ExperimentOptions options = settings.applyTo(trained->record().options);
  if (options.classifier.algorithm != Algorithm::kVectorMemory) {
    auto classifier = createClassifier(options.classifier);
    if (!classifier) return classifier.status();
    // Training instances are in corpus order, so a prefix is the memory as it was then.
    InstanceSet train =
        settings.prefix ? trained->train().slice(0, *settings.prefix) : trained->train();
    if (Status s = (*classifier)->train(train, &job); !s) return s;
    auto variant = Experiment::withMemory(trained, std::move(train), std::move(*classifier));
    if (!variant) return variant.status();
    return std::shared_ptr<const Experiment>(std::move(*variant));
  }
  // The variant is only traced, never reported: a token of test is enough to evaluate.
  options.maxTestTokens = 1;
  // Shares the trained experiment's ownership, which keeps its corpus alive.
  std::shared_ptr<const TokenisedCorpus> corpus(trained, &trained->corpus());
  auto variant = Experiment::run(std::move(corpus), options, &job);
  if (!variant) return variant.status();
  return std::shared_ptr<const Experiment>(std::move(*variant));
}

QString describe(const views::InspectSettings& s, const Experiment& trained) {
  const Algorithm algorithm = trained.record().options.classifier.algorithm;
  if (algorithm == Algorithm::kVectorMemory) {
    const QLocale locale;
    return InspectController::tr("T %1, λ %2")
        .arg(s.temperature ? locale.toString(*s.temperature) : InspectController::tr("tuned"),
             s.lambda ? locale.toString(*s.lambda) : InspectController::tr("tuned"));
  }
  const QString votes = InspectController::tr("k %1, distance weighting %2")
                            .arg(s.k)
                            .arg(QString::fromLatin1(optionLabel(s.distanceWeighting)));
  if (!s.prefix) return votes;
  const QLocale locale;
  return InspectController::tr("%1, from the first %2 of %3 training instances")
      .arg(votes, locale.toString(static_cast<qulonglong>(*s.prefix)),
           locale.toString(static_cast<qulonglong>(trained.train().size())));
}

}  // namespace

InspectController::InspectController(views::InspectWidget* page, QObject* parent)
    : QObject(parent),
      page_(page),
      runner_(new views::JobRunner(this)),
      fileRunner_(new views::JobRunner(this)) {
  connect(page_, &views::InspectWidget::contextRequested, this, &InspectController::inspectContext);
  connect(page_, &views::InspectWidget::testTokenRequested, this,
          &InspectController::inspectTestToken);
  connect(page_, &views::InspectWidget::settingsChanged, this, [this] {
    if (!query_.text.isEmpty() || query_.testIndex >= 0 || !query_.ids.empty()) request(query_);
  });
  connect(runner_, &views::JobRunner::progress, this,
          [this](double fraction, const QString& stage) {
            if (pending_ && pending_->retrain) {
              page_->showWork(tr("Retraining with %1: %2 %3%")
                                  .arg(describe(pending_->settings, *trained_), stage)
                                  .arg(static_cast<int>(fraction * 100.0)));
            }
          });
  connect(runner_, &views::JobRunner::finished, this, &InspectController::onFinished);
  connect(fileRunner_, &views::JobRunner::finished, this, &InspectController::onTraceRead);
}

InspectController::~InspectController() = default;

bool InspectController::isRunning() const {
  return runner_->isRunning() || fileRunner_->isRunning();
}

void InspectController::openTrace(const QString& path) {
  if (fileRunner_->isRunning()) return;  // a trace file reads in milliseconds
  auto read = std::make_shared<TraceRead>();
  read->path = path;
  traceRead_ = read;
  fileRunner_->run(tr("reading a trace"), [read](JobControl&) -> Status {
    auto document = readTraceFile(QFile::encodeName(read->path).toStdString());
    if (!document) return document.status();
    read->snapshot = std::make_shared<const views::InspectSnapshot>(
        views::InspectSnapshot::fromDocument(std::move(*document), read->path));
    return Status::ok();
  });
}

void InspectController::onTraceRead(const Status& status) {
  const std::shared_ptr<TraceRead> read = std::move(traceRead_);
  if (!status) {
    Q_EMIT traceOpenFailed(read->path, QString::fromStdString(status.message()));
    return;
  }
  page_->showTraceFile(read->snapshot);
  Q_EMIT traceOpened(read->path);
}

void InspectController::setExperiment(std::shared_ptr<const Experiment> experiment) {
  if (trained_ && experiment && &experiment->classifier() == &trained_->classifier()) {
    // The same memory, evaluated since: the page's answers and the variant still hold.
    trained_ = std::move(experiment);
    page_->setExperiment(trained_);
    return;
  }
  trained_ = std::move(experiment);
  variant_.reset();
  query_ = {};
  queued_ = false;
  runner_->cancel();  // its answer would be about the memory that was replaced
  page_->setExperiment(trained_);
}

void InspectController::inspectContext(const QString& text) { request({text, -1, {}}); }

void InspectController::inspectTestToken(int index) { request({QString(), index, {}}); }

void InspectController::inspectIds(std::vector<uint32_t> ids) {
  if (!trained_) return;
  const TokenisedCorpus& corpus = trained_->corpus();
  page_->contextEdit()->setText(views::tokensText(corpus.vocab, ids, corpus.paddingId));
  request({QString(), -1, std::move(ids)});
}

void InspectController::request(Query query) {
  if (!trained_) return;
  query_ = std::move(query);
  if (runner_->isRunning()) {
    queued_ = true;
    // A retraining for settings the user has moved away from is not worth finishing.
    if (pending_->retrain && !(pending_->settings == page_->settings())) runner_->cancel();
    return;
  }
  start();
}

void InspectController::start() {
  queued_ = false;
  auto pending = std::make_shared<Pending>();
  pending->trained = trained_;
  pending->settings = page_->settings();
  const ExperimentOptions& trainedOptions = trained_->record().options;
  std::shared_ptr<const Experiment> memory;
  if (pending->settings == views::InspectSettings::of(trainedOptions)) {
    memory = trained_;
  } else if (variant_ && variantSettings_ == pending->settings) {
    memory = variant_;
  } else {
    pending->retrain = true;
  }
  pending_ = pending;
  page_->showWork(pending->retrain
                      ? tr("Retraining with %1…").arg(describe(pending->settings, *trained_))
                      : tr("Tracing…"));
  const Query query = query_;
  runner_->run(tr("inspecting"), [pending, memory, query](JobControl& job) -> Status {
    std::shared_ptr<const Experiment> traced = memory;
    if (!traced) {
      auto variant = variantOf(pending->trained, pending->settings, job);
      if (!variant) return variant.status();
      traced = std::move(*variant);
    }
    pending->memory = traced;
    auto snapshot = trace(traced, *pending->trained, query.text, query.testIndex, query.ids);
    if (!snapshot) return snapshot.status();
    pending->snapshot = std::make_shared<const views::InspectSnapshot>(std::move(*snapshot));
    return Status::ok();
  });
}

void InspectController::onFinished(const Status& status) {
  const std::shared_ptr<Pending> pending = std::move(pending_);
  // By memory, not by experiment: the one evaluated meanwhile holds the same memory.
  const auto same = [](const std::shared_ptr<const Experiment>& a,
                       const std::shared_ptr<const Experiment>& b) {
    return a && b && &a->classifier() == &b->classifier();
  };
  const bool current = same(pending->trained, trained_);
  if (current && pending->retrain && pending->memory) {
    variant_ = pending->memory;
    variantSettings_ = pending->settings;
  }
  if (current && status.isOk()) {
    page_->setSnapshot(pending->snapshot);
    page_->showWork(same(pending->memory, trained_)
                        ? tr("Traced against the trained memory.")
                        : tr("Traced against a memory retrained with %1.")
                              .arg(describe(pending->settings, *trained_)));
  } else if (current && !status.isCancelled()) {
    page_->showError(QString::fromStdString(status.message()));
  }
  if (queued_ && trained_) {
    start();
    return;
  }
  if (current && !status.isCancelled()) Q_EMIT settled();
}

}  // namespace memlens::gui
