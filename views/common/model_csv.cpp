#include "common/model_csv.h"

#include <QAbstractItemModel>
#include <QSaveFile>
#include <QStringList>

namespace memlens::views {

namespace {

QString csvField(const QString& text) {
  const bool quote = text.contains(QLatin1Char(',')) || text.contains(QLatin1Char('"')) ||
                     text.contains(QLatin1Char('\n')) || text.contains(QLatin1Char('\r')) ||
                     text.startsWith(QLatin1Char(' ')) || text.endsWith(QLatin1Char(' '));
  if (!quote) return text;
  QString quoted = text;
  quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
  return QLatin1Char('"') + quoted + QLatin1Char('"');
}

}  // namespace

QString modelToCsv(const QAbstractItemModel& model) {
  const QString lineEnd = QStringLiteral("\r\n");
  QStringList fields;
  for (int column = 0; column < model.columnCount(); ++column) {
    fields.append(csvField(model.headerData(column, Qt::Horizontal).toString()));
  }
  QString csv = fields.join(QLatin1Char(',')) + lineEnd;
  for (int row = 0; row < model.rowCount(); ++row) {
    fields.clear();
    for (int column = 0; column < model.columnCount(); ++column) {
      fields.append(csvField(model.data(model.index(row, column)).toString()));
    }
    csv += fields.join(QLatin1Char(',')) + lineEnd;
  }
  return csv;
}

bool writeModelCsv(const QAbstractItemModel& model, const QString& path, QString* error) {
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly) || file.write(modelToCsv(model).toUtf8()) < 0 ||
      !file.commit()) {
    if (error) *error = file.errorString();
    return false;
  }
  return true;
}

}  // namespace memlens::views
