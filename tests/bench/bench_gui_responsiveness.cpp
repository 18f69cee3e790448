// How long the GUI thread of the real main window goes without turning its event loop while the
// KJV demo corpus loads and a memory trains on it (the tests only check that it keeps turning).
// A 5 ms timer records the longest gap between its ticks; the time the thread spent ready to run
// but waiting for a CPU (other processes, a build) is not the window's doing, so it is taken out
// of each gap: the kernel counts it per thread in /proc/thread-self/schedstat.
// Usage: bench_gui_responsiveness [CORPUS] [ALGORITHM]   (defaults: the KJV demo corpus, igtree)
#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <string>

#include "main_window.h"
#include "memlens/option_names.h"
#include "train/train_options_widget.h"
#include "window_steps.h"

namespace {

// The second field of "run_ns wait_ns slices": how long the calling thread waited for a CPU.
qint64 runQueueNanos() {
  QFile f(QStringLiteral("/proc/thread-self/schedstat"));
  if (!f.open(QIODevice::ReadOnly)) return 0;
  const QList<QByteArray> fields = f.readAll().split(' ');
  return fields.size() >= 2 ? fields[1].toLongLong() : 0;
}

class GapMeter {
 public:
  GapMeter() {
    QObject::connect(&tick_, &QTimer::timeout, [this] {
      const qint64 now = clock_.nsecsElapsed(), waited = runQueueNanos();
      worst_ = std::max(worst_, (now - last_) - (waited - lastWaited_));
      last_ = now;
      lastWaited_ = waited;
    });
  }
  void start() {
    worst_ = 0;
    clock_.start();
    last_ = 0;
    lastWaited_ = runQueueNanos();
    tick_.start(5);
  }
  // The longest gap since start(), in milliseconds.
  double stop() {
    tick_.stop();
    return static_cast<double>(worst_) / 1e6;
  }

 private:
  QElapsedTimer clock_;
  QTimer tick_;
  qint64 last_ = 0, lastWaited_ = 0, worst_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QCoreApplication::setOrganizationName(QStringLiteral("MemLensBench"));
  QApplication app(argc, argv);
  const QString corpus =
      argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral(MEMLENS_DEMO_CORPUS);
  memlens::ExperimentOptions options;
  options.classifier.algorithm = memlens::Algorithm::kIgTree;
  if (argc > 2) {
    const auto algorithm = memlens::optionNamed<memlens::Algorithm>(argv[2]);
    if (!algorithm) {
      return std::fprintf(stderr, "bench_gui_responsiveness: unknown algorithm %s (%s)\n", argv[2],
                          memlens::optionChoices<memlens::Algorithm>().c_str()),
             2;
    }
    options.classifier.algorithm = *algorithm;
  }

  memlens::gui::MainWindow window;
  window.show();
  QSignalSpy settled(&window, &memlens::gui::MainWindow::jobSettled);
  GapMeter meter;
  QElapsedTimer clock;

  meter.start();
  clock.start();
  window.openPaths({corpus});
  if (!settled.wait(600000))
    return std::fputs("bench_gui_responsiveness: the load did not settle\n", stderr), 1;
  std::printf("load   %8.0f ms, longest GUI thread gap %6.1f ms\n",
              static_cast<double>(clock.elapsed()), meter.stop());

  window.findChild<memlens::views::TrainOptionsWidget*>()->setOptions(options);
  meter.start();
  clock.start();
  if (!memlens::steps::startTraining(window) || !settled.wait(3600000)) {
    return std::fputs("bench_gui_responsiveness: the training did not start or settle\n", stderr),
           1;
  }
  std::printf("train  %8.0f ms, longest GUI thread gap %6.1f ms  (%s)\n",
              static_cast<double>(clock.elapsed()), meter.stop(),
              std::string(memlens::optionName(options.classifier.algorithm)).c_str());
  return 0;
}
