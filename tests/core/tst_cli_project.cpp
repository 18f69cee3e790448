#include <QtTest>

#include "cli_runner.h"
#include "edit_fixture.h"
#include "memlens/project.h"

using namespace memlens;
using memlens::test::CliRun;
using memlens::test::runCli;

// memlens-cli project: create, edit with preview, prune, undo/redo and runs, checked against the
// core Project API on the same file.
class TestCliProject : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void editPruneUndoRedo() {
    QTemporaryDir dir;
    const auto paths = test::writeMarkovCorpus(dir, 2, 80, 9);
    const QString file = dir.filePath("p.memlens");
    CliRun r = runCli({"project", "create", file, "--model", "ib1", "--width", "3",
                       QString::fromStdString(paths[0]), QString::fromStdString(paths[1])});
    QVERIFY2(r.exitCode == 0, r.err.constData());

    // The CLI's preview lists what the core's preview lists, and commits nothing.
    uint64_t source = 0;
    size_t expectedChanges = 0;
    {
      auto p = Project::open(file.toStdString());
      QVERIFY2(p.isOk(), p.status().message().c_str());
      source = (*p)->memory().instances().sources[5];
      expectedChanges =
          (*p)->preview({EditKind::kRemoveDocument, {}, 0, 0, 0, {}, ""})->changed.size();
    }
    QVERIFY(expectedChanges > 0);
    r = runCli({"project", "edit", file, "--preview", "--remove-document", "0"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.out.contains(QByteArray("changing prediction: ") +
                            QByteArray::number(qulonglong(expectedChanges))),
             r.out.constData());
    QCOMPARE(r.out.count("\n  source "), qsizetype(expectedChanges));
    r = runCli({"project", "edit", file, "--delete-instance", QString::number(source)});
    QVERIFY2(r.exitCode == 0 && r.out.contains("committed"), r.err.constData());

    r = runCli({"project", "prune", file, "--strategy", "count", "--min-count", "2"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(r.out.startsWith("strategy\tslots\taccuracy\tperplexity\n"));
    QVERIFY(r.out.contains("count-threshold min-count=2\t"));

    QCOMPARE(runCli({"project", "undo", file}).exitCode, 0);
    r = runCli({"project", "info", file});
    QVERIFY(r.out.contains("delete-instance\n"));
    QVERIFY(r.out.contains("prune (count-threshold min-count=2) [undone]"));
    QCOMPARE(runCli({"project", "redo", file}).exitCode, 0);
    QVERIFY(!runCli({"project", "info", file}).out.contains("[undone]"));
    r = runCli({"project", "runs", file});
    QVERIFY(r.out.contains("\"weightsAfterEdits\":\"recomputed\""));
    {
      auto p = Project::open(file.toStdString());
      QCOMPARE((*p)->memory().edits().size(), size_t{2});
      QCOMPARE((*p)->memory().edits()[0].source, source);
    }
  }

  // --keep-weights is stored and reported; merge, cnn, igtree and prefix prune as the core plans
  // them (the slots after each pruning are the core's), one journal entry each, undone again.
  void keptWeightsAndNewStrategies() {
    QTemporaryDir dir;
    const auto paths = test::writeMarkovCorpus(dir, 2, 80, 9);
    const QString file = dir.filePath("p.memlens");
    CliRun r =
        runCli({"project", "create", file, "--model", "igtree", "--width", "3", "--keep-weights",
                QString::fromStdString(paths[0]), QString::fromStdString(paths[1])});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(r.out.contains("weights kept after edits"));
    QVERIFY(runCli({"project", "info", file}).out.contains("weights kept (the trained ones)"));
    for (auto [name, strategy] :
         {std::pair{"merge", PruneStrategy::kMerge}, std::pair{"cnn", PruneStrategy::kCondensed},
          std::pair{"igtree", PruneStrategy::kIgTreeCompression},
          std::pair{"prefix", PruneStrategy::kPrefix}}) {
      const bool prefix = strategy == PruneStrategy::kPrefix;
      uint32_t expectedSlots = 0;
      {
        auto p = Project::open(file.toStdString());
        QVERIFY2(p.isOk(), p.status().message().c_str());
        PruneOptions o{strategy};
        o.instances = prefix ? 100 : 0;
        auto preview = (*p)->preview(*planPrune((*p)->memory(), o));
        QVERIFY2(preview.isOk(), preview.status().message().c_str());
        expectedSlots = preview->slotsAfter;
      }
      QStringList args{"project", "prune", file, "--strategy", name};
      if (prefix)
        args << "--instances"
             << "100";
      r = runCli(args);
      QVERIFY2(r.exitCode == 0, r.err.constData());
      QVERIFY2(r.out.contains(" -> " + QByteArray::number(expectedSlots) + "\t"),
               r.out.constData());
      QVERIFY(runCli({"project", "info", file}).out.contains(name));
      QCOMPARE(runCli({"project", "undo", file}).exitCode, 0);
    }
    QVERIFY(runCli({"project", "runs", file}).out.contains("\"weightsAfterEdits\":\"kept\""));
  }

  void badInputIsAClearError() {
    QTemporaryDir dir;
    const QString file = dir.filePath("p.memlens");
    QCOMPARE(runCli({"project"}).exitCode, 2);
    QCOMPARE(runCli({"project", "frobnicate", file}).exitCode, 2);
    CliRun r = runCli({"project", "info", file});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.contains("no such project file"));
    const auto text = test::writeFile(dir, "not.memlens", "hello\n");
    r = runCli({"project", "info", QString::fromStdString(text)});
    QVERIFY(r.err.contains("not a MemLens project"));
    const auto paths = test::writeMarkovCorpus(dir, 1, 30, 2);
    QCOMPARE(runCli({"project", "create", file, "--width", "2", QString::fromStdString(paths[0])})
                 .exitCode,
             0);
    r = runCli({"project", "edit", file, "--relabel-instance", "3"});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains("needs --class"));
    r = runCli({"project", "edit", file, "--delete-vector", "w1 nonsense"});
    QVERIFY(r.err.contains("'nonsense' is not in the corpus vocabulary"));
    r = runCli({"project", "prune", file, "--strategy", "magic"});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains("--strategy: must be count, never-neighbour"));
  }
};

QTEST_GUILESS_MAIN(TestCliProject)
#include "tst_cli_project.moc"
