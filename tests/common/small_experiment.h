#pragma once

// A real Experiment on a small generated corpus, for view tests that render traces: small
// enough to train in well under a second, repetitive enough that neighbours share contexts.
#include <QTemporaryDir>
#include <QtTest>
#include <memory>
#include <string>

#include "memlens/experiment.h"
#include "memlens/tokenised_corpus.h"
#include "test_support.h"

namespace memlens::test {

// 400 lines of a tiny grammar picked by a fixed linear congruential generator.
inline std::string smallGrammarCorpus() {
  const char* subjects[] = {"the cat", "a dog", "the old man", "my sister", "the bird"};
  const char* verbs[] = {"sat on", "looked at", "walked to", "slept near", "ran past"};
  const char* objects[] = {"the mat", "the house", "a tree", "the river", "the red door"};
  uint32_t state = 4242;
  auto pick = [&state](int n) {
    state = state * 1103515245u + 12345u;
    return static_cast<int>((state >> 16) % static_cast<uint32_t>(n));
  };
  std::string text;
  for (int line = 0; line < 400; ++line) {
    text += std::string(subjects[pick(5)]) + " " + verbs[pick(5)] + " " + objects[pick(5)] + " .\n";
  }
  return text;
}

// Trains `algorithm` with k buckets and width 3 on smallGrammarCorpus(), written into `dir`.
inline std::shared_ptr<const Experiment> smallExperiment(const QTemporaryDir& dir,
                                                         Algorithm algorithm, int k = 1) {
  const std::string path = writeFile(dir, "grammar.txt", smallGrammarCorpus());
  TokeniserOptions tokeniser;
  tokeniser.kind = TokeniserKind::kWord;
  auto corpus = TokenisedCorpus::load({path}, tokeniser);
  if (!corpus) qFatal("%s", corpus.status().message().c_str());
  ExperimentOptions options;
  options.window.width = 3;
  options.classifier.algorithm = algorithm;
  options.classifier.k = k;
  options.classifier.distanceWeighting = DistanceWeighting::kInverseDistance;
  options.classifier.wordVectors.dimensions = 8;  // the vocabulary has 27 types
  auto experiment = Experiment::run(std::move(*corpus), options);
  if (!experiment) qFatal("%s", experiment.status().message().c_str());
  return std::shared_ptr<const Experiment>(std::move(*experiment));
}

}  // namespace memlens::test
