#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "memlens/classifier.h"
#include "memlens/data_split.h"
#include "memlens/evaluation.h"
#include "memlens/instance_builder.h"
#include "memlens/result.h"
#include "memlens/tokenised_corpus.h"

namespace memlens {

// Everything that shapes a run besides the corpus text itself.
struct ExperimentOptions {
  WindowOptions window;
  ClassifierOptions classifier;
  SplitOptions split;
  int ngramOrder = 3;          // of the Kneser-Ney base model
  uint64_t maxTestTokens = 0;  // 0: the whole test part; else its first N instances
  // Vector memory: T and λ fixed here instead of tuned on validation.
  std::optional<double> memoryTemperature;
  std::optional<double> memoryLambda;
};

// What is needed to reproduce a run and what it measured (docs/spec/evaluation.md).
struct RunRecord {
  struct CorpusFile {
    std::string path;
    uint64_t bytes = 0;
    std::string sha256;
  };

  std::string created;  // UTC, ISO 8601
  std::vector<CorpusFile> corpus;
  TokeniserOptions tokeniser;
  std::string tokeniserName;
  uint32_t vocabularySize = 0;
  ExperimentOptions options;
  double smoothingBeta = 0.0;
  double memoryTemperature = 0.0;  // vector memory: the T and fixed λ used
  double memoryLambda = 0.0;
  uint64_t tuningTokens = 0;  // validation tokens T and λ were tuned on
  std::string smoothing;
  uint64_t trainInstances = 0;
  uint64_t validationInstances = 0;
  uint64_t testInstances = 0;
  uint32_t storedVectors = 0;
  double trainSeconds = 0.0;
  double evaluateSeconds = 0.0;
  // Per test token, of the memory lookup alone (TokenRecord::latencyMicros); 0 when not evaluated.
  double latencyMeanMicros = 0.0;
  double latencyP99Micros = 0.0;  // nearest rank: 99 % of the lookups took at most this
  Metrics test;
  Metrics baseTest;  // the Kneser-Ney base model alone on the same test tokens
  std::vector<FrequencyBand> bands;

  // Fingerprints every corpus file (SHA-256 of its bytes as on disk).
  static std::vector<CorpusFile> describeCorpus(const Corpus& corpus);
  std::string toJson() const;
  // Reads back what toJson() wrote (e.g. a run stored in a project). The metrics come back from
  // their rates, so they match to the last bits of a double; anything missing or of the wrong
  // type is an error naming the field.
  static Result<RunRecord> fromJson(std::string_view json);
};

const char* algorithmName(Algorithm a);
const char* weightingName(FeatureWeighting w);
const char* distanceWeightingName(DistanceWeighting d);

}  // namespace memlens
