// Memory files in the window: a saved memory opens without training (its run keeps the saved
// record's training time, which a retraining would not), answers Inspect, and still opens when its
// corpus text is gone; a project opens from the memory file beside it.
#include <QMessageBox>
#include <QSignalSpy>
#include <QtTest>
#include <cstring>

#include "inspect/inspect_widget.h"
#include "main_window.h"
#include "memfile/memory_file_layout.h"
#include "memlens/memory_file.h"
#include "memlens/project.h"
#include "project_fixture.h"
#include "small_experiment.h"
#include "train/run_table_model.h"
#include "window_steps.h"

using memlens::gui::MainWindow;

namespace {

// Opens `open` in `window` and waits until its run (evaluated, with its curve) is in the table.
bool openAndSettle(MainWindow& window, const std::function<void()>& open) {
  QSignalSpy ready(&window, &MainWindow::memoryReady);
  QSignalSpy settled(&window, &MainWindow::jobSettled);
  auto* runs = window.findChild<memlens::views::RunTableModel*>();
  open();
  if (!ready.wait(60000)) return false;
  while (runs->rowCount() == 0)
    if (!settled.wait(60000)) return false;
  return true;
}

// Opens the memory file at `path`, which the window should refuse: the warning box's reason, or
// an empty string when no box came.
QString refusal(MainWindow& window, const QString& path) {
  QSignalSpy settled(&window, &MainWindow::jobSettled);
  window.openMemory(path);
  if (!settled.wait(60000)) return {};
  QMessageBox* box = memlens::steps::visibleMessageBox(window);
  return box ? box->informativeText() : QString();
}

const memlens::RunRecord& firstRun(MainWindow& window) {
  return *window.findChild<memlens::views::RunTableModel*>()->run(0);
}

}  // namespace

class TestMemoryFileWorkflow : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void init() { QCoreApplication::setOrganizationName(QStringLiteral("MemLensTest")); }

  void opensASavedMemoryWithoutTraining() {
    QTemporaryDir dir;
    const auto saved = memlens::test::smallExperiment(dir, memlens::Algorithm::kIgTree);
    const QString path = dir.filePath(QStringLiteral("grammar.mlm"));
    QVERIFY(memlens::saveMemory(*saved, path.toStdString()).isOk());
    {
      MainWindow window;
      window.show();
      QVERIFY(openAndSettle(window, [&] { window.openMemory(path); }));
      QVERIFY(!memlens::steps::visibleMessageBox(window));
      const memlens::RunRecord& run = firstRun(window);
      QCOMPARE(run.trainSeconds, saved->record().trainSeconds);
      QCOMPARE(run.test.tokens, saved->record().test.tokens);
      QCOMPARE(run.test.accuracy(), saved->record().test.accuracy());
      QCOMPARE(run.test.perplexity(), saved->record().test.perplexity());

      QSignalSpy inspected(&window, &MainWindow::inspected);
      window.findChild<memlens::views::InspectWidget*>()->inspectTestToken(0);
      QVERIFY(inspected.count() > 0 || inspected.wait(60000));
    }
    // Without its corpus text: the memory still opens and says what is missing.
    QVERIFY(QFile::remove(dir.filePath(QStringLiteral("grammar.txt"))));
    MainWindow window;
    window.show();
    QVERIFY(openAndSettle(window, [&] { window.openMemory(path); }));
    QMessageBox* box = memlens::steps::visibleMessageBox(window);
    QVERIFY(box);
    QVERIFY2(box->informativeText().contains(QStringLiteral("grammar.txt")),
             qPrintable(box->informativeText()));
    QCOMPARE(firstRun(window).trainSeconds, saved->record().trainSeconds);
  }

  void aDamagedMemoryIsAClearError() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bad.mlm"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("MEMLENS\0 not a memory", 21);
    file.close();
    MainWindow window;
    window.show();
    const QString why = refusal(window, path);
    QVERIFY2(why.contains(QStringLiteral("bad.mlm")), qPrintable(why));
  }

  // Damage that opening does not look for (a count in a large section, inside its bounds) is found
  // by the check that runs after opening: the memory is dropped with an error naming the section.
  void damageFoundAfterOpeningDropsTheMemory() {
    QTemporaryDir dir;
    const auto saved = memlens::test::smallExperiment(dir, memlens::Algorithm::kIgTree);
    const QString path = dir.filePath(QStringLiteral("damaged.mlm"));
    QVERIFY(memlens::saveMemory(*saved, path.toStdString()).isOk());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QByteArray bytes = file.readAll();
    memlens::MemoryFileLayout::Header header;
    std::memcpy(&header, bytes.constData(), sizeof header);
    for (uint32_t i = 0; i < header.sectionCount; ++i) {
      memlens::MemoryFileLayout::Entry entry;
      std::memcpy(&entry,
                  bytes.constData() + memlens::MemoryFileLayout::kHeaderBytes +
                      i * memlens::MemoryFileLayout::kEntryBytes,
                  sizeof entry);
      // The last byte of the last class count: a count changed, no index.
      if (entry.id == static_cast<uint32_t>(memlens::MemoryFileLayout::Section::kClassCounts))
        bytes[qsizetype(entry.offset + entry.length - 2)] ^= 0x01;
    }
    file.seek(0);
    file.write(bytes);
    file.close();
    QVERIFY(memlens::openMemory(path.toStdString()).isOk());

    MainWindow window;
    window.show();
    const QString why = refusal(window, path);
    QVERIFY2(why.contains(QStringLiteral("section 'class counts' fails its checksum")),
             qPrintable(why));
    QCOMPARE(window.findChild<memlens::views::RunTableModel*>()->rowCount(), 0);
  }

  void opensAProjectFromItsMemoryFile() {
    QTemporaryDir dir;
    const std::string corpus =
        memlens::test::writeFile(dir, "grammar.txt", memlens::test::smallGrammarCorpus());
    const QString path = dir.filePath(QStringLiteral("grammar.memlens"));
    memlens::ProjectOptions options = memlens::test::ib1ProjectOptions();
    options.experiment.window.width = 3;
    QVERIFY(memlens::Project::create(path.toStdString(), {corpus}, options).isOk());
    auto info = memlens::readMemoryFileInfo(memlens::Project::memoryPath(path.toStdString()));
    QVERIFY2(info.isOk(), info.status().message().c_str());
    MainWindow window;
    window.show();
    QVERIFY(openAndSettle(window, [&] { window.openProject(path); }));
    QCOMPARE(firstRun(window).trainSeconds, info->record.trainSeconds);
  }
};

QTEST_MAIN(TestMemoryFileWorkflow)
#include "tst_memory_file_workflow.moc"
