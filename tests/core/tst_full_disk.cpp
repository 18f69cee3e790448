// A full disk while a project is written: on a 4 MB tmpfs mounted in a private mount namespace
// (needs root; skipped otherwise). Every failed write must say the disk is full and lose nothing
// that an earlier call committed.
#include <QtTest>

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "edit_fixture.h"
#include "memlens/project.h"
#include "project_fixture.h"

using namespace memlens;

namespace {

bool saysDiskFull(const Status& s) { return s.message().find("full") != std::string::npos; }

}  // namespace

class TestFullDisk : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() {
    // Before any thread exists: unshare(CLONE_NEWNS) refuses multi-threaded callers.
    if (geteuid() != 0 || unshare(CLONE_NEWNS) != 0)
      QSKIP("needs root and mount namespaces to mount a small tmpfs");
    QVERIFY(mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0);
    QVERIFY(mount_.isValid() && corpusDir_.isValid());
    const QByteArray where = QFile::encodeName(mount_.path());
    QVERIFY2(mount("tmpfs", where.constData(), "tmpfs", 0, "size=4m") == 0, std::strerror(errno));
    mounted_ = true;
    paths_ = test::writeMarkovCorpus(corpusDir_, 3, 300, 5);
  }

  void cleanupTestCase() {
    if (mounted_) umount2(QFile::encodeName(mount_.path()).constData(), MNT_DETACH);
  }

  void cleanup() { QFile::remove(fillerPath()); }

  // Edits are committed until the disk is full: the first that fails says so and leaves the
  // memory as it was; after space is freed the file opens with exactly the committed edits.
  void commitOnAFullDiskKeepsEveryCommittedEdit() {
    const std::string path = mount_.filePath("edits.memlens").toStdString();
    auto p = Project::create(path, paths_, test::ib1ProjectOptions());
    QVERIFY2(p.isOk(), p.status().message().c_str());
    Project& project = **p;
    const std::vector<uint64_t> sources = project.memory().instances().sources;
    auto first = project.preview({EditKind::kDeleteInstance, {}, sources[1], 0, 0, {}, ""});
    QVERIFY(project.commit(std::move(*first)).isOk());
    size_t committed = 1;
    fillDisk();
    Status failure;
    for (size_t i = 0; i < 200 && failure.isOk(); ++i) {
      // Pruning many instances at once makes journal entries of several pages.
      MemoryEdit edit{EditKind::kPrune, {}, 0, 0, 0, {}, "full-disk test"};
      for (size_t j = i; j < sources.size(); j += 7) edit.sources.push_back(sources[j]);
      auto preview = project.preview(edit);
      QVERIFY2(preview.isOk(), preview.status().message().c_str());
      const std::vector<uint32_t> before = test::probePredictions(project);
      failure = project.commit(std::move(*preview));
      if (failure.isOk()) {
        ++committed;
      } else {
        QCOMPARE(test::probePredictions(project), before);  // put back
      }
    }
    QVERIFY2(!failure.isOk(), "the disk never filled");
    QVERIFY2(saysDiskFull(failure), failure.message().c_str());
    qInfo("%zu edits committed, then: %s", committed, failure.message().c_str());
    const std::vector<uint32_t> kept = test::probePredictions(project);
    p = Result<std::unique_ptr<Project>>(Status::cancelled());  // close
    QFile::remove(fillerPath());
    auto back = Project::open(path);
    QVERIFY2(back.isOk(), back.status().message().c_str());
    QCOMPARE((*back)->memory().edits().size(), committed);
    QCOMPARE(test::probePredictions(**back), kept);
    QCOMPARE(*(*back)->store().integrityCheck(), std::string("ok"));
  }

  // Saving over a project on a full disk fails with a clear error; the old file is untouched
  // and no partial file stays beside it.
  void saveOnAFullDiskLeavesTheOldFile() {
    const std::string path = mount_.filePath("saved.memlens").toStdString();
    auto p = Project::create(path, paths_, test::ib1ProjectOptions());
    QVERIFY2(p.isOk(), p.status().message().c_str());
    Project::Contents contents{*(*p)->store().corpus(), (*p)->options(), {}, {}};
    const std::vector<uint32_t> unedited = test::probePredictions(**p);
    p = Result<std::unique_ptr<Project>>(Status::cancelled());
    // A large save: many edits and runs.
    const std::vector<uint64_t> sources = [&] {
      auto opened = Project::open(path);
      return (*opened)->memory().instances().sources;
    }();
    for (size_t i = 0; i < 400; ++i)
      contents.edits.active.push_back({EditKind::kDeleteInstance, {}, sources[i], 0, 0, {}, ""});
    contents.runs.assign(200, std::string(8000, 'x'));
    fillDisk();
    Status s = Project::save(path, contents);
    QVERIFY(!s.isOk());
    QVERIFY2(saysDiskFull(s), s.message().c_str());
    qInfo("save: %s", s.message().c_str());
    QVERIFY(!QFile::exists(QString::fromStdString(path + ".saving")));
    QFile::remove(fillerPath());
    auto back = Project::open(path);
    QVERIFY2(back.isOk(), back.status().message().c_str());
    QVERIFY((*back)->memory().edits().empty());
    QCOMPARE(test::probePredictions(**back), unedited);
  }

 private:
  QString fillerPath() const { return mount_.filePath(QStringLiteral("filler")); }

  // Writes until the file system refuses another byte.
  void fillDisk() {
    const int fd =
        ::open(QFile::encodeName(fillerPath()).constData(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    QVERIFY(fd >= 0);
    const std::vector<char> block(4096, 'f');
    while (::write(fd, block.data(), block.size()) > 0) {
    }
    ::close(fd);
  }

  QTemporaryDir mount_, corpusDir_;
  bool mounted_ = false;
  std::vector<std::string> paths_;
};

QTEST_APPLESS_MAIN(TestFullDisk)
#include "tst_full_disk.moc"
