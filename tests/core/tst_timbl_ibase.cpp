// TiMBL instance bases (.ibase) and weights files (.wgt) against the real `timbl`: bases written
// by `timbl -I` and read by `memlens-cli timbl -i`, and the other way round, must predict what
// `timbl` itself predicts (≥ 99.9 % of 1,000 KJV test lines after 20,000 width-4 training
// instances, 100 % on a designed file with ties), for IB1, IGTree and TRIBL2, hashed or not, with
// or without +D, and with -w FILE weights; distributions and distances too where timbl prints
// them. Then bad files: each a clear error, never a crash.
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <map>
#include <string>
#include <vector>

#include "cli_runner.h"
#include "memlens/columns_file.h"
#include "memlens/timbl_instance_base.h"
#include "memlens/timbl_weights.h"
#include "timbl_oracle.h"

using memlens::test::runCli;
using memlens::test::runProgram;

namespace {

// What differs between two answers to one query (prediction and tree walk), or "" if nothing.
QString difference(const memlens::Prediction& a, const memlens::Prediction& b,
                   const memlens::TreePath& pa, const memlens::TreePath& pb) {
  if (a.classId != b.classId || a.distance != b.distance || a.instances != b.instances ||
      a.matchDepth != b.matchDepth || a.leaf != b.leaf)
    return "prediction";
  if (a.distribution.size() != b.distribution.size()) return "distribution size";
  for (size_t i = 0; i < a.distribution.size(); ++i)
    if (a.distribution[i].classId != b.distribution[i].classId ||
        a.distribution[i].weight != b.distribution[i].weight)
      return QString("distribution entry %1").arg(i);
  if (pa.depth != pb.depth || pa.answer != pb.answer || pa.steps.size() != pb.steps.size())
    return "tree walk";
  for (size_t i = 0; i < pa.steps.size(); ++i) {
    const memlens::TreeStep &x = pa.steps[i], &y = pb.steps[i];
    if (x.depth != y.depth || x.defaultClass != y.defaultClass || x.classes != y.classes ||
        x.instances != y.instances || x.tested != y.tested || x.feature != y.feature ||
        x.value != y.value || x.matched != y.matched)
      return QString("tree walk step %1").arg(i);
  }
  return {};
}

// The instance fields and predicted class of each output line (TiMBL's or ours).
std::vector<std::string> predictions(const std::string& outPath) {
  std::vector<std::string> heads;
  for (const std::string& line : oracle::readLines(outPath))
    heads.push_back(oracle::parse(line).head);
  return heads;
}

}  // namespace

class TimblIbaseTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  QString all_, train200_, train20_, test1_, designedTrain_, designedTest_;
  int runs_ = 0;

  QString path(const QString& name) const { return dir_.filePath(name); }

  static void run(const QString& program, const QStringList& args) {
    const auto r = runProgram(program, args);
    QVERIFY2(r.exitCode == 0, qPrintable(program + ' ' + args.join(' ') + ": " + r.err.left(2000)));
  }

  // timbl -f TRAIN -I/-W FILE: with nothing to test timbl exits with 1, so success is the file.
  static void timblWrites(const QStringList& args, const QString& file) {
    QFile::remove(file);
    const auto r = runProgram(QStringLiteral(MEMLENS_TIMBL), args);
    QVERIFY2(r.exitCode >= 0 && QFileInfo(file).size() > 0,
             qPrintable("timbl " + args.join(' ') + " wrote no " + file + ": " + r.err.left(2000)));
  }

  // timbl's own predictions for `algorithmArgs` (cached per configuration).
  std::map<QString, QString> references_;
  QString reference(const QString& train, const QString& test, const QStringList& args) {
    const QString key = train + '|' + test + '|' + args.join(' ');
    if (auto it = references_.find(key); it != references_.end()) return it->second;
    const QString out = path(QString("ref%1.out").arg(runs_++));
    run(QStringLiteral(MEMLENS_TIMBL), QStringList{"-f", train, "-t", test, "-o", out} + args);
    return references_[key] = out;
  }

  // With `fullLines`, distributions and distances must agree too.
  void expectSame(const QString& what, const QString& theirs, const QString& ours, double required,
                  bool fullLines) {
    const oracle::Comparison cmp =
        fullLines
            ? oracle::compare(oracle::readLines(theirs.toStdString()),
                              oracle::readLines(ours.toStdString()))
            : oracle::compare(predictions(theirs.toStdString()), predictions(ours.toStdString()));
    const QString msg = QString("%1: %2/%3 lines as timbl's (%4 %)%5")
                            .arg(what)
                            .arg(cmp.same)
                            .arg(cmp.lines)
                            .arg(100.0 * cmp.agreement(), 0, 'f', 3)
                            .arg(cmp.report);
    QVERIFY2(cmp.lines > 0, qPrintable(what + ": no output"));
    if (cmp.agreement() < 1.0) qInfo("%s", qPrintable(msg));
    QVERIFY2(cmp.agreement() >= required, qPrintable(msg));
  }

  // (a) timbl -I then memlens-cli timbl -i, (b) memlens-cli timbl -I then timbl -i: both as
  // timbl -f. `args`: algorithm options both programs take; `baseArgs`: +H/-H, +D/-D;
  // `readArgs`: options of the runs that classify (-w FILE:n).
  void roundTrips(const QString& train, const QString& test, const QStringList& args,
                  const QStringList& baseArgs, double required, QStringList readArgs = {}) {
    // Distributions and distances are compared too wherever timbl prints them: it refuses +v db
    // for an IGTree base without distributions.
    const bool igtree = args.contains("-a1");
    const bool fullLines = !(igtree && baseArgs.contains("-D"));
    QStringList refArgs = args + readArgs;
    if (fullLines) {
      readArgs << "+v"
               << "db+di";
      refArgs << "+v"
              << "db+di";
      // timbl also wants +D on the command line before it prints an IGTree's distributions.
      if (igtree) {
        readArgs << "+D";
        refArgs << "+D";
      }
    }
    const QString ref = reference(train, test, refArgs);
    const QString n = QString::number(runs_++);
    const QString theirBase = path("timbl" + n + ".ibase"), ourBase = path("ours" + n + ".ibase");
    const QString a = path("a" + n + ".out"), b = path("b" + n + ".out");
    const QString what = (args + baseArgs + readArgs).join(' ');
    timblWrites(QStringList{"-f", train, "-I", theirBase} + args + baseArgs, theirBase);
    run(QStringLiteral(MEMLENS_CLI),
        QStringList{"timbl", "-i", theirBase, "-t", test, "-o", a} + args + readArgs);
    expectSame("(a) timbl -I, memlens-cli timbl -i " + what, ref, a, required, fullLines);
    run(QStringLiteral(MEMLENS_CLI),
        QStringList{"timbl", "-f", train, "-I", ourBase} + args + baseArgs + readArgs);
    run(QStringLiteral(MEMLENS_TIMBL),
        QStringList{"-i", ourBase, "-t", test, "-o", b} + args + readArgs);
    expectSame("(b) memlens-cli timbl -I, timbl -i " + what, ref, b, required, fullLines);
  }

  static QStringList algorithmArgs(int algorithm) {
    QStringList args{QString("-a%1").arg(algorithm)};
    if (algorithm != 1) args << "-k3";
    return args;
  }

  std::string writeTimblBase(const QString& name, const QStringList& args) {
    const QString base = path(name);
    timblWrites(QStringList{"-f", train20_, "-I", base} + args, base);
    return base.toStdString();
  }

  static memlens::TimblBaseOptions optionsFor(memlens::Algorithm a) {
    memlens::TimblBaseOptions o;
    o.classifier.algorithm = a;
    return o;
  }

  static QByteArray readAll(const std::string& p) {
    QFile f(QString::fromStdString(p));
    if (!f.open(QIODevice::ReadOnly)) return {};
    return f.readAll();
  }
  void writeAll(const std::string& p, const QByteArray& bytes) {
    QFile f(QString::fromStdString(p));
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(bytes);
  }

  // Reading `bytes` as a base fails with a message containing `expected`.
  void expectError(const QByteArray& bytes, memlens::Algorithm a, const char* expected) {
    const std::string p = path(QString("bad%1.ibase").arg(runs_++)).toStdString();
    writeAll(p, bytes);
    memlens::Vocabulary vocab;
    auto read = memlens::readTimblInstanceBase(p, optionsFor(a), vocab);
    QVERIFY2(!read, expected);
    QVERIFY2(read.status().message().find(expected) != std::string::npos,
             read.status().message().c_str());
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    QVERIFY2(QFileInfo(QStringLiteral(MEMLENS_TIMBL)).isExecutable(), "timbl not found");
    QVERIFY2(QFileInfo(QStringLiteral(MEMLENS_DEMO_CORPUS)).exists(),
             "demo corpus missing: build the demo_corpus target");
    const QString all = path("kjv4.txt");
    run(QStringLiteral(MEMLENS_CLI),
        {"instances", "--width", "4", QStringLiteral(MEMLENS_DEMO_CORPUS), "-o", all});
    const auto lines = oracle::readLines(all.toStdString());
    QVERIFY(lines.size() > 600000);
    all_ = all;
    train200_ = path("kjv200k.train");
    oracle::writeLines(train200_.toStdString(), {lines.begin(), lines.begin() + 200000});
    train20_ = path("kjv20k.train");
    test1_ = path("kjv1k.test");
    oracle::writeLines(train20_.toStdString(), {lines.begin(), lines.begin() + 20000});
    oracle::writeLines(test1_.toStdString(), {lines.begin() + 500000, lines.begin() + 501000});
    // Ties everywhere: equal counts, equally distant neighbours, classes first seen in an order
    // that differs from their names' order.
    designedTrain_ = path("designed.train");
    designedTest_ = path("designed.test");
    oracle::writeLines(designedTrain_.toStdString(),
                       {"a b c Z", "a b d Y", "a b d Z", "e f c Y", "a f c X", "e b c X", "g h i X",
                        "g h i Y", "a h c Z", "e h d Y", "g b d X", "e f i Z"});
    oracle::writeLines(designedTest_.toStdString(),
                       {"a b c Z", "a b i Y", "e f d X", "g b c Z", "x y z X", "g h c Y", "a f i X",
                        "e b d Z", "a h i Y", "g f c X"});
  }

  void kjv_data() {
    QTest::addColumn<int>("algorithm");
    QTest::addColumn<QStringList>("baseArgs");
    for (int a : {0, 1, 4})
      for (const char* h : {"+H", "-H"})
        for (const char* d : {"+D", "-D"})
          QTest::addRow("a%d %s %s", a, h, d) << a << QStringList{h, d};
  }
  void kjv() {
    QFETCH(int, algorithm);
    QFETCH(QStringList, baseArgs);
    roundTrips(train20_, test1_, algorithmArgs(algorithm), baseArgs, 0.999);
  }

  void designed_data() { kjv_data(); }
  void designed() {
    QFETCH(int, algorithm);
    QFETCH(QStringList, baseArgs);
    roundTrips(designedTrain_, designedTest_, algorithmArgs(algorithm), baseArgs, 1.0);
  }

  // -w FILE:n, the weights `timbl -W` wrote (information gain, section 2), instead of those
  // computed on load; IGTree also reads its own BASE.wgt when no -w is given (above).
  void weightsFile_data() {
    QTest::addColumn<int>("algorithm");
    for (int a : {0, 1, 4}) QTest::addRow("a%d", a) << a;
  }
  void weightsFile() {
    QFETCH(int, algorithm);
    const QString wgt = path(QString("w%1.wgt").arg(runs_++));
    timblWrites({"-f", train20_, "-W", wgt}, wgt);
    roundTrips(train20_, test1_, algorithmArgs(algorithm), {"+H", "+D"}, 0.999, {"-w", wgt + ":2"});
  }

  // Weights that order the features unlike the stored tree (chi-square on a gain-ratio TRIBL2
  // base): timbl -i keeps the tree's permutation and only weighs distances anew; so do we.
  void weightsKeepStoredOrder() {
    const QString wgt = path("x2.wgt"), base = path("gr.ibase");
    timblWrites({"-f", train20_, "-W", wgt}, wgt);
    timblWrites({"-f", train20_, "-a4", "-k3", "-I", base}, base);
    const QStringList read = {"-i",  base, "-t",       test1_, "-a4",
                              "-k3", "-w", wgt + ":3", "+v",   "db+di"};
    const QString theirs = path("x2_timbl.out"), ours = path("x2_ours.out");
    run(QStringLiteral(MEMLENS_TIMBL), read + QStringList{"-o", theirs});
    run(QStringLiteral(MEMLENS_CLI), QStringList{"timbl"} + read + QStringList{"-o", ours});
    expectSame("timbl -i and memlens-cli timbl -i, -a4 -w FILE:3", theirs, ours, 0.999, true);
  }

  // memlens-cli timbl -W writes every weighting as timbl does (to rounding in the last digit).
  void writesWeights() {
    const QString theirs = path("theirs.wgt"), ours = path("ours.wgt");
    timblWrites({"-f", designedTrain_, "-W", theirs}, theirs);
    run(QStringLiteral(MEMLENS_CLI), {"timbl", "-f", designedTrain_, "-W", ours});
    QCOMPARE(readAll(ours.toStdString()).left(40), readAll(theirs.toStdString()).left(40));
    for (auto w : {memlens::FeatureWeighting::kNone, memlens::FeatureWeighting::kGainRatio,
                   memlens::FeatureWeighting::kInfoGain, memlens::FeatureWeighting::kChiSquare,
                   memlens::FeatureWeighting::kSharedVariance}) {
      auto a = memlens::readTimblWeights(theirs.toStdString(), w, 3);
      auto b = memlens::readTimblWeights(ours.toStdString(), w, 3);
      QVERIFY2(a && b, (a ? b : a).status().message().c_str());
      QCOMPARE(a->size(), size_t{3});
      for (size_t f = 0; f < 3; ++f) QVERIFY(oracle::close((*a)[f], (*b)[f], 1e-12));
    }
    auto wrongWidth =
        memlens::readTimblWeights(theirs.toStdString(), memlens::FeatureWeighting::kGainRatio, 4);
    QVERIFY(!wrongWidth);
    QVERIFY(wrongWidth.status().message().find("no weight for feature 4") != std::string::npos);
  }

  // A hashed base with more than 1 MB of tree is read by two parsers, each taking half of the
  // root's branches: the whole KJV as IGTree, 200,000 instances as TRIBL2. The answers are
  // timbl's, and a base cut in the later half is refused as one parser refuses it.
  void twoParsers_data() {
    QTest::addColumn<int>("algorithm");
    QTest::addColumn<QString>("distributions");
    for (int a : {1, 4})
      for (const char* d : {"+D", "-D"}) QTest::addRow("a%d %s", a, d) << a << QString(d);
  }
  void twoParsers() {
    QFETCH(int, algorithm);
    QFETCH(QString, distributions);
    const QString train = algorithm == 1 ? all_ : train200_;
    const QStringList args = algorithmArgs(algorithm);
    const QString base = path(QString("big%1.ibase").arg(runs_++));
    timblWrites(QStringList{"-f", train, "-I", base, "+H", distributions} + args, base);
    QVERIFY(QFileInfo(base).size() > 2 << 20);
    const QString ours = path(QString("big%1.out").arg(runs_++));
    run(QStringLiteral(MEMLENS_CLI),
        QStringList{"timbl", "-i", base, "-t", test1_, "-o", ours} + args);
    expectSame("two parsers, " + args.join(' ') + ' ' + distributions,
               reference(train, test1_, args), ours, 0.999, false);
    const QByteArray whole = readAll(base.toStdString());
    const std::string cut = path("bigcut.ibase").toStdString();
    writeAll(cut, whole.left(whole.size() * 3 / 4));
    const auto options =
        optionsFor(algorithm == 1 ? memlens::Algorithm::kIgTree : memlens::Algorithm::kTribl2);
    memlens::Vocabulary vocab;
    auto read = memlens::readTimblInstanceBase(cut, options, vocab);
    QVERIFY2(!read, "a base cut at three quarters was accepted");
    QVERIFY2(read.status().message().find("truncated") != std::string::npos,
             read.status().message().c_str());
    // Cancelled, both parsers stop (and the second is waited for).
    memlens::JobControl job;
    job.cancel();
    memlens::Vocabulary v2;
    auto stopped = memlens::readTimblInstanceBase(base.toStdString(), options, v2, &job);
    QVERIFY(!stopped);
    QVERIFY(stopped.status().isCancelled());
  }

  // An IGTree base read for known queries (as `timbl -i BASE -t TEST` is) is read only along
  // their paths: each query gets the answer, distribution and tree walk of the base read whole,
  // while instances that are not queries find subtrees left out.
  void readForQueries_data() {
    QTest::addColumn<QString>("distributions");
    for (const char* d : {"+D", "-D"}) QTest::addRow("%s", d) << QString(d);
  }
  void readForQueries() {
    QFETCH(QString, distributions);
    const std::string base =
        writeTimblBase(QString("q%1.ibase").arg(runs_++), {"-a1", "+H", distributions});
    // Training lines (paths to full depth), unseen ones, and one twice.
    std::vector<std::string> queryLines = oracle::readLines(test1_.toStdString());
    std::vector<std::string> otherLines;
    const auto train = oracle::readLines(train20_.toStdString());
    for (size_t i = 0; i < train.size(); i += 10)
      (i % 40 == 0 ? queryLines : otherLines).push_back(train[i]);
    queryLines.push_back(queryLines.front());
    const std::string queriesPath = path("queries.test").toStdString();
    const std::string othersPath = path("others.test").toStdString();
    oracle::writeLines(queriesPath, queryLines);
    oracle::writeLines(othersPath, otherLines);

    memlens::Vocabulary vocab;
    auto queries = memlens::readColumnsFile(queriesPath, vocab);
    QVERIFY2(queries, queries.status().message().c_str());
    auto options = optionsFor(memlens::Algorithm::kIgTree);
    options.queries = &*queries;
    auto partial = memlens::readTimblInstanceBase(base, options, vocab);
    QVERIFY2(partial, partial.status().message().c_str());
    auto others = memlens::readColumnsFile(othersPath, vocab);
    QVERIFY2(others, others.status().message().c_str());
    auto whole =
        memlens::readTimblInstanceBase(base, optionsFor(memlens::Algorithm::kIgTree), vocab);
    QVERIFY2(whole, whole.status().message().c_str());

    const auto a = (*partial)->predict(*queries), b = (*whole)->predict(*queries);
    QVERIFY(a && b);
    for (size_t i = 0; i < queries->size(); ++i) {
      const auto q = queries->instance(i);
      const QString diff =
          difference((*a)[i], (*b)[i], (*partial)->treePath(q), (*whole)->treePath(q));
      QVERIFY2(diff.isEmpty(), qPrintable(QString("query %1 (%2): %3 differs from the whole base's")
                                              .arg(i)
                                              .arg(QString::fromStdString(queryLines[i]))
                                              .arg(diff)));
    }
    size_t shallower = 0;
    for (size_t i = 0; i < others->size(); ++i) {
      const auto x = others->instance(i);
      if ((*partial)->treePath(x).depth < (*whole)->treePath(x).depth) ++shallower;
    }
    memlens::JobControl job;
    job.cancel();
    auto stopped = memlens::readTimblInstanceBase(base, options, vocab, &job);
    QVERIFY(!stopped);
    QVERIFY(stopped.status().isCancelled());
    QVERIFY2(shallower > others->size() / 2,
             qPrintable(QString("only %1 of %2 other instances end shallower in the partial read")
                            .arg(shallower)
                            .arg(others->size())));
  }

  // Every 4 KB prefix of a base (as a download cut short) is refused with a message.
  void truncated_data() {
    QTest::addColumn<int>("algorithm");
    QTest::addColumn<QString>("hashing");
    for (int a : {0, 1})
      for (const char* h : {"+H", "-H"}) QTest::addRow("a%d %s", a, h) << a << QString(h);
  }
  void truncated() {
    QFETCH(int, algorithm);
    QFETCH(QString, hashing);
    const auto alg = algorithm == 0 ? memlens::Algorithm::kIb1 : memlens::Algorithm::kIgTree;
    const QByteArray whole = readAll(writeTimblBase(
        QString("trunc%1.ibase").arg(runs_++), {QString("-a%1").arg(algorithm), hashing, "+D"}));
    QVERIFY(whole.size() > 8192);
    const std::string p = path("cut.ibase").toStdString();
    int refused = 0;
    for (qsizetype size = 0; size < whole.size(); size += 4096) {
      writeAll(p, whole.left(size));
      memlens::Vocabulary vocab;
      auto read = memlens::readTimblInstanceBase(p, optionsFor(alg), vocab);
      QVERIFY2(!read, qPrintable(QString("a base cut at %1 bytes was accepted").arg(size)));
      QVERIFY(!read.status().message().empty());
      ++refused;
    }
    qInfo("%d truncations refused", refused);
  }

  void badFiles() {
    const QByteArray hashed = readAll(writeTimblBase("bad_h.ibase", {"-a0", "+H"}));
    const QByteArray plain = readAll(writeTimblBase("bad_p.ibase", {"-a0", "-H"}));
    const QByteArray pruned = readAll(writeTimblBase("bad_ig.ibase", {"-a1", "+H"}));
    QVERIFY(!hashed.isEmpty() && !plain.isEmpty() && !pruned.isEmpty());
    using memlens::Algorithm;
    // Wrong headers.
    QByteArray v = hashed;
    v.replace("# Version 4", "# Version 3");
    expectError(v, Algorithm::kIb1, "version");
    expectError("just some text\n", Algorithm::kIb1, "not a TiMBL instance base");
    expectError(QByteArray("\x7f"
                           "ELF\0\0",
                           6),
                Algorithm::kIb1, "NUL byte");
    QByteArray perm = hashed;
    perm.replace("# Permutation: < ", "# Permutation: < 9, ");
    expectError(perm, Algorithm::kIb1, "permutation");
    // The wrong algorithm for the base.
    expectError(pruned, Algorithm::kIb1, "pruned");
    expectError(hashed, Algorithm::kIgTree, "complete");
    // Unknown class and value indices / names.
    const qsizetype tree = hashed.indexOf("\n(") + 1;
    QVERIFY(tree > 0);
    QByteArray cls = hashed;
    cls.replace(tree, hashed.indexOf('{', tree) - tree, "(99999");
    expectError(cls, Algorithm::kIb1, "unknown class index 99999");
    QByteArray val = hashed;
    const qsizetype firstValue = hashed.indexOf('[', tree) + 1;
    val.replace(firstValue, hashed.indexOf('(', firstValue) - firstValue, "99999");
    expectError(val, Algorithm::kIb1, "unknown feature value index 99999");
    QByteArray name = plain;
    const qsizetype dist = plain.indexOf("{ ", plain.indexOf("\n(") + 10);
    name.replace(dist, 2, "{ NoSuchClass ");
    expectError(name, Algorithm::kIb1, "unknown class 'NoSuchClass'");
    // A class named twice in a hashed base's table (found by fuzz_ibase: the pruned tree then
    // counted under a class index the memory did not have).
    QByteArray twice = pruned;
    const qsizetype classes = pruned.indexOf("Classes\n1\t") + 10;
    QVERIFY(classes > 10);
    const qsizetype second = pruned.indexOf("\n2\t", classes) + 3;
    QVERIFY(second > 3);
    twice.replace(second, pruned.indexOf('\n', second) - second,
                  pruned.mid(classes, pruned.indexOf('\n', classes) - classes));
    expectError(twice, Algorithm::kIgTree, "listed twice in the Classes table");
    // A count of 0 (found by fuzz_ibase: it was expanded as 2^32 - 1 instances).
    QByteArray zero = plain;
    const qsizetype leafCount = plain.indexOf(" 1 }");
    QVERIFY(leafCount > 0);
    zero.replace(leafCount, 4, " 0 }");
    expectError(zero, Algorithm::kIb1, "class count 0");
    // A flipped structural byte: the first branch list opener.
    QByteArray flipped = hashed;
    flipped[firstValue - 1] = static_cast<char>(flipped[firstValue - 1] ^ 0x20);
    expectError(flipped, Algorithm::kIb1, "line");
    // Any flipped byte: an error or a base, never a crash.
    for (qsizetype at = tree; at < hashed.size(); at += hashed.size() / 97) {
      QByteArray f = hashed;
      f[at] = static_cast<char>(f[at] ^ 0x5a);
      const std::string p = path("flip.ibase").toStdString();
      writeAll(p, f);
      memlens::Vocabulary vocab;
      auto read = memlens::readTimblInstanceBase(p, optionsFor(Algorithm::kIb1), vocab);
      if (!read) QVERIFY(!read.status().message().empty());
    }
  }

  // Numbers of every length read as themselves (up to 7 digits are read at once): a leaf's count
  // of 1 made N adds N - 1 instances; an unknown value index of 8 digits and a count of 20 digits
  // are the errors they are.
  void numbersOfEveryLength() {
    const QByteArray hashed = readAll(writeTimblBase("digits.ibase", {"-a0", "+H"}));
    const qsizetype leafCount = hashed.indexOf(" 1 })");  // a leaf's: no branches follow
    QVERIFY(leafCount > 0);
    const std::string p = path("digits_n.ibase").toStdString();
    uint64_t instances = 0;
    for (const char* n : {"1", "7", "45", "903", "2718", "31415", "271828", "1234567"}) {
      QByteArray b = hashed;
      b.replace(leafCount, 4, QByteArray(" ") + n + " }");
      writeAll(p, b);
      memlens::Vocabulary vocab;
      auto read = memlens::readTimblInstanceBase(p, optionsFor(memlens::Algorithm::kIb1), vocab);
      QVERIFY2(read, read.status().message().c_str());
      if (instances == 0) instances = (*read)->memory().instanceCount();
      QCOMPARE((*read)->memory().instanceCount(), instances - 1 + std::stoull(n));
    }
    QByteArray val = hashed;
    const qsizetype firstValue = hashed.indexOf('[', hashed.indexOf("\n(")) + 1;
    val.replace(firstValue, hashed.indexOf('(', firstValue) - firstValue, "12345678");
    expectError(val, memlens::Algorithm::kIb1, "unknown feature value index 12345678");
    QByteArray huge = hashed;
    huge.replace(leafCount, 4, " 12345678901234567890 }");
    expectError(huge, memlens::Algorithm::kIb1, "class count of more than 19 digits");
  }

  // timbl's flag rules: -i replaces -f; -w takes a weighting number or FILE[:n].
  void commandLine() {
    const QString base = QString::fromStdString(writeTimblBase("cli.ibase", {"-a0"}));
    const auto both = runCli({"timbl", "-i", base, "-f", train20_, "-t", test1_});
    QCOMPARE(both.exitCode, 2);
    QVERIFY2(both.err.contains("give -f TRAIN or -i BASE, not both"), both.err.constData());
    const auto noTest = runCli({"timbl", "-i", base});
    QCOMPARE(noTest.exitCode, 2);
    QVERIFY2(noTest.err.contains("-t TEST is required"), noTest.err.constData());
    const auto badSection = runCli({"timbl", "-i", base, "-t", test1_, "-w", base + ".wgt:7"});
    QCOMPARE(badSection.exitCode, 2);
    QVERIFY2(badSection.err.contains("n is a weighting 0..4"), badSection.err.constData());
    const auto missing = runCli({"timbl", "-i", base, "-t", test1_, "-w", path("none.wgt")});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains("none.wgt"), missing.err.constData());
    const auto pruned = runCli({"timbl", "-a1", "-i", base, "-t", test1_});
    QCOMPARE(pruned.exitCode, 2);
    QVERIFY2(pruned.err.contains("is a complete instance base, not valid for IGTree"),
             pruned.err.constData());
  }

  void cancelled() {
    const std::string base = writeTimblBase("cancel.ibase", {"-a0", "+H"});
    memlens::JobControl job;
    job.cancel();
    memlens::Vocabulary vocab;
    auto read =
        memlens::readTimblInstanceBase(base, optionsFor(memlens::Algorithm::kIb1), vocab, &job);
    QVERIFY(!read);
    QVERIFY(read.status().isCancelled());
    const std::string out = path("never.ibase").toStdString();
    memlens::Vocabulary v2;
    auto ok = memlens::readTimblInstanceBase(base, optionsFor(memlens::Algorithm::kIb1), v2);
    QVERIFY(ok);
    QVERIFY(!memlens::writeTimblInstanceBase(out, **ok, v2, {}, &job));
    QVERIFY(!QFileInfo::exists(QString::fromStdString(out)));
    QVERIFY(QDir(dir_.path()).entryList({"never.ibase*"}).isEmpty());
  }
};

QTEST_GUILESS_MAIN(TimblIbaseTest)
#include "tst_timbl_ibase.moc"
