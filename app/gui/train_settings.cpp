#include "train_settings.h"

#include <QSettings>
#include <QString>
#include <array>

namespace memlens::gui {

namespace {

constexpr std::array kAlgorithms = {Algorithm::kIb1, Algorithm::kIgTree, Algorithm::kTribl2,
                                    Algorithm::kVectorMemory};
constexpr std::array kWeightings = {FeatureWeighting::kNone, FeatureWeighting::kGainRatio,
                                    FeatureWeighting::kInfoGain, FeatureWeighting::kChiSquare,
                                    FeatureWeighting::kSharedVariance};
constexpr std::array kDistanceWeightings = {
    DistanceWeighting::kZero, DistanceWeighting::kInverseLinear,
    DistanceWeighting::kInverseDistance, DistanceWeighting::kExponentialDecay};

template <typename Enum, size_t N>
Enum byName(const QSettings& settings, const QString& key, const std::array<Enum, N>& values,
            const char* (*name)(Enum), Enum fallback) {
  const QString saved = settings.value(key).toString();
  for (Enum value : values) {
    if (saved == QLatin1String(name(value))) return value;
  }
  return fallback;
}

const char* blockName(BlockMode mode) { return mode == BlockMode::kLine ? "line" : "olifant"; }

}  // namespace

ExperimentOptions loadTrainOptions(const QSettings& settings, const ExperimentOptions& defaults) {
  ExperimentOptions o = defaults;
  const QString g = QStringLiteral("train/");
  o.classifier.algorithm = byName(settings, g + QStringLiteral("algorithm"), kAlgorithms,
                                  algorithmName, defaults.classifier.algorithm);
  o.classifier.weighting = byName(settings, g + QStringLiteral("weighting"), kWeightings,
                                  weightingName, defaults.classifier.weighting);
  o.classifier.distanceWeighting =
      byName(settings, g + QStringLiteral("distanceWeighting"), kDistanceWeightings,
             distanceWeightingName, defaults.classifier.distanceWeighting);
  o.window.blocks =
      byName(settings, g + QStringLiteral("blocks"),
             std::array{BlockMode::kLine, BlockMode::kOlifant}, blockName, defaults.window.blocks);
  o.classifier.k = settings.value(g + QStringLiteral("k"), defaults.classifier.k).toInt();
  o.window.width = settings.value(g + QStringLiteral("width"), defaults.window.width).toInt();
  o.ngramOrder = settings.value(g + QStringLiteral("ngramOrder"), defaults.ngramOrder).toInt();
  o.split.trainFraction =
      settings.value(g + QStringLiteral("trainFraction"), defaults.split.trainFraction).toDouble();
  o.split.validationFraction =
      settings.value(g + QStringLiteral("validationFraction"), defaults.split.validationFraction)
          .toDouble();
  o.split.seed =
      settings.value(g + QStringLiteral("seed"), static_cast<qulonglong>(defaults.split.seed))
          .toULongLong();
  o.maxTestTokens = settings
                        .value(g + QStringLiteral("maxTestTokens"),
                               static_cast<qulonglong>(defaults.maxTestTokens))
                        .toULongLong();
  return o;
}

void saveTrainOptions(QSettings& settings, const ExperimentOptions& o) {
  settings.beginGroup(QStringLiteral("train"));
  settings.setValue(QStringLiteral("algorithm"),
                    QLatin1String(algorithmName(o.classifier.algorithm)));
  settings.setValue(QStringLiteral("weighting"),
                    QLatin1String(weightingName(o.classifier.weighting)));
  settings.setValue(QStringLiteral("distanceWeighting"),
                    QLatin1String(distanceWeightingName(o.classifier.distanceWeighting)));
  settings.setValue(QStringLiteral("blocks"), QLatin1String(blockName(o.window.blocks)));
  settings.setValue(QStringLiteral("k"), o.classifier.k);
  settings.setValue(QStringLiteral("width"), o.window.width);
  settings.setValue(QStringLiteral("ngramOrder"), o.ngramOrder);
  settings.setValue(QStringLiteral("trainFraction"), o.split.trainFraction);
  settings.setValue(QStringLiteral("validationFraction"), o.split.validationFraction);
  settings.setValue(QStringLiteral("seed"), static_cast<qulonglong>(o.split.seed));
  settings.setValue(QStringLiteral("maxTestTokens"), static_cast<qulonglong>(o.maxTestTokens));
  settings.endGroup();
}

}  // namespace memlens::gui
