#include <QtTest>

#include <algorithm>
#include <clocale>
#include <cstdio>

#include "base/sha256.h"
#include "edit_fixture.h"
#include "memlens/memory_file.h"
#include "memlens/project.h"
#include "project_fixture.h"

using namespace memlens;
using memlens::test::readFile;

namespace {

// Flips a byte in the middle of the file at `path`: damage that opening alone does not see.
bool damageMiddle(const std::string& path) {
  QFile file(QString::fromStdString(path));
  if (!file.open(QIODevice::ReadWrite) || !file.seek(file.size() / 2)) return false;
  const char byte = file.peek(1).at(0);
  return file.write(QByteArray(1, static_cast<char>(byte ^ 0x5a))) == 1;
}

}  // namespace

class TestProject : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void optionsRoundTrip() {
    ProjectOptions o = test::ib1ProjectOptions();
    o.tokeniser.lowercase = true;
    o.experiment.classifier.edAlpha = 0.1;
    o.smoothingBeta = 0.3;
    auto back = ProjectOptions::parse(o.toText());
    QVERIFY2(back.isOk(), back.status().message().c_str());
    QCOMPARE(back->toText(), o.toText());
    QCOMPARE(back->smoothingBeta, 0.3);
    QVERIFY(!back->keepTrainedWeights);
    o.keepTrainedWeights = true;
    QVERIFY(ProjectOptions::parse(o.toText())->keepTrainedWeights);
    // Projects written before the weights choice have no keep-weights line: they recompute.
    std::string old = o.toText();
    old.erase(old.find("keep-weights=1\n"));
    auto legacy = ProjectOptions::parse(old);
    QVERIFY2(legacy.isOk(), legacy.status().message().c_str());
    QVERIFY(!legacy->keepTrainedWeights);
    QVERIFY(!ProjectOptions::parse("width=3\n").isOk());
    QVERIFY(!ProjectOptions::parse(o.toText() + "colour=blue\n").isOk());
  }

  // Enums are stored by name, never by index, so reordering an enum cannot misread a project.
  void optionsNameTheirEnums() {
    ProjectOptions o = test::ib1ProjectOptions();
    o.experiment.classifier.algorithm = Algorithm::kTribl2;
    o.experiment.classifier.weighting = FeatureWeighting::kChiSquare;
    o.experiment.classifier.distanceWeighting = DistanceWeighting::kExponentialDecay;
    o.experiment.classifier.metric = Metric::kMvdm;
    o.experiment.window.blocks = BlockMode::kOlifant;
    const std::string text = o.toText();
    for (const char* line : {"algorithm=tribl2\n", "weighting=x2\n", "distance-weighting=ED\n",
                             "metric=mvdm\n", "blocks=olifant\n", "tokeniser=word\n"})
      QVERIFY2(text.find(line) != std::string::npos, text.c_str());
    auto back = ProjectOptions::parse(text);
    QVERIFY2(back.isOk(), back.status().message().c_str());
    QCOMPARE(back->toText(), text);
    std::string indexed = text;
    indexed.replace(indexed.find("algorithm=tribl2"), 16, "algorithm=2");
    QVERIFY(!ProjectOptions::parse(indexed).isOk());
  }

  // The GUI runs under the user's locale; a decimal comma there must not reach the file, where
  // the reader would refuse "train=0,7".
  void optionsIgnoreTheLocale() {
    const std::string saved = std::setlocale(LC_ALL, nullptr);
    QVERIFY2(std::setlocale(LC_ALL, "de_DE.UTF-8"),
             "the de_DE.UTF-8 locale is missing: run packaging/install-deps.sh");
    char comma[8];
    std::snprintf(comma, sizeof comma, "%.1f", 0.5);
    ProjectOptions o = test::ib1ProjectOptions();
    o.experiment.split.trainFraction = 0.7;
    o.experiment.classifier.edAlpha = 1.5;
    o.smoothingBeta = 0.25;
    const std::string text = o.toText();
    auto back = ProjectOptions::parse(text);
    std::setlocale(LC_ALL, saved.c_str());
    QCOMPARE(std::string(comma), std::string("0,5"));  // the locale does use a decimal comma
    QVERIFY2(text.find("train=0.69999999999999996\n") != std::string::npos, text.c_str());
    QVERIFY2(back.isOk(), back.status().message().c_str());
    QCOMPARE(back->experiment.split.trainFraction, 0.7);
    QCOMPARE(back->experiment.classifier.edAlpha, 1.5);
    QCOMPARE(back->smoothingBeta, 0.25);
  }

  // Edits, a pruning and an undo survive a reopen: same journal, same predictions, and redo
  // still works after the restart.
  void reopenRestoresTheSameMemory() {
    QTemporaryDir dir;
    const auto paths = test::writeMarkovCorpus(dir, 3, 80, 3);
    const std::string path = dir.filePath("p.memlens").toStdString();
    std::vector<uint32_t> afterAll, afterUndo;
    {
      auto p = Project::create(path, paths, test::ib1ProjectOptions());
      QVERIFY2(p.isOk(), p.status().message().c_str());
      Project& project = **p;
      const InstanceSet& train = project.memory().instances();
      auto del = project.preview({EditKind::kDeleteInstance, {}, train.sources[3], 0, 0, {}, ""});
      QVERIFY(project.commit(std::move(*del)).isOk());
      PruneOptions o{PruneStrategy::kCountThreshold, 2};
      auto report = project.prune(o);
      QVERIFY2(report.isOk(), report.status().message().c_str());
      QVERIFY(report->slotsAfter < report->slotsBefore);
      QCOMPARE(report->slotsAfter, project.memory().classifier().memory().vectorCount());
      QCOMPARE(report->before.tokens, uint64_t{project.memory().probe().size()});
      QVERIFY(report->after.perplexity() > 1.0);
      auto surgery = project.preview({EditKind::kRemoveDocument, {}, 0, 1, 0, {}, ""});
      QVERIFY(project.commit(std::move(*surgery)).isOk());
      afterAll = test::probePredictions(project);
      QVERIFY(project.undo().isOk());
      afterUndo = test::probePredictions(project);
      QVERIFY(afterAll != afterUndo);
      QVERIFY(project.recordRun().isOk());
    }
    auto p = Project::open(path);
    QVERIFY2(p.isOk(), p.status().message().c_str());
    QCOMPARE((*p)->memory().edits().size(), size_t{2});
    QCOMPARE((*p)->memory().undone().size(), size_t{1});
    QCOMPARE(test::probePredictions(**p), afterUndo);
    QVERIFY((*p)->redo().isOk());
    QCOMPARE(test::probePredictions(**p), afterAll);
    QCOMPARE((*p)->store().runs()->size(), size_t{1});
    QVERIFY((*p)->store().runs()->front().record.find("\"weightsAfterEdits\":\"recomputed\"") !=
            std::string::npos);
    p = Result<std::unique_ptr<Project>>(Status::cancelled());  // close
    auto again = Project::open(path);
    QCOMPARE(test::probePredictions(**again), afterAll);
    QVERIFY((*again)->memory().undone().empty());
  }

  // Keeping the trained weights: after a pruning the memory still has the unedited memory's
  // weights (those of a fresh classifier on the unedited training set), also after a reopen,
  // and the run record says so. A merge is journaled and replayed like any edit.
  void keptWeightsAndMergeSurviveReopen() {
    QTemporaryDir dir;
    const auto paths = test::writeMarkovCorpus(dir, 3, 80, 3);
    const std::string path = dir.filePath("p.memlens").toStdString();
    ProjectOptions o = test::ib1ProjectOptions();
    o.keepTrainedWeights = true;
    std::vector<double> trained;
    std::vector<uint32_t> afterPruning;
    {
      auto p = Project::create(path, paths, o);
      QVERIFY2(p.isOk(), p.status().message().c_str());
      Project& project = **p;
      auto fresh = std::move(*createClassifier(project.options().experiment.classifier));
      QVERIFY(fresh->train(project.memory().instances()).isOk());
      trained = fresh->weights();
      QCOMPARE(project.memory().classifier().weights(), trained);
      QVERIFY(project.prune({PruneStrategy::kCountThreshold, 2}).isOk());
      auto merged = project.prune({PruneStrategy::kMerge});
      QVERIFY2(merged.isOk(), merged.status().message().c_str());
      QCOMPARE(merged->edit.kind, EditKind::kMerge);
      QVERIFY(merged->slotsAfter < merged->slotsBefore);
      QCOMPARE(project.memory().classifier().weights(), trained);
      afterPruning = test::probePredictions(project);
      QVERIFY(project.recordRun().isOk());

      // A cancelled pruning journals nothing.
      JobControl job;
      job.cancel();
      QVERIFY(project.prune({PruneStrategy::kCondensed}, &job).status().isCancelled());
      QCOMPARE(project.store().journal()->size(), size_t{2});
    }
    auto p = Project::open(path);
    QVERIFY2(p.isOk(), p.status().message().c_str());
    QCOMPARE((*p)->memory().edits().back().kind, EditKind::kMerge);
    QCOMPARE((*p)->memory().classifier().weights(), trained);
    QCOMPARE(test::probePredictions(**p), afterPruning);
    QVERIFY((*p)->store().runs()->front().record.find("\"weightsAfterEdits\":\"kept\"") !=
            std::string::npos);
  }

  // A count-threshold prune after a committed edit under kept weights is answered from the edited
  // memory's stored vectors masked (readied first, as the Memory tab's drag), and leaves what a
  // classifier trained on the instances left under the trained weights answers.
  void countPruneAfterAnEditMasksTheEditedMemory() {
    QTemporaryDir dir;
    ProjectOptions o = test::ib1ProjectOptions();
    o.keepTrainedWeights = true;
    o.experiment.window.width = 4;
    o.experiment.split.trainFraction = 0.8;
    o.experiment.split.validationFraction = 0.1;
    auto p = Project::create(dir.filePath("kjv.memlens").toStdString(), {MEMLENS_DEMO_CORPUS}, o);
    QVERIFY2(p.isOk(), p.status().message().c_str());
    Project& project = **p;
    const std::vector<double> weights = project.memory().classifier().weights();
    const InstanceSet& train = project.memory().instances();
    MemoryEdit del;
    del.kind = EditKind::kDeleteVector;
    del.features.assign(train.instance(train.size() / 2).begin(),
                        train.instance(train.size() / 2).end());
    auto deleted = project.preview(del);
    QVERIFY2(deleted.isOk(), deleted.status().message().c_str());
    QVERIFY(project.commit(std::move(*deleted)).isOk());
    std::vector<std::string> stages;
    JobControl job([&](double, const std::string& stage) {
      if (stages.empty() || stages.back() != stage) stages.push_back(stage);
    });
    auto report = project.prune({PruneStrategy::kCountThreshold, 2}, &job);
    QVERIFY2(report.isOk(), report.status().message().c_str());
    QVERIFY(report->slotsAfter < report->slotsBefore);
    QVERIFY(std::ranges::find(stages, "answering from the planned prune") != stages.end());
    QCOMPARE(project.memory().classifier().memory().vectorCount(), report->slotsAfter);
    ClassifierOptions fixed = project.options().experiment.classifier;
    fixed.fixedWeights = weights;
    auto fresh = std::move(*createClassifier(fixed));
    QVERIFY(fresh->train(project.memory().instances()).isOk());
    std::vector<uint32_t> want;
    for (const Prediction& pr : *fresh->predict(project.memory().probe()))
      want.push_back(pr.classId);
    QCOMPARE(test::probePredictions(project), want);
  }

  // save() writes what open() rebuilds: the edits in effect, the redo history and the runs, with
  // no training; it replaces a file at the path only once complete, and a failed save leaves no
  // file behind.
  void saveWritesWhatOpenRebuilds() {
    QTemporaryDir dir;
    const auto paths = test::writeMarkovCorpus(dir, 3, 80, 3);
    const std::string made = dir.filePath("made.memlens").toStdString();
    const std::string saved = dir.filePath("saved.memlens").toStdString();
    auto p = Project::create(made, paths, test::ib1ProjectOptions());
    QVERIFY2(p.isOk(), p.status().message().c_str());
    Project& project = **p;
    const std::vector<uint64_t> sources =
        project.memory().instances().sources;  // a commit rebuilds it
    for (size_t i : {size_t{3}, size_t{9}, size_t{20}}) {
      auto del = project.preview({EditKind::kDeleteInstance, {}, sources[i], 0, 0, {}, ""});
      QVERIFY(project.commit(std::move(*del)).isOk());
    }
    const std::vector<uint32_t> afterAll = test::probePredictions(project);
    QVERIFY(project.undo().isOk());
    QVERIFY(project.undo().isOk());
    const std::vector<uint32_t> afterUndo = test::probePredictions(project);
    QVERIFY(afterUndo != afterAll);

    test::writeFile(dir, "saved.memlens", "an older file at the path");
    Project::Contents contents{*project.store().corpus(),
                               project.options(),
                               {project.memory().edits(), project.memory().undone()},
                               {"{\"run\":1}", "{\"run\":2}"}};
    QVERIFY2(Project::save(saved, contents).isOk(), "save");
    QVERIFY(!QFile::exists(QString::fromStdString(saved + ".saving")));
    auto back = Project::open(saved);
    QVERIFY2(back.isOk(), back.status().message().c_str());
    QCOMPARE((*back)->options().toText(), project.options().toText());
    QCOMPARE((*back)->memory().edits().size(), size_t{1});
    QCOMPARE((*back)->memory().undone().size(), size_t{2});
    QCOMPARE(test::probePredictions(**back), afterUndo);
    QCOMPARE((*back)->store().runs()->size(), size_t{2});
    QCOMPARE((*back)->store().runs()->back().record, std::string("{\"run\":2}"));
    QVERIFY((*back)->redo().isOk());
    QVERIFY((*back)->redo().isOk());
    QCOMPARE(test::probePredictions(**back), afterAll);

    // Into a folder that does not exist: an error naming the path, nothing written.
    const std::string nowhere = dir.filePath("missing/p.memlens").toStdString();
    Status s = Project::save(nowhere, contents);
    QVERIFY(!s.isOk());
    QVERIFY2(s.message().find("missing") != std::string::npos, s.message().c_str());
    QVERIFY(!QFileInfo::exists(dir.filePath("missing")));
  }

  void changedCorpusIsRefusedAndFileUntouched() {
    QTemporaryDir dir;
    const auto paths = test::writeMarkovCorpus(dir, 2, 40, 4);
    const std::string path = dir.filePath("p.memlens").toStdString();
    QVERIFY(Project::create(path, paths, test::ib1ProjectOptions()).isOk());
    const std::string before = Sha256::of(readFile(path));
    test::writeFile(dir, "doc1.txt", "w1 w2 w3 w4\n");
    auto p = Project::open(path);
    QVERIFY(!p.isOk());
    QVERIFY2(p.status().message().find("changed since the project was made") != std::string::npos,
             p.status().message().c_str());
    QCOMPARE(Sha256::of(readFile(path)), before);
  }

  // A project keeps its trained memory in a memory file beside it: reopening reads it instead
  // of training, and predicts exactly as a reopen that trains (the file deleted, or damaged).
  void reopenReadsTheMemoryFile() {
    QTemporaryDir dir;
    const auto paths = test::writeMarkovCorpus(dir, 3, 80, 3);
    const std::string path = dir.filePath("p.memlens").toStdString();
    const std::string memory = Project::memoryPath(path);
    QCOMPARE(memory, dir.filePath("p.mlm").toStdString());
    QCOMPARE(Project::memoryPath("/a/b"), std::string("/a/b.mlm"));
    for (const Algorithm a : {Algorithm::kIb1, Algorithm::kIgTree, Algorithm::kTribl2}) {
      ProjectOptions options = test::ib1ProjectOptions();
      options.experiment.classifier.algorithm = a;
      // Training reports "building memory"; reading the memory file does not.
      const auto open = [&](bool& trained) {
        trained = false;
        JobControl job(
            [&](double, const std::string& stage) { trained |= stage == "building memory"; },
            std::chrono::milliseconds(0));
        return Project::open(path, &job);
      };
      std::vector<uint32_t> unedited, edited;
      {
        auto p = Project::create(path, paths, options);
        QVERIFY2(p.isOk(), p.status().message().c_str());
        QVERIFY(QFile::exists(QString::fromStdString(memory)));
        unedited = test::probePredictions(**p);
      }
      bool trained = true;
      {
        auto fromFile = open(trained);
        QVERIFY2(fromFile.isOk(), fromFile.status().message().c_str());
        QVERIFY(!trained);
        Project& project = **fromFile;
        QCOMPARE(test::probePredictions(project), unedited);
        QVERIFY(&project.memory().classifier() == &project.experiment().classifier());
        const uint64_t source = project.memory().instances().sources[5];
        auto del = project.preview({EditKind::kDeleteInstance, {}, source, 0, 0, {}, ""});
        QVERIFY(project.commit(std::move(*del)).isOk());
        edited = test::probePredictions(project);
        QVERIFY(edited != unedited);
      }
      {
        auto fromFile = open(trained);
        QVERIFY2(fromFile.isOk(), fromFile.status().message().c_str());
        QCOMPARE(test::probePredictions(**fromFile), edited);
        QVERIFY((*fromFile)->undo().isOk());
        QCOMPARE(test::probePredictions(**fromFile), unedited);
        QVERIFY((*fromFile)->redo().isOk());
      }
      // A damaged memory file is not used: the project trains as it was made.
      QVERIFY(damageMiddle(memory));
      auto retrained = open(trained);
      QVERIFY2(retrained.isOk(), retrained.status().message().c_str());
      // Opening checks this section's checksum lazily; the project checks them all.
      QVERIFY(!verifyMemory(memory).isOk());
      QVERIFY(trained);
      QCOMPARE(test::probePredictions(**retrained), edited);
      retrained = Result<std::unique_ptr<Project>>(Status::cancelled());
      QVERIFY(QFile::remove(QString::fromStdString(memory)));
      auto without = open(trained);
      QVERIFY2(without.isOk(), without.status().message().c_str());
      QVERIFY(trained);
      QCOMPARE(test::probePredictions(**without), edited);
      without = Result<std::unique_ptr<Project>>(Status::cancelled());
      QFile::remove(QString::fromStdString(path));
    }
  }

  // A project is not made from a damaged memory file, though opening alone takes it.
  void damagedMemoryMakesNoProject() {
    QTemporaryDir dir;
    const auto paths = test::writeMarkovCorpus(dir, 3, 80, 3);
    const std::string made = dir.filePath("made.memlens").toStdString();
    QVERIFY(Project::create(made, paths, test::ib1ProjectOptions()).isOk());
    const std::string memory = Project::memoryPath(made);
    QVERIFY(damageMiddle(memory));
    QVERIFY(openMemory(memory).isOk());
    const std::string path = dir.filePath("from.memlens").toStdString();
    auto p = Project::createFromMemory(path, memory, false);
    QVERIFY(!p.isOk());
    QVERIFY2(p.status().message().find("is damaged") != std::string::npos,
             p.status().message().c_str());
    QVERIFY(!QFile::exists(QString::fromStdString(path)));
  }

  void cancelledCreateLeavesNoFile() {
    QTemporaryDir dir;
    const auto paths = test::writeMarkovCorpus(dir, 2, 40, 4);
    const std::string path = dir.filePath("p.memlens").toStdString();
    int reports = 0;
    JobControl job(
        [&](double, const std::string&) {
          if (++reports == 3) job.cancel();
        },
        std::chrono::milliseconds(0));
    auto p = Project::create(path, paths, test::ib1ProjectOptions(), &job);
    QVERIFY(p.status().isCancelled());
    QVERIFY(!QFile::exists(QString::fromStdString(path)));
    QVERIFY(!QFile::exists(QString::fromStdString(Project::memoryPath(path))));
    ProjectOptions vector = test::ib1ProjectOptions();
    vector.experiment.classifier.algorithm = Algorithm::kVectorMemory;
    QVERIFY(!Project::create(path, paths, vector).isOk());
  }
};

QTEST_APPLESS_MAIN(TestProject)
#include "tst_project.moc"
