#include <sys/stat.h>

#include <algorithm>
#include <functional>
#include <limits>
#include <numeric>

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

// The stored vector a leaf of a complete base ends, in original feature order.
void leafVector(const TimblTree& tree, uint32_t leaf, std::vector<uint32_t>& out) {
  out.resize(static_cast<size_t>(tree.width()));
  for (uint32_t i = leaf; tree.nodes[i].depth > 0; i = tree.nodes[i].parent)
    out[static_cast<size_t>(tree.permutation[static_cast<size_t>(tree.nodes[i].depth - 1)])] =
        tree.nodes[i].value;
}

// The stored vectors of a complete base, one instance per count, so that adding them builds the
// memory TiMBL holds, passed to `take` in chunks of at most `chunk` instances (sources number
// the instances across chunks: the file says nothing of where they came from). Classes get
// indices in order of first appearance, and that order decides ties: so one instance of each
// class comes first, in the file's class order.
Status forStoredInstances(const TimblTree& tree, uint64_t fileBytes, size_t chunk, JobControl* job,
                          const std::function<Status(InstanceSet&)>& take) {
  std::vector<uint32_t> firstLeaf(tree.classIds.size(), TimblTree::kNoNode);
  for (uint32_t i = 0; i < tree.nodes.size(); ++i) {
    const TimblTree::Node& n = tree.nodes[i];
    if (!n.leaf) continue;
    for (uint32_t k = 0; k < n.distCount; ++k) {
      uint32_t& first = firstLeaf[tree.pool[n.distBegin + k].classIndex];
      if (first == TimblTree::kNoNode) first = i;
    }
  }
  // Every count becomes an instance in memory, so a few bytes claiming billions would exhaust
  // it: real bases hold well under one instance per byte (the KJV's 0.05).
  uint64_t total = 0;
  for (const TimblTree::Node& n : tree.nodes)
    if (n.leaf)
      for (uint32_t k = 0; k < n.distCount; ++k) total += tree.pool[n.distBegin + k].count;
  if (total > std::min<uint64_t>(fileBytes * 16 + 65536, 0xFFFFFFFEull))
    return Status::corrupt("its counts add up to " + std::to_string(total) + " instances in " +
                           std::to_string(fileBytes) +
                           " bytes, more than a TiMBL base of that size holds (corrupt counts?)");
  if (total == 0) return Status::corrupt("the instance base holds no instances");
  InstanceSet set;
  set.width = tree.width();
  set.reserve(std::min<uint64_t>(total, chunk));
  uint64_t emitted = 0;
  std::vector<uint32_t> vec;
  auto flush = [&]() -> Status {
    if (set.size() == 0) return Status::ok();
    if (cancelRequested(job)) return Status::cancelled();
    Status st = take(set);
    set.features.clear();
    set.classes.clear();
    set.sources.clear();
    return st;
  };
  auto emit = [&](uint32_t classIndex, uint32_t count) -> Status {
    for (uint32_t c = 0; c < count; ++c) {
      set.features.insert(set.features.end(), vec.begin(), vec.end());
      set.classes.push_back(tree.classIds[classIndex]);
      set.sources.push_back(emitted++);
      if (set.size() == chunk)
        if (Status st = flush(); !st) return st;
    }
    return Status::ok();
  };
  for (uint32_t c = 0; c < firstLeaf.size(); ++c) {
    if (firstLeaf[c] == TimblTree::kNoNode) continue;
    leafVector(tree, firstLeaf[c], vec);
    if (Status st = emit(c, 1); !st) return st;
  }
  for (uint32_t i = 0; i < tree.nodes.size(); ++i) {
    if (i % (1 << 16) == 0 && cancelRequested(job)) return Status::cancelled();
    const TimblTree::Node& n = tree.nodes[i];
    if (!n.leaf) continue;
    leafVector(tree, i, vec);
    for (uint32_t k = 0; k < n.distCount; ++k) {
      const ClassCount& cc = tree.pool[n.distBegin + k];
      if (Status st = emit(cc.classIndex, firstLeaf[cc.classIndex] == i ? cc.count - 1 : cc.count);
          !st)
        return st;
    }
  }
  return flush();
}

