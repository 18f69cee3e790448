// A TiMBL instance base opened as a memory (openTimblBase, `--memory x.ibase`): it answers as
// `timbl -i` does on the same test lines (IB1, IGTree, TRIBL2), has no provenance until its
// training text is attached, and then has the sources of a memory trained on that text; text
// that is not the base's training text is refused with the counts that differ.
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <string>
#include <vector>

#include "cli_runner.h"
#include "memlens/edited_memory.h"
#include "memlens/instance_builder.h"
#include "memlens/pruning.h"
#include "memlens/timbl_memory.h"
#include "memlens/trace.h"
#include "test_support.h"
#include "timbl_oracle.h"

using memlens::Algorithm;
using memlens::Experiment;
using memlens::InstanceBase;
using memlens::TimblMemoryOptions;
using memlens::test::kjvHead;
using memlens::test::runCli;
using memlens::test::runProgram;
using memlens::test::writeFile;

namespace {

std::string lastField(const std::string& line) { return line.substr(line.rfind(' ') + 1); }

std::string context(const std::string& instanceLine) {
  return instanceLine.substr(0, instanceLine.rfind(' '));
}

}  // namespace

class TimblMemoryTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::string trainText_, shortText_;
  std::vector<std::string> testLines_;
  // Per timbl -a flag: the base timbl wrote and its output on the test lines.
  std::string base_[5], out_[5];

  QString path(const char* name) const { return dir_.filePath(name); }

  static void run(const QString& program, const QStringList& args) {
    const auto r = runProgram(program, args);
    QVERIFY2(r.exitCode == 0, qPrintable(program + ' ' + args.join(' ') + ": " + r.err.left(2000)));
  }

  static QString modelOf(int a) { return a == 0 ? "ib1" : a == 1 ? "igtree" : "tribl2"; }

  std::shared_ptr<const Experiment> open(int a, std::vector<std::string> text = {}) {
    TimblMemoryOptions o;
    o.classifier.algorithm = a == 4 ? Algorithm::kTribl2 : Algorithm::kIb1;
    o.trainingText = std::move(text);
    auto e = memlens::openTimblBase(base_[a], o);
    if (!e) qWarning("%s", e.status().toString().c_str());
    return e ? *e : nullptr;
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    QVERIFY2(QFileInfo(QStringLiteral(MEMLENS_TIMBL)).isExecutable(), "timbl not found");
    const std::string kjv = kjvHead(450);
    QVERIFY2(!kjv.empty(), "the KJV demo corpus is missing: build the demo_corpus target");
    const std::string head = kjvHead(400);
    trainText_ = writeFile(dir_, "train.txt", head);
    shortText_ = writeFile(dir_, "short.txt", kjvHead(399));
    const std::string testText = writeFile(dir_, "test.txt", kjv.substr(head.size()));
    // The instances timbl trains and tests on: the text's own windows (pre-tokenised: spaces).
    for (const auto& [text, inst] : {std::pair{trainText_, "train.inst"}, {testText, "test.inst"}})
      run(QStringLiteral(MEMLENS_CLI), {"instances", "--tokeniser", "spaces", "--width", "4",
                                        QString::fromStdString(text), "-o", path(inst)});
    testLines_ = oracle::readLines(path("test.inst").toStdString());
    QVERIFY(testLines_.size() > 1000);
    for (int a : {0, 1, 4}) {
      base_[a] = path(qPrintable(QString("a%1.ibase").arg(a))).toStdString();
      out_[a] = path(qPrintable(QString("a%1.out").arg(a))).toStdString();
      run(QStringLiteral(MEMLENS_TIMBL),
          {QString("-a%1").arg(a), "-f", path("train.inst"), "-t", path("test.inst"), "-I",
           QString::fromStdString(base_[a]), "-o", QString::fromStdString(out_[a])});
    }
  }

  void predictAnswersAsTimbl_data() {
    QTest::addColumn<int>("a");
    QTest::newRow("-a0 IB1") << 0;
    QTest::newRow("-a1 IGTree") << 1;
    QTest::newRow("-a4 TRIBL2") << 4;
  }
  void predictAnswersAsTimbl() {
    QFETCH(int, a);
    QByteArray contexts;
    for (const std::string& line : testLines_) contexts.append(context(line) + "\n");
    const auto r = runCli(
        {"predict", "--memory", QString::fromStdString(base_[a]), "--model", modelOf(a), "--stdin"},
        contexts);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QList<QByteArray> ours = r.out.split('\n');
    const std::vector<std::string> theirs = oracle::readLines(out_[a]);
    QCOMPARE(theirs.size(), testLines_.size());
    QVERIFY(static_cast<size_t>(ours.size()) > theirs.size());
    for (size_t i = 0; i < theirs.size(); ++i) {
      const std::string predicted = ours[static_cast<qsizetype>(i)].split('\t').at(1).toStdString();
      QVERIFY2(predicted == lastField(theirs[i]),
               qPrintable(
                   QString("line %1: %2, timbl says %3")
                       .arg(i + 1)
                       .arg(QString::fromStdString(predicted), QString::fromStdString(theirs[i]))));
    }
  }

  void explainAnswersAsTimbl_data() { predictAnswersAsTimbl_data(); }
  void explainAnswersAsTimbl() {
    QFETCH(int, a);
    const std::vector<std::string> theirs = oracle::readLines(out_[a]);
    for (size_t i = 0; i < testLines_.size(); i += 97) {
      const auto r =
          runCli({"explain", "--memory", QString::fromStdString(base_[a]), "--model", modelOf(a),
                  "--context", QString::fromStdString(context(testLines_[i]))});
      QVERIFY2(r.exitCode == 0, r.err.constData());
      const QString expected = QString::fromStdString("prediction: " + lastField(theirs[i]) + " ");
      QVERIFY2(r.out.contains(expected.toUtf8()),
               qPrintable(QString::fromStdString(testLines_[i]) + " -> " + r.out.left(600)));
      QVERIFY(r.out.contains("note: no provenance"));
    }
  }

  void withoutTextThereIsNoProvenance() {
    auto e = open(0);
    QVERIFY(e);
    QVERIFY(!e->hasProvenance());
    QCOMPARE(e->corpus().corpus->documentCount(), size_t{0});
    QVERIFY(e->classifier().memory().vectorCount() > 0);
    QCOMPARE(e->train().size(), e->classifier().memory().instanceCount());
    QCOMPARE(e->test().size(), size_t{0});
    const auto tokens = e->corpus().encode("And God said");
    QVERIFY(tokens);
    const auto query = memlens::contextWindow(*tokens, 4, e->corpus().paddingId);
    const memlens::Trace t = memlens::traceContext(*e, query);
    QVERIFY(!t.buckets.empty());
    for (const auto& n : t.buckets.front().neighbours) {
      QVERIFY(n.instanceCount > 0);
      QVERIFY(n.provenance.empty());
    }
  }

  // Without provenance its stored vectors can still be listed, edited and pruned: sources then
  // number its instances.
  void withoutTextItPrunes() {
    auto e = open(0);
    QVERIFY(e);
    auto edited = memlens::EditedMemory::create(
        std::shared_ptr<const memlens::TokenisedCorpus>(e, &e->corpus()),
        std::shared_ptr<const memlens::InstanceSet>(e, &e->train()), e->test(),
        e->classifier().options(), std::shared_ptr<const memlens::Classifier>(e, &e->classifier()));
    QVERIFY2(edited, edited ? "" : edited.status().message().c_str());
    auto plan = memlens::planPrune(**edited, {});
    QVERIFY2(plan, plan ? "" : plan.status().message().c_str());
    auto preview = (*edited)->preview(*plan);
    QVERIFY(preview);
    QVERIFY((*edited)->commit(std::move(*preview)));
    const InstanceBase& pruned = (*edited)->classifier().memory();
    QVERIFY(pruned.vectorCount() < e->classifier().memory().vectorCount());
    for (uint32_t v = 0; v < pruned.vectorCount(); ++v) {
      uint64_t count = 0;
      for (const auto& c : pruned.distribution(v)) count += c.count;
      QVERIFY(count >= 2);
    }
  }

  // The attached memory's stored vectors carry exactly the sources of the same vectors in a
  // memory trained on the text here.
  void attachedTextGivesTheSourcesOfATrainedMemory_data() {
    QTest::addColumn<int>("a");
    QTest::newRow("-a0 IB1") << 0;
    QTest::newRow("-a4 TRIBL2") << 4;
  }
  void attachedTextGivesTheSourcesOfATrainedMemory() {
    QFETCH(int, a);
    auto e = open(a, {trainText_});
    QVERIFY(e);
    QVERIFY(e->hasProvenance());
    memlens::TokeniserOptions spaces;
    spaces.kind = memlens::TokeniserKind::kSpaces;
    auto corpus = memlens::TokenisedCorpus::load({trainText_}, spaces);
    QVERIFY(corpus);
    auto instances = memlens::buildInstances((*corpus)->tokens, (*corpus)->paddingId, {});
    QVERIFY(instances);
    memlens::ClassifierOptions co;
    co.algorithm = a == 4 ? Algorithm::kTribl2 : Algorithm::kIb1;
    auto trained = memlens::createClassifier(co);
    QVERIFY(trained);
    QVERIFY((*trained)->train(*instances));
    const InstanceBase& ours = e->classifier().memory();
    const InstanceBase& theirs = (*trained)->memory();
    QCOMPARE(ours.vectorCount(), theirs.vectorCount());
    QCOMPARE(ours.instanceCount(), theirs.instanceCount());
    for (uint32_t v = 0; v < ours.vectorCount(); ++v) {
      // Vocabulary ids agree: the base's strings were interned after the text's.
      const uint32_t w = theirs.find(ours.vector(v));
      QVERIFY(w != InstanceBase::kNone);
      std::vector<uint64_t> mine = ours.sources(v), other = theirs.sources(w);
      std::sort(mine.begin(), mine.end());
      std::sort(other.begin(), other.end());
      QVERIFY2(mine == other, qPrintable(QString("stored vector %1").arg(v)));
    }
    QCOMPARE(e->classifier().weights(), (*trained)->weights());
    // And the trace shows the text.
    const auto tokens = e->corpus().encode("And God said");
    QVERIFY(tokens);
    const memlens::Trace t =
        memlens::traceContext(*e, memlens::contextWindow(*tokens, 4, e->corpus().paddingId));
    QVERIFY(!t.buckets.empty() && !t.buckets.front().neighbours.empty());
    const auto& n = t.buckets.front().neighbours.front();
    QVERIFY(!n.provenance.empty());
    QCOMPARE(n.provenance.front().path, trainText_);
    QVERIFY(n.provenance.front().snippet.find("said") != std::string::npos);
  }

  void otherTextIsRefusedWithTheCountsThatDiffer() {
    TimblMemoryOptions o;
    o.trainingText = {shortText_};
    auto e = memlens::openTimblBase(base_[0], o);
    QVERIFY(!e);
    const std::string m = e.status().message();
    QVERIFY2(m.find("the text gives ") != std::string::npos, m.c_str());
    QVERIFY2(m.find(", the base holds ") != std::string::npos, m.c_str());
    QVERIFY2(m.find("not what the base was trained on") != std::string::npos, m.c_str());
    // The CLI says the same.
    const auto r = runCli({"explain", "--memory", QString::fromStdString(base_[0]), "--attach",
                           QString::fromStdString(shortText_), "--context", "And God said"});
    QCOMPARE(r.exitCode, 2);  // a bad argument
    QVERIFY2(r.err.contains("the base holds"), r.err.constData());
  }

  void anIgTreeBaseTakesNoText() {
    TimblMemoryOptions o;
    o.trainingText = {trainText_};
    auto e = memlens::openTimblBase(base_[1], o);
    QVERIFY(!e);
    QVERIFY2(e.status().message().find("pruned tree") != std::string::npos,
             e.status().message().c_str());
    auto plain = memlens::openTimblBase(base_[1]);
    QVERIFY(plain);
    QCOMPARE((*plain)->classifier().options().algorithm, Algorithm::kIgTree);
    QCOMPARE((*plain)->classifier().memory().vectorCount(), 0u);
  }

  void evalSaysPlainlyThatItNeedsATestSet() {
    const auto r = runCli({"eval", "--memory", QString::fromStdString(base_[0])});
    QVERIFY(r.exitCode != 0);
    QVERIFY2(r.err.contains("holds no test set"), r.err.constData());
    QVERIFY2(r.err.contains("--test"), r.err.constData());
  }

  // eval --memory BASE with a test set scores what timbl -i scores on the same lines: as a
  // windowed instance file, as text (windowed alike), and as text beside the attached training
  // text; with perplexity from the distributions.
  void evalOnATestSetScoresAsTimbl_data() {
    QTest::addColumn<int>("a");
    QTest::addColumn<QStringList>("test");
    const QString inst = path("test.inst"), text = path("test.txt");
    for (int a : {0, 1, 4}) {
      const QString m = modelOf(a);
      QTest::addRow("%s instances", qPrintable(m)) << a << QStringList{"--test-instances", inst};
      QTest::addRow("%s text", qPrintable(m)) << a << QStringList{"--test", text};
    }
    QTest::addRow("ib1 text beside attached text")
        << 0 << QStringList{"--attach", QString::fromStdString(trainText_), "--test", text};
    QTest::addRow("tribl2 text beside attached instances")
        << 4 << QStringList{"--attach-instances", path("train.inst"), "--test", text};
  }
  void evalOnATestSetScoresAsTimbl() {
    QFETCH(int, a);
    QFETCH(QStringList, test);
    const std::vector<std::string> theirs = oracle::readLines(out_[a]);
    uint64_t correct = 0;
    for (size_t i = 0; i < theirs.size(); ++i)
      correct += lastField(theirs[i]) == lastField(testLines_[i]) ? 1 : 0;
    const auto r = runCli(QStringList{"eval", "--memory", QString::fromStdString(base_[a]),
                                      "--model", modelOf(a), "--json"} +
                          test);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject scores = QJsonDocument::fromJson(r.out).object().value("test").toObject();
    QCOMPARE(scores.value("tokens").toInteger(), static_cast<qint64>(theirs.size()));
    QCOMPARE(qRound64(scores.value("accuracy").toDouble() * static_cast<double>(theirs.size())),
             static_cast<qint64>(correct));
    const double perplexity = scores.value("perplexity").toDouble();
    QVERIFY2(perplexity > 1.0 && std::isfinite(perplexity), r.out.left(400).constData());
  }

  void aTestInstanceFileOfAnotherWidthIsRefused() {
    const std::string narrow = writeFile(dir_, "narrow.inst", "In the beginning\n");
    const auto r = runCli({"eval", "--memory", QString::fromStdString(base_[0]), "--test-instances",
                           QString::fromStdString(narrow)});
    QCOMPARE(r.exitCode, 2);  // a bad argument
    QVERIFY2(r.err.contains("has 2 features, the base 4"), r.err.constData());
  }

  // The windowed instance file the base was trained on gives provenance by its lines: the
  // stored vectors carry the same instances as with the text, each naming its line of the file.
  void attachedInstancesGiveProvenanceByLine() {
    TimblMemoryOptions o;
    o.trainingInstances = path("train.inst").toStdString();
    auto e = memlens::openTimblBase(base_[0], o);
    QVERIFY2(e, e ? "" : e.status().message().c_str());
    QVERIFY((*e)->hasProvenance());
    auto byText = open(0, {trainText_});
    QVERIFY(byText);
    const InstanceBase& ours = (*e)->classifier().memory();
    QCOMPARE(ours.vectorCount(), byText->classifier().memory().vectorCount());
    QCOMPARE(ours.instanceCount(), byText->classifier().memory().instanceCount());
    const std::vector<std::string> lines = oracle::readLines(o.trainingInstances);
    const auto tokens = (*e)->corpus().encode("And God said");
    QVERIFY(tokens);
    const memlens::Trace t =
        memlens::traceContext(**e, memlens::contextWindow(*tokens, 4, (*e)->corpus().paddingId));
    QVERIFY(!t.buckets.empty() && !t.buckets.front().neighbours.empty());
    for (const auto& n : t.buckets.front().neighbours) {
      QVERIFY(!n.provenance.empty());
      for (const auto& p : n.provenance) {
        QCOMPARE(p.path, o.trainingInstances);
        QVERIFY(p.line >= 1 && p.line <= lines.size());
        // The line holds this stored vector's values, then a class it has.
        std::string values;
        for (uint32_t v : n.values) values.append((*e)->corpus().vocab.text(v)).append(" ");
        QVERIFY2(lines[p.line - 1].starts_with(values), lines[p.line - 1].c_str());
        QCOMPARE(p.snippet, lines[p.line - 1]);
        // Its target is the line's class, as a text's instance's is its next token.
        QCOMPARE((*e)->corpus().vocab.text((*e)->corpus().tokens.id(p.token)),
                 lastField(lines[p.line - 1]));
      }
    }
    // The CLI takes it too, and an instance file that is not the base's is refused.
    const auto r = runCli({"explain", "--memory", QString::fromStdString(base_[0]),
                           "--attach-instances", path("train.inst"), "--context", "And God said"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.out.contains("train.inst"), r.out.left(800).constData());
    TimblMemoryOptions other;
    other.trainingInstances = path("test.inst").toStdString();
    auto refused = memlens::openTimblBase(base_[0], other);
    QVERIFY(!refused);
    QVERIFY2(
        refused.status().message().find("attaching the training instances") != std::string::npos,
        refused.status().message().c_str());
  }

  void optionsAMemoryFileFixesAreRefused() {
    const auto r = runCli({"explain", "--memory", QString::fromStdString(base_[0]), "--width", "3",
                           "--context", "And God said"});
    QCOMPARE(r.exitCode, 2);  // a bad argument
    QVERIFY2(r.err.contains("--width cannot be given with --memory"), r.err.constData());
    const auto notBase = runCli({"explain", "--memory", path("train.inst"), "--context", "x"});
    QVERIFY(notBase.exitCode != 0);
  }
};

QTEST_GUILESS_MAIN(TimblMemoryTest)
#include "tst_timbl_memory.moc"
