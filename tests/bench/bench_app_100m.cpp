// The app on a saved memory file, as a user meets it (issue 19's GUI goals at 100M instances):
// the real main window opens the file offscreen and the bench drives its pages as a user would,
// timing each step from the click to its answer on screen. "GUI" is how long the click itself
// held the GUI thread; the rest of a step runs on a worker while the window stays responsive.
// The window's evaluation of the opened memory is cancelled once the memory is ready, so
// that it does not compete with the steps for the CPU. The count-threshold drag comes last, after
// the deletion is redone and the drag readied in the background.
// Usage: bench_app_100m MEMORY.mlm [TRACES]   (default 100 Inspect traces)
#include <QAbstractItemModel>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QTableView>
#include <QTest>

#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "inspect_controller.h"
#include "main_window.h"
#include "memory/memory_table_model.h"
#include "memory_controller.h"
#include "window_steps.h"

using namespace memlens;

namespace {

constexpr int kStepTimeoutMs = 30 * 60 * 1000;
constexpr qint64 kLongDragStopMs = 60 * 1000;

double msOf(const QElapsedTimer& t) { return static_cast<double>(t.nsecsElapsed()) / 1e6; }

// Waits for one more signal on `spy` than it had seen (`seen`); false on timeout.
bool waitFor(QSignalSpy& spy, qsizetype seen) {
  while (spy.count() <= seen)
    if (!spy.wait(kStepTimeoutMs)) return false;
  return true;
}

void row(const char* step, double ms, const char* goal, const QString& note = {}) {
  std::printf("%-44s %10.1f ms   goal %-8s %s\n", step, ms, goal, qPrintable(note));
  std::fflush(stdout);
}

// A step on the Memory tab: `act` (a click) and then the controller's settled() signal. With
// `shown` (a commit, undo or redo), first the time until its change is on the page.
template <typename Act>
bool memoryStep(QSignalSpy& edits, const char* step, const char* goal, QLabel* figures, Act act,
                QSignalSpy* shown = nullptr) {
  const qsizetype seen = edits.count(), shownSeen = shown ? shown->count() : 0;
  QElapsedTimer t;
  t.start();
  act();
  const double gui = msOf(t);
  if (shown) {
    if (!waitFor(*shown, shownSeen)) return std::printf("%s: timed out\n", step), false;
    row(step, msOf(t), goal,
        QStringLiteral("(GUI %1 ms) %2").arg(gui, 0, 'f', 1).arg(figures->text()));
  }
  if (!waitFor(edits, seen)) return std::printf("%s: timed out\n", step), false;
  if (shown) {
    row("  then settled (the edited memory listed, if small)", msOf(t), "-");
  } else {
    row(step, msOf(t), goal,
        QStringLiteral("(GUI %1 ms) %2").arg(gui, 0, 'f', 1).arg(figures->text()));
  }
  return true;
}

// Re-orders or filters the table by `act`; the model is reset once the rows are there.
template <typename Act>
void tableStep(QAbstractItemModel* model, QTableView* table, const char* step, Act act) {
  QSignalSpy reset(model, &QAbstractItemModel::modelReset);
  QElapsedTimer t;
  t.start();
  act();
  const double gui = msOf(t);
  if (reset.isEmpty() && !reset.wait(kStepTimeoutMs)) {
    std::printf("%s: timed out\n", step);
    return;
  }
  table->viewport()->grab();
  row(step, msOf(t), "100 ms",
      QStringLiteral("(GUI %1 ms) %2 rows").arg(gui, 0, 'f', 1).arg(model->rowCount()));
}

}  // namespace

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QCoreApplication::setOrganizationName(QStringLiteral("MemLens"));
  QCoreApplication::setApplicationName(QStringLiteral("memlens-bench"));
  QApplication app(argc, argv);
  if (argc < 2) return std::fputs("usage: bench_app_100m MEMORY.mlm [TRACES]\n", stderr), 2;
  const int traces = argc > 2 ? std::stoi(argv[2]) : 100;

  gui::MainWindow window;
  window.resize(1600, 1000);
  window.show();
  auto* inspector = window.findChild<gui::InspectController*>();
  auto* controller = window.findChild<gui::MemoryController*>();
  QSignalSpy ready(&window, &gui::MainWindow::memoryReady);
  QSignalSpy inspected(inspector, &gui::InspectController::settled);
  QSignalSpy edits(controller, &gui::MemoryController::settled);
  QSignalSpy steps(controller, &gui::MemoryController::stepShown);
  QSignalSpy counted(controller, &gui::MemoryController::usageCounted);

  // The table shows the memory as soon as it answers; edits wait for the session.
  double rowsAt = -1.0;
  auto* table = window.findChild<QTableView*>(QStringLiteral("memoryTable"));
  QAbstractItemModel* model = table->model();
  QElapsedTimer open;
  QObject::connect(model, &QAbstractItemModel::modelReset, [&] {
    if (rowsAt < 0.0 && model->rowCount() > 0) rowsAt = msOf(open);
  });
  open.start();
  window.openMemory(QString::fromLocal8Bit(argv[1]));
  if (!waitFor(ready, 0)) return std::puts("the memory did not open"), 1;
  const std::shared_ptr<const Experiment> memory = controller->trained();
  const InstanceBase& base = memory->classifier().memory();
  std::printf("memory: %s, %u stored vectors from %llu instances, %zu test tokens\n",
              memory->record().options.classifier.algorithm == Algorithm::kIb1      ? "IB1"
              : memory->record().options.classifier.algorithm == Algorithm::kIgTree ? "IGTree"
                                                                                    : "TRIBL2",
              base.vectorCount(), static_cast<unsigned long long>(base.instanceCount()),
              memory->test().size());
  row("open to memory ready", msOf(open), "-");
  // The window's Cancel (Esc) stops its evaluation and learning curve, which would otherwise
  // compete for the CPU and grow a second 100M-instance memory.
  QSignalSpy jobs(&window, &gui::MainWindow::jobSettled);
  bool cancelled = false;
  for (QAction* a : window.actions()) {
    if (a->shortcut() != QKeySequence(Qt::Key_Escape) || !a->isEnabled()) continue;
    a->trigger();
    cancelled = true;
  }
  if (cancelled && jobs.isEmpty() && !jobs.wait(kStepTimeoutMs)) return std::puts("no cancel"), 1;
  double countedAt = -1.0;
  QObject::connect(controller, &gui::MemoryController::usageCounted,
                   [&] { countedAt = msOf(open); });
  QTest::qWait(100);
  if (!waitFor(edits, 0)) return std::puts("the Memory tab was not prepared"), 1;
  row("open to Memory tab rows (snapshot)", rowsAt, "-");
  row("open to Memory tab ready for edits", msOf(open), "-");
  while (controller->isRunning())
    if (!edits.wait(kStepTimeoutMs)) return std::puts("the Memory tab was not prepared"), 1;
  std::vector<double> times;
  std::mt19937 rng(7);

  auto* filter = window.findChild<QLineEdit*>(QStringLiteral("memoryFilter"));
  auto* figures = window.findChild<QLabel*>(QStringLiteral("memoryChangeFigures"));
  {
    QElapsedTimer t;
    t.start();
    steps::showTab(window, QStringLiteral("Memory"));
    table->viewport()->grab();
    row("show the Memory tab", msOf(t), "100 ms", QStringLiteral("%1 rows").arg(model->rowCount()));
  }
  times.clear();
  for (int i = 0; i < 200 && model->rowCount() > 0; ++i) {
    const int r = static_cast<int>(rng() % static_cast<uint32_t>(model->rowCount()));
    QElapsedTimer t;
    t.start();
    table->scrollTo(model->index(r, 0), QAbstractItemView::PositionAtTop);
    table->viewport()->grab();
    times.push_back(msOf(t));
  }
  std::ranges::sort(times);
  if (!times.empty()) {
    row("scroll: repaint after a random jump, median", times[times.size() / 2], "100 ms");
    row("scroll: repaint after a random jump, max", times.back(), "100 ms");
  }
  tableStep(model, table, "sort by instances, most first", [table] {
    table->horizontalHeader()->setSortIndicator(views::MemoryTableModel::kInstances,
                                                Qt::DescendingOrder);
  });
  tableStep(model, table, "sort by id again", [table] {
    table->horizontalHeader()->setSortIndicator(views::MemoryTableModel::kId, Qt::AscendingOrder);
  });
  const uint32_t frequent = memory->test().classes.empty() ? 0 : memory->test().classes[0];
  filter->setText(QString::fromStdString(std::string(memory->corpus().vocab.text(frequent))));
  tableStep(model, table, "filter by a token (Enter)",
            [filter] { QTest::keyClick(filter, Qt::Key_Return); });
  tableStep(model, table, "clear the filter", [filter] { filter->clear(); });

  if (model->rowCount() == 0) return std::puts("no rows to edit"), 1;
  auto* remove = window.findChild<QPushButton*>(QStringLiteral("memoryDelete"));
  auto* commit = window.findChild<QPushButton*>(QStringLiteral("memoryCommit"));
  const bool ok =
      memoryStep(edits, "preview deleting one stored vector", "1000 ms", figures,
                 [&] {
                   table->selectRow(model->rowCount() / 2);
                   remove->click();
                 }) &&
      memoryStep(
          edits, "commit it", "1000 ms", figures, [commit] { commit->click(); }, &steps);
  if (!ok) return 1;
  const auto undo = [controller] { controller->undoAction()->trigger(); };
  const auto redo = [controller] { controller->redoAction()->trigger(); };
  if (!memoryStep(edits, "undo", "1000 ms", figures, undo, &steps) ||
      !memoryStep(edits, "redo", "1000 ms", figures, redo, &steps) ||
      !memoryStep(edits, "undo again", "1000 ms", figures, undo, &steps))
    return 1;

  inspector->inspectTestToken(0);
  if (!waitFor(inspected, inspected.count())) return std::puts("no Inspect answer"), 1;
  row("open to first Inspect answer", msOf(open), "-");
  times.clear();
  const auto tokens = static_cast<uint32_t>(std::max<size_t>(1, memory->test().size()));
  for (int i = 0; i < traces; ++i) {
    const qsizetype seen = inspected.count();
    QElapsedTimer t;
    t.start();
    inspector->inspectTestToken(static_cast<int>(rng() % tokens));
    if (!waitFor(inspected, seen)) return std::puts("no Inspect answer"), 1;
    times.push_back(msOf(t));
  }
  std::ranges::sort(times);
  if (!times.empty()) {
    row("Inspect per trace, median", times[times.size() / 2], "50 ms",
        QStringLiteral("(%1 traces)").arg(traces));
    row("Inspect per trace, p95", times[times.size() * 95 / 100], "50 ms");
  }
  const auto* work = window.findChild<QLabel*>(QStringLiteral("memoryWork"));
  // The drag over the edited memory: the deletion redone, the drag readied in the background from
  // then on (IB1 under kept weights), waited for as a user who drags a little later.
  QSignalSpy readied(controller, &gui::MemoryController::readyingEnded);
  if (!memoryStep(edits, "redo (the drag then over the edited memory)", "1000 ms", figures, redo,
                  &steps))
    return 1;
  if (controller->isReadying()) {
    QElapsedTimer t;
    t.start();
    if (!waitFor(readied, 0)) return std::puts("the drag was not readied"), 1;
    row("  then the drag readied in the background", msOf(t), "-", work->text());
  }
  auto* strategy = window.findChild<QComboBox*>(QStringLiteral("pruneStrategy"));
  strategy->setCurrentIndex(0);  // count threshold
  auto* slider = window.findChild<QSlider*>(QStringLiteral("pruneMinCountSlider"));
  // Dragged with "Preview while dragging" on: each stop previews after a short pause. A stop
  // that takes minutes (a pruning that retrains) ends the drag: the rest would too.
  for (int threshold : {3, 5, 2}) {
    const std::string step = "count threshold dragged to " + std::to_string(threshold);
    QElapsedTimer t;
    t.start();
    if (!memoryStep(edits, step.c_str(), "1000 ms", figures, [&] { slider->setValue(threshold); }))
      return 1;
    std::printf("  %s\n", qPrintable(work->text()));
    if (t.elapsed() > kLongDragStopMs) {
      std::puts("  (drag stopped: one stop took over a minute)");
      break;
    }
  }
  if (countedAt >= 0.0) row("open to the usage census shown (Used column)", countedAt, "-");
  return 0;
}
