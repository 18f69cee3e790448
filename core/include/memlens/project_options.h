#pragma once

#include <string>
#include <string_view>

#include "memlens/run_record.h"

namespace memlens {

// What a project builds its memory from besides the corpus text: tokeniser and experiment
// options, and the smoothing β tuned when the project was made (kept, so reopening gives the
// same probabilities). Stored as key=value lines in the project's settings.
// A plain value: safe to share between threads.
struct ProjectOptions {
  TokeniserOptions tokeniser;
  ExperimentOptions experiment;
  double smoothingBeta = 1.0;
  // Edited memories keep the feature weights of the unedited training set instead of
  // recomputing them from the edited instances (the default, false).
  bool keepTrainedWeights = false;

  std::string toText() const;
  // Reads what toText() wrote; an unknown key or a bad value is an error naming it.
  static Result<ProjectOptions> parse(std::string_view text);
};

}  // namespace memlens
