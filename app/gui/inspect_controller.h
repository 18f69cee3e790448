#pragma once

#include <QObject>
#include <QString>
#include <memory>
#include <vector>

#include "inspect/inspect_widget.h"
#include "memlens/experiment.h"
#include "memlens/status.h"

namespace memlens::views {
class JobRunner;
}

namespace memlens::gui {

// Answers the Inspect page: traces what it asks for against the latest trained memory, on a job
// runner of its own (a trace takes milliseconds and reads an immutable experiment, so it need
// not wait for a training that runs for minutes), and hands the page the snapshot.
// When the page's k, distance weighting, T or λ differ from the memory's, it first trains a
// variant memory with them on the memory's own train part (edits included; kept until the
// settings or the memory change) and traces against that. Requests that arrive while a job runs
// replace each other; the latest runs when the job ends.
class InspectController : public QObject {
  Q_OBJECT

 public:
  InspectController(views::InspectWidget* page, QObject* parent = nullptr);
  ~InspectController() override;

  // The memory to inspect from now on; the page shows "train first" while it is null. The same
  // memory again (the experiment evaluated since it was given) keeps the page's answer.
  void setExperiment(std::shared_ptr<const Experiment> experiment);
  void inspectContext(const QString& text);
  void inspectTestToken(int index);
  // Inspects a context given as vocabulary ids (e.g. what a generated token was predicted from);
  // the page's context field shows their text.
  void inspectIds(std::vector<uint32_t> ids);
  // Reads a trace JSON file (memlens-cli explain --json, e.g. of a sharded memory) off the GUI
  // thread and shows it on the page as written; traceOpenFailed() says why it could not.
  void openTrace(const QString& path);
  bool isRunning() const;

 Q_SIGNALS:
  // A request has been answered: a snapshot or an error is on the page.
  void settled();
  void traceOpened(const QString& path);
  void traceOpenFailed(const QString& path, const QString& message);

 private:
  struct Query {
    QString text;               // a typed context, or
    int testIndex = -1;         // a test token, or
    std::vector<uint32_t> ids;  // a context as vocabulary ids
  };
  struct Pending;
  struct TraceRead;

  void request(Query query);
  void start();
  void onFinished(const Status& status);
  void onTraceRead(const Status& status);

  views::InspectWidget* page_;
  views::JobRunner* runner_;
  views::JobRunner* fileRunner_;  // reads trace files, independent of tracing
  std::shared_ptr<const Experiment> trained_;
  // The memory trained for settings other than the trained memory's, and those settings.
  std::shared_ptr<const Experiment> variant_;
  views::InspectSettings variantSettings_;
  Query query_;
  bool queued_ = false;  // query_ or the settings changed while a job ran
  std::shared_ptr<Pending> pending_;
  std::shared_ptr<TraceRead> traceRead_;
};

}  // namespace memlens::gui
