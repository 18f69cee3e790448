#include <QApplication>
#include <QDir>
#include <QFileDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QMenu>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTimer>
#include <QtTest>

#include "inspect/inspect_widget.h"
#include "main_window.h"
#include "memlens/trace.h"
#include "memlens/trace_json.h"
#include "memlens/vector_trace.h"
#include "small_experiment.h"
#include "window_workflow.h"

using memlens::gui::MainWindow;
using memlens::views::InspectWidget;

namespace {

QMenu* exportMenu(MainWindow& window) {
  for (QMenu* menu : window.findChildren<QMenu*>()) {
    if (menu->title() == QStringLiteral("&Export")) return menu;
  }
  return nullptr;
}

// The menu's "Trace as JSON…" action as the menu shows it now.
QAction* traceAction(QMenu* menu) {
  Q_EMIT menu->aboutToShow();
  for (QAction* action : menu->actions()) {
    if (action->text() == QStringLiteral("Trace as JSON…")) return action;
  }
  return nullptr;
}

// Triggers `action` and answers the save dialog it opens with `path`, typed into the name field
// as a user would (selectFile() leaves that field alone while it has focus). The dialog may put
// its suggested name back once its folder has loaded, so it is accepted only when the name typed
// a tick before is still there.
void triggerSavingTo(QAction* action, const QString& path) {
  QTimer answer;
  answer.setInterval(20);
  QObject::connect(&answer, &QTimer::timeout, [&answer, path] {
    auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
    if (!dialog) return;
    if (dialog->selectedFiles() != QStringList{path}) {
      auto* name = dialog->findChild<QLineEdit*>(QStringLiteral("fileNameEdit"));
      QVERIFY2(name, "the save dialog has no file name field");
      name->setText(path);
      return;
    }
    answer.stop();
    static_cast<QDialog*>(dialog)->accept();  // QFileDialog::accept() is protected
  });
  answer.start();
  action->trigger();
}

QJsonObject readJson(const QString& path, QByteArray* bytes) {
  bytes->clear();
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return {};
  *bytes = file.readAll();
  return QJsonDocument::fromJson(*bytes).object();
}

// 600 lines over 120 word types (the vector memory's 64 dimensions need more types than the small
// grammar has), each line a run of consecutive types from a fixed pseudo-random start.
std::string wideCorpus() {
  std::string text;
  uint32_t state = 99;
  for (int line = 0; line < 600; ++line) {
    state = state * 1103515245u + 12345u;
    const uint32_t start = (state >> 16) % 120;
    for (uint32_t w = 0; w < 6; ++w)
      text += "w" + std::to_string((start + w) % 120) + (w < 5 ? " " : "\n");
  }
  return text;
}

QString text(const memlens::Experiment& e, uint32_t id) {
  return QString::fromStdString(std::string(e.corpus().vocab.text(id)));
}

}  // namespace

