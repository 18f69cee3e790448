#include <QFile>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTest>

#include "common/model_csv.h"

namespace {

// An RFC 4180 reader, independent of the writer: fields split on commas outside quotes, records
// on CRLF outside quotes, "" inside quotes is one quote.
QList<QStringList> parseCsv(const QString& csv) {
  QList<QStringList> records;
  QStringList record;
  QString field;
  bool quoted = false;
  for (qsizetype i = 0; i < csv.size(); ++i) {
    const QChar c = csv[i];
    if (quoted) {
      if (c == QLatin1Char('"') && i + 1 < csv.size() && csv[i + 1] == QLatin1Char('"')) {
        field += c;
        ++i;
      } else if (c == QLatin1Char('"')) {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == QLatin1Char('"')) {
      quoted = true;
    } else if (c == QLatin1Char(',')) {
      record.append(field);
      field.clear();
    } else if (c == QLatin1Char('\r') && i + 1 < csv.size() && csv[i + 1] == QLatin1Char('\n')) {
      record.append(field);
      records.append(record);
      record.clear();
      field.clear();
      ++i;
    } else {
      field += c;
    }
  }
  return records;
}

}  // namespace

class TestModelCsv : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  // Commas, quotes, line breaks, edge spaces and non-ASCII text come back cell for cell.
  void writesWhatParsesBack() {
    const QStringList header = {QStringLiteral("Token"), QStringLiteral("p, smoothed"),
                                QStringLiteral("Note")};
    const QList<QStringList> rows = {
        {QStringLiteral("plain"), QStringLiteral("0.25"), QString()},
        {QStringLiteral("a,b"), QStringLiteral("say \"hi\""), QStringLiteral("line 1\nline 2")},
        {QStringLiteral(" lead"), QStringLiteral("trail "), QStringLiteral("crlf\r\ninside")},
        {QStringLiteral("\"\""), QStringLiteral("Æsir — λ"), QStringLiteral(",")},
    };
    QStandardItemModel model(int(rows.size()), int(header.size()));
    model.setHorizontalHeaderLabels(header);
    for (int r = 0; r < rows.size(); ++r) {
      for (int c = 0; c < header.size(); ++c) model.setItem(r, c, new QStandardItem(rows[r][c]));
    }

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("t.csv"));
    QString error;
    QVERIFY2(memlens::views::writeModelCsv(model, path, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString csv = QString::fromUtf8(file.readAll());
    QVERIFY(csv.endsWith(QStringLiteral("\r\n")));
    const QList<QStringList> parsed = parseCsv(csv);
    QCOMPARE(parsed.size(), rows.size() + 1);
    QCOMPARE(parsed[0], header);
    for (int r = 0; r < rows.size(); ++r) QCOMPARE(parsed[r + 1], rows[r]);
    // Cells that need no quotes get none.
    QVERIFY(csv.startsWith(QStringLiteral("Token,\"p, smoothed\",Note\r\nplain,0.25,\r\n")));
  }

  void reportsAnUnwritablePath() {
    QStandardItemModel model(1, 1);
    QString error;
    QVERIFY(
        !memlens::views::writeModelCsv(model, QStringLiteral("/nonexistent-dir/t.csv"), &error));
    QVERIFY(!error.isEmpty());
  }
};

QTEST_MAIN(TestModelCsv)
#include "tst_model_csv.moc"