// The pruned tree as an IgTree: branches of a node contiguous and sorted by value, root last.
Result<IgTree> prunedTree(const TimblTree& tree, const std::string& path) {
  const auto n = static_cast<uint32_t>(tree.nodes.size());
  std::vector<uint32_t> byParent(n - 1);
  std::iota(byParent.begin(), byParent.end(), 1u);
  std::stable_sort(byParent.begin(), byParent.end(), [&](uint32_t a, uint32_t b) {
    const TimblTree::Node &x = tree.nodes[a], &y = tree.nodes[b];
    return x.parent != y.parent ? x.parent < y.parent : x.value < y.value;
  });
  std::vector<uint32_t> newIndex(n);
  newIndex[0] = n - 1;
  for (uint32_t k = 0; k < byParent.size(); ++k) newIndex[byParent[k]] = k;
  std::vector<IgTree::Node> nodes(n);
  std::vector<ClassCount> pool = tree.pool;
  for (uint32_t i = 0; i < n; ++i) {
    const TimblTree::Node& t = tree.nodes[i];
    IgTree::Node& g = nodes[newIndex[i]];
    g.value = t.value;
    g.defaultClass = t.defaultClass;
    g.distBegin = t.distBegin;
    g.distCount = t.distCount;
    std::sort(pool.begin() + t.distBegin, pool.begin() + t.distBegin + t.distCount,
              [](const ClassCount& a, const ClassCount& b) { return a.classIndex < b.classIndex; });
  }
  for (uint32_t k = 0; k < byParent.size(); ++k) {
    const TimblTree::Node& t = tree.nodes[byParent[k]];
    IgTree::Node& parent = nodes[newIndex[t.parent]];
    if (parent.childCount == 0) {
      parent.firstChild = k;
    } else if (nodes[k - 1].value == t.value) {
      return Status::corrupt(path + ": a node has two branches for the same value");
    }
    ++parent.childCount;
  }
  return IgTree::fromNodes(tree.permutation, std::move(nodes), std::move(pool));
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
  auto tree = [&]() -> Result<TimblTree> {
    auto file = MappedFile::open(path);
    if (!file) return file.status();
    fileBytes = (*file)->bytes().size();
    return TimblTreeParser(path, (*file)->bytes(), vocab, job).parse();
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
    auto ig = prunedTree(*tree, path);
    if (!ig) return ig.status();
    auto base = std::make_unique<InstanceBase>(tree->width());
    for (uint32_t id : tree->classIds) base->addClass(id);
    std::vector<double> weights = co.fixedWeights;
    TimblBaseContents contents;
    contents.classifier =
        makeIgTreeClassifier(co, std::move(base), std::move(ig).value(), std::move(weights));
    contents.instances.width = tree->width();
    contents.classTotals = tree->classTotals;
    return contents;
  }
  TimblBaseContents contents;
  contents.classTotals = tree->classTotals;
  contents.instances.width = tree->width();
  InstanceBase base(tree->width());
  {
    // Kept, the instances are made at once; else in chunks, so that little more than the base
    // is held while it grows.
    const size_t chunk = keepInstances ? std::numeric_limits<size_t>::max() : size_t{1} << 16;
    const TimblTree parsed = std::move(tree).value();
    Status st = forStoredInstances(parsed, fileBytes, chunk, job, [&](InstanceSet& part) {
      if (!keepInstances) return base.add(part, job);
      contents.instances = std::move(part);
      return base.add(contents.instances, job);
    });
    if (!st) return st.isCancelled() ? st : Status::corrupt(path + ": " + st.message());
  }
  // Reading serves a few queries as often as many: each subset index is built when one first
  // needs it, not all of them up front.
  auto classifier = restoreClassifier(co, std::move(base), job, {}, SubsetIndexing::kOnFirstUse);
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
