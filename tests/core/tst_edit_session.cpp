#include <QtTest>

#include "memlens/edit_session.h"
#include "memlens/job_control.h"
#include "small_experiment.h"

using namespace memlens;

namespace {

// A journal that records nothing, or refuses every step like a full disk.
class CountingJournal : public EditJournal {
 public:
  bool refuse = false;
  int commits = 0, undos = 0, redos = 0;
  Status recordCommit(const MemoryEdit&) override { return answer(commits); }
  Status recordUndo() override { return answer(undos); }
  Status recordRedo() override { return answer(redos); }

 private:
  Status answer(int& calls) {
    ++calls;
    return refuse ? Status::ioError("No space left on device") : Status::ok();
  }
};

uint64_t countCorrect(const EditedMemory& m) {
  uint64_t n = 0;
  for (size_t i = 0; i < m.probe().size(); ++i)
    n += m.probePredictions()[i] == m.probe().classes[i] ? 1 : 0;
  return n;
}

// The edit deleting stored vector `id` of the trained memory.
MemoryEdit deleteOf(const Experiment& e, uint32_t id) {
  MemoryEdit edit;
  edit.kind = EditKind::kDeleteVector;
  const auto v = e.classifier().memory().vector(id);
  edit.features.assign(v.begin(), v.end());
  return edit;
}

}  // namespace

