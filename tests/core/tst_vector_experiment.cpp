#include <QtTest>

#include <cmath>
#include <random>

#include "memlens/data_split.h"
#include "memlens/experiment.h"
#include "memlens/trace.h"
#include "memlens/vector_trace.h"
#include "test_support.h"

using namespace memlens;
using memlens::test::writeFile;

namespace {

constexpr int kLines = 2400;

// "H x y z T(H) end": the token T(H) depends on the word four back, which a trigram cannot see
// and a width-4 memory can. Line 0 lists every word, so two corpora from these lines have the
// same vocabulary in the same order.
std::vector<std::string> makeLines(uint32_t seed) {
  const char* heads[] = {"alpha", "beta", "gamma", "delta", "omega", "sigma", "kappa", "theta"};
  const char* tails[] = {"apple", "bread", "grape", "dates", "olive", "salt", "kale", "tea"};
  const char* fillers[] = {"the", "a", "old", "new", "big", "red", "wet", "dry", "and", "of"};
  std::string all;
  for (const char* w : heads) all += std::string(w) + " ";
  for (const char* w : tails) all += std::string(w) + " ";
  for (const char* w : fillers) all += std::string(w) + " ";
  std::vector<std::string> lines = {all + "end"};
  std::mt19937 rng(seed);
  for (int i = 1; i < kLines; ++i) {
    const size_t h = rng() % 8;
    std::string line = heads[h];
    for (int f = 0; f < 3; ++f) line += std::string(" ") + fillers[rng() % 10];
    lines.push_back(line + " " + tails[h] + " end");
  }
  return lines;
}

std::string join(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& l : lines) text += l + "\n";
  return text;
}

ExperimentOptions vectorOptions(uint64_t seed) {
  ExperimentOptions o;
  o.classifier.algorithm = Algorithm::kVectorMemory;
  o.classifier.wordVectors.dimensions = 8;
  o.split.seed = seed;
  return o;
}

// A split seed that puts line 0 (the vocabulary line) into train.
uint64_t seedKeepingLine0InTrain(const TokenisedCorpus& corpus) {
  for (uint64_t seed = 1;; ++seed) {
    auto split = DataSplit::make({0.8, 0.1, seed});
    if (split->partOfLine(corpus.tokens, 0) == SplitPart::kTrain) return seed;
  }
}

}  // namespace

