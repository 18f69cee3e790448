#include <QAbstractItemModelTester>
#include <QFileInfo>
#include <QItemSelectionModel>
#include <QLocale>
#include <QSignalSpy>
#include <QTest>
#include <algorithm>
#include <numeric>
#include <set>

#include "memory/memory_table_model.h"
#include "small_experiment.h"

using memlens::InstanceBase;
using memlens::views::MemoryFilterScope;
using memlens::views::MemorySnapshot;
using memlens::views::MemoryTableModel;

namespace {

std::shared_ptr<const MemorySnapshot> snapshotOf(
    const std::shared_ptr<const memlens::Experiment>& e) {
  return std::make_shared<const MemorySnapshot>(MemorySnapshot::of(e));
}

uint32_t instancesOf(const InstanceBase& base, uint32_t id) {
  uint32_t n = 0;
  for (const memlens::ClassCount& c : base.distribution(id)) n += c.count;
  return n;
}

QString text(const memlens::Experiment& e, uint32_t id) {
  return QString::fromStdString(std::string(e.corpus().vocab.text(id)));
}

// `algorithm` trained on `tokens` words drawn from `types` by a fixed generator (`seed`),
// `perLine` a line; null when it fails.
std::shared_ptr<const memlens::Experiment> randomExperiment(const QTemporaryDir& dir, int tokens,
                                                            uint32_t types, int perLine,
                                                            uint32_t seed,
                                                            memlens::Algorithm algorithm) {
  std::string text;
  uint32_t state = seed;
  for (int i = 0; i < tokens; ++i) {
    state = state * 1103515245u + 12345u;
    text += "w" + std::to_string((state >> 8) % types) + ((i + 1) % perLine == 0 ? "\n" : " ");
  }
  auto corpus =
      memlens::TokenisedCorpus::load({memlens::test::writeFile(dir, "random.txt", text)}, {});
  if (!corpus) return nullptr;
  memlens::ExperimentOptions options;
  options.classifier.algorithm = algorithm;
  options.maxTestTokens = 10;
  auto e = memlens::Experiment::run(*corpus, options);
  return e ? std::shared_ptr<const memlens::Experiment>(std::move(*e)) : nullptr;
}

// The stored vectors by instances, most first, ties by id, as a comparison sort gives them.
std::vector<uint32_t> sortedByInstances(const InstanceBase& base) {
  std::vector<uint32_t> ids(base.vectorCount());
  std::iota(ids.begin(), ids.end(), 0u);
  std::ranges::stable_sort(
      ids, [&](uint32_t a, uint32_t b) { return instancesOf(base, a) > instancesOf(base, b); });
  return ids;
}

// "Moses ×82, Aaron ×3, …": the `limit` largest targets of vector `id` by a stable sort.
QString targetsOf(const memlens::Experiment& e, uint32_t id, size_t limit) {
  const InstanceBase& base = e.classifier().memory();
  const auto d = base.distribution(id);
  std::vector<memlens::ClassCount> counts(d.begin(), d.end());
  std::ranges::stable_sort(counts, [](auto a, auto b) { return a.count > b.count; });
  QStringList parts;
  for (size_t i = 0; i < std::min(limit, counts.size()); ++i)
    parts.append(QStringLiteral("%1 ×%2")
                     .arg(text(e, base.classId(counts[i].classIndex)))
                     .arg(counts[i].count));
  QString shown = parts.join(QStringLiteral(", "));
  if (counts.size() > limit) shown += QStringLiteral(", … (%1 classes)").arg(counts.size());
  return shown;
}

std::vector<uint32_t> shownRows(const MemoryTableModel& model) {
  std::vector<uint32_t> ids;
  for (int row = 0; row < model.rowCount(); ++row) ids.push_back(model.storedVector(row));
  return ids;
}

std::set<uint32_t> shownIds(const MemoryTableModel& model) {
  std::set<uint32_t> ids;
  for (int row = 0; row < model.rowCount(); ++row) ids.insert(model.storedVector(row));
  return ids;
}

}  // namespace

