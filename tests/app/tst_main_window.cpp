#include <QLabel>
#include <QMessageBox>
#include <QSignalSpy>
#include <QTimer>
#include <QtTest>

#include "gui_watchdog.h"
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

  // The GUI thread keeps its event loop turning while the KJV loads on the job runner.
  void guiThreadNeverBlockedDuringLoad() {
    MainWindow window;
    window.show();
    QSignalSpy settled(&window, &MainWindow::jobSettled);
    memlens::test::GuiWatchdog watchdog;
    window.openPaths({QStringLiteral(MEMLENS_DEMO_CORPUS)});
    QVERIFY(settled.wait(60000));
    watchdog.stop();
    QVERIFY(figure(window, "tokensValue") != QStringLiteral("—"));
    QVERIFY2(watchdog.worstGap() < memlens::test::GuiWatchdog::kLimitMs,
             qPrintable(QString("GUI thread blocked for %1 ms").arg(watchdog.worstGap())));
  }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