// File ▸ Export ▸ Trace as JSON…: the trace on the Inspect tab, written to the file the user
// picks, as the core writes that trace.
class TestExportMenu : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void init() { QCoreApplication::setOrganizationName(QStringLiteral("MemLensTest")); }

  void exportsTheInspectedTrace() {
    QTemporaryDir dir;
    MainWindow window;
    QVERIFY(
        memlens::test::showWithCorpus(window, dir, "g.txt", memlens::test::smallGrammarCorpus()));
    auto* inspect = window.findChild<InspectWidget*>();
    QMenu* menu = exportMenu(window);
    QVERIFY(inspect && menu);
    QAction* action = traceAction(menu);
    QVERIFY(action);
    QVERIFY2(!action->isEnabled(), "no trace to export before anything is inspected");

    // IB1: a test token's trace, with its buckets and their provenance.
    QVERIFY(memlens::test::trainInWindow(window, memlens::Algorithm::kIb1));
    QVERIFY(!traceAction(menu)->isEnabled());
    QSignalSpy inspected(&window, &MainWindow::inspected);
    inspect->inspectTestToken(5);
    QVERIFY(inspected.wait(20000));
    const std::shared_ptr<const memlens::Experiment> ib1 = inspect->snapshot()->experiment;
    action = traceAction(menu);
    QVERIFY(action && action->isEnabled());
    const QString path = dir.filePath(QStringLiteral("trace.json"));
    triggerSavingTo(action, path);
    QVERIFY2(window.statusBar()->currentMessage().contains(QStringLiteral("Exported the trace")),
             qPrintable(window.statusBar()->currentMessage()));

    const memlens::Trace expected = memlens::traceContext(*ib1, ib1->test().instance(5));
    QByteArray bytes;
    const QJsonObject o = readJson(path, &bytes);
    QCOMPARE(bytes, QByteArray::fromStdString(memlens::traceToJson(expected, *ib1)) + '\n');
    QCOMPARE(o[QStringLiteral("prediction")].toString(), text(*ib1, expected.prediction.classId));
    const QJsonArray context = o[QStringLiteral("context")].toArray();
    QCOMPARE(context.size(), qsizetype(expected.context.size()));
    for (size_t i = 0; i < expected.context.size(); ++i)
      QCOMPARE(context[qsizetype(i)].toString(), text(*ib1, expected.context[i]));
    const QJsonArray buckets = o[QStringLiteral("buckets")].toArray();
    QCOMPARE(buckets.size(), qsizetype(expected.buckets.size()));
    QVERIFY(!expected.buckets.empty());
    const memlens::NeighbourTrace& nearest = expected.buckets.front().neighbours.front();
    const QJsonObject shown =
        buckets[0].toObject()[QStringLiteral("neighbours")].toArray()[0].toObject();
    QCOMPARE(shown[QStringLiteral("storedVector")].toInteger(), qint64(nearest.storedVector));
    QCOMPARE(shown[QStringLiteral("instances")].toInteger(), qint64(nearest.instanceCount));
    QCOMPARE(shown[QStringLiteral("provenance")].toArray().size(),
             qsizetype(nearest.provenance.size()));
    QCOMPARE(shown[QStringLiteral("provenance")]
                 .toArray()[0]
                 .toObject()[QStringLiteral("line")]
                 .toInteger(),
             qint64(nearest.provenance.front().line));
    // Written whole, in place: nothing else left beside it.
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files),
             QStringList({QStringLiteral("g.txt"), QStringLiteral("trace.json")}));

    // The vector memory's trace: its slots. A new memory shows no trace until one is asked for.
    QSignalSpy settled(&window, &MainWindow::jobSettled);
    window.openPaths(
        {QString::fromStdString(memlens::test::writeFile(dir, "wide.txt", wideCorpus()))});
    QVERIFY(settled.wait(30000));
    QVERIFY(memlens::test::trainInWindow(window, memlens::Algorithm::kVectorMemory));
    QVERIFY(!traceAction(menu)->isEnabled());
    inspected.clear();
    inspect->inspectTestToken(2);
    QVERIFY(inspected.wait(60000));
    // The memory traced: the trained one, or a variant when the tuned T is below what the page's
    // box can show (it then retrains with the box's value, on a one-token test part).
    const std::shared_ptr<const memlens::Experiment> vector = inspect->snapshot()->experiment;
    const std::vector<uint32_t> vectorContext = inspect->snapshot()->context;
    QCOMPARE(vector->record().options.classifier.algorithm, memlens::Algorithm::kVectorMemory);
    const QString vectorPath = dir.filePath(QStringLiteral("vector.json"));
    triggerSavingTo(traceAction(menu), vectorPath);
    auto vectorTrace = memlens::traceVectorMemory(*vector, vectorContext);
    QVERIFY(vectorTrace.isOk());
    const QJsonObject v = readJson(vectorPath, &bytes);
    QCOMPARE(bytes, QByteArray::fromStdString(memlens::traceToJson(*vectorTrace, *vector)) + '\n');
    QCOMPARE(v[QStringLiteral("memoryPrediction")].toString(),
             text(*vector, vectorTrace->memoryPrediction));
    QCOMPARE(v[QStringLiteral("slots")].toArray().size(), qsizetype(vectorTrace->slots.size()));
    QCOMPARE(v[QStringLiteral("lambda")].toDouble(), vectorTrace->lambda);
  }
};

QTEST_MAIN(TestExportMenu)
#include "tst_export_menu.moc"
