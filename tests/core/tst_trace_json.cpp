#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "memlens/trace_json.h"
#include "small_experiment.h"

using namespace memlens;

namespace {

QJsonObject parse(const std::string& json) {
  QJsonParseError error;
  const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(json), &error);
  if (error.error != QJsonParseError::NoError) qWarning("%s", qPrintable(error.errorString()));
  return doc.object();
}

QString text(const Experiment& e, uint32_t id) {
  return id < e.corpus().vocab.size()
             ? QString::fromStdString(std::string(e.corpus().vocab.text(id)))
             : QStringLiteral("<unknown>");
}

void compareTokens(const QJsonValue& shown, const Experiment& e, const std::vector<uint32_t>& ids) {
  const QJsonArray array = shown.toArray();
  QCOMPARE(array.size(), qsizetype(ids.size()));
  for (size_t i = 0; i < ids.size(); ++i) QCOMPARE(array[qsizetype(i)].toString(), text(e, ids[i]));
}

void compareNumbers(const QJsonValue& shown, const std::vector<double>& values) {
  const QJsonArray array = shown.toArray();
  QCOMPARE(array.size(), qsizetype(values.size()));
  for (size_t i = 0; i < values.size(); ++i) QCOMPARE(array[qsizetype(i)].toDouble(), values[i]);
}

void compareCounts(const QJsonValue& shown, const Experiment& e,
                   const std::vector<ClassVote>& votes, const QString& weightKey) {
  const QJsonArray array = shown.toArray();
  QCOMPARE(array.size(), qsizetype(votes.size()));
  for (size_t i = 0; i < votes.size(); ++i) {
    const QJsonObject o = array[qsizetype(i)].toObject();
    QCOMPARE(o[QStringLiteral("token")].toString(), text(e, votes[i].classId));
    QCOMPARE(o[weightKey].toDouble(), votes[i].weight);
  }
}

// A stored vector's JSON (a neighbour or tree evidence) against its trace.
void compareNeighbour(const QJsonObject& shown, const Experiment& e, const NeighbourTrace& n) {
  QCOMPARE(shown[QStringLiteral("storedVector")].toInteger(), qint64(n.storedVector));
  compareTokens(shown[QStringLiteral("values")], e, n.values);
  const QJsonArray matches = shown[QStringLiteral("matches")].toArray();
  QCOMPARE(matches.size(), qsizetype(n.matches.size()));
  for (size_t j = 0; j < n.matches.size(); ++j)
    QCOMPARE(matches[qsizetype(j)].toBool(), bool(n.matches[j]));
  compareNumbers(shown[QStringLiteral("contributions")], n.contributions);
  compareCounts(shown[QStringLiteral("counts")], e, n.counts, QStringLiteral("count"));
  QCOMPARE(shown[QStringLiteral("instances")].toInteger(), qint64(n.instanceCount));
  const QJsonArray provenance = shown[QStringLiteral("provenance")].toArray();
  QCOMPARE(provenance.size(), qsizetype(n.provenance.size()));
  for (size_t j = 0; j < n.provenance.size(); ++j) {
    const QJsonObject p = provenance[qsizetype(j)].toObject();
    QCOMPARE(p[QStringLiteral("path")].toString(), QString::fromStdString(n.provenance[j].path));
    QCOMPARE(p[QStringLiteral("line")].toInteger(), qint64(n.provenance[j].line));
    QCOMPARE(p[QStringLiteral("byteOffset")].toInteger(), qint64(n.provenance[j].byteOffset));
    QCOMPARE(p[QStringLiteral("snippet")].toString(),
             QString::fromStdString(n.provenance[j].snippet));
  }
}

