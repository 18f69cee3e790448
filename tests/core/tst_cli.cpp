#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

#include "cli_runner.h"
#include "test_support.h"

using memlens::test::kjvHead;
using memlens::test::readFile;
using memlens::test::writeFile;

using Run = memlens::test::CliRun;
using memlens::test::runProgram;

namespace {

Run cli(const QStringList& args) { return memlens::test::runCli(args); }

}  // namespace

class TestCli : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void corpusStatsJson() {
    QTemporaryDir dir;
    const auto path = writeFile(dir, "c.txt", "In the beginning, God.\n\nThe end\n");
    const Run r = cli({"corpus", "stats", "--json", QString::fromStdString(path)});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject o = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(o["documents"].toInt(), 1);
    QCOMPARE(o["lines"].toInt(), 3);
    QCOMPARE(o["emptyLines"].toInt(), 1);
    // In the beginning , God . The end
    QCOMPARE(o["tokens"].toInt(), 8);
    QCOMPARE(o["types"].toInt(), 8);
    const Run lower =
        cli({"corpus", "stats", "--json", "--lowercase", QString::fromStdString(path)});
    QCOMPARE(QJsonDocument::fromJson(lower.out).object()["types"].toInt(), 7);  // the = The
  }

  void instancesFile() {
    QTemporaryDir dir;
    const auto path = writeFile(dir, "c.txt", "God said: let\n\nit be\n");
    const QString out = dir.filePath("out.inst");
    const Run r = cli({"instances", "--width", "2", QString::fromStdString(path), "-o", out});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(readFile(out.toStdString()),
             std::string("_ _ God\n_ God said\nGod said :\nsaid : let\n_ _ it\n_ it be\n"));

    const Run olifant = cli(
        {"instances", "--width=2", "--blocks", "olifant", QString::fromStdString(path), "-o", out});
    QVERIFY2(olifant.exitCode == 0, olifant.err.constData());
    QCOMPARE(readFile(out.toStdString()), std::string("_ _ God\n_ God said\nGod said :\n_ _ it\n"));
  }

  void badCommandLines_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::newRow("no command") << QStringList{} << 2 << "Usage: memlens-cli";
    QTest::newRow("unknown command") << QStringList{"frobnicate"} << 2 << "unknown command";
    QTest::newRow("unknown option")
        << QStringList{"corpus", "stats", "--colour", "x"} << 2 << "unknown option --colour";
    QTest::newRow("width range") << QStringList{"instances", "--width", "40", "x", "-o", "y"} << 2
                                 << "--width: Value 40 not in range 1 to 32";
    QTest::newRow("missing value")
        << QStringList{"instances", "x", "-o"} << 2 << "--output: 1 required TEXT missing";
    QTest::newRow("unknown project command")
        << QStringList{"project", "frobnicate", "x"} << 2 << "unknown command 'frobnicate'";
    QTest::newRow("extra argument")
        << QStringList{"project", "info", "x", "y"} << 2 << "unexpected argument 'y'";
    // Enum words come from the core's one table per enum (memlens/option_names.h).
    QTest::newRow("bad model") << QStringList{"eval", "--model", "gpt", "x"} << 2
                               << "--model: must be ib1, igtree, tribl2 or vector, got 'gpt'";
    QTest::newRow("bad weighting") << QStringList{"train", "--weighting", "gain", "x"} << 2
                                   << "--weighting: must be none, gr, ig, x2 or sv, got 'gain'";
    QTest::newRow("bad distance weighting")
        << QStringList{"explain", "--distance-weighting", "z", "x", "--context", "a"} << 2
        << "--distance-weighting: must be Z, IL, ID or ED, got 'z'";
    QTest::newRow("bad blocks") << QStringList{"instances", "--blocks", "page", "x", "-o", "y"} << 2
                                << "--blocks: must be line or olifant, got 'page'";
    QTest::newRow("bad tokeniser") << QStringList{"corpus", "stats", "--tokeniser", "bpe", "x"} << 2
                                   << "--tokeniser: must be word, gpt2 or spaces, got 'bpe'";
    QTest::newRow("bad strategy") << QStringList{"project", "prune", "x", "--strategy", "magic"}
                                  << 2 << "--strategy: must be count, never-neighbour,";
    QTest::newRow("k range") << QStringList{"eval", "-k", "0", "x"} << 2
                             << "-k: Value 0 not in range 1 to 1000";
    QTest::newRow("not a number") << QStringList{"eval", "--order", "three", "x"} << 2 << "--order";
    QTest::newRow("nan") << QStringList{"eval", "--train", "nan", "x"} << 2
                         << "--train: Value nan is not a number";
    QTest::newRow("fraction range") << QStringList{"eval", "--validation", "1.5", "x"} << 2
                                    << "--validation: Value 1.5 not in range";
    QTest::newRow("top range") << QStringList{"predict", "--top", "0", "x", "--context", "a"} << 2
                               << "--top: Value 0 not in range 1 to 1000";
    QTest::newRow("prune k range")
        << QStringList{"project", "prune", "x", "--strategy", "wilson", "-k", "101"} << 2
        << "-k: Value 101 not in range 1 to 100";
    QTest::newRow("missing file") << QStringList{"corpus", "stats", "/no/such.txt"} << 1
                                  << "/no/such.txt: no such file";
    QTest::newRow("gpt2 without files")
        << QStringList{"corpus", "stats", "--tokeniser", "gpt2", "x"} << 2 << "--vocab";
  }
  void badCommandLines() {
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const Run r = cli(args);
    QCOMPARE(r.exitCode, exitCode);
    QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
  }

  void invalidUtf8IsReportedAndNothingWritten() {
    QTemporaryDir dir;
    const auto path = writeFile(dir, "bad.txt", "fine\nnot \xC3\x28 fine\n");
    const QString out = dir.filePath("out.inst");
    const Run r = cli({"instances", QString::fromStdString(path), "-o", out});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("bad.txt line 2, byte 4: invalid UTF-8"), r.err.constData());
    QVERIFY(!QFile::exists(out));
  }

  // Lines alternate so "one two" is always followed by "three"; the trace must say so and point
  // at the corpus lines that taught it.
  void explainJson() {
    QTemporaryDir dir;
    std::string text;
    for (int i = 0; i < 300; ++i) text += i % 2 ? "one two three four\n" : "red green blue\n";
    const auto path = writeFile(dir, "c.txt", text);
    const Run r = cli({"explain", "--model", "ib1", "--width", "2", "--json",
                       QString::fromStdString(path), "--context", "one two"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject o = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(o["prediction"].toString(), QStringLiteral("three"));
    QCOMPARE(o["context"].toArray().size(), 2);
    const QJsonArray buckets = o["buckets"].toArray();
    QVERIFY(!buckets.isEmpty());
    const QJsonObject nearest = buckets[0].toObject()["neighbours"].toArray()[0].toObject();
    QCOMPARE(buckets[0].toObject()["distance"].toDouble(), 0.0);
    QCOMPARE(nearest["matches"].toArray(), QJsonArray({true, true}));
    QVERIFY(nearest["instances"].toInt() > 100);  // ~80 % of 150 lines are training lines
    for (const QJsonValue& p : nearest["provenance"].toArray()) {
      QCOMPARE(p.toObject()["line"].toInt() % 2, 0);  // the "one two three four" lines
      QCOMPARE(p.toObject()["snippet"].toString(), QStringLiteral("one two three four"));
    }
    double total = 0.0;
    for (const QJsonValue& p : o["probabilities"].toArray()) total += p.toObject()["p"].toDouble();
    QVERIFY(total > 0.9 && total <= 1.0 + 1e-9);
  }

  // "one two" is always followed by "three": TRIBL2 matches both features; an unknown context
  // leaves IGTree at its root.
  void explainJsonShowsTheTreePath() {
    QTemporaryDir dir;
    std::string text;
    for (int i = 0; i < 300; ++i) text += i % 2 ? "one two three four\n" : "red green blue\n";
    const QString path = QString::fromStdString(writeFile(dir, "c.txt", text));
    const Run exact = cli(
        {"explain", "--model", "tribl2", "--width", "2", "--json", path, "--context", "one two"});
    QVERIFY2(exact.exitCode == 0, exact.err.constData());
    const QJsonObject tree = QJsonDocument::fromJson(exact.out).object()["treePath"].toObject();
    QCOMPARE(tree["answer"].toString(), QStringLiteral("exact-match"));
    QCOMPARE(tree["depth"].toInt(), 2);
    const QJsonArray steps = tree["steps"].toArray();
    QCOMPARE(steps.size(), 3);
    QStringList tested;
    for (int d = 0; d < 2; ++d) {
      QVERIFY(steps[d].toObject()["matched"].toBool());
      tested << steps[d].toObject()["value"].toString();
    }
    tested.sort();
    QCOMPARE(tested, QStringList({"one", "two"}));
    const QJsonObject leaf = steps[2].toObject();
    QVERIFY(!leaf["tested"].toBool());
    QCOMPARE(leaf["default"].toString(), QStringLiteral("three"));
    QCOMPARE(leaf["storedVectors"].toInt(), 1);

    const Run unknown = cli({"explain", "--model", "igtree", "--width", "2", "--json", path,
                             "--context", "zebra zebra"});
    QVERIFY2(unknown.exitCode == 0, unknown.err.constData());
    const QJsonObject root = QJsonDocument::fromJson(unknown.out).object()["treePath"].toObject();
    QCOMPARE(root["answer"].toString(), QStringLiteral("root-majority"));
    QCOMPARE(root["depth"].toInt(), 0);
    QCOMPARE(root["steps"].toArray().size(), 1);
    QCOMPARE(root["steps"].toArray()[0].toObject()["value"].toString(),
             QStringLiteral("<unknown>"));
    QVERIFY(!root["steps"].toArray()[0].toObject()["matched"].toBool());
  }

  void versionAndHelp() {
    QVERIFY(cli({"--version"}).out.startsWith("memlens-cli "));
    const Run help = cli({"--help"});
    QCOMPARE(help.exitCode, 0);
    for (const char* command : {"corpus", "instances", "eval", "explain", "generate", "train",
                                "predict", "project", "timbl"})
      QVERIFY2(help.out.contains(QByteArray("\n  ") + command + ' '), command);
    QCOMPARE(cli({"help"}).out, help.out);
    // What the man page is made from: every command's own help, nested ones included.
    const Run all = cli({"--help-all"});
    QCOMPARE(all.exitCode, 0);
    for (const char* command :
         {"corpus stats", "instances", "eval", "explain", "generate", "train", "predict",
          "project create", "project info", "project runs", "project undo", "project redo",
          "project edit", "project prune", "timbl"}) {
      QVERIFY2(all.out.count(QByteArray("Usage: memlens-cli ") + command + ' ') == 1, command);
      QVERIFY(all.out.contains(cli(QString(command).split(' ') + QStringList{"--help"}).out));
    }
  }

  // Every command's --help comes from its own definition: its usage line and its options.
  void commandHelp_data() {
    QTest::addColumn<QStringList>("command");
    QTest::addColumn<QStringList>("options");
    const QStringList corpus = {"--tokeniser word|gpt2|spaces=word", "--vocab", "--merges",
                                "--lowercase"};
    const QStringList eval = corpus + QStringList{"--width",
                                                  "--blocks line|olifant=line",
                                                  "--model ib1|igtree|tribl2|vector=igtree",
                                                  "-k",
                                                  "--weighting none|gr|ig|x2|sv=gr",
                                                  "--distance-weighting Z|IL|ID|ED=Z",
                                                  "--order",
                                                  "--train",
                                                  "--validation",
                                                  "--seed",
                                                  "--max-test",
                                                  "--dims",
                                                  "--top-k-slots",
                                                  "--temperature",
                                                  "--lambda"};
    QTest::newRow("corpus") << QStringList{"corpus"} << QStringList{"stats"};
    QTest::newRow("corpus stats") << QStringList{"corpus", "stats"}
                                  << corpus + QStringList{"--json"};
    QTest::newRow("instances") << QStringList{"instances"}
                               << corpus + QStringList{"--width", "--blocks", "-o,--output"};
    QTest::newRow("eval") << QStringList{"eval"} << eval + QStringList{"--curve", "--json"};
    QTest::newRow("explain") << QStringList{"explain"}
                             << eval + QStringList{"--context", "--sequence", "--json"};
    QTest::newRow("generate") << QStringList{"generate"}
                              << eval + QStringList{"--prompt", "--tokens", "--top-k",
                                                    "--sample-seed", "--json"};
    QTest::newRow("train") << QStringList{"train"} << eval + QStringList{"--json"};
    QTest::newRow("predict") << QStringList{"predict"}
                             << eval + QStringList{"--context", "--stdin", "--top"};
    QTest::newRow("project") << QStringList{"project"}
                             << QStringList{"create", "info", "runs", "undo",
                                            "redo",   "edit", "prune"};
    QTest::newRow("project create")
        << QStringList{"project", "create"} << eval + QStringList{"FILE", "--keep-weights"};
    QTest::newRow("project info") << QStringList{"project", "info"} << QStringList{"FILE"};
    QTest::newRow("project undo") << QStringList{"project", "undo"} << QStringList{"FILE"};
    QTest::newRow("project edit") << QStringList{"project", "edit"}
                                  << QStringList{"--delete-instance",  "--restore-instance",
                                                 "--relabel-instance", "--delete-vector",
                                                 "--restore-vector",   "--relabel-vector",
                                                 "--insert",           "--remove-document",
                                                 "--restore-document", "--class",
                                                 "--preview"};
    QTest::newRow("project prune")
        << QStringList{"project", "prune"} << QStringList{"--strategy count|never-neighbour|",
                                                          "--min-count",
                                                          "--keep",
                                                          "--seed",
                                                          "--document",
                                                          "-k"};
    QTest::newRow("timbl") << QStringList{"timbl"} << QStringList{"-a 0 IB1", "3 chi-square"};
  }
  void commandHelp() {
    QFETCH(QStringList, command);
    QFETCH(QStringList, options);
    const Run r = cli(command + QStringList{"--help"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(("Usage: memlens-cli " + command.join(' ')).toUtf8()),
             r.out.constData());
    for (const QString& option : options) {
      const QRegularExpression listed("\n +" + QRegularExpression::escape(option));
      QVERIFY2(QString::fromUtf8(r.out).contains(listed), qPrintable(option));
    }
    QCOMPARE(cli(command + QStringList{"-h"}).out, r.out);
    // Another command's options are not listed.
    QVERIFY(!r.out.contains("--keep-weights") || command.contains("create"));
  }

  // TiMBL must train and test on what we write, from the KJV demo corpus.
  void timblAcceptsKjvInstances() {
    const std::string kjv = kjvHead(3000);
    QVERIFY2(!kjv.empty(), "the KJV demo corpus is missing: build the demo_corpus target");
    QTemporaryDir dir;
    const auto sample = writeFile(dir, "kjv3000.txt", kjv);
    const QString inst = dir.filePath("kjv.inst");
    const Run r = cli({"instances", "--width", "4", QString::fromStdString(sample), "-o", inst});
    QVERIFY2(r.exitCode == 0, r.err.constData());

    const Run timbl = runProgram(
        QStringLiteral(MEMLENS_TIMBL),
        {"-f", inst, "-t", inst, "-F", "Columns", "-a1", "-o", dir.filePath("timbl.out")});
    QVERIFY2(timbl.exitCode == 0, timbl.err.constData());
    const QByteArray all = timbl.out + timbl.err;
    QVERIFY2(all.contains("overall accuracy:"), all.constData());
    const QList<QByteArray> ours =
        QByteArray::fromStdString(readFile(inst.toStdString())).split('\n');
    const QList<QByteArray> theirs =
        QByteArray::fromStdString(readFile(dir.filePath("timbl.out").toStdString())).split('\n');
    QCOMPARE(theirs.size(), ours.size());
    // timbl echoes each instance, then its prediction.
    QVERIFY(theirs[0].startsWith(ours[0] + ' '));
  }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