class TestMemoryTableModel : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

  void passesTheModelTesterThroughSnapshotsFiltersAndSorts() {
    QTemporaryDir dir;
    const auto e = memlens::test::smallExperiment(dir, memlens::Algorithm::kIgTree);
    MemoryTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    model.setSnapshot(snapshotOf(e));
    QCOMPARE(model.rowCount(), static_cast<int>(e->classifier().memory().vectorCount()));
    QVERIFY(model.setFilter(QStringLiteral("cat"), MemoryFilterScope::kContext));
    QVERIFY(model.rowCount() > 0);
    model.sort(MemoryTableModel::kInstances, Qt::DescendingOrder);
    QVERIFY(!model.setFilter(QStringLiteral("zebra"), MemoryFilterScope::kEither));
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(model.setFilter(QString(), MemoryFilterScope::kEither));
    model.setSnapshot(nullptr);
    QCOMPARE(model.rowCount(), 0);
  }

  // Every row against the InstanceBase itself.
  void rowsShowTheStoredVectors() {
    QTemporaryDir dir;
    const auto e = memlens::test::smallExperiment(dir, memlens::Algorithm::kIb1);
    const InstanceBase& base = e->classifier().memory();
    MemoryTableModel model;
    model.setSnapshot(snapshotOf(e));
    QCOMPARE(model.rowCount(), static_cast<int>(base.vectorCount()));
    for (int row = 0; row < model.rowCount(); ++row) {
      const uint32_t id = model.storedVector(row);
      QCOMPARE(id, static_cast<uint32_t>(row));  // id order by default
      const auto cell = [&](int column) { return model.index(row, column).data().toString(); };
      QCOMPARE(cell(MemoryTableModel::kId), QStringLiteral("#%1").arg(id));
      QStringList words;
      for (uint32_t v : base.vector(id)) words.append(text(*e, v));
      QCOMPARE(cell(MemoryTableModel::kContext), words.join(QLatin1Char(' ')));
      QCOMPARE(cell(MemoryTableModel::kInstances), QLocale().toString(instancesOf(base, id)));
      QCOMPARE(cell(MemoryTableModel::kTargets), targetsOf(*e, id, 3));
      const auto p = e->corpus().tokens.position(base.sources(id).front());
      const QString file =
          QFileInfo(QString::fromStdString(e->corpus().corpus->document(p.document).path))
              .fileName();
      QCOMPARE(cell(MemoryTableModel::kSource), QStringLiteral("%1:%2").arg(file).arg(p.line));
      QCOMPARE(
          model.index(row, 0).data(static_cast<int>(MemoryTableModel::Role::StoredVector)).toUInt(),
          id);
    }
  }

  // The Targets cell and its tooltip: the largest targets first, ties in distribution order, on
  // vectors of a few classes with ties among them.
  void targetsShowTheLargestFirst() {
    QTemporaryDir dir;
    // 5 types: every context holds several targets, often as many times.
    const auto e = randomExperiment(dir, 30000, 5, 15, 3, memlens::Algorithm::kIb1);
    QVERIFY(e);
    const InstanceBase& base = e->classifier().memory();
    MemoryTableModel model;
    model.setSnapshot(snapshotOf(e));
    bool cut = false, tied = false;
    for (int row = 0; row < model.rowCount(); ++row) {
      const uint32_t id = model.storedVector(row);
      const auto d = base.distribution(id);
      cut |= d.size() > 3;
      for (size_t i = 1; i < d.size(); ++i) tied |= d[i].count == d[0].count;
      const auto cell = model.index(row, MemoryTableModel::kTargets);
      QCOMPARE(cell.data().toString(), targetsOf(*e, id, 3));
      QCOMPARE(cell.data(Qt::ToolTipRole).toString(), targetsOf(*e, id, 30));
    }
    QVERIFY(cut);
    QVERIFY(tied);
  }

  // The usage census column shows the snapshot's counts; without a census (IGTree) a dash.
  void showsTheUsageCensus() {
    QTemporaryDir dir;
    const auto e = memlens::test::smallExperiment(dir, memlens::Algorithm::kIb1);
    const uint32_t n = e->classifier().memory().vectorCount();
    std::vector<memlens::SlotUsage> usage(n);
    for (uint32_t id = 0; id < n; ++id) usage[id] = {id * 3 + 1, 0.5 * id};
    MemoryTableModel model;
    model.setSnapshot(std::make_shared<const MemorySnapshot>(MemorySnapshot::of(e, usage, 40)));
    for (int row = 0; row < model.rowCount(); ++row) {
      const uint32_t id = model.storedVector(row);
      QCOMPARE(model.index(row, MemoryTableModel::kUsed).data().toString(),
               QLocale().toString(id * 3 + 1));
      QVERIFY(model.index(row, MemoryTableModel::kUsed)
                  .data(Qt::ToolTipRole)
                  .toString()
                  .contains(QStringLiteral("first 40 validation tokens; credit %1")
                                .arg(QLocale().toString(0.5 * id, 'f', 2))));
    }
    model.setSnapshot(snapshotOf(e));
    QCOMPARE(model.index(0, MemoryTableModel::kUsed).data().toString(), QStringLiteral("—"));
  }

  // The census arrives after the user picked rows: the Used column fills in, the rows and the
  // selection stay (a reset would drop the selection and grey Delete out).
  void aCensusOfTheSameMemoryKeepsTheSelection() {
    QTemporaryDir dir;
    const auto e = memlens::test::smallExperiment(dir, memlens::Algorithm::kIb1);
    const uint32_t n = e->classifier().memory().vectorCount();
    MemoryTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const auto plain = snapshotOf(e);
    model.setSnapshot(plain);
    model.sort(MemoryTableModel::kInstances, Qt::DescendingOrder);
    const std::set<uint32_t> ids = shownIds(model);
    QItemSelectionModel selection(&model);
    selection.select(model.index(2, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    const uint32_t selected = model.storedVector(2);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setSnapshot(std::make_shared<const MemorySnapshot>(
        plain->withUsage(std::vector<memlens::SlotUsage>(n, {7, 0.0}), 10)));
    QCOMPARE(reset.count(), 0);
    QVERIFY(!changed.isEmpty());
    QCOMPARE(shownIds(model), ids);
    QCOMPARE(model.storedVector(2), selected);
    QVERIFY(selection.isRowSelected(2));
    QCOMPARE(model.index(2, MemoryTableModel::kUsed).data().toString(), QStringLiteral("7"));
    // Another memory is a new set of rows.
    model.setSnapshot(snapshotOf(memlens::test::smallExperiment(dir, memlens::Algorithm::kIb1)));
    QCOMPARE(reset.count(), 1);
  }

  void filtersByAContextOrTargetToken() {
    QTemporaryDir dir;
    const auto e = memlens::test::smallExperiment(dir, memlens::Algorithm::kIgTree);
    const InstanceBase& base = e->classifier().memory();
    MemoryTableModel model;
    model.setSnapshot(snapshotOf(e));
    for (const char* token : {"the", "mat", "sister"}) {
      const uint32_t wanted = e->corpus().vocab.lookup(token);
      std::set<uint32_t> inContext, inTargets;
      for (uint32_t id = 0; id < base.vectorCount(); ++id) {
        if (std::ranges::count(base.vector(id), wanted)) inContext.insert(id);
        for (const auto& c : base.distribution(id))
          if (base.classId(c.classIndex) == wanted) inTargets.insert(id);
      }
      std::set<uint32_t> either = inContext;
      either.insert(inTargets.begin(), inTargets.end());
      QVERIFY(model.setFilter(QString::fromLatin1(token), MemoryFilterScope::kContext));
      QCOMPARE(shownIds(model), inContext);
      model.setFilter(QString::fromLatin1(token), MemoryFilterScope::kTargets);
      QCOMPARE(shownIds(model), inTargets);
      model.setFilter(QString::fromLatin1(token), MemoryFilterScope::kEither);
      QCOMPARE(shownIds(model), either);
      QVERIFY(!either.empty());
    }
  }

  // select() looks the token up in the snapshot's index: it gives exactly the rows, in the same
  // order, that a scan of every stored vector gives, for every token, scope and order, on
  // memories whose vectors repeat a token and hold several classes.
  void theIndexedFilterPicksTheRowsAScanPicks() {
    using memlens::views::MemoryOrder;
    QTemporaryDir dir;
    // 40 types: contexts repeat a token and hold several targets.
    const auto random = randomExperiment(dir, 30000, 40, 15, 5, memlens::Algorithm::kIb1);
    QVERIFY(random);
    const std::shared_ptr<const memlens::Experiment> memories[] = {
        random, memlens::test::smallExperiment(dir, memlens::Algorithm::kIb1),
        memlens::test::smallExperiment(dir, memlens::Algorithm::kIgTree)};
    bool repeats = false, multiClass = false;
    for (const auto& e : memories) {
      const InstanceBase& base = e->classifier().memory();
      const auto snapshot = snapshotOf(e);
      std::vector<uint32_t> byCount(base.vectorCount());
      std::iota(byCount.begin(), byCount.end(), 0u);
      std::ranges::stable_sort(byCount, [&](uint32_t a, uint32_t b) {
        return instancesOf(base, a) > instancesOf(base, b);
      });
      for (uint32_t token = 0; token < e->corpus().vocab.size(); ++token) {
        const QString word = text(*e, token);
        if (word.trimmed().isEmpty() || e->corpus().vocab.lookup(word.toStdString()) != token)
          continue;
        for (const auto scope :
             {MemoryFilterScope::kContext, MemoryFilterScope::kTargets, MemoryFilterScope::kEither})
          for (const auto order : {MemoryOrder::kIdAscending, MemoryOrder::kIdDescending,
                                   MemoryOrder::kMostInstances, MemoryOrder::kFewestInstances}) {
            const auto picks = [&](uint32_t id) {
              const auto values = base.vector(id);
              const auto count = std::ranges::count(values, token);
              repeats |= count > 1;
              multiClass |= base.distribution(id).size() > 1;
              if (scope != MemoryFilterScope::kTargets && count > 0) return true;
              return scope != MemoryFilterScope::kContext &&
                     std::ranges::any_of(base.distribution(id), [&](const memlens::ClassCount& c) {
                       return base.classId(c.classIndex) == token;
                     });
            };
            const bool byInstances =
                order == MemoryOrder::kMostInstances || order == MemoryOrder::kFewestInstances;
            std::vector<uint32_t> scanned;
            for (uint32_t i = 0; i < base.vectorCount(); ++i)
              if (const uint32_t id = byInstances ? byCount[i] : i; picks(id))
                scanned.push_back(id);
            if (order == MemoryOrder::kIdDescending || order == MemoryOrder::kFewestInstances)
              std::ranges::reverse(scanned);
            const auto selected = snapshot->select(word, scope, order);
            QVERIFY(selected.isOk());
            QVERIFY2(*selected == scanned, qPrintable(word));
          }
      }
    }
    QVERIFY(repeats);
    QVERIFY(multiClass);
  }

  void sortsByInstanceCountAndId() {
    QTemporaryDir dir;
    const auto e = memlens::test::smallExperiment(dir, memlens::Algorithm::kIgTree);
    const InstanceBase& base = e->classifier().memory();
    MemoryTableModel model;
    model.setSnapshot(snapshotOf(e));
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.sort(MemoryTableModel::kInstances, Qt::DescendingOrder);
    QCOMPARE(reset.size(), 1);
    QCOMPARE(model.rowCount(), static_cast<int>(base.vectorCount()));
    for (int row = 1; row < model.rowCount(); ++row) {
      QVERIFY(instancesOf(base, model.storedVector(row - 1)) >=
              instancesOf(base, model.storedVector(row)));
    }
    QVERIFY(instancesOf(base, model.storedVector(0)) >
            instancesOf(base, model.storedVector(model.rowCount() - 1)));
    model.sort(MemoryTableModel::kInstances, Qt::AscendingOrder);
    for (int row = 1; row < model.rowCount(); ++row) {
      QVERIFY(instancesOf(base, model.storedVector(row - 1)) <=
              instancesOf(base, model.storedVector(row)));
    }
    // A filter keeps the order.
    model.setFilter(QStringLiteral("the"), MemoryFilterScope::kContext);
    for (int row = 1; row < model.rowCount(); ++row) {
      QVERIFY(instancesOf(base, model.storedVector(row - 1)) <=
              instancesOf(base, model.storedVector(row)));
    }
    model.sort(MemoryTableModel::kId, Qt::DescendingOrder);
    for (int row = 1; row < model.rowCount(); ++row)
      QVERIFY(model.storedVector(row - 1) > model.storedVector(row));
    model.sort(MemoryTableModel::kContext, Qt::AscendingOrder);  // not a sort key: order kept
    for (int row = 1; row < model.rowCount(); ++row)
      QVERIFY(model.storedVector(row - 1) > model.storedVector(row));
  }

  // A big memory's instance order is made on a worker when it is shown and kept: a sort by
  // instances then shows it at once (no worker, one reset), most or fewest first, and a filter
  // picks within it; asked for before it is made, a worker makes it.
  void aBigMemorysSortByInstancesShowsTheKeptOrder() {
    QTemporaryDir dir;
    const auto e = randomExperiment(dir, 360000, 30000, 20, 13, memlens::Algorithm::kIgTree);
    QVERIFY(e);
    const InstanceBase& base = e->classifier().memory();
    QVERIFY(base.vectorCount() > MemoryTableModel::kInlineVectors);
    const std::vector<uint32_t> most = sortedByInstances(base);
    std::vector<uint32_t> fewest(most.rbegin(), most.rend());
    QVERIFY(instancesOf(base, most.front()) > instancesOf(base, most.back()));

    // Sorted before the order is made: picked on a worker.
    {
      MemoryTableModel model;
      QSignalSpy done(&model, &MemoryTableModel::pickingDone);
      model.sort(MemoryTableModel::kInstances, Qt::AscendingOrder);
      model.setSnapshot(snapshotOf(e));
      QVERIFY(model.isPicking());
      QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 60000);
      QCOMPARE(shownRows(model), fewest);
    }
    // Another memory shown while the first is ordered: the one shown is ordered.
    const auto other = randomExperiment(dir, 360000, 30000, 20, 17, memlens::Algorithm::kIgTree);
    QVERIFY(other);
    const auto first = snapshotOf(other);
    const auto snapshot = snapshotOf(e);
    MemoryTableModel model;
    model.setSnapshot(first);
    model.setSnapshot(snapshot);
    QTRY_VERIFY_WITH_TIMEOUT(snapshot->byCountIfMade() != nullptr, 60000);
    QCOMPARE(*snapshot->byCountIfMade(), most);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.sort(MemoryTableModel::kInstances, Qt::DescendingOrder);
    QVERIFY(!model.isPicking());
    QCOMPARE(reset.count(), 1);
    QCOMPARE(shownRows(model), most);
    model.sort(MemoryTableModel::kInstances, Qt::AscendingOrder);
    QVERIFY(!model.isPicking());
    QCOMPARE(shownRows(model), fewest);
    QVERIFY(model.setFilter(QStringLiteral("w7"), MemoryFilterScope::kContext));
    QTRY_VERIFY_WITH_TIMEOUT(!model.isPicking(), 60000);
    std::vector<uint32_t> picked;
    for (const uint32_t id : fewest)
      if (std::ranges::count(base.vector(id), e->corpus().vocab.lookup("w7")) > 0)
        picked.push_back(id);
    QVERIFY(!picked.empty());
    QCOMPARE(shownRows(model), picked);
    model.setFilter(QString(), MemoryFilterScope::kContext);
    QVERIFY(!model.isPicking());
    QCOMPARE(shownRows(model), fewest);
  }

  // Over more than kInlineVectors stored vectors a filter and an instance order are picked on a
  // worker: the rows shown stay until the picked ones replace them in one reset, a newer request
  // replaces a running one, and the rows are those an inline pick gives.
  void picksTheRowsOfABigMemoryOnAWorker() {
    QTemporaryDir dir;
    // Random words: nearly every context is new, so the memory has about as many stored vectors.
    const auto e = randomExperiment(dir, 360000, 30000, 20, 11, memlens::Algorithm::kIgTree);
    QVERIFY(e);
    const auto snapshot = snapshotOf(e);
    const auto n = static_cast<int>(snapshot->vectorCount());
    QVERIFY(snapshot->vectorCount() > MemoryTableModel::kInlineVectors);

    MemoryTableModel model;
    model.setSnapshot(snapshot);
    QCOMPARE(model.rowCount(), n);  // every vector in id order: nothing to pick
    QVERIFY(!model.isPicking());
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy done(&model, &MemoryTableModel::pickingDone);
    QVERIFY(model.setFilter(QStringLiteral("w7"), MemoryFilterScope::kEither));
    QVERIFY(model.isPicking());
    QCOMPARE(model.rowCount(), n);  // until the picked rows are there
    model.sort(MemoryTableModel::kInstances, Qt::DescendingOrder);  // replaces the running pick
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 60000);
    QVERIFY(!model.isPicking());
    QCOMPARE(reset.count(), 1);
    const auto expected = snapshot->select(QStringLiteral("w7"), MemoryFilterScope::kEither,
                                           memlens::views::MemoryOrder::kMostInstances);
    QVERIFY(expected.isOk() && !expected->empty());
    QCOMPARE(model.rowCount(), static_cast<int>(expected->size()));
    for (int row = 0; row < model.rowCount(); ++row)
      QCOMPARE(model.storedVector(row), (*expected)[static_cast<size_t>(row)]);

    // Stopped, the rows stay as they were; an unknown token picks nothing, at once.
    model.sort(MemoryTableModel::kId, Qt::AscendingOrder);
    QVERIFY(model.isPicking());
    model.cancelPicking();
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 2, 60000);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.storedVector(0), expected->front());
    QVERIFY(!model.setFilter(QStringLiteral("zebra"), MemoryFilterScope::kEither));
    QVERIFY(!model.isPicking());
    QCOMPARE(model.rowCount(), 0);
  }
};

QTEST_MAIN(TestMemoryTableModel)
#include "tst_memory_table_model.moc"
