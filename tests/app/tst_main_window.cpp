#include <QLabel>
#include <QMessageBox>
#include <QSignalSpy>
#include <QTimer>
#include <QtTest>

#include "common/job_runner.h"
#include "event_loop_probe.h"
#include "main_window.h"
#include "test_support.h"

using memlens::gui::MainWindow;
using memlens::test::writeFile;

class TestMainWindow : public QObject {
  Q_OBJECT

  static QString figure(const MainWindow& w, const char* name) {
    auto* label = w.findChild<QLabel*>(QString::fromLatin1(name));
    return label ? label->text() : QStringLiteral("<no label %1>").arg(name);
  }

 private Q_SLOTS:
  void init() { QCoreApplication::setOrganizationName(QStringLiteral("MemLensTest")); }

  void opensCorpusAndKeepsItOnError() {
    QTemporaryDir dir;
    MainWindow window;
    window.show();
    QSignalSpy settled(&window, &MainWindow::jobSettled);
    // In the beginning , God . / And God said → 9 tokens, 8 types.
    window.openPaths({QString::fromStdString(
        writeFile(dir, "c.txt", "In the beginning, God.\nAnd God said\n"))});
    QVERIFY(settled.wait(20000));
    QCOMPARE(figure(window, "tokensValue"), QStringLiteral("9"));
    QCOMPARE(figure(window, "typesValue"), QStringLiteral("8"));

    window.openPaths({QString::fromStdString(writeFile(dir, "bad.bin", std::string("ab\0cd", 5)))});
    QVERIFY(settled.wait(20000));
    QMessageBox* box = nullptr;
    for (QMessageBox* b : window.findChildren<QMessageBox*>()) {
      if (b->isVisible()) box = b;
    }
    QVERIFY2(box, "an error message box should be shown");
    QVERIFY2(box->text().contains("binary") || box->informativeText().contains("binary"),
             qPrintable(box->text() + " / " + box->informativeText()));
    box->close();
    QCOMPARE(figure(window, "tokensValue"), QStringLiteral("9"));  // previous corpus kept
  }

  // The GUI thread keeps its event loop turning while the KJV loads on the job runner: the load
  // still reports progress after an event queued behind its start has been handled. (How long
  // the thread goes between turns is measured by tests/bench/run_gui_bench.sh.)
  void guiThreadKeepsTurningDuringLoad() {
    MainWindow window;
    window.show();
    QSignalSpy settled(&window, &MainWindow::jobSettled);
    memlens::test::EventLoopProbe probe(
        window.findChild<memlens::views::JobRunner*>(QString(), Qt::FindDirectChildrenOnly));
    window.openPaths({QStringLiteral(MEMLENS_DEMO_CORPUS)});
    probe.post();
    QVERIFY(settled.wait(60000));
    QVERIFY(figure(window, "tokensValue") != QStringLiteral("—"));
    QVERIFY(probe.probeRan());
    QVERIFY2(probe.reportsAfterProbe() > 0,
             "the load sent every progress report before the event loop turned once");
  }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
