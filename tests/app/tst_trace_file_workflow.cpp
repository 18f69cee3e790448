// A trace JSON written by memlens-cli explain opens on the Inspect tab as it was written, with no
// memory open (nothing else to trace) or beside one (which then traces what is typed); a file
// that is not a trace is a clear error that leaves the page as it was.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QSignalSpy>
#include <QTabWidget>
#include <QtTest>

#include "cli_runner.h"
#include "export_menu.h"
#include "inspect/inspect_widget.h"
#include "inspect/neighbour_table_model.h"
#include "main_window.h"
#include "small_experiment.h"
#include "window_steps.h"

using memlens::gui::MainWindow;

namespace {

// Opens the trace file and waits until the page shows it.
bool openTrace(MainWindow& window, const QString& path) {
  QSignalSpy inspected(&window, &MainWindow::inspected);
  window.openTrace(path);
  return inspected.wait(30000);
}

}  // namespace

class TestTraceFileWorkflow : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  QString text_, memory_, trace_;
  QByteArray json_;

 private Q_SLOTS:
  void initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("MemLensTest"));
    text_ = QString::fromStdString(
        memlens::test::writeFile(dir_, "grammar.txt", memlens::test::smallGrammarCorpus()));
    memory_ = dir_.filePath(QStringLiteral("grammar.mlm"));
    const QStringList memoryOptions = {"--model", "ib1", "-k", "3", "--width", "3"};
    auto saved = memlens::test::runCli(QStringList{"train"} + memoryOptions +
                                       QStringList{"--save", memory_, text_});
    QVERIFY2(saved.exitCode == 0, saved.err.constData());
    auto explained = memlens::test::runCli(
        {"explain", "--memory", memory_, "--context", "the old man", "--json"});
    QVERIFY2(explained.exitCode == 0, explained.err.constData());
    json_ = explained.out;
    trace_ = dir_.filePath(QStringLiteral("trace.json"));
    QFile file(trace_);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(json_);
  }

  void showsATraceWithoutAMemory() {
    MainWindow window;
    window.show();
    QVERIFY(openTrace(window, trace_));
    auto* page = window.findChild<memlens::views::InspectWidget*>();
    QCOMPARE(window.findChild<QTabWidget*>()->currentWidget(), page);
    const auto snapshot = page->snapshot();
    QVERIFY(snapshot);
    QVERIFY(!snapshot->experiment);
    // What the page holds is what the file says, written back byte for byte (as Export does).
    QCOMPARE(memlens::gui::ExportMenu::traceJson(*snapshot), json_);

    // Read independently: the prediction, every neighbour of every bucket, the first one's lines.
    const QJsonObject o = QJsonDocument::fromJson(json_).object();
    const QList<QLabel*> prediction = page->findChildren<QLabel*>();
    QVERIFY(std::any_of(prediction.begin(), prediction.end(), [&](QLabel* l) {
      return l->isVisible() && l->text() == o[QStringLiteral("prediction")].toString();
    }));
    qsizetype neighbours = 0;
    for (const QJsonValue& b : o[QStringLiteral("buckets")].toArray())
      neighbours += b.toObject()[QStringLiteral("neighbours")].toArray().size();
    QVERIFY(neighbours > 1);
    QCOMPARE(page->neighbours()->rowCount(), int(neighbours));
    const QJsonObject first = o[QStringLiteral("buckets")]
                                  .toArray()[0]
                                  .toObject()[QStringLiteral("neighbours")]
                                  .toArray()[0]
                                  .toObject();
    const QString snippet = first[QStringLiteral("provenance")]
                                .toArray()[0]
                                .toObject()[QStringLiteral("snippet")]
                                .toString();
    auto* provenance = page->findChild<QListWidget*>();
    QVERIFY(provenance->count() > 0);
    QVERIFY2(provenance->item(0)->text().contains(snippet),
             qPrintable(provenance->item(0)->text()));

    // No memory: nothing to type a context against, and the status line says so.
    QVERIFY(!page->contextEdit()->isEnabled());
    QCOMPARE(page->contextEdit()->text(), QStringLiteral("the old man"));
    const QString status = page->findChild<QLabel*>(QStringLiteral("inspectStatus"))->text();
    QVERIFY2(status.contains(QStringLiteral("trace.json")) &&
                 status.contains(QStringLiteral("No memory is open")),
             qPrintable(status));
  }

  void tracesAgainstAnOpenMemoryAfterwards() {
    MainWindow window;
    window.show();
    QSignalSpy ready(&window, &MainWindow::memoryReady);
    window.openMemory(memory_);
    QVERIFY(ready.wait(60000));
    QVERIFY(openTrace(window, trace_));
    auto* page = window.findChild<memlens::views::InspectWidget*>();
    QVERIFY(!page->snapshot()->experiment);
    QVERIFY(page->contextEdit()->isEnabled());
    QSignalSpy inspected(&window, &MainWindow::inspected);
    Q_EMIT page->contextRequested(QStringLiteral("a dog sat"));
    QVERIFY(inspected.wait(30000));
    QVERIFY(page->snapshot()->experiment);
    QVERIFY(page->snapshot()->file.isEmpty());
  }

  void refusesWhatIsNotATrace() {
    MainWindow window;
    window.show();
    QVERIFY(openTrace(window, trace_));
    auto* page = window.findChild<memlens::views::InspectWidget*>();
    const auto shown = page->snapshot();
    const QString bad = QString::fromStdString(
        memlens::test::writeFile(dir_, "runs.json", "[{\"algorithm\": \"ib1\"}]\n"));
    window.openTrace(bad);
    QTRY_VERIFY_WITH_TIMEOUT(memlens::steps::visibleMessageBox(window) != nullptr, 30000);
    QMessageBox* box = memlens::steps::visibleMessageBox(window);
    QVERIFY2(box->text().contains(QStringLiteral("runs.json")), qPrintable(box->text()));
    QVERIFY2(box->informativeText().contains(QStringLiteral("not a trace")),
             qPrintable(box->informativeText()));
    box->close();
    QCOMPARE(page->snapshot(), shown);
  }
};

QTEST_MAIN(TestTraceFileWorkflow)
#include "tst_trace_file_workflow.moc"
