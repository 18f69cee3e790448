#pragma once

// The KJV memories the count-threshold prune and drag tests (tst_kept_memory, tst_count_drag)
// edit, and what they compare them with.
#include <QtTest>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "classify/classifier_factories.h"
#include "memlens/edited_memory.h"
#include "memlens/instance_builder.h"
#include "memlens/tokenised_corpus.h"

namespace memlens::test {

// The KJV's width-4 instances: every 80th a probe token, the rest the training set.
inline void splitKjv(const TokenisedCorpus& corpus, InstanceSet& train, InstanceSet& probe) {
  WindowOptions window;
  window.width = 4;
  const InstanceSet all = *buildInstances(corpus.tokens, corpus.paddingId, window);
  train.width = probe.width = all.width;
  for (size_t i = 0; i < all.size(); ++i) {
    InstanceSet& to = i % 80 == 7 ? probe : train;
    const auto f = all.instance(i);
    to.features.insert(to.features.end(), f.begin(), f.end());
    to.classes.push_back(all.classes[i]);
    to.sources.push_back(all.sources[i]);
  }
}

// The KJV split by splitKjv(), with options fixing the weights trained on its training set.
struct FixedKjv {
  std::shared_ptr<const TokenisedCorpus> corpus;
  InstanceSet train, probe;
  ClassifierOptions options;
};
inline std::optional<FixedKjv> fixedKjv() {
  auto loaded = TokenisedCorpus::load({MEMLENS_DEMO_CORPUS}, {});
  if (!loaded) return std::nullopt;
  FixedKjv kjv;
  splitKjv(**loaded, kjv.train, kjv.probe);
  kjv.options.fixedWeights = *EditedMemory::trainedWeights(kjv.train, kjv.options);
  kjv.corpus = std::move(*loaded);
  return kjv;
}

// A classifier under `options` trained on `train` but the instances whose sources `gone` lists
// (ascending).
inline std::unique_ptr<Classifier> trainedWithout(const InstanceSet& train,
                                                  const ClassifierOptions& options,
                                                  const std::vector<uint64_t>& gone) {
  InstanceSet left;
  left.width = train.width;
  for (size_t i = 0; i < train.size(); ++i) {
    if (std::ranges::binary_search(gone, train.sources[i])) continue;
    const auto f = train.instance(i);
    left.features.insert(left.features.end(), f.begin(), f.end());
    left.classes.push_back(train.classes[i]);
    left.sources.push_back(train.sources[i]);
  }
  auto fresh = std::move(*createClassifier(options));
  (void)fresh->train(left);
  return fresh;
}

// A job keeping the stages it reports.
struct StageLog {
  std::vector<std::string> stages;
  JobControl job{[this](double, const std::string& stage) { stages.push_back(stage); },
                 std::chrono::milliseconds(0)};
  bool saw(const std::string& stage) const { return std::ranges::count(stages, stage) > 0; }
};

// Whether each stored vector of `base` holds fewer than `minCount` instances.
inline std::vector<bool> rarerThan(const InstanceBase& base, uint64_t minCount) {
  std::vector<bool> rare(base.vectorCount());
  for (uint32_t v = 0; v < base.vectorCount(); ++v) {
    uint64_t held = 0;
    for (const ClassCount& c : base.distribution(v)) held += c.count;
    rare[v] = held < minCount;
  }
  return rare;
}

// The engines a count-threshold drag masks.
inline void engines() {
  QTest::addColumn<int>("algorithm");
  QTest::newRow("ib1") << static_cast<int>(Algorithm::kIb1);
  QTest::newRow("igtree") << static_cast<int>(Algorithm::kIgTree);
  QTest::newRow("tribl2") << static_cast<int>(Algorithm::kTribl2);
}

}  // namespace memlens::test
