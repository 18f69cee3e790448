#include "train_settings.h"

#include <QSettings>
#include <QString>
#include <string_view>

#include "memlens/option_names.h"

namespace memlens::gui {

namespace {

template <typename E>
E byName(const QSettings& settings, const QString& key, E fallback) {
  const QByteArray saved = settings.value(key).toString().toUtf8();
  return optionNamed<E>(std::string_view(saved.data(), static_cast<size_t>(saved.size())))
      .value_or(fallback);
}

template <typename E>
QString label(E value) {
  return QString::fromLatin1(optionLabel(value));
}

}  // namespace

ExperimentOptions loadTrainOptions(const QSettings& settings, const ExperimentOptions& defaults) {
  ExperimentOptions o = defaults;
  const QString g = QStringLiteral("train/");
  o.classifier.algorithm =
      byName(settings, g + QStringLiteral("algorithm"), defaults.classifier.algorithm);
  o.classifier.weighting =
      byName(settings, g + QStringLiteral("weighting"), defaults.classifier.weighting);
  o.classifier.distanceWeighting = byName(settings, g + QStringLiteral("distanceWeighting"),
                                          defaults.classifier.distanceWeighting);
  o.window.blocks = byName(settings, g + QStringLiteral("blocks"), defaults.window.blocks);
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
  settings.setValue(QStringLiteral("algorithm"), label(o.classifier.algorithm));
  settings.setValue(QStringLiteral("weighting"), label(o.classifier.weighting));
  settings.setValue(QStringLiteral("distanceWeighting"), label(o.classifier.distanceWeighting));
  settings.setValue(QStringLiteral("blocks"), label(o.window.blocks));
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
