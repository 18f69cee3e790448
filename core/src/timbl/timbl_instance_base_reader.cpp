#include <sys/stat.h>

#include <algorithm>

#include "base/huge_pages.h"
#include "base/mapped_file.h"
#include "classify/classifier_factories.h"
#include "memlens/timbl_instance_base.h"
#include "memlens/timbl_weights.h"
#include "memory/ig_tree.h"
#include "timbl/timbl_base_contents.h"
#include "timbl/timbl_tree_parser.h"

namespace memlens {
namespace {

const char* algorithmName(Algorithm a) {
  return a == Algorithm::kIgTree ? "IGTree" : a == Algorithm::kTribl2 ? "TRIBL2" : "IB1";
}

// The stored vectors of a complete base and the instances they hold, as InstanceBase::fromRuns()
// takes them.
struct StoredRuns {
  std::vector<uint32_t> values;    // per stored vector, in original feature order
  std::vector<uint32_t> classIds;  // per memory class index, the Vocabulary id
  std::vector<InstanceBase::Run> runs;
};

// The instances of a complete base, one per count, as runs over its leaves, which are its stored
// vectors (sources number the instances: the file says nothing of where they came from). Classes
// get indices in order of first appearance, and that order decides ties: so one instance of each
// class comes first, in the file's class order, then the rest leaf by leaf. Takes the leaves'
// values (renumbered: stored vectors in the order of their first run).
Result<StoredRuns> storedRuns(TimblParsedBase& parsed, uint64_t fileBytes, JobControl* job) {
  constexpr uint32_t kNoLeaf = 0xFFFFFFFFu;
  const auto leafCount = static_cast<uint32_t>(parsed.leaves.size());
  std::vector<uint32_t> firstLeaf(parsed.classIds.size(), kNoLeaf);
  // Every count becomes an instance in memory, so a few bytes claiming billions would exhaust
  // it: real bases hold well under one instance per byte (the KJV's 0.05).
  uint64_t total = 0;
  size_t cells = 0;  // at most a run each, and one more per class
  for (uint32_t i = 0; i < leafCount; ++i) {
    const TimblParsedBase::Leaf& leaf = parsed.leaves[i];
    cells += leaf.distCount;
    for (uint32_t k = 0; k < leaf.distCount; ++k) {
      const ClassCount& cc = parsed.pool[leaf.distBegin + k];
      if (firstLeaf[cc.classIndex] == kNoLeaf) firstLeaf[cc.classIndex] = i;
      total += cc.count;
    }
  }
  if (total > std::min<uint64_t>(fileBytes * 16 + 65536, 0xFFFFFFFEull))
    return Status::corrupt("its counts add up to " + std::to_string(total) + " instances in " +
                           std::to_string(fileBytes) +
                           " bytes, more than a TiMBL base of that size holds (corrupt counts?)");
  if (total == 0) return Status::corrupt("the instance base holds no instances");
  StoredRuns out;
  out.runs.reserve(cells + parsed.classIds.size());
  adviseHugePages(out.runs.data(), out.runs.capacity() * sizeof(InstanceBase::Run));
  // vectorOf[leaf]: its stored vector; the leaves first for some class come first.
  std::vector<uint32_t> vectorOf(leafCount, InstanceBase::kNone);
  uint32_t vectors = 0;
  std::vector<uint32_t> memoryClass(parsed.classIds.size(), InstanceBase::kNone);
  for (uint32_t c = 0; c < firstLeaf.size(); ++c) {
    if (firstLeaf[c] == kNoLeaf) continue;
    memoryClass[c] = static_cast<uint32_t>(out.classIds.size());
    out.classIds.push_back(parsed.classIds[c]);
    uint32_t& vector = vectorOf[firstLeaf[c]];
    if (vector == InstanceBase::kNone) vector = vectors++;
    out.runs.push_back({vector, memoryClass[c], 1});
  }
  for (uint32_t i = 0; i < leafCount; ++i) {
    if (i % (1 << 16) == 0 && cancelRequested(job)) return Status::cancelled();
    const TimblParsedBase::Leaf& leaf = parsed.leaves[i];
    if (vectorOf[i] == InstanceBase::kNone) vectorOf[i] = vectors++;
    for (uint32_t k = 0; k < leaf.distCount; ++k) {
      const ClassCount& cc = parsed.pool[leaf.distBegin + k];
      const uint32_t count = firstLeaf[cc.classIndex] == i ? cc.count - 1 : cc.count;
      if (count > 0) out.runs.push_back({vectorOf[i], memoryClass[cc.classIndex], count});
    }
  }
  const auto width = static_cast<size_t>(parsed.width());
  out.values = hugePageVector<uint32_t>(parsed.leafValues.size());
  for (uint32_t i = 0; i < leafCount; ++i)
    std::copy_n(parsed.leafValues.data() + i * width, width,
                out.values.data() + size_t{vectorOf[i]} * width);
  parsed.leafValues = {};
  return out;
}

// The instances `runs` expand to, in order (see InstanceBase::fromRuns).
Result<InstanceSet> expandRuns(const InstanceBase& base, std::span<const InstanceBase::Run> runs,
                               JobControl* job) {
  InstanceSet set;
  set.width = base.width();
  set.reserve(base.instanceCount());
  for (size_t i = 0; i < runs.size(); ++i) {
    if (i % (1 << 16) == 0 && cancelRequested(job)) return Status::cancelled();
    const InstanceBase::Run& r = runs[i];
    const auto v = base.vector(r.vector);
    for (uint32_t k = 0; k < r.count; ++k) {
      set.features.insert(set.features.end(), v.begin(), v.end());
      set.classes.push_back(base.classId(r.classIndex));
      set.sources.push_back(set.sources.size());
    }
  }
  return set;
}

bool fileExists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace

namespace {

Result<TimblBaseContents> readBase(const std::string& path, const TimblBaseOptions& options,
                                   Vocabulary& vocab, JobControl* job, bool keepInstances) {
  ClassifierOptions co = options.classifier;
  if (co.algorithm == Algorithm::kVectorMemory)
    return Status::invalidArgument("TiMBL instance bases hold IB1, IGTree or TRIBL2 memories");
  uint64_t fileBytes = 0;
  const auto corrupt = [&](const Status& st) {
    return Status::corrupt(path + ": " + st.message());
  };
  auto tree = [&]() -> Result<TimblParsedBase> {
    auto file = MappedFile::open(path);
    if (!file) return file.status();
    fileBytes = (*file)->bytes().size();
    const InstanceSet* queries =
        co.algorithm == Algorithm::kIgTree && !keepInstances ? options.queries : nullptr;
    return TimblTreeParser(path, **file, vocab, job, queries).parse();
  }();
  if (!tree) return tree.status();
  const bool wantPruned = co.algorithm == Algorithm::kIgTree;
  if (tree->pruned != wantPruned)
    return Status::invalidArgument(
        path +
        (tree->pruned ? " is a pruned (IGTree) instance base, not valid for "
                      : " is a complete instance base, not valid for ") +
        algorithmName(co.algorithm) + (tree->pruned ? "; read it with -a1" : "; use -a0 or -a4"));
  std::string weightsPath = options.weightsPath;
  FeatureWeighting section = options.weightsSection;
  if (weightsPath.empty() && wantPruned && fileExists(path + ".wgt")) {
    weightsPath = path + ".wgt";
    section = co.weighting;
  }
  if (!weightsPath.empty()) {
    auto weights = readTimblWeights(weightsPath, section, tree->width());
    if (!weights) return weights.status();
    co.fixedWeights = std::move(weights).value();
  } else if (wantPruned) {
    co.fixedWeights.assign(static_cast<size_t>(tree->width()), 1.0);
  }

  co.fixedOrder = tree->permutation;
  if (wantPruned) {
    IgTree ig = IgTree::fromNodes(tree->permutation, std::move(tree->nodes), std::move(tree->pool));
    auto base = std::make_unique<InstanceBase>(tree->width());
    for (uint32_t id : tree->classIds) base->addClass(id);
    std::vector<double> weights = co.fixedWeights;
    TimblBaseContents contents;
    contents.classifier =
        makeIgTreeClassifier(co, std::move(base), std::move(ig), std::move(weights));
    contents.instances.width = tree->width();
    contents.classTotals = tree->classTotals;
    return contents;
  }
  TimblBaseContents contents;
  contents.classTotals = tree->classTotals;
  contents.instances.width = tree->width();
  auto stored = storedRuns(*tree, fileBytes, job);
  tree = TimblParsedBase{};  // the runs say all the memory needs: free the rest before building
  if (!stored) return stored.status().isCancelled() ? stored.status() : corrupt(stored.status());
  auto base = InstanceBase::fromRuns(contents.instances.width, std::move(stored->values),
                                     stored->classIds, stored->runs, job);
  if (!base) return base.status().isCancelled() ? base.status() : corrupt(base.status());
  if (keepInstances) {
    auto instances = expandRuns(*base, stored->runs, job);
    if (!instances) return instances.status();
    contents.instances = std::move(instances).value();
  }
  stored = StoredRuns{};
  // Reading serves a few queries as often as many: subset indexes would cost more than the read.
  auto classifier = restoreClassifier(co, std::move(base).value(), job, {}, SubsetIndexing::kNone);
  if (!classifier) return classifier.status();
  contents.classifier = std::move(classifier).value();
  return contents;
}

}  // namespace

Result<TimblBaseContents> readTimblBaseContents(const std::string& path,
                                                const TimblBaseOptions& options, Vocabulary& vocab,
                                                JobControl* job) {
  return readBase(path, options, vocab, job, true);
}

Result<std::unique_ptr<Classifier>> readTimblInstanceBase(const std::string& path,
                                                          const TimblBaseOptions& options,
                                                          Vocabulary& vocab, JobControl* job) {
  auto contents = readBase(path, options, vocab, job, false);
  if (!contents) return contents.status();
  return std::move(contents->classifier);
}

}  // namespace memlens
