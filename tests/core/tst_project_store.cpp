#include <QtTest>

#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>
#include <set>

#include "base/sha256.h"
#include "memlens/project_store.h"
#include "test_support.h"

using namespace memlens;
using memlens::test::readFile;
using memlens::test::writeFile;

namespace {

// Runs SQL on a raw connection, to forge files the store must refuse.
void rawSql(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  sqlite3_close(db);
}

// The store refuses `path` with a message holding `expected`, and leaves the file as it was.
void expectRefused(const std::string& path, const std::string& expected) {
  const std::string before = readFile(path);
  auto store = ProjectStore::open(path);
  QVERIFY(!store.isOk());
  QVERIFY2(store.status().message().find(expected) != std::string::npos,
           store.status().message().c_str());
  QCOMPARE(Sha256::of(readFile(path)), Sha256::of(before));
  QVERIFY(!QFile::exists(QString::fromStdString(path + "-wal")) ||
          QFileInfo(QString::fromStdString(path + "-wal")).size() == 0);
}

}  // namespace

class TestProjectStore : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void roundTripSurvivesReopen() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("p.memlens").toStdString();
    {
      auto store = ProjectStore::create(path);
      QVERIFY2(store.isOk(), store.status().message().c_str());
      QVERIFY((*store)->setSetting("model", "{\"algorithm\":\"ib1\"}").isOk());
      QVERIFY((*store)->setSetting("model", "{\"algorithm\":\"igtree\"}").isOk());
      std::vector<ProjectCorpusFile> files = {
          {"/data/a.txt", 3, Sha256::of("abc"), std::nullopt},
          {"/data/b.txt", 4, Sha256::of(std::string("b\0c\n", 4)), std::string("b\0c\n", 4)}};
      QVERIFY((*store)->setCorpus(files).isOk());
      QCOMPARE(*(*store)->appendJournal("delete", "{\"vector\":7}"), int64_t{1});
      QVERIFY((*store)->addRun("{\"accuracy\":0.5}").isOk());
    }
    QVERIFY(ProjectStore::create(path).status().message().find("already exists") !=
            std::string::npos);

    auto store = ProjectStore::open(path);
    QVERIFY2(store.isOk(), store.status().message().c_str());
    QCOMPARE(**(*store)->setting("model"), std::string("{\"algorithm\":\"igtree\"}"));
    QVERIFY(!(*(*store)->setting("missing")).has_value());
    auto corpus = (*store)->corpus(true);
    QCOMPARE(corpus->size(), size_t{2});
    QCOMPARE((*corpus)[0].path, std::string("/data/a.txt"));
    QVERIFY(!(*corpus)[0].text.has_value());
    QCOMPARE(*(*corpus)[1].text, std::string("b\0c\n", 4));
    QCOMPARE((*corpus)[1].sha256, Sha256::of(std::string("b\0c\n", 4)));
    auto journal = (*store)->journal();
    QCOMPARE(journal->size(), size_t{1});
    QCOMPARE((*journal)[0].kind, std::string("delete"));
    QVERIFY(!(*journal)[0].created.empty());
    QCOMPARE((*store)->runs()->front().record, std::string("{\"accuracy\":0.5}"));
    QCOMPARE(*(*store)->integrityCheck(), std::string("ok"));
  }

  void newEditDiscardsUndoneOnes() {
    QTemporaryDir dir;
    auto store = ProjectStore::create(dir.filePath("p.memlens").toStdString());
    for (const char* kind : {"a", "b", "c"}) QVERIFY((*store)->appendJournal(kind, "{}").isOk());
    QVERIFY((*store)->setUndone(3, true).isOk());
    QVERIFY((*store)->setUndone(2, true).isOk());
    QVERIFY((*store)->setUndone(2, false).isOk());  // redo
    QCOMPARE((*store)->setUndone(99, true).code(), Status::Code::kNotFound);
    QCOMPARE(*(*store)->appendJournal("d", "{}"), int64_t{4});
    std::vector<std::string> kinds;
    for (const JournalEntry& e : *(*store)->journal()) kinds.push_back(e.kind);
    QCOMPARE(kinds, (std::vector<std::string>{"a", "b", "d"}));
  }

  void migratesAnOlderSchema() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("old.memlens").toStdString();
    rawSql(path,
           "PRAGMA application_id=1296846419; PRAGMA user_version=0;"
           "CREATE TABLE unrelated(x)");
    auto store = ProjectStore::open(path);
    QVERIFY2(store.isOk(), store.status().message().c_str());
    QVERIFY((*store)->appendJournal("x", "{}").isOk());
    store = Result<std::unique_ptr<ProjectStore>>(Status::cancelled());  // close it
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_stmt* q = nullptr;
    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, nullptr);
    QCOMPARE(sqlite3_step(q), SQLITE_ROW);
    QCOMPARE(sqlite3_column_int(q, 0), ProjectStore::kSchemaVersion);
    sqlite3_finalize(q);
    sqlite3_close(db);
  }

  void refusesWhatItCannotRead() {
    QTemporaryDir dir;
    expectRefused(writeFile(dir, "text.memlens", "just some text, certainly not SQLite\n"),
                  "not a MemLens project");
    const std::string other = dir.filePath("other.db").toStdString();
    rawSql(other, "CREATE TABLE t(x); INSERT INTO t VALUES(1)");
    expectRefused(other, "not a MemLens project");
    const std::string newer = dir.filePath("newer.memlens").toStdString();
    rawSql(newer, "PRAGMA application_id=1296846419; PRAGMA user_version=99; CREATE TABLE t(x)");
    expectRefused(newer, "newer MemLens (project schema 99");
    const std::string negative = dir.filePath("negative.memlens").toStdString();
    rawSql(negative,
           "PRAGMA application_id=1296846419; PRAGMA user_version=-83886080; CREATE TABLE t(x)");
    expectRefused(negative, "schema version -83886080");
    // Stamped as schema 0 but already holding its tables: the upgrade fails, the file is kept.
    const std::string clash = dir.filePath("clash.memlens").toStdString();
    rawSql(clash, "PRAGMA application_id=1296846419; CREATE TABLE settings(x)");
    expectRefused(clash, "cannot upgrade the project from schema 0");
    QCOMPARE(ProjectStore::open(dir.filePath("none.memlens").toStdString()).status().code(),
             Status::Code::kNotFound);
  }

  void refusesDamagedFiles() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("p.memlens").toStdString();
    {
      auto store = ProjectStore::create(path);
      for (int i = 0; i < 200; ++i) {
        QVERIFY((*store)->appendJournal("edit", std::string(500, char('a' + i % 26))).isOk());
      }
    }
    const std::string good = readFile(path);
    QVERIFY(good.size() > 16 * 4096);
    // Garbage over the middle pages, and the file cut short.
    std::string damaged = good;
    for (size_t i = 4 * 4096; i < 8 * 4096; ++i) damaged[i] = char(i * 7);
    expectRefused(writeFile(dir, "damaged.memlens", damaged), "damaged");
    expectRefused(writeFile(dir, "cut.memlens", good.substr(0, good.size() / 2)),
                  "nothing was changed");
  }

  // A child appends journal entries as fast as it can and reports each committed seq; it is
  // killed with SIGKILL at random moments. Every reopen must be intact and hold every reported
  // edit.
  void survivesSigkillDuringWrites() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("crash.memlens").toStdString();
    QVERIFY(ProjectStore::create(path).isOk());
    std::mt19937 rng(5);
    std::set<int64_t> reported;
    for (int round = 0; round < 60; ++round) {
      int fds[2];
      QCOMPARE(::pipe(fds), 0);
      const pid_t child = ::fork();
      if (child == 0) {
        ::close(fds[0]);
        auto store = ProjectStore::open(path);
        if (!store) ::_exit(3);
        for (int i = 0;; ++i) {
          auto seq = (*store)->appendJournal("edit", "{\"round\":" + std::to_string(round) + "}");
          if (!seq) ::_exit(4);
          if (::write(fds[1], &*seq, sizeof(int64_t)) != sizeof(int64_t)) ::_exit(5);
        }
      }
      ::close(fds[1]);
      // Kill only once the child is writing, whatever the machine's load: after its first commit.
      int64_t seq;
      pollfd ready{fds[0], POLLIN, 0};
      const bool writing =
          ::poll(&ready, 1, 30000) == 1 && ::read(fds[0], &seq, sizeof seq) == sizeof seq;
      if (writing) {
        reported.insert(seq);
        ::usleep(rng() % 20000);
      }
      ::kill(child, SIGKILL);
      int status = 0;
      ::waitpid(child, &status, 0);
      QVERIFY2(writing, "the child made no edit within 30 s");
      QVERIFY2(WIFSIGNALED(status),
               qPrintable(QString("child exited with %1").arg(WEXITSTATUS(status))));
      while (::read(fds[0], &seq, sizeof seq) == sizeof seq) reported.insert(seq);
      ::close(fds[0]);

      auto store = ProjectStore::open(path);
      QVERIFY2(store.isOk(), store.status().message().c_str());
      QCOMPARE(*(*store)->integrityCheck(), std::string("ok"));
      std::set<int64_t> present;
      for (const JournalEntry& e : *(*store)->journal()) present.insert(e.seq);
      for (int64_t s : reported)
        QVERIFY2(present.count(s), qPrintable(QString("edit %1 lost").arg(s)));
    }
    QVERIFY(reported.size() >= 60);
  }
};

QTEST_GUILESS_MAIN(TestProjectStore)
#include "tst_project_store.moc"
