#include <QComboBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTextBrowser>
#include <QtTest>
#include <algorithm>

#include "corpus/corpus_text_view.h"
#include "inspect/inspect_widget.h"
#include "main_window.h"
#include "memlens/trace.h"
#include "small_experiment.h"
#include "test_support.h"
#include "train/train_options_widget.h"

using memlens::gui::MainWindow;
using memlens::views::CorpusTextView;
using memlens::views::InspectWidget;

class TestTextWorkflow : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void init() { QCoreApplication::setOrganizationName(QStringLiteral("MemLensTest")); }

  // Open, train, then click tokens on the Text tab: a test token is inspected as that test token,
  // a training token by the context before it.
  void clickedTokensAreInspected() {
    QTemporaryDir dir;
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    auto* text = window.findChild<CorpusTextView*>();
    auto* page = window.findChild<InspectWidget*>();
    QVERIFY(text && page);
    QSignalSpy settled(&window, &MainWindow::jobSettled);
    window.openPaths({QString::fromStdString(
        memlens::test::writeFile(dir, "g.txt", memlens::test::smallGrammarCorpus()))});
    QVERIFY(settled.wait(30000));
    QVERIFY2(text->browser()->toPlainText().contains(QStringLiteral("g.txt:1")),
             "the text is on the tab once the corpus is open");
    QVERIFY(!text->tintBox()->isEnabled());

    memlens::ExperimentOptions ib1;
    ib1.window.width = 3;
    ib1.classifier.algorithm = memlens::Algorithm::kIb1;
    window.findChild<memlens::views::TrainOptionsWidget*>()->setOptions(ib1);
    QVERIFY(window.startTraining());
    QVERIFY(settled.wait(60000));
    QVERIFY(text->tintBox()->isEnabled());

    QSignalSpy inspected(&window, &MainWindow::inspected);
    QVERIFY2(text->browser()->toHtml().contains(QStringLiteral("background-color")),
             "test tokens are tinted after the run");
    const auto tabs = window.findChild<QTabWidget*>(QStringLiteral("tabs"));
    tabs->setCurrentWidget(text);
    // A first click (the third word of the text) shows the memory, and with it the test set.
    Q_EMIT text->browser()->anchorClicked(QUrl(QStringLiteral("token:2")));
    QVERIFY(inspected.wait(20000));
    const auto experiment = page->snapshot()->experiment;
    QCOMPARE(tabs->currentWidget(), static_cast<QWidget*>(page));
    const auto& test = experiment->test();
    const size_t index = test.size() / 2;
    Q_EMIT text->browser()->anchorClicked(
        QUrl(QStringLiteral("token:%1").arg(test.sources[index])));
    QVERIFY(inspected.wait(20000));
    QCOMPARE(page->snapshot()->token.value(), test.sources[index]);
    QCOMPARE(page->snapshot()->target, test.classes[index]);

    // A training token: the context before it on its line, padded as the memory pads.
    const auto& train = experiment->train();
    const uint64_t token = train.sources[train.size() / 3];
    Q_EMIT text->browser()->anchorClicked(QUrl(QStringLiteral("token:%1").arg(token)));
    QVERIFY(inspected.wait(20000));
    const auto& stream = experiment->corpus().tokens;
    const uint64_t lineStart = stream.line(stream.lineOf(token)).firstToken;
    std::vector<uint32_t> before(stream.ids().begin() + static_cast<std::ptrdiff_t>(lineStart),
                                 stream.ids().begin() + static_cast<std::ptrdiff_t>(token));
    QCOMPARE(page->snapshot()->context,
             memlens::contextWindow(before, 3, experiment->corpus().paddingId));
    QVERIFY(!page->snapshot()->token.has_value());
  }
};

QTEST_MAIN(TestTextWorkflow)
#include "tst_text_workflow.moc"
