// EditedVectorIndex against measuring every pair: for random vectors, weights (some equal, so
// that distances tie) and queries, within() says whether some vector lies within each reach the
// probe tokens can have (every pattern distance, between two of them, none, everything), among
// all vectors and among those agreeing with the query on a random set of features (TRIBL2's
// prefix), for memories searched by pattern and wider ones, for large and small edits; and
// forEachWithin() lists exactly the vectors within it, each once, at its distance.
#include <QtTest>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "edit/edited_vector_index.h"
#include "memory/bucket_vote.h"

using namespace memlens;

class TestEditedVectorIndex : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void withinAsEveryPair_data() {
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("vectors");
    for (int width : {1, 3, 4, 6, 12})
      for (int vectors : {3, 40, 3000})
        QTest::newRow((std::to_string(width) + " wide, " + std::to_string(vectors)).c_str())
            << width << vectors;
  }

  void withinAsEveryPair() {
    QFETCH(int, width);
    QFETCH(int, vectors);
    std::mt19937 engine(static_cast<uint32_t>(width * 7919 + vectors));
    const auto random = [&](uint32_t m) { return static_cast<uint32_t>(engine() % m); };
    const auto w = static_cast<size_t>(width);
    std::vector<double> weights(w);
    for (double& x : weights) x = 0.1 * (1 + random(4));  // ties between features
    const auto distance = [&](const uint32_t* a, const uint32_t* b) {
      double d = 0.0;
      for (size_t f = 0; f < w; ++f)
        if (a[f] != b[f]) d += weights[f];
      return d;
    };
    // Few values per feature, so that vectors and queries agree on many patterns.
    const auto draw = [&] {
      std::vector<uint32_t> v(w);
      for (uint32_t& x : v) x = random(6);
      return v;
    };
    std::vector<std::vector<uint32_t>> stored(static_cast<size_t>(vectors));
    std::vector<const uint32_t*> pointers;
    for (auto& v : stored) {
      v = draw();
      pointers.push_back(v.data());
    }
    const EditedVectorIndex index(pointers, width, distance);
    QCOMPARE(index.measuresPairs(), width > 10 || vectors < 16);
    std::vector<double> reaches = {-1.0, 0.0, std::numeric_limits<double>::max()};
    for (uint32_t p = 0; p < (1u << std::min(width, 6)); ++p) {
      double d = 0.0;
      for (size_t f = 0; f < w; ++f)
        if (!((p >> f) & 1u)) d += weights[f];
      reaches.push_back(d);
      reaches.push_back(d + 0.05);
    }
    const auto agrees = [&](const std::vector<uint32_t>& query, const std::vector<uint32_t>& v,
                            uint32_t required) {
      for (size_t f = 0; f < w; ++f)
        if ((required >> f) & 1u && query[f] != v[f]) return false;
      return true;
    };
    int near = 0, far = 0, nearAgreeing = 0;
    for (int q = 0; q < 200; ++q) {
      const std::vector<uint32_t> query = draw();
      for (const uint32_t required : {0u, random(1u << std::min(width, 6))}) {
        double nearest = std::numeric_limits<double>::max();
        bool any = false;
        for (const auto& v : stored)
          if (agrees(query, v, required)) {
            nearest = std::min(nearest, distance(query.data(), v.data()));
            any = true;
          }
        for (double reach : reaches) {
          const bool want =
              any && reach >= 0.0 && (nearest <= reach || sameDistance(nearest, reach));
          const std::string where = "query " + std::to_string(q) + ", required " +
                                    std::to_string(required) + ", reach " + std::to_string(reach);
          QVERIFY2(index.within(query.data(), reach, required) == want, where.c_str());
          ++(want ? near : far);
          nearAgreeing += want && required != 0 ? 1 : 0;
          if (q % 5 != 0) continue;  // listing is checked on fewer queries (each measures all)
          std::vector<int> listed(stored.size(), 0);
          bool distancesRight = true;
          index.forEachWithin(query.data(), reach, required, [&](uint32_t v, double d) {
            ++listed[v];
            distancesRight = distancesRight && d == distance(query.data(), stored[v].data());
          });
          QVERIFY2(distancesRight, where.c_str());
          for (size_t v = 0; v < stored.size(); ++v) {
            const double d = distance(query.data(), stored[v].data());
            const bool in = reach >= 0.0 && agrees(query, stored[v], required) &&
                            (d <= reach || sameDistance(d, reach));
            QVERIFY2(listed[v] == (in ? 1 : 0), (where + ", vector " + std::to_string(v)).c_str());
          }
        }
      }
    }
    QVERIFY(near > 0 && far > 0 && nearAgreeing > 0);
  }
};

QTEST_GUILESS_MAIN(TestEditedVectorIndex)
#include "tst_edited_vector_index.moc"