class TestVectorExperiment : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;

  std::shared_ptr<const TokenisedCorpus> load(const std::string& name, const std::string& text) {
    auto corpus = TokenisedCorpus::load({writeFile(dir_, name, text)}, {});
    if (!corpus) qFatal("%s", corpus.status().message().c_str());
    return std::move(*corpus);
  }

 private Q_SLOTS:
  // T and λ come from validation: two corpora that differ only in their test lines get the same
  // T, λ and tuning tokens, while their test results differ.
  void tuningUsesValidationOnly() {
    const std::vector<std::string> a = makeLines(1), other = makeLines(2);
    const auto corpusA = load("a.txt", join(a));
    const uint64_t seed = seedKeepingLine0InTrain(*corpusA);
    auto split = DataSplit::make({0.8, 0.1, seed});
    std::vector<std::string> b = a;
    int replaced = 0;
    for (size_t l = 1; l < b.size(); ++l) {
      if (split->partOfLine(corpusA->tokens, l) == SplitPart::kTest && b[l] != other[l]) {
        b[l] = other[l];
        ++replaced;
      }
    }
    QVERIFY(replaced > 50);
    const auto corpusB = load("b.txt", join(b));
    QCOMPARE(corpusB->vocab.size(), corpusA->vocab.size());

    auto runA = Experiment::run(corpusA, vectorOptions(seed));
    auto runB = Experiment::run(corpusB, vectorOptions(seed));
    QVERIFY2(runA.isOk(), runA.status().message().c_str());
    QVERIFY2(runB.isOk(), runB.status().message().c_str());
    const RunRecord& ra = (*runA)->record();
    const RunRecord& rb = (*runB)->record();
    QVERIFY(ra.tuningTokens > 100);
    QCOMPARE(rb.tuningTokens, ra.tuningTokens);
    QCOMPARE(rb.memoryTemperature, ra.memoryTemperature);
    QCOMPARE(rb.memoryLambda, ra.memoryLambda);
    QVERIFY(ra.test.log2ProbabilitySum != rb.test.log2ProbabilitySum);  // the test sets differ
  }

  // The base-alone metrics are those of the Kneser-Ney model queried directly (dense
  // distribution), and the memory beats the trigram where the next token depends on the word
  // four back; no test token gets probability 0.
  void baseAloneIsTheKneserNeyModelAndMemoryHelps() {
    auto e = Experiment::run(load("c.txt", join(makeLines(3))), vectorOptions(1));
    QVERIFY2(e.isOk(), e.status().message().c_str());
    const Experiment& x = **e;
    const InstanceSet& test = x.test();
    std::vector<double> dense;
    double log2Sum = 0.0;
    uint64_t top1 = 0, top5 = 0;
    for (size_t i = 0; i < test.size(); ++i) {
      x.base().distribution(test.instance(i), dense);
      const double truth = dense[std::min<size_t>(test.classes[i], dense.size() - 1)];
      QVERIFY(truth > 0.0);
      log2Sum += std::log2(truth);
      const auto above =
          std::count_if(dense.begin(), dense.end(), [&](double p) { return p > truth; });
      top1 += above == 0;
      top5 += above < 5;
    }
    const Metrics& base = x.record().baseTest;
    QCOMPARE(base.tokens, uint64_t{test.size()});
    QCOMPARE(base.correct, top1);
    QCOMPARE(base.inTop5, top5);
    QVERIFY(std::abs(base.log2ProbabilitySum - log2Sum) < 1e-6 * std::abs(log2Sum));

    for (const TokenRecord& r : x.report().tokens) QVERIFY(r.probability > 0.0);
    const RunRecord& r = x.record();
    QVERIFY(r.memoryLambda > 0.0 && r.memoryLambda < 1.0);
    QVERIFY(r.memoryTemperature > 0.0);
    QVERIFY2(r.test.perplexity() < 0.9 * r.baseTest.perplexity(),
             qPrintable(QStringLiteral("memory %1 vs base %2")
                            .arg(r.test.perplexity())
                            .arg(r.baseTest.perplexity())));
    QVERIFY(x.vectorMemory() != nullptr);
    QVERIFY(r.toJson().find("\"baseAlone\":{") != std::string::npos);
  }

  void givenTemperatureAndLambdaAreKept() {
    ExperimentOptions o = vectorOptions(1);
    o.memoryTemperature = 0.25;
    o.memoryLambda = 0.3;
    auto e = Experiment::run(load("d.txt", join(makeLines(4))), o);
    QVERIFY2(e.isOk(), e.status().message().c_str());
    const RunRecord& r = (*e)->record();
    QCOMPARE(r.memoryTemperature, 0.25);
    QCOMPARE(r.memoryLambda, 0.3);
    QCOMPARE(r.tuningTokens, uint64_t{0});
    QCOMPARE((*e)->vectorMemory()->options().temperature, 0.25);
    QVERIFY(r.smoothing.find("fixed lambda = 0.3") != std::string::npos);
    const std::string json = r.toJson();
    QVERIFY(json.find("\"temperatureTuned\":false") != std::string::npos);
    QVERIFY(json.find("\"lambdaTuned\":false") != std::string::npos);

    o.memoryLambda = 1.0;  // would leave the base no share: a true token could get 0
    QCOMPARE(Experiment::run(load("e.txt", join(makeLines(4))), o).status().code(),
             Status::Code::kInvalidArgument);
  }

  void learningCurveTunesAtEveryPrefix() {
    auto e = Experiment::run(load("f.txt", join(makeLines(5))), vectorOptions(1));
    QVERIFY2(e.isOk(), e.status().message().c_str());
    auto curve = learningCurve(**e);
    QVERIFY2(curve.isOk(), curve.status().message().c_str());
    QVERIFY(curve->size() >= 2);
    QVERIFY(curve->front().metrics.perplexity() > curve->back().metrics.perplexity());
  }

  // The tokens × slots map over a sequence agrees with tracing each token's context on its own:
  // every cell is that slot's α in the token's own trace (0 when not read), the rows keep the
  // memory's predictions, and no slot left out had more attention in total than a column.
  void sequenceAttentionAgreesWithPerTokenTraces() {
    auto e = Experiment::run(load("g.txt", join(makeLines(6))), vectorOptions(1));
    QVERIFY2(e.isOk(), e.status().message().c_str());
    const Experiment& x = **e;
    auto tokens = x.corpus().encode("gamma old new red grape end beta");
    QVERIFY(tokens.isOk());
    auto map = traceVectorSequence(x, *tokens, 6);
    QVERIFY2(map.isOk(), map.status().message().c_str());
    QCOMPARE(map->tokens.size(), tokens->size());
    QCOMPARE(map->slots.size(), size_t{6});
    QCOMPARE(map->values.size(), size_t{6});
    QCOMPARE(map->counts.size(), size_t{6});
    std::map<uint32_t, double> total;
    for (size_t r = 0; r < tokens->size(); ++r) {
      const auto context = contextWindow(std::span(*tokens).first(r), 4, x.corpus().paddingId);
      auto trace = traceVectorMemory(x, context);
      QVERIFY(trace.isOk());
      QCOMPARE(map->predictions[r], trace->memoryPrediction);
      for (const VectorSlotTrace& s : trace->slots) total[s.slot] += s.attention;
      for (size_t c = 0; c < map->slots.size(); ++c) {
        double alpha = 0.0;
        for (const VectorSlotTrace& s : trace->slots) {
          if (s.slot != map->slots[c]) continue;
          alpha = s.attention;
          // The column shows the slot as the trace does: its stored vector and class counts.
          QCOMPARE(map->values[c], s.values);
          QCOMPARE(map->counts[c].size(), s.counts.size());
          for (size_t i = 0; i < s.counts.size(); ++i) {
            QCOMPARE(map->counts[c][i].classId, s.counts[i].classId);
            QCOMPARE(map->counts[c][i].weight, s.counts[i].weight);
          }
        }
        QCOMPARE(map->attention[r][c], alpha);
      }
    }
    double smallestColumn = 1e300;
    for (uint32_t slot : map->slots) smallestColumn = std::min(smallestColumn, total[slot]);
    for (const auto& [slot, sum] : total)
      if (std::find(map->slots.begin(), map->slots.end(), slot) == map->slots.end())
        QVERIFY(sum <= smallestColumn);
    QVERIFY(!traceVectorSequence(x, {}).isOk());
  }

  // A cancelled add() leaves the memory as it was; a cancelled run returns cancelled.
  void cancel() {
    const auto corpus = load("g.txt", join(makeLines(6)));
    auto instances = buildInstances(corpus->tokens, corpus->paddingId, {});
    QVERIFY(instances.isOk());
    ClassifierOptions o;
    o.algorithm = Algorithm::kVectorMemory;
    o.wordVectors.dimensions = 8;
    auto c = createClassifier(o);
    QVERIFY(c.isOk());
    const size_t half = instances->size() / 2;
    QVERIFY((*c)->train(instances->slice(0, half)).isOk());
    const uint32_t before = (*c)->memory().vectorCount();
    JobControl job;
    job.cancel();
    QVERIFY((*c)->add(instances->slice(half, instances->size()), &job).isCancelled());
    QCOMPARE((*c)->memory().vectorCount(), before);
    QVERIFY(Experiment::run(corpus, vectorOptions(1), &job).status().isCancelled());
  }
};

QTEST_GUILESS_MAIN(TestVectorExperiment)
#include "tst_vector_experiment.moc"
