// ReleaseIfCancelled: a cancelled job's values are destroyed on another thread, soon; a job that
// was not cancelled destroys them itself, as usual.
#include <QtTest>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "base/release_if_cancelled.h"

using namespace memlens;

namespace {

// Records the thread that destroys it (a moved-from one records nothing).
struct Witness {
  struct Log {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<std::thread::id> destroyedOn;
  };
  explicit Witness(Log* log) : log(log) {}
  Witness(Witness&& other) noexcept : log(std::exchange(other.log, nullptr)) {}
  ~Witness() {
    if (!log) return;
    std::lock_guard lock(log->mutex);
    log->destroyedOn.push_back(std::this_thread::get_id());
    log->changed.notify_all();
  }
  Log* log;
};

bool waitForDestructions(Witness::Log& log, size_t count) {
  std::unique_lock lock(log.mutex);
  return log.changed.wait_for(lock, std::chrono::seconds(10),
                              [&] { return log.destroyedOn.size() >= count; });
}

}  // namespace

class TestReleaseIfCancelled : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void cancelledValuesGoToAnotherThread() {
    Witness::Log log;
    JobControl job;
    {
      Witness a(&log);
      std::vector<Witness> many;
      many.emplace_back(&log);
      ReleaseIfCancelled release(&job, a, many);
      job.cancel();
    }
    QVERIFY(waitForDestructions(log, 2));
    std::lock_guard lock(log.mutex);
    QCOMPARE(log.destroyedOn.size(), size_t{2});
    for (std::thread::id id : log.destroyedOn) QVERIFY(id != std::this_thread::get_id());
  }

  void otherwiseTheScopeDestroysThem() {
    Witness::Log log;
    JobControl job;
    {
      Witness a(&log);
      ReleaseIfCancelled release(&job, a);
      ReleaseIfCancelled noJob(nullptr, a);
    }
    std::lock_guard lock(log.mutex);
    QCOMPARE(log.destroyedOn.size(), size_t{1});
    QCOMPARE(log.destroyedOn.front(), std::this_thread::get_id());
  }
};

QTEST_GUILESS_MAIN(TestReleaseIfCancelled)
#include "tst_release_if_cancelled.moc"