// Every field of a k-NN or tree trace's JSON against the trace itself.
void compareTrace(const Trace& t, const Experiment& e) {
  const QJsonObject o = parse(traceToJson(t, e));
  QVERIFY(!o.isEmpty());
  compareTokens(o[QStringLiteral("context")], e, t.context);
  compareNumbers(o[QStringLiteral("featureWeights")], t.featureWeights);
  QCOMPARE(o[QStringLiteral("prediction")].toString(), text(e, t.prediction.classId));
  QCOMPARE(o[QStringLiteral("distance")].toDouble(), t.prediction.distance);
  QCOMPARE(o[QStringLiteral("matchDepth")].toInt(), t.prediction.matchDepth);
  QCOMPARE(o[QStringLiteral("tie")].toBool(), t.prediction.tie);
  QCOMPARE(o[QStringLiteral("memoryWeight")].toDouble(), t.memoryWeight);
  QCOMPARE(o[QStringLiteral("entropyBits")].toDouble(), t.entropyBits);
  compareCounts(o[QStringLiteral("votes")], e, t.prediction.distribution, QStringLiteral("weight"));
  const QJsonArray probabilities = o[QStringLiteral("probabilities")].toArray();
  QCOMPARE(probabilities.size(), qsizetype(t.top.size()));
  for (size_t i = 0; i < t.top.size(); ++i) {
    QCOMPARE(probabilities[qsizetype(i)].toObject()[QStringLiteral("token")].toString(),
             text(e, t.top[i].first));
    QCOMPARE(probabilities[qsizetype(i)].toObject()[QStringLiteral("p")].toDouble(),
             t.top[i].second);
  }

  const QJsonObject path = o[QStringLiteral("treePath")].toObject();
  QCOMPARE(path[QStringLiteral("answer")].toString(),
           QString::fromLatin1(treeAnswerName(t.path.answer)));
  QCOMPARE(path[QStringLiteral("depth")].toInt(), t.path.depth);
  const QJsonArray steps = path[QStringLiteral("steps")].toArray();
  QCOMPARE(steps.size(), qsizetype(t.path.steps.size()));
  const bool tribl2 = e.record().options.classifier.algorithm == Algorithm::kTribl2;
  for (size_t i = 0; i < t.path.steps.size(); ++i) {
    const TreeStep& s = t.path.steps[i];
    const QJsonObject step = steps[qsizetype(i)].toObject();
    QCOMPARE(step[QStringLiteral("depth")].toInt(), s.depth);
    QCOMPARE(step[QStringLiteral("default")].toString(), text(e, s.defaultClass));
    QCOMPARE(step[QStringLiteral("classes")].toInt(), int(s.classes));
    QCOMPARE(step[QStringLiteral("instances")].toInteger(), qint64(s.instances));
    QCOMPARE(step[QStringLiteral("tested")].toBool(), s.tested);
    QCOMPARE(step.contains(QStringLiteral("storedVectors")), tribl2);
    if (tribl2)
      QCOMPARE(step[QStringLiteral("storedVectors")].toInteger(), qint64(s.storedVectors));
    QCOMPARE(step.contains(QStringLiteral("value")), s.tested);
    if (s.tested) {
      QCOMPARE(step[QStringLiteral("feature")].toInt(), s.feature);
      QCOMPARE(step[QStringLiteral("value")].toString(), text(e, s.value));
      QCOMPARE(step[QStringLiteral("matched")].toBool(), s.matched);
    }
  }

  const QJsonArray buckets = o[QStringLiteral("buckets")].toArray();
  QCOMPARE(buckets.size(), qsizetype(t.buckets.size()));
  for (size_t b = 0; b < t.buckets.size(); ++b) {
    const QJsonObject bucket = buckets[qsizetype(b)].toObject();
    QCOMPARE(bucket[QStringLiteral("distance")].toDouble(), t.buckets[b].distance);
    QCOMPARE(bucket[QStringLiteral("weight")].toDouble(), t.buckets[b].weight);
    const QJsonArray neighbours = bucket[QStringLiteral("neighbours")].toArray();
    QCOMPARE(neighbours.size(), qsizetype(t.buckets[b].neighbours.size()));
    for (size_t i = 0; i < t.buckets[b].neighbours.size(); ++i) {
      compareNeighbour(neighbours[qsizetype(i)].toObject(), e, t.buckets[b].neighbours[i]);
    }
  }

  // Tree answers only: IB1's JSON has no such key.
  QCOMPARE(o.contains(QStringLiteral("treeEvidence")), t.evidence.storedVectors > 0);
  if (t.evidence.storedVectors == 0) return;
  const QJsonObject evidence = o[QStringLiteral("treeEvidence")].toObject();
  QCOMPARE(evidence[QStringLiteral("storedVectors")].toInteger(), qint64(t.evidence.storedVectors));
  QCOMPARE(evidence[QStringLiteral("instances")].toInteger(), qint64(t.evidence.instances));
  const QJsonArray shown = evidence[QStringLiteral("shown")].toArray();
  QCOMPARE(shown.size(), qsizetype(t.evidence.shown.size()));
  for (size_t i = 0; i < t.evidence.shown.size(); ++i)
    compareNeighbour(shown[qsizetype(i)].toObject(), e, t.evidence.shown[i]);
}

}  // namespace

