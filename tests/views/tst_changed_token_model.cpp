#include <QAbstractItemModelTester>
#include <QFileInfo>
#include <QTest>

#include "memlens/edited_memory.h"
#include "memory/changed_token_model.h"
#include "small_experiment.h"

using memlens::views::ChangedTokenModel;
using memlens::views::MemoryChange;
using memlens::views::MemorySnapshot;

namespace {

QString text(const memlens::Experiment& e, uint32_t id) {
  return QString::fromStdString(std::string(e.corpus().vocab.text(id)));
}

// What deleting the vector with the most instances changes on the test set.
std::shared_ptr<const MemoryChange> deletionOfBiggest(
    const std::shared_ptr<const memlens::Experiment>& e) {
  auto memory = std::move(*memlens::EditedMemory::create(
      std::shared_ptr<const memlens::TokenisedCorpus>(e, &e->corpus()), e->train(), e->test(),
      e->record().options.classifier));
  const auto snapshot = std::make_shared<const MemorySnapshot>(MemorySnapshot::of(e));
  memlens::MemoryEdit edit;
  edit.kind = memlens::EditKind::kDeleteVector;
  const auto v = snapshot->memory().vector((*snapshot->byCount())->front());
  edit.features.assign(v.begin(), v.end());
  auto preview = memory->preview(edit);
  if (!preview) qFatal("%s", preview.status().message().c_str());
  auto change = std::make_shared<MemoryChange>();
  change->preview = true;
  change->memory = snapshot;
  change->probe = std::make_shared<const memlens::InstanceSet>(e->test());
  change->changed = preview->changed;
  return change;
}

}  // namespace

class TestChangedTokenModel : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void passesTheModelTester() {
    QTemporaryDir dir;
    const auto e = memlens::test::smallExperiment(dir, memlens::Algorithm::kIgTree);
    ChangedTokenModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    model.setChange(deletionOfBiggest(e));
    QVERIFY(model.rowCount() > 0);
    auto none = std::make_shared<MemoryChange>();  // an edit that changes no prediction
    none->memory = model.change()->memory;
    none->probe = model.change()->probe;
    model.setChange(none);
    QCOMPARE(model.rowCount(), 0);
    model.setChange(nullptr);
    QCOMPARE(model.rowCount(), 0);
  }

  // Each row is one ChangedToken, told with the test set's own context and truth.
  void rowsShowTheChangedTokens() {
    QTemporaryDir dir;
    const auto e = memlens::test::smallExperiment(dir, memlens::Algorithm::kIb1);
    ChangedTokenModel model;
    const auto change = deletionOfBiggest(e);
    model.setChange(change);
    QCOMPARE(model.rowCount(), static_cast<int>(change->changed.size()));
    QVERIFY(model.rowCount() > 0);
    for (int row = 0; row < model.rowCount(); ++row) {
      const memlens::ChangedToken& c = change->changed[static_cast<size_t>(row)];
      const auto cell = [&](int column) { return model.index(row, column).data().toString(); };
      QCOMPARE(
          model.index(row, 0).data(static_cast<int>(ChangedTokenModel::Role::ProbeIndex)).toInt(),
          static_cast<int>(c.probeIndex));
      QCOMPARE(cell(ChangedTokenModel::kToken), QString::number(c.probeIndex));
      QCOMPARE(cell(ChangedTokenModel::kTruth), text(*e, e->test().classes[c.probeIndex]));
      QCOMPARE(cell(ChangedTokenModel::kBefore), text(*e, c.oldClassId));
      QCOMPARE(cell(ChangedTokenModel::kAfter), text(*e, c.newClassId));
      QStringList words;
      for (uint32_t v : e->test().instance(c.probeIndex)) words.append(text(*e, v));
      QCOMPARE(cell(ChangedTokenModel::kContext), words.join(QLatin1Char(' ')));
      const auto p = e->corpus().tokens.position(e->test().sources[c.probeIndex]);
      QCOMPARE(
          cell(ChangedTokenModel::kSource),
          QStringLiteral("%1:%2")
              .arg(QFileInfo(QString::fromStdString(e->corpus().corpus->document(p.document).path))
                       .fileName())
              .arg(p.line));
    }
  }
};

QTEST_MAIN(TestChangedTokenModel)
#include "tst_changed_token_model.moc"
