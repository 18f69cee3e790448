#pragma once

// Records the longest time the GUI thread went without turning its event loop, for the tests
// that the window never blocks for more than kLimitMs. Time the thread spent ready to run but
// waiting for a CPU (other processes, e.g. a parallel ctest or a build) is not the window's
// doing, so it is taken out of each gap: the kernel counts it per thread in schedstat.
#include <QElapsedTimer>
#include <QFile>
#include <QTimer>

#include <algorithm>

namespace memlens::test {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define MEMLENS_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define MEMLENS_SANITIZED 1
#endif
#endif

class GuiWatchdog {
 public:
  // The longest gap allowed. Under a sanitizer every allocation, Qt's included, is several times
  // slower (QTextBrowser::setHtml of one Text page: ~100 ms under ASan), so only a block of a
  // different order still fails there.
#ifdef MEMLENS_SANITIZED
  static constexpr qint64 kLimitMs = 500;
#else
  static constexpr qint64 kLimitMs = 100;
#endif

  GuiWatchdog() {
    QObject::connect(&tick_, &QTimer::timeout, [this] {
      const qint64 now = clock_.nsecsElapsed(), waited = runQueueNanos();
      worst_ = std::max(worst_, (now - last_) - (waited - lastWaited_));
      last_ = now;
      lastWaited_ = waited;
    });
    clock_.start();
    lastWaited_ = runQueueNanos();
    tick_.start(5);
  }
  void stop() { tick_.stop(); }
  // In milliseconds.
  qint64 worstGap() const { return worst_ / 1000000; }

 private:
  // "run_ns wait_ns slices" of the calling thread; 0 where the kernel does not say.
  static qint64 runQueueNanos() {
    QFile f(QStringLiteral("/proc/thread-self/schedstat"));
    if (!f.open(QIODevice::ReadOnly)) return 0;
    const QList<QByteArray> fields = f.readAll().split(' ');
    return fields.size() >= 2 ? fields[1].toLongLong() : 0;
  }

  QElapsedTimer clock_;
  QTimer tick_;
  qint64 last_ = 0, lastWaited_ = 0, worst_ = 0;
};

}  // namespace memlens::test
