#pragma once

#include <memory>

#include "memlens/evaluation.h"
#include "memlens/run_comparison.h"
#include "memlens/run_record.h"
#include "memlens/tokenised_corpus.h"

namespace memlens::views {

// One finished run as the Compare page sees it: what it measured, its per-token results and the
// corpus their sources index (for positions and context text). Far smaller than its Experiment.
struct ComparedRun {
  int number = 0;  // 1-based, as in the runs table
  std::shared_ptr<const RunRecord> record;
  std::shared_ptr<const EvaluationReport> report;
  std::shared_ptr<const TokenisedCorpus> corpus;
};

// Two runs of the same corpus and compareRuns() on their reports.
struct CompareSnapshot {
  ComparedRun a;
  ComparedRun b;
  RunComparison comparison;
};

}  // namespace memlens::views
