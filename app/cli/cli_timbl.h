#pragma once

#include <string>
#include <vector>

#include "memlens/classifier.h"
#include "memlens/instance_base.h"
#include "memlens/instance_set.h"
#include "memlens/prediction.h"
#include "memlens/status.h"
#include "memlens/timbl_instance_base.h"
#include "memlens/vocabulary.h"

// memlens-cli timbl's command line and output, shared by the one-process run (cli_timbl_run.cpp,
// in memlens-cli) and the sharded one (cli_timbl_sharded.cpp, in memlens-cli-mpi).
namespace memlens::cli {

struct TimblArgs {
  std::string train, test, out, format = "Columns";
  std::string baseOut, baseIn, weightsOut, weightsIn;  // -I, -i, -W, -w FILE
  FeatureWeighting weightsSection = FeatureWeighting::kGainRatio;
  TimblBaseWriteOptions baseWrite;
  ClassifierOptions options;
  bool distribution = false, distance = false, neighbours = false, matchDepth = false;
  int threads = 0;
  bool timing = false;
};

// Reads TiMBL's spellings of the options (-a0, -dED:a:b, +vdb+di, joined or separate).
Status parseTimblArgs(const std::vector<std::string>& args, TimblArgs& a);

// Runs the parsed command; returns the exit code.
int runTimbl(const TimblArgs& a);

// Writes TiMBL's output lines for `predictions` to -o's file (stdout without it) and the
// accuracy to stderr. `memory` lists the neighbours of +v n (null when not asked for).
Status writeTimblOutput(const TimblArgs& a, const InstanceSet& test,
                        const std::vector<Prediction>& predictions, const Vocabulary& vocab,
                        const InstanceBase* memory);

// Prints --timing's lines to stderr.
void printTimblTiming(double trainSeconds, double testSeconds, size_t queries);

}  // namespace memlens::cli
