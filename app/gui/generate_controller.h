#pragma once

#include <QObject>
#include <QString>
#include <cstdint>
#include <memory>
#include <vector>

#include "generate/generation_snapshot.h"
#include "memlens/status.h"

namespace memlens::views {
class GenerateWidget;
class JobRunner;
}  // namespace memlens::views

namespace memlens::gui {

// Answers the Generate page: runs generate() with the page's prompt and options against the
// latest trained memory, or its edit on the Memory tab once there is one, on a job runner of its
// own (the Cancel button stops it), and hands the page the result, naming the memory used. A
// clicked token becomes a request to inspect the context it was predicted from.
class GenerateController : public QObject {
  Q_OBJECT

 public:
  GenerateController(views::GenerateWidget* page, QObject* parent = nullptr);
  ~GenerateController() override;

  // The memory to generate with from now on: a newly trained one, or (`edited`) the Memory tab's
  // edit of it.
  void setExperiment(std::shared_ptr<const Experiment> experiment, bool edited = false);
  // Generates with the page's prompt and options; ignored without a memory or while running.
  void generate();
  bool isRunning() const;

 Q_SIGNALS:
  // A generation has ended; its tokens, or why there are none, are on the page.
  void settled();
  // Inspect this context (vocabulary ids, width of the memory that generated it).
  void inspectContextRequested(const std::vector<uint32_t>& context);

 private:
  void onFinished(const Status& status);

  views::GenerateWidget* page_;
  views::JobRunner* runner_;
  std::shared_ptr<const Experiment> experiment_;
  bool edited_ = false;
  // The running generation's: the worker fills its tokens. Its memory's description, for the
  // message when it ends (the memory may change meanwhile).
  std::shared_ptr<views::GenerationSnapshot> pending_;
  QString pendingMemory_;
};

}  // namespace memlens::gui
