#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "cli_runner.h"
#include "test_support.h"

using memlens::test::CliRun;
using memlens::test::runCli;
using memlens::test::writeFile;

// memlens-cli train / predict on small corpora whose memories are worked out by hand.
class TestCliTrain : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void trainDescribesTheMemory() {
    QTemporaryDir dir;
    // Width 2, line blocks: 9 tokens, so 9 instances.
    const auto path = writeFile(dir, "c.txt", "a b c\na b c\nx y z\n");
    const CliRun r =
        runCli({"train", "--model", "ib1", "--width", "2", "--json", QString::fromStdString(path)});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject o = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(o["instances"].toInt(), 9);
    // Distinct contexts: (_ _), (_ a), (a b), (_ x), (x y); "_ _" is shared by a and x.
    QCOMPARE(o["storedVectors"].toInt(), 5);
    QCOMPARE(o["classes"].toInt(), 6);  // a b c x y z
    QCOMPARE(o["featureWeights"].toArray().size(), 2);
    QCOMPARE(o["model"].toString(), QString("ib1"));
  }

  void predictNextToken() {
    QTemporaryDir dir;
    const auto path = writeFile(dir, "c.txt", "a b c\na b c\na b d\nq b d\n");
    // After "a b": two c against one d in the exact-match bucket.
    const CliRun r = runCli({"predict", "--model", "ib1", "--width", "2",
                             QString::fromStdString(path), "--context", "a b"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(QString::fromUtf8(r.out).trimmed(), QString("a b\tc\tc 2, d 1"));

    // From stdin, one line per context; "q b" was seen once, before d.
    const CliRun many = runCli({"predict", "--model", "ib1", "--width", "2", "--stdin", "--top",
                                "1", QString::fromStdString(path)},
                               "a b\nq b\n");
    QVERIFY2(many.exitCode == 0, many.err.constData());
    const QStringList lines = QString::fromUtf8(many.out).trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines[0], QString("a b\tc\tc 2"));
    QCOMPARE(lines[1], QString("q b\td\td 1"));
  }

  void predictNeedsAContext() {
    QTemporaryDir dir;
    const auto path = writeFile(dir, "c.txt", "a b c\n");
    const CliRun r = runCli({"predict", QString::fromStdString(path)});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains("--context"));
  }

  void trainRejectsEmptyCorpus() {
    QTemporaryDir dir;
    const auto path = writeFile(dir, "c.txt", "");
    const CliRun r = runCli({"train", QString::fromStdString(path)});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("c.txt"), r.err.constData());
  }
};

QTEST_GUILESS_MAIN(TestCliTrain)
#include "tst_cli_train.moc"