class TestTraceJson : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void knnTracesAsJson_data() {
    QTest::addColumn<int>("algorithm");
    QTest::newRow("ib1") << int(Algorithm::kIb1);
    QTest::newRow("igtree") << int(Algorithm::kIgTree);
    QTest::newRow("tribl2") << int(Algorithm::kTribl2);
  }
  void knnTracesAsJson() {
    QFETCH(int, algorithm);
    QTemporaryDir dir;
    const auto e = test::smallExperiment(dir, Algorithm(algorithm), 2);
    for (size_t i = 0; i < 5; ++i) {
      const Trace t = traceContext(*e, e->test().instance(i * 7));
      // IGTree always answers from a node, so its JSON always lists that node's vectors.
      if (Algorithm(algorithm) == Algorithm::kIgTree) QVERIFY(t.evidence.storedVectors > 0);
      compareTrace(t, *e);
      if (QTest::currentTestFailed()) return;
    }
    // An unknown word is written as "<unknown>", like any id outside the vocabulary.
    auto ids = e->corpus().encode("the old");
    QVERIFY(ids.isOk());
    std::vector<uint32_t> context = {Vocabulary::kUnknown, (*ids)[0], (*ids)[1]};
    const Trace unknown = traceContext(*e, context);
    compareTrace(unknown, *e);
    QCOMPARE(parse(traceToJson(unknown, *e))[QStringLiteral("context")].toArray()[0].toString(),
             QStringLiteral("<unknown>"));
  }

  void vectorTraceAsJson() {
    QTemporaryDir dir;
    const auto e = test::smallExperiment(dir, Algorithm::kVectorMemory);
    auto t = traceVectorMemory(*e, e->test().instance(3));
    QVERIFY2(t.isOk(), t.status().message().c_str());
    QVERIFY(!t->slots.empty());
    const QJsonObject o = parse(traceToJson(*t, *e));
    compareTokens(o[QStringLiteral("context")], *e, t->context);
    compareNumbers(o[QStringLiteral("featureWeights")], t->featureWeights);
    QCOMPARE(o[QStringLiteral("temperature")].toDouble(), t->temperature);
    QCOMPARE(o[QStringLiteral("lambda")].toDouble(), t->lambda);
    QCOMPARE(o[QStringLiteral("memoryPrediction")].toString(), text(*e, t->memoryPrediction));
    const QJsonArray outcomes = o[QStringLiteral("outcomes")].toArray();
    QCOMPARE(outcomes.size(), qsizetype(t->top.size()));
    for (size_t i = 0; i < t->top.size(); ++i) {
      const QJsonObject outcome = outcomes[qsizetype(i)].toObject();
      QCOMPARE(outcome[QStringLiteral("token")].toString(), text(*e, t->top[i].token));
      QCOMPARE(outcome[QStringLiteral("memory")].toDouble(), t->top[i].memory);
      QCOMPARE(outcome[QStringLiteral("base")].toDouble(), t->top[i].base);
      QCOMPARE(outcome[QStringLiteral("final")].toDouble(), t->top[i].interpolated);
    }
    const QJsonArray slots = o[QStringLiteral("slots")].toArray();
    QCOMPARE(slots.size(), qsizetype(t->slots.size()));
    for (size_t i = 0; i < t->slots.size(); ++i) {
      const VectorSlotTrace& s = t->slots[i];
      const QJsonObject slot = slots[qsizetype(i)].toObject();
      QCOMPARE(slot[QStringLiteral("slot")].toInteger(), qint64(s.slot));
      compareTokens(slot[QStringLiteral("values")], *e, s.values);
      QCOMPARE(slot[QStringLiteral("distance")].toDouble(), s.distance);
      QCOMPARE(slot[QStringLiteral("attention")].toDouble(), s.attention);
      compareCounts(slot[QStringLiteral("counts")], *e, s.counts, QStringLiteral("count"));
      compareNumbers(slot[QStringLiteral("terms")], s.terms);
      // Its provenance as a neighbour's: the instances its counts add up to, the first of them
      // corpus positions whose token is one of the slot's targets.
      double instances = 0.0;
      for (const ClassVote& c : s.counts) instances += c.weight;
      QCOMPARE(double(s.instanceCount), instances);
      QCOMPARE(s.provenance.size(),
               std::min<size_t>(s.instanceCount, TraceOptions().maxProvenance));
      for (const ProvenanceRef& p : s.provenance) {
        const uint32_t target = e->corpus().tokens.id(p.token);
        QVERIFY(std::any_of(s.counts.begin(), s.counts.end(),
                            [&](const ClassVote& c) { return c.classId == target; }));
      }
      QCOMPARE(slot[QStringLiteral("instances")].toInteger(), qint64(s.instanceCount));
      QCOMPARE(slot[QStringLiteral("provenance")].toArray().size(), qsizetype(s.provenance.size()));
    }
  }

  // A trace read back writes the same text: every field survives, in the same order, for every
  // algorithm (the file does not name it: the reader tells them apart by their fields).
  void tracesReadBackAsWritten_data() {
    QTest::addColumn<int>("algorithm");
    QTest::newRow("ib1") << int(Algorithm::kIb1);
    QTest::newRow("igtree") << int(Algorithm::kIgTree);
    QTest::newRow("tribl2") << int(Algorithm::kTribl2);
    QTest::newRow("vector") << int(Algorithm::kVectorMemory);
  }
  void tracesReadBackAsWritten() {
    QFETCH(int, algorithm);
    QTemporaryDir dir;
    const auto e = test::smallExperiment(dir, Algorithm(algorithm), 3);
    auto ids = e->corpus().encode("the old");
    QVERIFY(ids.isOk());
    std::vector<std::vector<uint32_t>> contexts = {{Vocabulary::kUnknown, (*ids)[0], (*ids)[1]}};
    for (size_t i = 0; i < 6; ++i) {
      const auto instance = e->test().instance(i * 11);
      contexts.emplace_back(instance.begin(), instance.end());
    }
    for (const auto& context : contexts) {
      std::string json;
      if (Algorithm(algorithm) == Algorithm::kVectorMemory) {
        auto t = traceVectorMemory(*e, context);
        QVERIFY2(t.isOk(), t.status().message().c_str());
        json = traceToJson(*t, *e);
      } else {
        json = traceToJson(traceContext(*e, context), *e);
      }
      auto doc = traceFromJson(json);
      QVERIFY2(doc.isOk(), doc.status().message().c_str());
      QCOMPARE(int(doc->algorithm), algorithm);
      QCOMPARE(doc->vectorTrace.has_value(), Algorithm(algorithm) == Algorithm::kVectorMemory);
      QCOMPARE(doc->trace.has_value(), Algorithm(algorithm) != Algorithm::kVectorMemory);
      const std::string again = doc->trace
                                    ? traceToJson(*doc->trace, *doc->vocabulary, doc->algorithm)
                                    : traceToJson(*doc->vectorTrace, *doc->vocabulary);
      QCOMPARE(again, json);
      // The unknown word is read as the unknown id, not as a word "<unknown>".
      const auto& read = doc->trace ? doc->trace->context : doc->vectorTrace->context;
      QCOMPARE(read.size(), context.size());
      QCOMPARE(read[0] == Vocabulary::kUnknown, context[0] == Vocabulary::kUnknown);
    }
  }

  // What is not a trace is an error that says where, never a crash or a half-read trace.
  void badTracesAreRefused_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message");
    QTest::newRow("not json") << QByteArray("{\"context\": [") << "not a trace";
    QTest::newRow("not an object") << QByteArray("[1, 2]") << "not a trace";
    QTest::newRow("other json") << QByteArray("{\"runs\": []}") << "without \"context\"";
    QTest::newRow("invalid utf-8") << QByteArray("{\"context\": [\"\xff\"]}") << "not a trace";
  }
  void badTracesAreRefused() {
    QFETCH(QByteArray, json);
    QFETCH(QString, message);
    auto doc = traceFromJson(json.toStdString());
    QVERIFY(!doc.isOk());
    QVERIFY2(QString::fromStdString(doc.status().message()).contains(message),
             doc.status().message().c_str());
  }

  // A written trace with one field broken: the error names the field's place.
  void brokenFieldsAreNamed_data() {
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<QString>("message");
    QTest::newRow("missing") << "\"tie\":"
                             << "\"tye\":"
                             << "trace has no \"tie\"";
    QTest::newRow("mistyped") << "\"matchDepth\":"
                              << "\"matchDepth\":\"x\",\"y\":"
                              << "\"matchDepth\" is not a number";
    QTest::newRow("short neighbour") << "\"matches\":["
                                     << "\"matches\":[true,"
                                     << "trace.buckets[0].neighbours[0] does not have one value";
    QTest::newRow("unknown answer") << "\"answer\":\""
                                    << "\"answer\":\"x"
                                    << "trace.treePath has the unknown answer";
  }
  void brokenFieldsAreNamed() {
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QString, message);
    QTemporaryDir dir;
    const auto e = test::smallExperiment(dir, Algorithm::kIb1, 2);
    QString json = QString::fromStdString(traceToJson(traceContext(*e, e->test().instance(4)), *e));
    QVERIFY(json.contains(from));
    json.replace(json.indexOf(from), from.size(), to);
    auto doc = traceFromJson(json.toStdString());
    QVERIFY(!doc.isOk());
    QVERIFY2(QString::fromStdString(doc.status().message()).contains(message),
             doc.status().message().c_str());
  }

  // A vector trace written before slots had provenance still reads, without it.
  void readsVectorTracesWithoutProvenance() {
    QTemporaryDir dir;
    const auto e = test::smallExperiment(dir, Algorithm::kVectorMemory);
    auto t = traceVectorMemory(*e, e->test().instance(3));
    QVERIFY(t.isOk() && !t->slots.empty() && t->slots[0].instanceCount > 0);
    QJsonObject o = parse(traceToJson(*t, *e));
    QJsonArray slots = o[QStringLiteral("slots")].toArray();
    for (auto&& slot : slots) {
      QJsonObject s = slot.toObject();
      s.remove(QStringLiteral("instances"));
      s.remove(QStringLiteral("provenance"));
      slot = s;
    }
    o[QStringLiteral("slots")] = slots;
    auto doc = traceFromJson(QJsonDocument(o).toJson().toStdString());
    QVERIFY2(doc.isOk(), doc.status().message().c_str());
    QCOMPARE(doc->vectorTrace->slots.size(), t->slots.size());
    QCOMPARE(doc->vectorTrace->slots[0].instanceCount, uint64_t{0});
    QVERIFY(doc->vectorTrace->slots[0].provenance.empty());
  }

  void readsTraceFiles() {
    QTemporaryDir dir;
    const auto e = test::smallExperiment(dir, Algorithm::kIgTree);
    const std::string json = traceToJson(traceContext(*e, e->test().instance(2)), *e);
    const std::string path = test::writeFile(dir, "trace.json", json + "\n");
    auto doc = readTraceFile(path);
    QVERIFY2(doc.isOk(), doc.status().message().c_str());
    QCOMPARE(traceToJson(*doc->trace, *doc->vocabulary, doc->algorithm), json);
    const std::string truncated = test::writeFile(dir, "cut.json", json.substr(0, json.size() / 2));
    auto cut = readTraceFile(truncated);
    QVERIFY(!cut.isOk());
    QVERIFY2(cut.status().message().find("cut.json") != std::string::npos,
             cut.status().message().c_str());
    auto missing = readTraceFile(dir.filePath("none.json").toStdString());
    QVERIFY(!missing.isOk());
    QCOMPARE(missing.status().code(), Status::Code::kIoError);
  }
};

QTEST_GUILESS_MAIN(TestTraceJson)
#include "tst_trace_json.moc"
