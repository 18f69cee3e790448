#include <QAbstractTextDocumentLayout>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTextBlock>
#include <QTextBrowser>
#include <QtTest>
#include <algorithm>

#include "generate/generate_widget.h"
#include "generate_controller.h"
#include "inspect/inspect_widget.h"
#include "main_window.h"
#include "memlens/edited_memory.h"
#include "memlens/generation.h"
#include "memlens/trace.h"
#include "memory/memory_browser_widget.h"
#include "memory_controller.h"
#include "small_experiment.h"
#include "window_workflow.h"

using memlens::GeneratedToken;
using memlens::gui::GenerateController;
using memlens::gui::MainWindow;
using memlens::gui::MemoryController;
using memlens::views::GenerateWidget;
using memlens::views::InspectWidget;

namespace {

// Where in the output's viewport the link `href` is drawn: the middle of its first character.
QPoint linkPosition(QTextBrowser* browser, const QString& href) {
  QTextDocument* doc = browser->document();
  for (QTextBlock block = doc->begin(); block.isValid(); block = block.next()) {
    for (auto it = block.begin(); !it.atEnd(); ++it) {
      const QTextFragment f = it.fragment();
      if (f.charFormat().anchorHref() != href) continue;
      QTextCursor cursor(doc);
      cursor.setPosition(f.position() + 1);
      return browser->cursorRect(cursor).center() - QPoint(2, 0);
    }
  }
  return {-1, -1};
}

void compareTokens(const std::vector<GeneratedToken>& shown,
                   const std::vector<GeneratedToken>& expected) {
  QCOMPARE(shown.size(), expected.size());
  for (size_t i = 0; i < shown.size(); ++i) {
    QCOMPARE(shown[i].id, expected[i].id);
    QCOMPARE(shown[i].probability, expected[i].probability);
    QCOMPARE(shown[i].context, expected[i].context);
  }
}

}  // namespace

