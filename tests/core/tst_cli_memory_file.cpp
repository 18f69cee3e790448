// memlens-cli --save and --memory: a memory written by one command answers another exactly as
// the trained one did.
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "cli_runner.h"
#include "test_support.h"

using memlens::test::CliRun;
using memlens::test::kjvHead;
using memlens::test::runCli;
using memlens::test::writeFile;

namespace {

// A run record without the fields that time and date the run.
QJsonObject untimed(const QByteArray& json) {
  QJsonObject o = QJsonDocument::fromJson(json).object();
  o.remove("created");
  o.remove("seconds");
  o.remove("latencyMeanMicros");
  o.remove("latencyP99Micros");
  return o;
}

}  // namespace

class TestCliMemoryFile : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() {
    const std::string kjv = kjvHead(3000);
    QVERIFY2(!kjv.empty(), "the KJV demo corpus is missing: build the demo_corpus target");
    corpus_ = QString::fromStdString(writeFile(dir_, "kjv3000.txt", kjv));
  }

  void trainSaveThenEvalMemoryGivesTheSameMetrics() {
    const QString memory = dir_.filePath("train.mlm");
    const CliRun trained = runCli({"train", "--model", "tribl2", "--save", memory, corpus_});
    QVERIFY2(trained.exitCode == 0, trained.err.constData());
    const CliRun saved = runCli({"eval", "--model", "tribl2", "--json", corpus_});
    QVERIFY2(saved.exitCode == 0, saved.err.constData());
    const CliRun reopened = runCli({"eval", "--memory", memory, "--json"});
    QVERIFY2(reopened.exitCode == 0, reopened.err.constData());
    const QJsonObject a = untimed(saved.out), b = untimed(reopened.out);
    QVERIFY(!a.isEmpty());
    QCOMPARE(b["test"].toObject(), a["test"].toObject());
    QCOMPARE(b["baseAlone"].toObject(), a["baseAlone"].toObject());
    QCOMPARE(b, a);
  }

  void evalSaveThenEvalMemoryIsTheSameRecord() {
    const QString memory = dir_.filePath("eval.mlm");
    const CliRun saved =
        runCli({"eval", "--model", "ib1", "-k", "3", "--save", memory, "--json", corpus_});
    QVERIFY2(saved.exitCode == 0, saved.err.constData());
    const CliRun reopened = runCli({"eval", "--memory", memory, "--json"});
    QVERIFY2(reopened.exitCode == 0, reopened.err.constData());
    QCOMPARE(untimed(reopened.out), untimed(saved.out));
  }

  void explainFromMemoryIsTheSameTrace() {
    const QString memory = dir_.filePath("explain.mlm");
    QCOMPARE(runCli({"eval", "--model", "igtree", "--save", memory, corpus_}).exitCode, 0);
    const QString context = "And God said, Let there be";
    const CliRun trained =
        runCli({"explain", "--model", "igtree", "--json", "--context", context, corpus_});
    const CliRun reopened = runCli({"explain", "--memory", memory, "--json", "--context", context});
    QVERIFY2(reopened.exitCode == 0, reopened.err.constData());
    QCOMPARE(reopened.out, trained.out);
    const CliRun predicted = runCli({"predict", "--memory", memory, "--context", context});
    QVERIFY2(predicted.exitCode == 0, predicted.err.constData());
    QVERIFY(predicted.out.startsWith(context.toUtf8() + '\t'));
  }

  void optionsThatShapeTheMemoryAreRefused() {
    const QString memory = dir_.filePath("refuse.mlm");
    QCOMPARE(runCli({"eval", "--model", "igtree", "--save", memory, corpus_}).exitCode, 0);
    const QList<QStringList> refused = {
        {"eval", "--memory", memory, "--width", "3"},
        {"explain", "--memory", memory, "--model", "ib1", "--context", "a"},
        {"generate", "--memory", memory, "--prompt", "a", corpus_},
        {"predict", "--memory", memory, "--context", "a", "--lowercase"},
    };
    for (const QStringList& args : refused) {
      const CliRun r = runCli(args);
      QCOMPARE(r.exitCode, 2);
      QVERIFY2(r.err.contains("cannot be given with --memory"), r.err.constData());
    }
    const CliRun none = runCli({"eval", "--json"});
    QCOMPARE(none.exitCode, 2);
    QVERIFY2(none.err.contains("--memory FILE"), none.err.constData());
  }

  void verifyChecksEverySection() {
    const QString memory = dir_.filePath("verify.mlm");
    QCOMPARE(runCli({"train", "--model", "igtree", "--save", memory, corpus_}).exitCode, 0);
    const CliRun good = runCli({"verify", memory});
    QVERIFY2(good.exitCode == 0, good.err.constData());
    QVERIFY2(good.out.contains("every section and corpus file checks out"), good.out.constData());
    // A byte flipped in the middle: in a large section (token stream or instances), which opening
    // does not check.
    QFile file(memory);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QByteArray bytes = file.readAll();
    bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x10);
    file.seek(0);
    file.write(bytes);
    file.close();
    const CliRun bad = runCli({"verify", memory});
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.err.contains("is damaged: section") && bad.err.contains("fails its checksum"),
             bad.err.constData());
  }

  void damagedMemoryIsAnError() {
    const QString bad =
        QString::fromStdString(writeFile(dir_, "bad.mlm", std::string("MEMLENS\0short", 13)));
    const CliRun r = runCli({"eval", "--memory", bad});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("is damaged"), r.err.constData());
  }

 private:
  QTemporaryDir dir_;
  QString corpus_;
};

QTEST_GUILESS_MAIN(TestCliMemoryFile)
#include "tst_cli_memory_file.moc"
