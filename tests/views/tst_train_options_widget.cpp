#include <QComboBox>
#include <QDoubleSpinBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

#include "train/train_options_widget.h"

using memlens::Algorithm;
using memlens::ExperimentOptions;
using memlens::views::TrainOptionsWidget;

class TestTrainOptionsWidget : public QObject {
  Q_OBJECT

  template <typename T>
  static T* field(const TrainOptionsWidget& w, const char* name) {
    return w.findChild<T*>(QString::fromLatin1(name));
  }

 private Q_SLOTS:
  void defaultsAreAQuickIgTree() {
    TrainOptionsWidget w;
    const ExperimentOptions o = w.options();
    QCOMPARE(o.classifier.algorithm, Algorithm::kIgTree);
    QCOMPARE(o.window.width, 4);
    QCOMPARE(o.classifier.k, 1);
    QCOMPARE(o.classifier.weighting, memlens::FeatureWeighting::kGainRatio);
    // IGTree has no neighbours to count or weigh.
    QVERIFY(!field<QSpinBox>(w, "kBox")->isEnabled());
    QVERIFY(!field<QComboBox>(w, "distanceWeightingBox")->isEnabled());
    QVERIFY(!field<QComboBox>(w, "algorithmBox")->toolTip().isEmpty());
  }

  void showsAndReturnsEveryOption() {
    ExperimentOptions in;
    in.classifier.algorithm = Algorithm::kTribl2;
    in.classifier.k = 5;
    in.classifier.weighting = memlens::FeatureWeighting::kChiSquare;
    in.classifier.distanceWeighting = memlens::DistanceWeighting::kInverseDistance;
    in.window.width = 12;
    in.window.blocks = memlens::BlockMode::kOlifant;
    in.ngramOrder = 4;
    in.split.trainFraction = 0.7;
    in.split.validationFraction = 0.15;
    in.split.seed = 42;
    in.maxTestTokens = 5000;
    TrainOptionsWidget w;
    w.setOptions(in);
    const ExperimentOptions out = w.options();
    QCOMPARE(out.classifier.algorithm, in.classifier.algorithm);
    QCOMPARE(out.classifier.k, 5);
    QCOMPARE(out.classifier.weighting, in.classifier.weighting);
    QCOMPARE(out.classifier.distanceWeighting, in.classifier.distanceWeighting);
    QCOMPARE(out.window.width, 12);
    QCOMPARE(out.window.blocks, memlens::BlockMode::kOlifant);
    QCOMPARE(out.ngramOrder, 4);
    QCOMPARE(out.split.trainFraction, 0.7);
    QCOMPARE(out.split.validationFraction, 0.15);
    QCOMPARE(out.split.seed, uint64_t{42});
    QCOMPARE(out.maxTestTokens, uint64_t{5000});
    QVERIFY(field<QSpinBox>(w, "kBox")->isEnabled());
  }

  void trainEmitsTheOptionsOnlyWhenAllowed() {
    TrainOptionsWidget w;
    auto* train = field<QPushButton>(w, "trainButton");
    QSignalSpy requested(&w, &TrainOptionsWidget::trainingRequested);
    field<QSpinBox>(w, "widthBox")->setValue(7);
    QTest::mouseClick(train, Qt::LeftButton);
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.at(0).at(0).value<ExperimentOptions>().window.width, 7);

    w.setTrainingEnabled(false);
    QVERIFY(!train->isEnabled());
    w.requestTraining();
    QCOMPARE(requested.size(), 1);
    w.setTrainingEnabled(true);

    // Train and validation leaving no test part: nothing to measure on.
    field<QDoubleSpinBox>(w, "trainFractionBox")->setValue(0.9);
    field<QDoubleSpinBox>(w, "validationFractionBox")->setValue(0.1);
    QVERIFY(!train->isEnabled());
    w.requestTraining();
    QCOMPARE(requested.size(), 1);
    field<QDoubleSpinBox>(w, "validationFractionBox")->setValue(0.05);
    QVERIFY(train->isEnabled());
  }
};

QTEST_MAIN(TestTrainOptionsWidget)
#include "tst_train_options_widget.moc"
