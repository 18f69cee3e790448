#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

#include "train_settings.h"

using namespace memlens;

class TestTrainSettings : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;

  QString iniPath() const { return dir_.filePath(QStringLiteral("memlens.ini")); }

 private Q_SLOTS:
  void init() { QFile::remove(iniPath()); }

  // Saved under the long labels older versions wrote, so settings survive an update both ways.
  void savesLabelsAndReadsThemBack() {
    ExperimentOptions o;
    o.classifier.algorithm = Algorithm::kTribl2;
    o.classifier.weighting = FeatureWeighting::kInfoGain;
    o.classifier.distanceWeighting = DistanceWeighting::kExponentialDecay;
    o.window.blocks = BlockMode::kOlifant;
    {
      QSettings settings(iniPath(), QSettings::IniFormat);
      gui::saveTrainOptions(settings, o);
    }
    QSettings settings(iniPath(), QSettings::IniFormat);
    QCOMPARE(settings.value(QStringLiteral("train/algorithm")).toString(),
             QStringLiteral("tribl2"));
    QCOMPARE(settings.value(QStringLiteral("train/weighting")).toString(),
             QStringLiteral("information-gain"));
    QCOMPARE(settings.value(QStringLiteral("train/distanceWeighting")).toString(),
             QStringLiteral("ED"));
    QCOMPARE(settings.value(QStringLiteral("train/blocks")).toString(), QStringLiteral("olifant"));
    const ExperimentOptions back = gui::loadTrainOptions(settings, ExperimentOptions());
    QCOMPARE(back.classifier.algorithm, Algorithm::kTribl2);
    QCOMPARE(back.classifier.weighting, FeatureWeighting::kInfoGain);
    QCOMPARE(back.classifier.distanceWeighting, DistanceWeighting::kExponentialDecay);
    QCOMPARE(back.window.blocks, BlockMode::kOlifant);
  }

  void unknownWordsFallBackToTheDefaults() {
    QSettings settings(iniPath(), QSettings::IniFormat);
    settings.setValue(QStringLiteral("train/algorithm"), QStringLiteral("knn"));
    settings.setValue(QStringLiteral("train/weighting"), 2);  // an index, as no version wrote
    ExperimentOptions defaults;
    defaults.classifier.algorithm = Algorithm::kIgTree;
    defaults.classifier.weighting = FeatureWeighting::kChiSquare;
    const ExperimentOptions o = gui::loadTrainOptions(settings, defaults);
    QCOMPARE(o.classifier.algorithm, Algorithm::kIgTree);
    QCOMPARE(o.classifier.weighting, FeatureWeighting::kChiSquare);
  }
};

QTEST_GUILESS_MAIN(TestTrainSettings)
#include "tst_train_settings.moc"
