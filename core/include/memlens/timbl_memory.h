#pragma once

#include <memory>
#include <string>
#include <vector>

#include "memlens/classifier.h"
#include "memlens/experiment.h"
#include "memlens/instance_builder.h"
#include "memlens/job_control.h"
#include "memlens/result.h"
#include "memlens/tokeniser.h"

namespace memlens {

// A TiMBL instance base (.ibase, see timbl_instance_base.h) opened as a MemLens memory: an
// Experiment that explains, predicts, generates and can be inspected, pruned and compared like a
// trained one. The file holds no text: its vocabulary is its value and class strings, and its
// stored vectors have no provenance until the text it was trained on is attached.

struct TimblMemoryOptions {
  // Complete bases (`timbl -a0` and `-a4` write the same file) are read as this algorithm, IB1 or
  // TRIBL2; a pruned base is always IGTree. k, metric and distance weighting as for
  // createClassifier().
  ClassifierOptions classifier;
  // A weights file (`timbl -W`) and the weighting to read from it. Empty: as
  // readTimblInstanceBase() (IB1, TRIBL2 recompute them; IGTree reads BASE.wgt beside it).
  std::string weightsPath;
  FeatureWeighting weightsSection = FeatureWeighting::kGainRatio;
  // The text the base was trained on, tokenised by `tokeniser` and windowed as `blocks` says at
  // the base's width, as its instances were made: every stored vector then gets the positions of
  // the instances that made it. Empty: no provenance (Experiment::hasProvenance() false).
  std::vector<std::string> trainingText;
  // Instead of trainingText: the windowed instance file the base was trained on (a Columns file,
  // one instance per line as `memlens-cli instances` or OLIFANT's windowing writes it: the
  // base's width in values, then the class, separated by spaces). It becomes the memory's text,
  // tokenised by spaces whatever `tokeniser` says, so provenance names its lines.
  std::string trainingInstances;
  TokeniserOptions tokeniser{TokeniserKind::kSpaces, false, {}, {}};
  BlockMode blocks = BlockMode::kLine;
  // A test set, what Experiment::evaluated() measures: text windowed as the training text, or
  // (not with training text) a windowed instance file of the base's width. With training text
  // or instances attached, the test text joins the memory's text as further documents; without,
  // test sources number its tokens or the instance file's lines.
  std::vector<std::string> testText;
  std::string testInstances;
};

// The base in `path` as a memory, trained but not evaluated: no split, and no test set unless
// options give one. IB1 and TRIBL2 hold every stored vector with its counts; an IGTree
// base holds its pruned tree only (memory() has its classes but no stored vectors: the tree's
// paths are not the training instances, so none are made up). With training text (or
// instances), its instances must be exactly the base's (every stored vector with the same class
// counts), else an error says which vector differs first and by how much; IGTree bases cannot take
// it (nothing to match the text against). Cancellable through `job`.
Result<std::shared_ptr<const Experiment>> openTimblBase(const std::string& path,
                                                        const TimblMemoryOptions& options = {},
                                                        JobControl* job = nullptr);

// True when `path` begins as a TiMBL instance base does ("# Status: "), not as a memory file.
bool isTimblInstanceBase(const std::string& path);

}  // namespace memlens
