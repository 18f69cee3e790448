// A TiMBL instance base in the window: it opens as a memory without text (nothing to evaluate,
// no provenance, said on the status bar), answers Inspect, gets its provenance when its training
// text is attached, refuses other text with the counts that differ, and a bad .ibase is a clear
// error.
#include <QAction>
#include <QComboBox>
#include <QMessageBox>
#include <QSignalSpy>
#include <QStatusBar>
#include <QtTest>

#include "cli_runner.h"
#include "inspect/inspect_widget.h"
#include "main_window.h"
#include "small_experiment.h"
#include "window_steps.h"

using memlens::gui::MainWindow;

namespace {

QAction* action(MainWindow& window, const QString& text) {
  for (QAction* a : window.findChildren<QAction*>())
    if (a->text() == text) return a;
  return nullptr;
}

// Runs `open` and waits until the window has settled what it started.
bool settle(MainWindow& window, const std::function<void()>& open) {
  QSignalSpy settled(&window, &MainWindow::jobSettled);
  open();
  return settled.wait(60000);
}

// The Inspect page's answer for `context`.
std::shared_ptr<const memlens::views::InspectSnapshot> inspect(MainWindow& window,
                                                               const QString& context) {
  auto* page = window.findChild<memlens::views::InspectWidget*>();
  QSignalSpy inspected(&window, &MainWindow::inspected);
  Q_EMIT page->contextRequested(context);
  if (!inspected.wait(60000)) return nullptr;
  return page->snapshot();
}

}  // namespace

class TestTimblBaseWorkflow : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  QString text_, otherText_, base_;

 private Q_SLOTS:
  void initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("MemLensTest"));
    const std::string grammar = memlens::test::smallGrammarCorpus();
    text_ = QString::fromStdString(memlens::test::writeFile(dir_, "grammar.txt", grammar));
    otherText_ = QString::fromStdString(
        memlens::test::writeFile(dir_, "other.txt", grammar.substr(0, grammar.size() / 2)));
    const QString instances = dir_.filePath(QStringLiteral("grammar.inst"));
    base_ = dir_.filePath(QStringLiteral("grammar.ibase"));
    for (const QStringList& args :
         {QStringList{"instances", "--tokeniser", "spaces", "--width", "3", text_, "-o", instances},
          QStringList{"timbl", "-a0", "-f", instances, "-I", base_}}) {
      const auto r = memlens::test::runCli(args);
      QVERIFY2(r.exitCode == 0, r.err.constData());
    }
  }

  void opensABaseThatInspectsWithoutProvenance() {
    MainWindow window;
    window.show();
    QVERIFY(settle(window, [&] { window.openMemory(base_); }));
    QVERIFY(!memlens::steps::visibleMessageBox(window));
    const QString status = window.statusBar()->currentMessage();
    QVERIFY2(status.contains(QStringLiteral("no provenance")), qPrintable(status));
    QVERIFY(action(window, QStringLiteral("Attach &Training Text…"))->isEnabled());
    QVERIFY(!action(window, QStringLiteral("Save Memory &As…"))->isEnabled());
    // The toolbar names the tokeniser the base was read with, not the box's "Words".
    auto* tokeniser = window.findChild<QComboBox*>(QStringLiteral("tokeniserBox"));
    QVERIFY(tokeniser);
    QVERIFY2(tokeniser->currentText().startsWith(QStringLiteral("spaces")),
             qPrintable(tokeniser->currentText()));
    auto snapshot = inspect(window, QStringLiteral("the cat sat"));
    QVERIFY(snapshot && snapshot->trace);
    QVERIFY(!snapshot->experiment->hasProvenance());
    QVERIFY(!snapshot->trace->buckets.empty());
    for (const auto& n : snapshot->trace->buckets.front().neighbours) {
      QVERIFY(n.instanceCount > 0);
      QVERIFY(n.provenance.empty());
    }
  }

  void attachingItsTextGivesProvenance() {
    MainWindow window;
    window.show();
    QVERIFY(settle(window, [&] { window.openMemory(base_); }));
    // Other text first: refused, saying which counts differ; the base stays open.
    QVERIFY(settle(window, [&] { window.attachTrainingText({otherText_}); }));
    QMessageBox* box = memlens::steps::visibleMessageBox(window);
    QVERIFY(box);
    QVERIFY2(box->informativeText().contains(QStringLiteral("the base holds")),
             qPrintable(box->informativeText()));
    box->close();
    QVERIFY(settle(window, [&] { window.attachTrainingText({text_}); }));
    QVERIFY(!memlens::steps::visibleMessageBox(window));
    QVERIFY(!action(window, QStringLiteral("Attach &Training Text…"))->isEnabled());
    auto snapshot = inspect(window, QStringLiteral("the cat sat"));
    QVERIFY(snapshot && snapshot->trace);
    QVERIFY(snapshot->experiment->hasProvenance());
    const auto& n = snapshot->trace->buckets.front().neighbours.front();
    QVERIFY(!n.provenance.empty());
    QCOMPARE(QString::fromStdString(n.provenance.front().path), text_);
  }

  void aBadBaseIsAClearError() {
    const QString bad = dir_.filePath(QStringLiteral("bad.ibase"));
    QFile file(bad);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("# Status: complete\n# Permutation: < 1, 2 >\nnot a base\n");
    file.close();
    MainWindow window;
    window.show();
    QVERIFY(settle(window, [&] { window.openMemory(bad); }));
    QMessageBox* box = memlens::steps::visibleMessageBox(window);
    QVERIFY(box);
    QVERIFY2(box->informativeText().contains(QStringLiteral("bad.ibase")),
             qPrintable(box->informativeText()));
  }
};

QTEST_MAIN(TestTimblBaseWorkflow)
#include "tst_timbl_base_workflow.moc"
