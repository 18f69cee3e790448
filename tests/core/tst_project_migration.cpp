#include <QtTest>

#include <sqlite3.h>

#include "memlens/project.h"
#include "test_support.h"

using namespace memlens;

namespace {

// tests/fixtures/project_schema1: a project made by the memlens-cli of schema 1 (see its
// README), with its corpus; it names the corpus "corpus.txt", relative to where it is opened.
const QString kFixture = QStringLiteral(MEMLENS_TEST_DATA_DIR "/project_schema1");

int64_t schemaVersion(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* q = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, nullptr);
  const int64_t version = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
  sqlite3_finalize(q);
  sqlite3_close(db);
  return version;
}

void rawSql(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  QCOMPARE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
}

}  // namespace

class TestProjectMigration : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  QString home_;
  std::string path_;

 private Q_SLOTS:
  // A fresh copy of the fixture for every test, opened from its folder.
  void init() {
    home_ = QDir::currentPath();
    QVERIFY(dir_.isValid());
    for (const QString& name : {QStringLiteral("project.memlens"), QStringLiteral("corpus.txt")}) {
      QFile::remove(dir_.filePath(name));
      QVERIFY2(QFile::copy(kFixture + u'/' + name, dir_.filePath(name)), qPrintable(name));
      QFile(dir_.filePath(name)).setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }
    QVERIFY(QDir::setCurrent(dir_.path()));
    path_ = dir_.filePath(QStringLiteral("project.memlens")).toStdString();
    QCOMPARE(schemaVersion(path_), int64_t{1});
  }
  void cleanup() { QDir::setCurrent(home_); }

  void upgradesTheStoreInPlace() {
    {
      auto store = ProjectStore::open(path_);
      QVERIFY2(store.isOk(), store.status().message().c_str());
      // Options by name: what index 2 meant in schema 1, whatever the enums say now.
      const std::string text = **(*store)->setting("options");
      for (const char* line : {"algorithm=tribl2\n", "weighting=ig\n", "distance-weighting=ID\n",
                               "blocks=olifant\n", "tokeniser=word\n", "metric=overlap\n"})
        QVERIFY2(text.find(line) != std::string::npos, text.c_str());
      auto options = Project::readOptions(**store);
      QVERIFY2(options.isOk(), options.status().message().c_str());
      const ClassifierOptions& c = options->experiment.classifier;
      QCOMPARE(c.algorithm, Algorithm::kTribl2);
      QCOMPARE(c.k, 3);
      QCOMPARE(c.weighting, FeatureWeighting::kInfoGain);
      QCOMPARE(c.distanceWeighting, DistanceWeighting::kInverseDistance);
      QCOMPARE(c.metric, Metric::kOverlap);
      QCOMPARE(options->experiment.window.blocks, BlockMode::kOlifant);
      QCOMPARE(options->experiment.window.width, 3);
      QCOMPARE(options->experiment.split.trainFraction, 0.7);
      QCOMPARE(options->experiment.split.validationFraction, 0.15);
      QCOMPARE(options->tokeniser.kind, TokeniserKind::kWord);
      QCOMPARE(options->smoothingBeta, 30.0);
      QVERIFY(options->keepTrainedWeights);

      // Run 1 is memlens-cli's probe summary (from the pruning), run 2 a training run.
      auto runs = (*store)->runs();
      QVERIFY(runs.isOk());
      QCOMPARE(runs->size(), size_t{2});
      QCOMPARE((*runs)[0].kind, RunKind::kProbe);
      QCOMPARE((*runs)[1].kind, RunKind::kWindow);
      QVERIFY(RunRecord::fromJson((*runs)[1].record).isOk());
      QCOMPARE((*runs)[0].created, std::string("2026-12-03T06:03:26.252Z"));

      auto journal = (*store)->journal();
      QVERIFY(journal.isOk());
      QCOMPARE(journal->size(), size_t{3});
      const std::pair<const char*, bool> expected[] = {
          {"delete-instance", false}, {"relabel-vector", false}, {"prune", true}};
      for (size_t i = 0; i < 3; ++i) {
        QCOMPARE((*journal)[i].seq, int64_t(i + 1));
        QCOMPARE((*journal)[i].kind, std::string(expected[i].first));
        QCOMPARE((*journal)[i].undone, expected[i].second);
      }
      QCOMPARE((*journal)[0].payload, std::string("source=42\n"));
      QCOMPARE(*(*store)->integrityCheck(), std::string("ok"));
    }
    QCOMPARE(schemaVersion(path_), int64_t{ProjectStore::kSchemaVersion});
  }

  // The memory is rebuilt as the old code built it (its `project info`: 104 slots, 245
  // instances, 88 probe tokens), the undone pruning can be redone, and the upgraded file opens
  // again as it is.
  void opensAsAProject() {
    for (int open = 0; open < 2; ++open) {
      auto p = Project::open(path_);
      QVERIFY2(p.isOk(), p.status().message().c_str());
      const EditedMemory& memory = (*p)->memory();
      QCOMPARE(memory.classifier().memory().vectorCount(), 104u);
      QCOMPARE(memory.instances().size(), size_t{245});
      QCOMPARE(memory.probe().size(), size_t{88});
      QCOMPARE(memory.edits().size(), size_t{2});
      QCOMPARE(memory.undone().size(), size_t{1});
    }
    auto p = Project::open(path_);
    QVERIFY((*p)->redo().isOk());
    QCOMPARE((*p)->memory().classifier().memory().vectorCount(), 52u);
    QVERIFY((*p)->recordRun().isOk());
    QCOMPARE((*p)->store().runs()->back().kind, RunKind::kProbe);
  }

  // Schema 1 wrote numbers in the writer's locale: a GUI under a decimal-comma locale saved
  // "train=0,69999999999999996", which no version could read back. The upgrade repairs it.
  void repairsDecimalCommas() {
    rawSql(path_,
           "UPDATE settings SET value = replace(replace(value, 'train=0.69999999999999996', "
           "'train=0,69999999999999996'), 'validation=0.14999999999999999', "
           "'validation=0,14999999999999999') WHERE key = 'options'");
    auto p = Project::open(path_);
    QVERIFY2(p.isOk(), p.status().message().c_str());
    QCOMPARE((*p)->options().experiment.split.trainFraction, 0.7);
    QCOMPARE((*p)->options().experiment.split.validationFraction, 0.15);
  }

  // An index schema 1 never wrote is not guessed at: the options are reported unreadable.
  void leavesUnknownIndicesForTheReader() {
    rawSql(path_,
           "UPDATE settings SET value = replace(value, 'algorithm=2', 'algorithm=7') "
           "WHERE key = 'options'");
    auto p = Project::open(path_);
    QVERIFY(!p.isOk());
    QVERIFY2(p.status().message().find("bad value '7' for algorithm") != std::string::npos,
             p.status().message().c_str());
  }
};

QTEST_GUILESS_MAIN(TestProjectMigration)
#include "tst_project_migration.moc"
