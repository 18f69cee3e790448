#include <algorithm>
#include <numeric>
#include <string>
#include <unordered_map>

#include "base/atomic_file_writer.h"
#include "memlens/timbl_instance_base.h"
#include "memlens/timbl_weights.h"
#include "memory/ig_tree.h"
#include "memory/overlap_memory.h"
#include "timbl/timbl_tree.h"

namespace memlens {
namespace {

constexpr size_t kPollEveryNodes = 1 << 16;

// The complete trie over a memory's stored vectors in `order`, every node with its summed
// distribution and default (as IgTree chooses it: most votes, then most frequent, then first).
class CompleteTreeBuilder {
 public:
  CompleteTreeBuilder(const InstanceBase& base, const std::vector<int>& order, TimblTree& tree,
                      JobControl* job)
      : base_(base), order_(order), tree_(tree), job_(job), acc_(base.classCount(), 0) {}

  // False when cancelled.
  bool build() {
    ids_.resize(base_.vectorCount());
    std::iota(ids_.begin(), ids_.end(), 0u);
    std::sort(ids_.begin(), ids_.end(), [&](uint32_t x, uint32_t y) {
      for (int f : order_) {
        const uint32_t a = base_.vector(x)[f], b = base_.vector(y)[f];
        if (a != b) return a < b;
      }
      return false;
    });
    node(0, ids_.size(), 0, 0, 0);
    return !cancelled_;
  }

 private:
  void node(size_t lo, size_t hi, int depth, uint32_t parent, uint32_t value) {
    const auto self = static_cast<uint32_t>(tree_.nodes.size());
    if (self % kPollEveryNodes == 0 && cancelRequested(job_)) cancelled_ = true;
    if (cancelled_) return;
    TimblTree::Node& n = tree_.nodes.emplace_back();
    n.parent = depth == 0 ? self : parent;
    n.value = value;
    n.depth = depth;
    std::vector<ClassCount> dist;
    if (depth == base_.width()) {
      const auto d = base_.distribution(ids_[lo]);
      dist.assign(d.begin(), d.end());
      tree_.nodes[self].leaf = true;
    } else {
      std::vector<uint32_t> children;
      for (size_t a = lo; a < hi;) {
        const uint32_t v = valueAt(a, depth);
        size_t b = a + 1;
        while (b < hi && valueAt(b, depth) == v) ++b;
        children.push_back(static_cast<uint32_t>(tree_.nodes.size()));
        node(a, b, depth + 1, self, v);
        if (cancelled_) return;
        a = b;
      }
      for (uint32_t c : children) {
        const TimblTree::Node& child = tree_.nodes[c];
        for (uint32_t i = 0; i < child.distCount; ++i) {
          const ClassCount& cc = tree_.pool[child.distBegin + i];
          if (acc_[cc.classIndex] == 0) touched_.push_back(cc.classIndex);
          acc_[cc.classIndex] += cc.count;
        }
      }
      std::sort(touched_.begin(), touched_.end());
      for (uint32_t c : touched_) {
        dist.push_back({c, static_cast<uint32_t>(acc_[c])});
        acc_[c] = 0;
      }
      touched_.clear();
    }
    std::sort(dist.begin(), dist.end(),
              [](const ClassCount& a, const ClassCount& b) { return a.classIndex < b.classIndex; });
    TimblTree::Node& done = tree_.nodes[self];
    done.defaultClass = defaultClassOf(dist, base_.classTotals());
    done.distBegin = static_cast<uint32_t>(tree_.pool.size());
    done.distCount = static_cast<uint32_t>(dist.size());
    tree_.pool.insert(tree_.pool.end(), dist.begin(), dist.end());
  }
  uint32_t valueAt(size_t i, int depth) const { return base_.vector(ids_[i])[order_[depth]]; }

  const InstanceBase& base_;
  const std::vector<int>& order_;
  TimblTree& tree_;
  JobControl* job_;
  bool cancelled_ = false;
  std::vector<uint32_t> ids_;
  std::vector<uint64_t> acc_;
  std::vector<uint32_t> touched_;
};

// An IgTree in the file's pre-order layout.
void appendIgTree(const IgTree& ig, const IgTree::Node& n, int depth, uint32_t parent,
                  TimblTree& tree) {
  const auto self = static_cast<uint32_t>(tree.nodes.size());
  TimblTree::Node& t = tree.nodes.emplace_back();
  t.parent = depth == 0 ? self : parent;
  t.value = n.value;
  t.depth = depth;
  t.defaultClass = n.defaultClass;
  t.leaf = n.childCount == 0;
  t.distBegin = static_cast<uint32_t>(tree.pool.size());
  t.distCount = n.distCount;
  const auto dist = ig.distribution(n);
  tree.pool.insert(tree.pool.end(), dist.begin(), dist.end());
  for (const IgTree::Node& c : ig.children(n)) appendIgTree(ig, c, depth + 1, self, tree);
}

// Writes `tree` in TiMBL 6.5's layout (IBtree.cxx's Save), so that `timbl -i` reads it.
class TreeWriter {
 public:
  TreeWriter(const TimblTree& tree, const Vocabulary& vocab, const TimblBaseWriteOptions& options,
             AtomicFileWriter& out, JobControl* job)
      : tree_(tree), vocab_(vocab), options_(options), out_(out), job_(job) {}