class TestGenerateWorkflow : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void init() { QCoreApplication::setOrganizationName(QStringLiteral("MemLensTest")); }

  // Greedy and top-k continuations are the ones generate() gives with the same options; clicking
  // a generated token inspects the exact context it was predicted from.
  void generatesAndInspectsAToken() {
    QTemporaryDir dir;
    MainWindow window;
    QVERIFY(
        memlens::test::showWithCorpus(window, dir, "g.txt", memlens::test::smallGrammarCorpus()));
    auto* page = window.findChild<GenerateWidget*>();
    auto* controller = window.findChild<GenerateController*>();
    QVERIFY(page && controller);
    auto* empty = page->findChild<QLabel*>(QStringLiteral("generateEmpty"));
    auto* tabs = window.findChild<QTabWidget*>(QStringLiteral("tabs"));
    tabs->setCurrentWidget(page);
    QVERIFY2(empty->isVisible(), "before training the page says to train first");

    QVERIFY(memlens::test::trainInWindow(window, memlens::Algorithm::kIb1));
    tabs->setCurrentWidget(page);
    QVERIFY(!empty->isVisible());

    QSignalSpy generated(controller, &GenerateController::settled);
    page->promptEdit()->setText(QStringLiteral("the old man"));
    page->tokensBox()->setValue(9);
    QTest::mouseClick(page->generateButton(), Qt::LeftButton);
    QVERIFY(generated.wait(20000));
    auto snapshot = page->snapshot();
    QVERIFY(snapshot);
    const memlens::Experiment& trained = *snapshot->experiment;
    QCOMPARE(trained.record().options.classifier.algorithm, memlens::Algorithm::kIb1);
    const auto prompt = trained.corpus().encode("the old man");
    QVERIFY(prompt.isOk());
    memlens::GenerationOptions greedy;
    greedy.tokens = 9;
    auto expected = memlens::generate(trained, *prompt, greedy);
    QVERIFY(expected.isOk());
    compareTokens(snapshot->tokens, *expected);

    page->modeBox()->setCurrentIndex(1);
    page->topKBox()->setValue(3);
    page->seedBox()->setValue(17);
    QTest::keyClick(page->promptEdit(), Qt::Key_Return);
    QVERIFY(generated.wait(20000));
    snapshot = page->snapshot();
    memlens::GenerationOptions sampled;
    sampled.tokens = 9;
    sampled.topK = 3;
    sampled.seed = 17;
    expected = memlens::generate(trained, *prompt, sampled);
    QVERIFY(expected.isOk());
    compareTokens(snapshot->tokens, *expected);

    // A click on the fourth generated token: Inspect traces its context.
    const QPoint at = linkPosition(page->output(), GenerateWidget::tokenUrl(3).toString());
    QVERIFY(at.x() >= 0);
    QSignalSpy inspected(&window, &MainWindow::inspected);
    QTest::mouseClick(page->output()->viewport(), Qt::LeftButton, {}, at);
    QVERIFY(inspected.wait(20000));
    auto* inspect = window.findChild<InspectWidget*>();
    QCOMPARE(tabs->currentWidget(), inspect);
    const std::vector<uint32_t>& context = snapshot->tokens[3].context;
    QCOMPARE(inspect->snapshot()->context, context);
    QCOMPARE(inspect->snapshot()->prediction,
             memlens::traceContext(trained, context).prediction.classId);
    QStringList words;
    for (uint32_t id : context) {
      if (id != trained.corpus().paddingId)
        words.append(QString::fromStdString(std::string(trained.corpus().vocab.text(id))));
    }
    QCOMPARE(inspect->contextEdit()->text(), words.join(QLatin1Char(' ')));
  }

  // Once the Memory tab commits a deletion, Generate continues with the edited memory and says
  // so: deleting a stored vector the greedy continuation relied on changes the text, to what
  // generate() gives with the core's own edit of the trained memory.
  void generatesWithTheEditedMemory() {
    QTemporaryDir dir;
    MainWindow window;
    QVERIFY(
        memlens::test::showWithCorpus(window, dir, "g.txt", memlens::test::smallGrammarCorpus()));
    auto* page = window.findChild<GenerateWidget*>();
    auto* controller = window.findChild<GenerateController*>();
    auto* memory = window.findChild<MemoryController*>();
    auto* memoryPage = window.findChild<memlens::views::MemoryBrowserWidget*>();
    QVERIFY(page && controller && memory && memoryPage);
    QSignalSpy memorySettled(memory, &MemoryController::settled);
    QVERIFY(memlens::test::trainInWindow(window, memlens::Algorithm::kIb1));
    QVERIFY(memorySettled.count() > 0 || memorySettled.wait(60000));
    const std::shared_ptr<const memlens::Experiment> trained = memory->memory();
    QVERIFY(trained);
    QVERIFY2(page->memoryLabel()->text().contains(QStringLiteral("the trained ib1 memory")),
             qPrintable(page->memoryLabel()->text()));

    QSignalSpy generated(controller, &GenerateController::settled);
    page->promptEdit()->setText(QStringLiteral("the old man"));
    page->tokensBox()->setValue(12);
    QTest::mouseClick(page->generateButton(), Qt::LeftButton);
    QVERIFY(generated.wait(20000));
    const auto before = page->snapshot();
    QCOMPARE(before->experiment, trained);
    const QString beforeText = page->output()->toPlainText();

    // The nearest stored vector of a generated token's context whose deletion changes the
    // continuation, and the continuation without it: found by the core alone.
    const std::shared_ptr<const memlens::TokenisedCorpus> corpus(trained, &trained->corpus());
    memlens::GenerationOptions greedy;
    greedy.tokens = 12;
    std::vector<uint32_t> deleted;
    std::vector<GeneratedToken> expected;
    for (const GeneratedToken& token : before->tokens) {
      const memlens::Trace t = memlens::traceContext(*trained, token.context);
      QVERIFY(!t.buckets.empty());
      memlens::MemoryEdit edit;
      edit.kind = memlens::EditKind::kDeleteVector;
      edit.features = t.buckets.front().neighbours.front().values;
      auto edited = memlens::EditedMemory::create(corpus, trained->train(), {},
                                                  trained->record().options.classifier, {edit});
      QVERIFY2(edited.isOk(), edited.status().message().c_str());
      auto withEdit = memlens::Experiment::withMemory(trained, (*edited)->instances(),
                                                      (*edited)->sharedClassifier());
      QVERIFY(withEdit.isOk());
      auto tokens = memlens::generate(**withEdit, before->prompt, greedy);
      QVERIFY(tokens.isOk());
      const bool changed = !std::equal(
          tokens->begin(), tokens->end(), before->tokens.begin(), before->tokens.end(),
          [](const GeneratedToken& a, const GeneratedToken& b) { return a.id == b.id; });
      if (changed) {
        deleted = edit.features;
        expected = std::move(*tokens);
        break;
      }
    }
    QVERIFY2(!deleted.empty(), "deleting some stored vector the continuation used changes it");

    // The same deletion on the Memory tab, committed.
    QStringList words;
    for (uint32_t id : deleted)
      words << QString::fromStdString(std::string(trained->corpus().vocab.text(id)));
    memorySettled.clear();
    QVERIFY(memory->previewDeletion(words.join(QLatin1Char(' '))));
    QVERIFY(memorySettled.wait(60000));
    QSignalSpy changed(memory, &MemoryController::memoryChanged);
    QTest::mouseClick(memoryPage->commitButton(), Qt::LeftButton);
    QVERIFY(memorySettled.wait(60000));
    QCOMPARE(changed.size(), 1);
    QVERIFY2(page->memoryLabel()->text().contains(QStringLiteral("the edited ib1 memory")),
             qPrintable(page->memoryLabel()->text()));

    QTest::mouseClick(page->generateButton(), Qt::LeftButton);
    QVERIFY(generated.wait(20000));
    const auto after = page->snapshot();
    QCOMPARE(after->experiment, memory->memory());
    QVERIFY(after->experiment != trained);
    compareTokens(after->tokens, expected);
    QVERIFY(page->output()->toPlainText() != beforeText);
    QVERIFY2(page->statusLabel()->text().contains(QStringLiteral("from the edited ib1 memory")),
             qPrintable(page->statusLabel()->text()));
  }
};

QTEST_MAIN(TestGenerateWorkflow)
#include "tst_generate_workflow.moc"
