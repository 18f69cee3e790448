#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QtTest>

#include "cli_runner.h"
#include "small_experiment.h"

using memlens::test::runCli;
using memlens::test::runProgram;

// MemLens needs no network: it links no network library, and a whole CLI job (load, split, train,
// tune, evaluate, explain) gives the same answer in a network namespace with no interfaces up.
class TestNoNetwork : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void linksNoNetworkLibrary() {
    const auto ldd = runProgram(QStringLiteral("ldd"), {QStringLiteral(MEMLENS_CLI)});
    QCOMPARE(ldd.exitCode, 0);
    for (const char* library : {"libQt6Network", "libcurl", "libssl", "libgnutls"})
      QVERIFY2(!ldd.out.contains(library), library);
  }

  void runsWithoutNetwork() {
    const QString unshare = QStandardPaths::findExecutable(QStringLiteral("unshare"));
    if (unshare.isEmpty()) QSKIP("unshare (util-linux) is not installed");
    if (runProgram(unshare, {QStringLiteral("-n"), QStringLiteral("true")}).exitCode != 0)
      QSKIP("this machine does not allow a new network namespace (unshare -n needs root)");
    QTemporaryDir dir;
    const QString corpus = QString::fromStdString(
        memlens::test::writeFile(dir, "g.txt", memlens::test::smallGrammarCorpus()));
    const QStringList job = {QStringLiteral("eval"),
                             QStringLiteral("--model"),
                             QStringLiteral("ib1"),
                             QStringLiteral("--width"),
                             QStringLiteral("3"),
                             QStringLiteral("--json"),
                             corpus};
    const auto online = runCli(job);
    QCOMPARE(online.exitCode, 0);
    const auto offline =
        runProgram(unshare, QStringList{QStringLiteral("-n"), QStringLiteral(MEMLENS_CLI)} + job);
    QVERIFY2(offline.exitCode == 0, offline.err.constData());
    // Timings differ between runs; everything else is the same.
    auto metrics = [](const QByteArray& json) {
      const QJsonObject run = QJsonDocument::fromJson(json).object();
      return QJsonDocument(run.value(QStringLiteral("test")).toObject()).toJson();
    };
    QVERIFY(!metrics(online.out).isEmpty());
    QCOMPARE(metrics(offline.out), metrics(online.out));
  }
};

QTEST_GUILESS_MAIN(TestNoNetwork)
#include "tst_no_network.moc"
