// ProbePaths, the probe tokens by their paths in a tree order: for random probe sets, orders and
// prefixes (many tokens sharing their first values, as a corpus's do), the tokens under a prefix
// must be exactly those whose values in tree order start with it, each once.
#include <QtTest>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "edit/probe_paths.h"

using namespace memlens;

class TestProbePaths : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void tokensUnderAPrefix();
};

void TestProbePaths::tokensUnderAPrefix() {
  std::mt19937 generator(33);
  const auto random = [&](uint32_t m) { return static_cast<uint32_t>(generator() % m); };
  for (int round = 0; round < 20; ++round) {
    InstanceSet probe;
    probe.width = 1 + static_cast<int>(random(5));
    const size_t n = random(3000);
    // Few values per feature, so that prefixes are shared by many tokens.
    const uint32_t values = 2 + random(6);
    for (size_t i = 0; i < n; ++i) {
      for (int f = 0; f < probe.width; ++f) probe.features.push_back(random(values));
      probe.classes.push_back(0);
      probe.sources.push_back(i);
    }
    std::vector<int> order(static_cast<size_t>(probe.width));
    for (size_t f = 0; f < order.size(); ++f) order[f] = static_cast<int>(f);
    for (size_t f = order.size(); f > 1; --f) std::swap(order[f - 1], order[random(f)]);
    const ProbePaths paths(probe, order);
    for (int q = 0; q < 50; ++q) {
      std::vector<uint32_t> prefix(random(static_cast<uint32_t>(probe.width) + 1));
      for (uint32_t& v : prefix) v = random(values + 1);  // sometimes a value no token has
      const auto under = paths.under(prefix);
      std::vector<uint32_t> got(under.begin(), under.end());
      std::sort(got.begin(), got.end());
      std::vector<uint32_t> want;
      for (uint32_t i = 0; i < n; ++i) {
        const auto t = probe.instance(i);
        bool match = true;
        for (size_t d = 0; d < prefix.size(); ++d)
          match = match && t[static_cast<size_t>(order[d])] == prefix[d];
        if (match) want.push_back(i);
      }
      QCOMPARE(got, want);
    }
  }
}

QTEST_GUILESS_MAIN(TestProbePaths)
#include "tst_probe_paths.moc"
