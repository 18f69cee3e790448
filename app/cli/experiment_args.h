#pragma once

#include <set>
#include <string>

#include "arg_parser.h"
#include "memlens/run_record.h"

namespace memlens::cli {

// The options of `eval` and `explain` that shape an experiment.
inline const std::set<std::string> kExperimentValueOptions = {
    "--width",       "--blocks",
    "--model",       "-k",
    "--weighting",   "--distance-weighting",
    "--order",       "--train",
    "--validation",  "--seed",
    "--max-test",    "--dims",
    "--top-k-slots", "--temperature",
    "--lambda"};

Result<ExperimentOptions> experimentOptionsFrom(const ArgParser& args);

}  // namespace memlens::cli
