#include <QtTest>
#include <string>

#include "memlens/experiment.h"
#include "test_support.h"
#include "training_eta.h"

using memlens::gui::TrainingEta;

class TestTrainingEta : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  // One step for the run, then one per point memlens::learningCurve() really produces.
  void plansTheCurveTheCoreRuns() {
    QTemporaryDir dir;
    std::string text;
    for (int i = 0; i < 400; ++i) text += "a b c d e f " + std::to_string(i % 7) + " g\n";
    auto corpus = memlens::TokenisedCorpus::load({memlens::test::writeFile(dir, "c.txt", text)},
                                                 memlens::TokeniserOptions{});
    QVERIFY(corpus);
    memlens::ExperimentOptions options;
    options.classifier.algorithm = memlens::Algorithm::kIgTree;
    auto experiment = memlens::Experiment::run(*corpus, options);
    QVERIFY2(experiment, experiment.status().message().c_str());
    auto curve = memlens::learningCurve(**experiment);
    QVERIFY(curve);
    TrainingEta eta;
    eta.start((*experiment)->train().size(), 0.0);
    QCOMPARE(eta.stepCount(), 1 + int(curve->size()));
    QCOMPARE(memlens::learningCurvePrefixes(725172),
             (std::vector<uint64_t>{1000, 10000, 100000, 725172}));
    QCOMPARE(memlens::learningCurvePrefixes(500), std::vector<uint64_t>{500});
  }

  void hasNoTimeEstimateBeforeTheRunIsDone() {
    TrainingEta eta;
    eta.start(725172, 0.0);
    QCOMPARE(eta.stepCount(), 5);
    QVERIFY(!eta.secondsLeft(10.0));
    // Meanwhile progress follows the core's stage, inside the run's share of the job.
    QVERIFY(eta.fraction(10.0, 0.5) > 0.0);
    QVERIFY(eta.fraction(10.0, 1.0) < 0.5);
  }

  // The curve retrains through growing prefixes and re-evaluates each time: together about as
  // long as the run again, and a bit more.
  void scalesTheRestByTheRunsDuration() {
    TrainingEta eta;
    eta.start(725172, 0.0);
    eta.beginStep(1, 20.0);
    const auto left = eta.secondsLeft(20.0);
    QVERIFY(left);
    QVERIFY2(*left > 20.0 && *left < 60.0, qPrintable(QString::number(*left)));
    QVERIFY(*eta.secondsLeft(25.0) < *left);
    QCOMPARE(*eta.secondsLeft(1000.0), 0.0);  // an overrun says "any moment", never negative
    const double before = eta.fraction(20.0, 0.0);
    QVERIFY(eta.fraction(25.0, 0.0) > before);
    eta.beginStep(4, 50.0);
    QVERIFY(eta.fraction(1000.0, 1.0) < 1.0);  // the last step is not done until it is
  }

  // A progressive evaluation projects the run's end within seconds: the plan scales by that.
  void scalesByTheRunsProjectedEnd() {
    TrainingEta ended;
    ended.start(725172, 0.0);
    ended.beginStep(1, 20.0);
    TrainingEta eta;
    eta.start(725172, 0.0);
    eta.projectStepEnd(20.0);
    const auto left = eta.secondsLeft(5.0);
    QVERIFY(left);
    // As if the run had ended at 20 s, plus the 15 s of the run still to go.
    QCOMPARE(*left, *ended.secondsLeft(20.0) + 15.0);
    QVERIFY(eta.fraction(5.0, 0.0) > 0.0);
    // The run took 30 s after all: measured, no longer projected.
    eta.beginStep(1, 30.0);
    QCOMPARE(*eta.secondsLeft(30.0), *ended.secondsLeft(20.0) * 1.5);
  }
};

QTEST_MAIN(TestTrainingEta)
#include "tst_training_eta.moc"
