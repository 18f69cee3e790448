#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>

#include "common/job_runner.h"

using memlens::JobControl;
using memlens::Status;
using memlens::views::JobRunner;

namespace {

// Polls the control like a core loop does; stops by itself after `limit`, so a broken cancel
// makes the test fail on time instead of hanging.
Status pollUntilCancelled(JobControl& job, std::chrono::milliseconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (job.cancelRequested()) return Status::cancelled();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return Status::ok();
}

Status statusOf(const QSignalSpy& spy, qsizetype emission = 0) {
  return spy.at(emission).at(0).value<Status>();
}

}  // namespace

class TestJobRunner : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void runsOffTheGuiThreadAndReportsOnIt() {
    JobRunner runner;
    std::atomic<QThread*> workerThread = nullptr;
    QList<double> fractions;
    QStringList stages;
    bool progressOnGuiThread = true;
    // Direct connections run wherever the signal is emitted, which must be the GUI thread, so
    // that receivers need not care how they are connected.
    connect(
        &runner, &JobRunner::progress, this,
        [&](double fraction, const QString& stage) {
          progressOnGuiThread = progressOnGuiThread && QThread::currentThread() == thread();
          fractions.append(fraction);
          stages.append(stage);
        },
        Qt::DirectConnection);
    bool finishedOnGuiThread = false;
    connect(
        &runner, &JobRunner::finished, this,
        [&] { finishedOnGuiThread = QThread::currentThread() == thread(); }, Qt::DirectConnection);
    QSignalSpy finished(&runner, &JobRunner::finished);

    QVERIFY(runner.run(QStringLiteral("counting"), [&](JobControl& job) {
      workerThread = QThread::currentThread();
      job.report(0.0, "first stage");
      job.report(0.5, "second stage");
      job.report(1.0);
      return Status::ok();
    }));
    QVERIFY(runner.isRunning());
    QCOMPARE(runner.title(), QStringLiteral("counting"));
    QVERIFY(finished.wait(5000));

    QVERIFY(workerThread.load() != nullptr);
    QVERIFY(workerThread.load() != thread());
    QVERIFY(progressOnGuiThread);
    QVERIFY(finishedOnGuiThread);
    // Each stage change passes the throttle, and so does 1.0; all arrive before finished().
    QCOMPARE(fractions, (QList<double>{0.0, 0.5, 1.0}));
    QCOMPARE(stages, (QStringList{QStringLiteral("first stage"), QStringLiteral("second stage"),
                                  QStringLiteral("second stage")}));
    QVERIFY(statusOf(finished).isOk());
    QVERIFY(!runner.isRunning());
    QVERIFY(runner.title().isEmpty());
  }

  void handsTheResultOverThroughTheCallersSharedPtr() {
    JobRunner runner;
    auto result = std::make_shared<std::shared_ptr<const QString>>();
    QString seen;
    connect(&runner, &JobRunner::finished, this, [&](const Status& status) {
      if (status.isOk() && *result) seen = **result;
    });
    QSignalSpy finished(&runner, &JobRunner::finished);
    runner.run(QStringLiteral("producing"), [result](JobControl&) {
      *result = std::make_shared<const QString>(QStringLiteral("snapshot"));
      return Status::ok();
    });
    QVERIFY(finished.wait(5000));
    QCOMPARE(seen, QStringLiteral("snapshot"));
  }

  void cancelStopsAPollingJobQuickly() {
    JobRunner runner;
    QSignalSpy finished(&runner, &JobRunner::finished);
    runner.run(QStringLiteral("waiting"),
               [](JobControl& job) { return pollUntilCancelled(job, std::chrono::seconds(20)); });
    QTest::qWait(50);  // let the worker get into its loop
    runner.cancel();
    // The job ends on its own after 20 s with an ok status: a cancelled status, within a wait
    // shorter than that, is the worker seeing the flag.
    QVERIFY(finished.wait(15000));
    QVERIFY(statusOf(finished).isCancelled());
  }

  void refusesASecondJobWhileOneRuns() {
    JobRunner runner;
    QSignalSpy finished(&runner, &JobRunner::finished);
    bool secondRan = false;
    QVERIFY(runner.run(QStringLiteral("first"), [](JobControl& job) {
      return pollUntilCancelled(job, std::chrono::seconds(20));
    }));
    QVERIFY(!runner.run(QStringLiteral("second"), [&](JobControl&) {
      secondRan = true;
      return Status::ok();
    }));
    QCOMPARE(runner.title(), QStringLiteral("first"));
    // Idle again by the time finished() is emitted: its handler may start the next job.
    bool thirdAccepted = false;
    connect(
        &runner, &JobRunner::finished, this,
        [&] {
          thirdAccepted =
              runner.run(QStringLiteral("third"), [](JobControl&) { return Status::ok(); });
        },
        Qt::SingleShotConnection);
    runner.cancel();
    QVERIFY(finished.wait(5000));
    QVERIFY(!secondRan);
    QVERIFY(thirdAccepted);
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.size(), 2);
    QVERIFY(statusOf(finished, 0).isCancelled());
    QVERIFY(statusOf(finished, 1).isOk());
  }

  void exceptionsBecomeInternalErrors() {
    JobRunner runner;
    QSignalSpy finished(&runner, &JobRunner::finished);
    runner.run(QStringLiteral("throwing"),
               [](JobControl&) -> Status { throw std::runtime_error("disk on fire"); });
    QVERIFY(finished.wait(5000));
    const Status status = statusOf(finished);
    QCOMPARE(status.code(), Status::Code::kInternal);
    QVERIFY2(status.message().find("disk on fire") != std::string::npos, status.message().c_str());
    QVERIFY2(status.message().find("throwing") != std::string::npos, status.message().c_str());

    runner.run(QStringLiteral("throwing an int"), [](JobControl&) -> Status { throw 42; });
    QVERIFY(finished.wait(5000));
    QCOMPARE(statusOf(finished, 1).code(), Status::Code::kInternal);
  }

  void errorStatusesPassThroughUnchanged() {
    JobRunner runner;
    QSignalSpy finished(&runner, &JobRunner::finished);
    runner.run(QStringLiteral("failing"),
               [](JobControl&) { return Status::corrupt("corpus.txt line 3, byte 1: bad"); });
    QVERIFY(finished.wait(5000));
    QCOMPARE(statusOf(finished).code(), Status::Code::kCorrupt);
    QCOMPARE(statusOf(finished).message(), std::string("corpus.txt line 3, byte 1: bad"));
  }

  void destroyingTheRunnerCancelsAndJoinsTheJob() {
    std::atomic<bool> sawCancel = false;
    std::atomic<bool> returned = false;
    {
      JobRunner runner;
      runner.run(QStringLiteral("outlived"), [&](JobControl& job) {
        Status status = pollUntilCancelled(job, std::chrono::seconds(20));
        sawCancel = status.isCancelled();
        returned = true;
        return status;
      });
      QTest::qWait(20);
    }
    QVERIFY(returned);  // the destructor waited for the worker
    QVERIFY(sawCancel);
  }
};

QTEST_MAIN(TestJobRunner)
#include "tst_job_runner.moc"
