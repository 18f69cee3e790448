#pragma once

#include <memory>
#include <string>
#include <vector>

#include "memlens/classifier.h"
#include "memlens/instance_set.h"
#include "memlens/job_control.h"
#include "memlens/result.h"
#include "memlens/vocabulary.h"

namespace memlens {

// TiMBL 6.5 instance-base files (.ibase), the models `timbl -I` writes and `timbl -i` reads,
// which OLIFANT publishes. Feature weights are not in them: they are recomputed on load as TiMBL
// does, or read from a weights file (.wgt, see timbl_weights.h).

struct TimblBaseOptions {
  // The algorithm must suit the base: IB1 and TRIBL2 read complete bases, IGTree pruned ones.
  // k, metric and distance weighting apply as for createClassifier().
  ClassifierOptions classifier;
  // `timbl -w FILE[:n]`: weights read from section `weightsSection` of this file. Empty: IB1 and
  // TRIBL2 recompute them from the base's counts by classifier.weighting; IGTree reads BASE.wgt
  // (which `timbl -I` writes beside an IGTree base), else uses 1 for every feature, as TiMBL does.
  std::string weightsPath;
  FeatureWeighting weightsSection = FeatureWeighting::kGainRatio;
  // The instances the classifier is read to answer, when known beforehand (`timbl -i BASE -t
  // TEST` with nothing to write), as Vocabulary ids of `vocab`; must outlive the call. A hashed
  // IGTree base is then read only along their paths: the subtrees none of them reaches are passed
  // over by their brackets (not checked), so the classifier answers these instances exactly as
  // the whole base does, and others only as far as their paths were read. Other bases are read
  // whole.
  const InstanceSet* queries = nullptr;
};

// Reads an instance base into a classifier that answers as `timbl -i` does: class order (which
// decides ties) as in the file; IB1 and TRIBL2 hold every stored vector with its counts, IGTree
// the pruned tree as stored (its memory() then holds the classes but no stored vectors, so it
// cannot be grown). Stored vectors have no provenance: their sources only number the instances
// (openTimblBase() in timbl_memory.h recovers it from the training text). Strings are interned
// into `vocab`. A malformed file is an error naming the line; cancellable through `job`.
Result<std::unique_ptr<Classifier>> readTimblInstanceBase(const std::string& path,
                                                          const TimblBaseOptions& options,
                                                          Vocabulary& vocab,
                                                          JobControl* job = nullptr);

struct TimblBaseWriteOptions {
  bool hashed = true;          // timbl +H (its default): strings in tables, numbers in the tree
  bool distributions = false;  // timbl +D: every node's class distribution
};

// Writes a trained IB1, TRIBL2 or IGTree classifier as `timbl -I` would (atomically: a cancelled
// or failed write leaves no file). For IGTree, also writes PATH.wgt (all weightings), which
// `timbl -i` reads beside an IGTree base.
Status writeTimblInstanceBase(const std::string& path, const Classifier& classifier,
                              const Vocabulary& vocab, const TimblBaseWriteOptions& options = {},
                              JobControl* job = nullptr);

}  // namespace memlens
