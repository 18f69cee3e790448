#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "memlens/classifier.h"
#include "memory/ig_tree.h"
#include "memory/overlap_memory.h"

namespace memlens {

std::unique_ptr<Classifier> makeIb1Classifier(const ClassifierOptions& options);
std::unique_ptr<Classifier> makeTribl2Classifier(const ClassifierOptions& options);
// TRIBL2's walk down its tree for `features` (Classifier::treePath), node defaults chosen with
// `classTotals` (a shard's are the whole memory's).
TreePath tribl2TreePath(const OverlapMemory& memory, std::span<const uint32_t> features,
                        const std::vector<uint64_t>& classTotals);
std::unique_ptr<Classifier> makeIgTreeClassifier(const ClassifierOptions& options);
// An IGTree answering from a tree read from a file. `base` holds no stored vectors, only the
// classes (its indices are the tree's); such a classifier can be trained again but not grown.
std::unique_ptr<Classifier> makeIgTreeClassifier(const ClassifierOptions& options,
                                                 std::unique_ptr<InstanceBase> base, IgTree tree,
                                                 std::vector<double> weights);
std::unique_ptr<Classifier> makeVectorMemoryClassifier(const ClassifierOptions& options);

// What a memory file keeps beside the instance base so that opening derives less from it: the
// feature weights training computed (one per feature; empty: compute them), IGTree's tree and
// the subset indexes of IB1's and TRIBL2's pattern search (empty: build them).
struct StoredDerivations {
  std::vector<double> weights;
  std::optional<IgTree> igTree;
  std::vector<SubsetIndex::Stored> subsetIndexes;
};

// The same classifiers over a memory already built (a memory file's): what `stored` does not
// hold (weights, trees, search structures) is derived from `base` as training derives it, but no
// instance is re-added. IB1 and TRIBL2 take the stored subset indexes, else build them as
// `indexing` says.
Result<std::unique_ptr<Classifier>> restoreIb1Classifier(
    const ClassifierOptions& options, InstanceBase base, StoredDerivations stored, JobControl* job,
    SubsetIndexing indexing = SubsetIndexing::kUpFront);
Result<std::unique_ptr<Classifier>> restoreTribl2Classifier(
    const ClassifierOptions& options, InstanceBase base, StoredDerivations stored, JobControl* job,
    SubsetIndexing indexing = SubsetIndexing::kUpFront);
Result<std::unique_ptr<Classifier>> restoreIgTreeClassifier(const ClassifierOptions& options,
                                                            InstanceBase base, JobControl* job);
Result<std::unique_ptr<Classifier>> restoreVectorMemoryClassifier(const ClassifierOptions& options,
                                                                  InstanceBase base,
                                                                  JobControl* job);
// Dispatches on options.algorithm after createClassifier()'s checks of the options. `stored`
// weights must have one entry per feature of `base`, a stored tree its classes.
Result<std::unique_ptr<Classifier>> restoreClassifier(
    const ClassifierOptions& options, InstanceBase base, JobControl* job,
    StoredDerivations stored = {}, SubsetIndexing indexing = SubsetIndexing::kUpFront);
// The memory of an IB1 or TRIBL2 classifier, null for the other algorithms (for an edited memory
// that searches a trained one).
const OverlapMemory* overlapMemoryOf(const Classifier& classifier);
// The tree of an IGTree classifier (of one edited in place: the tree retrained on its instances,
// built on first call), null for the other algorithms (for memory files).
const IgTree* igTreeOf(const Classifier& classifier);

}  // namespace memlens
