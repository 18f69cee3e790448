#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "cli_runner.h"
#include "test_support.h"

using memlens::test::CliRun;
using memlens::test::runCli;
using memlens::test::writeFile;

// memlens-cli with --model vector: explain's attention map and eval's base-vs-memory report.
class TestCliVector : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  QString corpus_;

 private Q_SLOTS:
  void initTestCase() {
    // "one two" is always followed by "three"; the other lines give the word vectors something
    // to learn from.
    std::string text;
    const char* others[] = {"red green blue", "one red two blue", "green one blue two",
                            "two three four one"};
    for (int i = 0; i < 400; ++i)
      text += i % 2 ? "one two three four\n" : std::string(others[i / 2 % 4]) + "\n";
    corpus_ = QString::fromStdString(writeFile(dir_, "c.txt", text));
  }

  void explainPrintsTheAttentionMap() {
    const CliRun r = runCli({"explain", "--model", "vector", "--width", "2", "--dims", "4", corpus_,
                             "--context", "one two"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QStringList lines = QString::fromUtf8(r.out).split('\n');
    const auto header = std::find_if(
        lines.begin(), lines.end(), [](const QString& l) { return l.startsWith("attention map"); });
    QVERIFY2(header != lines.end(), r.out.constData());
    // Column titles name the context, then one row per slot: the nearest is the context itself,
    // every term 0 (its words are the query's own).
    const auto titles = std::find_if(
        header, lines.end(), [](const QString& l) { return l.trimmed().startsWith("slot"); });
    QVERIFY(titles != lines.end());
    QCOMPARE(titles->split(' ', Qt::SkipEmptyParts),
             QStringList({"slot", "one", "two", "sum", "alpha"}));
    const QStringList nearest = (titles + 1)->split(' ', Qt::SkipEmptyParts);
    QCOMPARE(nearest.size(), 7);  // #slot, one 0.00, two 0.00, sum, alpha
    QVERIFY(nearest[0].startsWith('#'));
    QCOMPARE(nearest.mid(1, 5), QStringList({"one", "0.00", "two", "0.00", "0.00"}));
    QVERIFY(r.out.contains("memory prediction: three"));
  }

  // --sequence: one row per token of the text; after "one two" the memory says "three".
  void explainSequenceMapsEveryToken() {
    const CliRun r = runCli({"explain", "--model", "vector", "--width", "2", "--dims", "4",
                             "--json", "--sequence", corpus_, "--context", "red one two three"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject o = QJsonDocument::fromJson(r.out).object();
    const QJsonArray rows = o["rows"].toArray();
    QCOMPARE(rows.size(), 4);
    QCOMPARE(rows[3].toObject()["token"].toString(), QStringLiteral("three"));
    QCOMPARE(rows[3].toObject()["memoryPrediction"].toString(), QStringLiteral("three"));
    const int columns = o["slots"].toArray().size();
    QVERIFY(columns > 0);
    for (const QJsonValue& row : rows) {
      double sum = 0.0;
      for (const QJsonValue& a : row.toObject()["attention"].toArray()) sum += a.toDouble();
      QCOMPARE(row.toObject()["attention"].toArray().size(), columns);
      QVERIFY(sum <= 1.0 + 1e-9);  // a share of each read's attention
    }
    const CliRun overlap =
        runCli({"explain", "--model", "ib1", "--sequence", corpus_, "--context", "one"});
    QCOMPARE(overlap.exitCode, 2);
    QVERIFY(overlap.err.contains("--sequence needs --model vector"));
  }

  void explainJsonIsConsistent() {
    const CliRun r = runCli({"explain", "--model", "vector", "--width", "2", "--dims", "4",
                             "--json", corpus_, "--context", "one two"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject o = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(o["memoryPrediction"].toString(), QStringLiteral("three"));
    const double lambda = o["lambda"].toDouble(), t = o["temperature"].toDouble();
    QVERIFY(lambda > 0.0 && lambda < 1.0);
    QVERIFY(t > 0.0);
    const QJsonArray slots = o["slots"].toArray();
    QVERIFY(!slots.isEmpty());
    const QJsonObject first = slots[0].toObject();
    QCOMPARE(first["values"].toArray(), QJsonArray({"one", "two"}));
    QCOMPARE(first["distance"].toDouble(), 0.0);
    double attention = 0.0;
    for (const QJsonValue& s : slots) {
      const QJsonObject slot = s.toObject();
      attention += slot["attention"].toDouble();
      double terms = 0.0;
      for (const QJsonValue& term : slot["terms"].toArray()) terms += term.toDouble();
      QVERIFY(std::abs(terms - slot["distance"].toDouble() / t) <
              1e-9);  // the map adds up to d / T
    }
    QVERIFY(std::abs(attention - 1.0) < 1e-9);
    for (const QJsonValue& v : o["outcomes"].toArray()) {
      const QJsonObject outcome = v.toObject();
      const double mixed =
          lambda * outcome["memory"].toDouble() + (1 - lambda) * outcome["base"].toDouble();
      QVERIFY(std::abs(outcome["final"].toDouble() - mixed) < 1e-9);
    }
  }

  void evalReportsBaseAndMemory() {
    const CliRun r = runCli({"eval", "--model", "vector", "--width", "2", "--dims", "4", "--lambda",
                             "0.3", "--temperature", "0.5", "--json", corpus_});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject o = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(o["model"].toObject()["algorithm"].toString(), QStringLiteral("vector"));
    QCOMPARE(o["model"].toObject()["vectorMemory"].toObject()["dimensions"].toInt(), 4);
    const QJsonObject smoothing = o["smoothing"].toObject();
    QCOMPARE(smoothing["lambda"].toDouble(), 0.3);
    QCOMPARE(smoothing["temperature"].toDouble(), 0.5);
    QCOMPARE(smoothing["lambdaTuned"].toBool(), false);
    QCOMPARE(o["baseAlone"].toObject()["tokens"].toInt(), o["test"].toObject()["tokens"].toInt());

    const CliRun text =
        runCli({"eval", "--model", "vector", "--width", "2", "--dims", "4", corpus_});
    QVERIFY2(text.exitCode == 0, text.err.constData());
    QVERIFY(text.out.contains("\nbase alone "));
    QVERIFY(text.out.contains("vector memory: 4-d PPMI-SVD keys"));

    const CliRun bad = runCli({"eval", "--model", "vector", "--lambda", "1", corpus_});
    QCOMPARE(bad.exitCode, 2);
  }
};

QTEST_GUILESS_MAIN(TestCliVector)
#include "tst_cli_vector.moc"
