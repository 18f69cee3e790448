// EditedRows, the edited memory's copy-on-write rows, against a plain vector of rows kept beside
// it: random changes (live, class, features, appended and popped rows) applied to copies of
// copies must change only the copy they were made on, every row of every copy must read as its
// plain twin, and liveInstances() must list the twin's live rows in order.
#include <QtTest>

#include <cstdint>
#include <memory>
#include <vector>

#include "edit/edited_rows.h"

using namespace memlens;

namespace {

struct Row {
  std::vector<uint32_t> features;
  uint32_t classId = 0;
  uint64_t source = 0;
  bool live = true;
};

struct Version {
  EditedRows rows;
  std::vector<Row> plain;
};

class Random {
 public:
  explicit Random(uint64_t seed) : x_(seed) {}
  uint32_t operator()(uint32_t m) {
    x_ = x_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>((x_ >> 33) % m);
  }

 private:
  uint64_t x_;
};

}  // namespace

class TestEditedRows : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void copiesChangeIndependently();
};

void TestEditedRows::copiesChangeIndependently() {
  // Two chunks and a part, the last leaf partly filled by the base.
  constexpr size_t kBase = 2 * 16384 + 1000 + 37;
  constexpr int kWidth = 3;
  Random random(19);
  auto base = std::make_shared<InstanceSet>();
  base->width = kWidth;
  std::vector<Row> plain(kBase);
  for (size_t i = 0; i < kBase; ++i) {
    for (int f = 0; f < kWidth; ++f) plain[i].features.push_back(random(50));
    plain[i].classId = random(20);
    plain[i].source = 3 * i + 1;
    base->features.insert(base->features.end(), plain[i].features.begin(), plain[i].features.end());
    base->classes.push_back(plain[i].classId);
    base->sources.push_back(plain[i].source);
  }
  std::vector<Version> versions;
  versions.push_back({EditedRows(base), plain});
  for (int step = 0; step < 400; ++step) {
    Version v = versions[random(static_cast<uint32_t>(versions.size()))];
    for (int change = 0, n = 1 + static_cast<int>(random(40)); change < n; ++change) {
      const size_t size = v.plain.size();
      // Rows near the base's end and chunk borders as often as the rest.
      const size_t near[] = {kBase - 1, 16383, 16384, size - 1};
      const size_t i = random(3) == 0 ? near[random(4)] : random(static_cast<uint32_t>(size));
      switch (random(5)) {
        case 0:
          v.plain[i].live = random(2) == 0;
          v.rows.setLive(i, v.plain[i].live);
          break;
        case 1:
          v.plain[i].classId = random(20);
          v.rows.setClass(i, v.plain[i].classId);
          break;
        case 2:
          for (uint32_t& f : v.plain[i].features) f = random(50);
          v.rows.setFeatures(i, v.plain[i].features);
          break;
        case 3: {
          Row r;
          for (int f = 0; f < kWidth; ++f) r.features.push_back(random(50));
          r.classId = random(20);
          r.source = (uint64_t{1} << 62) + size;
          r.live = random(2) == 0;
          v.rows.append(r.features, r.classId, r.source, r.live);
          v.plain.push_back(std::move(r));
          break;
        }
        default:
          if (size > kBase) {
            v.rows.popBack();
            v.plain.pop_back();
          }
      }
    }
    versions.push_back(std::move(v));
  }
  for (size_t k = 0; k < versions.size(); ++k) {
    const Version& v = versions[k];
    QCOMPARE(v.rows.size(), v.plain.size());
    InstanceSet live;
    live.width = kWidth;
    for (size_t i = 0; i < v.plain.size(); ++i) {
      const Row& r = v.plain[i];
      const auto f = v.rows.features(i);
      if (!std::equal(f.begin(), f.end(), r.features.begin(), r.features.end()) ||
          v.rows.classOf(i) != r.classId || v.rows.source(i) != r.source ||
          v.rows.live(i) != r.live)
        QFAIL(qPrintable(QStringLiteral("version %1 row %2 differs").arg(k).arg(i)));
      if (!r.live) continue;
      live.features.insert(live.features.end(), r.features.begin(), r.features.end());
      live.classes.push_back(r.classId);
      live.sources.push_back(r.source);
    }
    const InstanceSet listed = v.rows.liveInstances();
    QVERIFY(listed.features == live.features);
    QVERIFY(listed.classes == live.classes);
    QVERIFY(listed.sources == live.sources);
  }
}

QTEST_GUILESS_MAIN(TestEditedRows)
#include "tst_edited_rows.moc"