class TestEditSession : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    trained_ = test::smallExperiment(dir_, Algorithm::kIb1);
  }

  // A preview's account is what committing it does; the counts agree with the predictions.
  void previewAccountsForTheCommit() {
    auto session = EditSession::open(trained_, trained_->test(), {});
    QVERIFY2(session.isOk(), session.status().message().c_str());
    EditSession& s = **session;
    auto memory = s.memory();
    QVERIFY(memory.isOk());
    QCOMPARE(memory->get(), trained_.get());  // nothing retrained, nothing copied
    QCOMPARE(s.correct(), countCorrect(s.edited()));
    // The first stored vector whose deletion flips a probe token.
    std::optional<EditedMemory::Preview> flipping;
    for (uint32_t id = 0; id < trained_->classifier().memory().vectorCount() && !flipping; ++id) {
      auto preview = s.preview(deleteOf(*trained_, id));
      QVERIFY2(preview.isOk(), preview.status().message().c_str());
      if (!preview->changed.empty()) flipping = std::move(*preview);
    }
    QVERIFY(flipping.has_value());
    const ProbeChange planned = s.changeOf(*flipping);
    CountingJournal journal;
    auto done = s.commit(std::move(*flipping), &journal);
    QVERIFY2(done.isOk(), done.status().message().c_str());
    QCOMPARE(journal.commits, 1);
    QCOMPARE(done->changed.size(), planned.changed.size());
    for (size_t i = 0; i < planned.changed.size(); ++i) {
      QCOMPARE(done->changed[i].probeIndex, planned.changed[i].probeIndex);
      QCOMPARE(done->changed[i].newClassId, planned.changed[i].newClassId);
    }
    QCOMPARE(done->correctBefore, planned.correctBefore);
    QCOMPARE(done->correctAfter, planned.correctAfter);
    QCOMPARE(done->correctAfter, countCorrect(s.edited()));
    QCOMPARE(done->slotsAfter, planned.slotsAfter);
    QCOMPARE(done->slotsAfter + 1, done->slotsBefore);
    memory = s.memory();
    QVERIFY(memory.isOk());
    QVERIFY(memory->get() != trained_.get());
    QCOMPARE((*memory)->classifier().memory().vectorCount(), done->slotsAfter);
    // Undo flips the same tokens back.
    auto undone = s.undo(&journal);
    QVERIFY(undone.isOk());
    QCOMPARE(journal.undos, 1);
    QCOMPARE(undone->changed.size(), planned.changed.size());
    QCOMPARE(undone->correctAfter, planned.correctBefore);
    QCOMPARE(s.memory()->get(), trained_.get());
  }

  // A step the journal refuses is taken back: the memory stays what the file says.
  void refusedStepsAreTakenBack() {
    auto session = EditSession::open(trained_, trained_->test(), {});
    QVERIFY(session.isOk());
    EditSession& s = **session;
    CountingJournal journal;
    auto preview = s.preview(deleteOf(*trained_, 0));
    QVERIFY(preview.isOk());
    QVERIFY(s.commit(std::move(*preview), &journal).isOk());
    const std::vector<uint32_t> committed = s.edited().probePredictions();
    journal.refuse = true;
    auto undone = s.undo(&journal);
    QVERIFY(!undone.isOk());
    QVERIFY2(undone.status().message().find("No space left on device") != std::string::npos,
             undone.status().message().c_str());
    QCOMPARE(s.edited().edits().size(), size_t{1});
    QCOMPARE(s.edited().probePredictions(), committed);
    auto again = s.preview(deleteOf(*trained_, 1));
    QVERIFY(again.isOk());
    QVERIFY(!s.commit(std::move(*again), &journal).isOk());
    QCOMPARE(journal.commits, 2);
    QCOMPARE(s.edited().edits().size(), size_t{1});
    QCOMPARE(s.edited().probePredictions(), committed);
  }

  // A commit, undo or redo cancelled changes nothing, also when it would take a kept memory back
  // without polling: the memory, its edits, the redo history, the journal; the preview commits
  // afterwards.
  void cancelledStepsChangeNothing() {
    EditSession::Options options;
    options.keepTrainedWeights = true;  // edited in place: undo and redo take kept memories back
    auto session = EditSession::open(trained_, trained_->test(), options);
    QVERIFY(session.isOk());
    EditSession& s = **session;
    CountingJournal journal;
    JobControl cancelled;
    cancelled.cancel();
    const auto unchanged = [&](size_t edits, size_t undone, const std::vector<uint32_t>& before) {
      QCOMPARE(s.edited().edits().size(), edits);
      QCOMPARE(s.edited().undone().size(), undone);
      QCOMPARE(s.edited().probePredictions(), before);
      QCOMPARE(journal.commits + journal.undos + journal.redos, static_cast<int>(edits + undone));
    };
    const std::vector<uint32_t> trained = s.edited().probePredictions();
    auto preview = s.preview(deleteOf(*trained_, 0));
    QVERIFY(preview.isOk());
    QVERIFY(s.commit(*preview, &journal, &cancelled).status().isCancelled());
    unchanged(0, 0, trained);
    QVERIFY(s.commit(std::move(*preview), &journal).isOk());
    const std::vector<uint32_t> committed = s.edited().probePredictions();
    QVERIFY(s.undo(&journal, &cancelled).status().isCancelled());
    unchanged(1, 0, committed);
    QVERIFY(s.undo(&journal).isOk());
    QVERIFY(s.redo(&journal, &cancelled).status().isCancelled());
    QCOMPARE(s.edited().edits().size(), size_t{0});
    QCOMPARE(s.edited().undone().size(), size_t{1});
    QCOMPARE(s.edited().probePredictions(), trained);
    QCOMPARE(journal.redos, 0);
    QVERIFY(s.redo(&journal).isOk());
    QCOMPARE(s.edited().probePredictions(), committed);
  }

  // Replayed edits are in effect on open; kept weights are the trained ones after them.
  void replaysAndKeepsTrainedWeights() {
    EditSession::Options options;
    options.keepTrainedWeights = true;
    options.edits = {deleteOf(*trained_, 0), deleteOf(*trained_, 1)};
    options.undone = {deleteOf(*trained_, 2)};
    auto session = EditSession::open(trained_, trained_->test(), options);
    QVERIFY2(session.isOk(), session.status().message().c_str());
    EditSession& s = **session;
    QCOMPARE(s.edited().edits().size(), size_t{2});
    QCOMPARE(s.edited().undone().size(), size_t{1});
    QCOMPARE(s.edited().classifier().memory().vectorCount() + 2,
             trained_->classifier().memory().vectorCount());
    QCOMPARE(s.edited().classifier().weights(), trained_->classifier().weights());
    QVERIFY(s.redo(nullptr).isOk());
    QCOMPARE(s.edited().classifier().weights(), trained_->classifier().weights());
  }

 private:
  QTemporaryDir dir_;
  std::shared_ptr<const Experiment> trained_;
};

QTEST_GUILESS_MAIN(TestEditSession)
#include "tst_edit_session.moc"