  Status write() {
    header();
    if (options_.hashed) tables();
    // A node's subtree is nodes[i, end_[i]) of the pre-order array.
    end_.assign(tree_.nodes.size(), static_cast<uint32_t>(tree_.nodes.size()));
    std::vector<uint32_t> open;
    for (uint32_t i = 0; i < tree_.nodes.size(); ++i) {
      while (!open.empty() && tree_.nodes[open.back()].depth >= tree_.nodes[i].depth) {
        end_[open.back()] = i;
        open.pop_back();
      }
      open.push_back(i);
    }
    return node(0);
  }

 private:
  Status node(uint32_t i) {
    if (++written_ % kPollEveryNodes == 0 && cancelRequested(job_)) return Status::cancelled();
    const TimblTree::Node& n = tree_.nodes[i];
    if (options_.hashed) {
      out_.put('(');
      out_.write(std::to_string(n.defaultClass + 1));
    } else {
      out_.write(n.depth == 0 ? "(" : " (");
      out_.write(vocab_.text(tree_.classIds[n.defaultClass]));
      out_.put(' ');
    }
    if (n.depth == 0 || options_.distributions || (n.leaf && !tree_.pruned)) distribution(n);
    if (end_[i] > i + 1) {
      out_.put('[');
      for (uint32_t c = i + 1; c < end_[i]; c = end_[c]) {
        if (c != i + 1) out_.put(',');
        value(tree_.nodes[c].value);
        if (!options_.hashed && n.depth > 0) out_.put(' ');
        if (Status st = node(c); !st) return st;
      }
      out_.write("]\n");
    }
    out_.write(")\n");
    return Status::ok();
  }

  void header() {
    std::string h =
        std::string("# Status: ") + (tree_.pruned ? "pruned" : "complete") + "\n# Permutation: < ";
    for (size_t d = 0; d < tree_.permutation.size(); ++d)
      h += (d ? ", " : "") + std::to_string(tree_.permutation[d] + 1);
    h += " >\n# Numeric: .\n# Bin_Size: 20\n# Version 4";
    h += options_.hashed ? " (Hashed)\n#\n" : "\n#\n";
    out_.write(h);
  }

  void tables() {
    out_.write("Classes\n");
    for (size_t c = 0; c < tree_.classIds.size(); ++c) {
      out_.write(std::to_string(c + 1));
      out_.put('\t');
      out_.write(vocab_.text(tree_.classIds[c]));
      out_.put('\n');
    }
    // Values numbered in Vocabulary order, which is TiMBL's (first seen in the training data).
    std::vector<uint32_t> values;
    for (const TimblTree::Node& n : tree_.nodes)
      if (n.depth > 0) values.push_back(n.value);
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    out_.write("Features\n");
    for (uint32_t v : values) {
      valueIndex_.emplace(v, valueIndex_.size() + 1);
      out_.write(std::to_string(valueIndex_.size()));
      out_.put('\t');
      out_.write(vocab_.text(v));
      out_.put('\n');
    }
    out_.put('\n');
  }

  void value(uint32_t id) {
    if (options_.hashed)
      out_.write(std::to_string(valueIndex_.at(id)));
    else
      out_.write(vocab_.text(id));
  }

  void distribution(const TimblTree::Node& n) {
    out_.write("{ ");
    for (uint32_t k = 0; k < n.distCount; ++k) {
      const ClassCount& cc = tree_.pool[n.distBegin + k];
      if (k) out_.write(", ");
      if (options_.hashed)
        out_.write(std::to_string(cc.classIndex + 1));
      else
        out_.write(vocab_.text(tree_.classIds[cc.classIndex]));
      out_.put(' ');
      out_.write(std::to_string(cc.count));
    }
    out_.write(" }");
  }

  const TimblTree& tree_;
  const Vocabulary& vocab_;
  const TimblBaseWriteOptions& options_;
  AtomicFileWriter& out_;
  JobControl* job_;
  std::vector<uint32_t> end_;
  std::unordered_map<uint32_t, uint64_t> valueIndex_;
  size_t written_ = 0;
};

}  // namespace

Status writeTimblInstanceBase(const std::string& path, const Classifier& classifier,
                              const Vocabulary& vocab, const TimblBaseWriteOptions& options,
                              JobControl* job) {
  const ClassifierOptions& co = classifier.options();
  if (co.algorithm == Algorithm::kVectorMemory)
    return Status::invalidArgument("TiMBL instance bases hold IB1, IGTree or TRIBL2 memories");
  const InstanceBase& base = classifier.memory();
  if (base.vectorCount() == 0)
    return Status::invalidArgument(
        path +
        ": the memory holds no stored vectors to write (train it first; an IGTree read "
        "from a pruned base keeps only its tree)");
  TimblTree tree;
  tree.permutation = memoryOrder(co, classifier.weights());
  for (uint32_t c = 0; c < base.classCount(); ++c) tree.classIds.push_back(base.classId(c));
  tree.classTotals = base.classTotals();
  if (co.algorithm == Algorithm::kIgTree) {
    auto ig = IgTree::build(base, tree.permutation, job);
    if (!ig) return ig.status();
    tree.pruned = true;
    appendIgTree(*ig, ig->root(), 0, 0, tree);
  } else {
    if (!CompleteTreeBuilder(base, tree.permutation, tree, job).build()) return Status::cancelled();
  }
  auto out = AtomicFileWriter::create(path);
  if (!out) return out.status();
  if (Status st = TreeWriter(tree, vocab, options, **out, job).write(); !st) return st;
  if (Status st = (*out)->commit(); !st) return st;
  // timbl -i reads an IGTree's weights from beside it.
  if (co.algorithm == Algorithm::kIgTree) return writeTimblWeights(path + ".wgt", base);
  return Status::ok();
}

}  // namespace memlens
