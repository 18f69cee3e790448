#pragma once

// A small multi-document corpus for the editing, pruning and project tests: a noisy second-order
// Markov chain over 40 words, so memories have ties, multi-class vectors and real neighbours.
#include <QTemporaryDir>

#include <random>
#include <string>
#include <vector>

#include "memlens/instance_builder.h"
#include "memlens/tokenised_corpus.h"
#include "test_support.h"

namespace memlens::test {

inline std::vector<std::string> writeMarkovCorpus(const QTemporaryDir& dir, int documents,
                                                  int lines, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::string> paths;
  for (int d = 0; d < documents; ++d) {
    std::string text;
    for (int l = 0; l < lines; ++l) {
      uint32_t a = rng() % 40, b = rng() % 40;
      const int length = 6 + static_cast<int>(rng() % 8);
      for (int t = 0; t < length; ++t) {
        const uint32_t next = rng() % 4 == 0 ? rng() % 40 : (a * 7 + b * 3 + d) % 40;
        text += (t ? " w" : "w") + std::to_string(next);
        a = b;
        b = next;
      }
      text += '\n';
    }
    paths.push_back(writeFile(dir, "doc" + std::to_string(d) + ".txt", text));
  }
  return paths;
}

inline std::shared_ptr<TokenisedCorpus> loadMarkovCorpus(const QTemporaryDir& dir, int documents,
                                                         int lines, uint32_t seed) {
  return std::move(*TokenisedCorpus::load(writeMarkovCorpus(dir, documents, lines, seed), {}));
}

// Instance `i` of `from` appended to `to`.
inline void appendInstance(InstanceSet& to, const InstanceSet& from, size_t i) {
  const auto f = from.instance(i);
  to.features.insert(to.features.end(), f.begin(), f.end());
  to.classes.push_back(from.classes[i]);
  to.sources.push_back(from.sources[i]);
}

// Documents 0..documents-2 train a width-3 memory; the last document is the probe set.
struct EditSetup {
  QTemporaryDir dir;
  std::shared_ptr<TokenisedCorpus> corpus;
  InstanceSet train, probe;
};

inline std::unique_ptr<EditSetup> makeEditSetup(int lines = 60, int documents = 4) {
  auto s = std::make_unique<EditSetup>();
  s->corpus = loadMarkovCorpus(s->dir, documents, lines, 7);
  const InstanceSet all = *buildInstances(s->corpus->tokens, s->corpus->paddingId, {3});
  s->train.width = s->probe.width = 3;
  for (size_t i = 0; i < all.size(); ++i) {
    const bool probe =
        s->corpus->tokens.position(all.sources[i]).document == static_cast<uint32_t>(documents - 1);
    appendInstance(probe ? s->probe : s->train, all, i);
  }
  return s;
}

}  // namespace memlens::test
