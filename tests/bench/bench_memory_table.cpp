// The Memory tab at a million stored vectors: random text (log-uniform over 30,000 types, so
// nearly every width-4 context is new) trained as IGTree, shown in the real MemoryBrowserWidget
// offscreen. Prints the time to snapshot the memory, to show it, to repaint the table after jumps
// to random rows, to sort it by instances and to filter it by a token; checks the row counts.
// Usage: bench_memory_table [TOKENS]   (default 1,500,000: about 1.2M stored vectors)
#include <QApplication>
#include <QHeaderView>
#include <QLineEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "memlens/experiment.h"
#include "memory/memory_browser_widget.h"
#include "memory/memory_snapshot.h"
#include "memory/memory_table_model.h"

using namespace memlens;

namespace {

double msSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

std::string writeRandomCorpus(const QTemporaryDir& dir, size_t tokens) {
  const std::string path = dir.filePath(QStringLiteral("random.txt")).toStdString();
  std::ofstream out(path);
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> u(0.0, std::log(30000.0));
  for (size_t i = 0; i < tokens; ++i) {
    out << 'w' << static_cast<int>(std::exp(u(rng))) << ((i + 1) % 20 == 0 ? '\n' : ' ');
  }
  return path;
}

}  // namespace

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  const size_t tokens = argc > 1 ? std::stoul(argv[1]) : 1'500'000;
  QTemporaryDir dir;
  auto corpus = TokenisedCorpus::load({writeRandomCorpus(dir, tokens)}, {});
  if (!corpus)
    return std::fprintf(stderr, "bench_memory_table: %s\n", corpus.status().toString().c_str()), 1;
  ExperimentOptions options;
  options.classifier.algorithm = Algorithm::kIgTree;
  options.maxTestTokens = 1000;
  auto t = std::chrono::steady_clock::now();
  auto experiment = Experiment::run(*corpus, options);
  if (!experiment)
    return std::fprintf(stderr, "bench_memory_table: %s\n", experiment.status().toString().c_str()),
           1;
  const std::shared_ptr<const Experiment> e = std::move(*experiment);
  const uint32_t vectors = e->classifier().memory().vectorCount();
  std::printf("memory: %u stored vectors from %zu instances (trained in %.1f s)\n", vectors,
              e->train().size(), msSince(t) / 1000.0);

  t = std::chrono::steady_clock::now();
  auto snapshot = std::make_shared<const views::MemorySnapshot>(views::MemorySnapshot::of(e));
  std::printf("snapshot (worker thread): %.0f ms\n", msSince(t));

  views::MemoryBrowserWidget page;
  page.resize(1280, 800);
  page.show();
  QCoreApplication::processEvents();
  auto* table = page.findChild<QTableView*>(QStringLiteral("memoryTable"));
  auto* filter = page.findChild<QLineEdit*>(QStringLiteral("memoryFilter"));
  views::MemoryTableModel* model = page.model();
  t = std::chrono::steady_clock::now();
  page.setSnapshot(snapshot);
  table->viewport()->grab();
  std::printf("show the snapshot and paint the first rows: %.1f ms\n", msSince(t));
  int failures = model->rowCount() == static_cast<int>(vectors) ? 0 : 1;

  // Repaints after jumps, as a scroll bar drag makes them.
  std::mt19937 rng(3);
  std::vector<double> frames;
  for (int i = 0; i < 200; ++i) {
    const int row = static_cast<int>(rng() % static_cast<uint32_t>(model->rowCount()));
    t = std::chrono::steady_clock::now();
    table->scrollTo(model->index(row, 0), QAbstractItemView::PositionAtTop);
    table->viewport()->grab();
    frames.push_back(msSince(t));
  }
  std::ranges::sort(frames);
  double sum = 0.0;
  for (double f : frames) sum += f;
  std::printf(
      "repaint after a jump to a random row (200 jumps): mean %.2f ms, median %.2f ms, max %.2f "
      "ms\n",
      sum / static_cast<double>(frames.size()), frames[frames.size() / 2], frames.back());

  // Over this many vectors the model picks the rows on a worker: the time is until they show.
  const auto picked = [model] {
    QSignalSpy done(model, &views::MemoryTableModel::pickingDone);
    if (model->isPicking()) done.wait(600000);
  };
  t = std::chrono::steady_clock::now();
  table->horizontalHeader()->setSortIndicator(views::MemoryTableModel::kInstances,
                                              Qt::DescendingOrder);
  picked();
  table->viewport()->grab();
  std::printf("sort by instances, most first: %.1f ms\n", msSince(t));
  if (model->storedVector(0) != (*snapshot->byCount())->front()) ++failures;

  // A frequent token and a rare one, typed in the filter and confirmed with Enter.
  for (const char* token : {"w1", "w29000"}) {
    const uint32_t id = e->corpus().vocab.lookup(token);
    uint32_t expected = 0;
    const InstanceBase& base = e->classifier().memory();
    for (uint32_t v = 0; v < vectors; ++v) {
      const auto f = base.vector(v);
      bool hit = std::ranges::find(f, id) != f.end();
      for (const ClassCount& c : base.distribution(v))
        hit = hit || base.classId(c.classIndex) == id;
      expected += hit ? 1 : 0;
    }
    filter->setText(QString::fromLatin1(token));
    t = std::chrono::steady_clock::now();
    QTest::keyClick(filter, Qt::Key_Return);
    picked();
    table->viewport()->grab();
    std::printf("filter by %s: %.1f ms, %d rows\n", token, msSince(t), model->rowCount());
    if (model->rowCount() != static_cast<int>(expected)) {
      std::fprintf(stderr, "bench_memory_table: filter %s shows %d rows, %u expected\n", token,
                   model->rowCount(), expected);
      ++failures;
    }
  }
  return failures == 0 ? 0 : 1;
}
