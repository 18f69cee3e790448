#include "edit/pruned_tree_paths.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <optional>

#include "classify/classifier_factories.h"
#include "edit/incremental_igtree.h"

namespace memlens {

namespace {

// The stored vectors of `memory`'s tree in trie order, when it keeps them.
std::optional<std::span<const uint32_t>> trieOf(const IgTree& tree, const InstanceBase& base) {
  return tree.vectorsAgreeing(base, std::vector<uint32_t>(static_cast<size_t>(base.width()), 0), 0);
}

}  // namespace

bool PrunedTreePaths::apply(const Classifier& memory, const ProbePaths& paths) {
  const IgTree* tree = igTreeOf(memory);
  return tree && tree->order() == paths.order() && trieOf(*tree, memory.memory());
}

Result<std::shared_ptr<const PrunedTreePaths>> PrunedTreePaths::of(
    const std::shared_ptr<const Classifier>& memory, std::shared_ptr<const ProbePaths> paths,
    JobControl* job) {
  if (!apply(*memory, *paths))
    return Status::invalidArgument("the memory's tree keeps no trie order in the probe's order");
  const IgTree* tree = igTreeOf(*memory);
  const InstanceBase& base = memory->memory();
  const auto width = static_cast<size_t>(base.width());
  const auto all = trieOf(*tree, base);
  std::shared_ptr<PrunedTreePaths> out(new PrunedTreePaths);
  out->memory_ = memory;
  out->probePaths_ = std::move(paths);
  out->tree_ = tree;
  out->base_ = &base;
  out->trie_ = *all;
  for (uint32_t c = 0; c < base.classCount(); ++c)
    out->classIds_ = std::max(out->classIds_, base.classId(c) + 1);
  const std::vector<int>& order = tree->order();
  const std::span<const uint32_t> trie = out->trie_;
  const ProbePaths& probe = *out->probePaths_;
  const std::span<const uint32_t> tokens = probe.tokens();
  const auto valueAt = [&](size_t position, size_t depth) {
    return base.vector(trie[position])[static_cast<size_t>(order[depth])];
  };
  // The first position in [from, to) whose value at `depth` is at least `v` (`above`: above it),
  // by doubling steps from `from`: a node's range is searched from its previous sibling's end.
  const auto first = [&](size_t from, size_t to, size_t depth, uint32_t v, bool above) {
    const auto before = [&](size_t i) {
      const uint32_t x = valueAt(i, depth);
      return above ? x <= v : x < v;
    };
    size_t lo = from, hi = from;
    for (size_t step = 1; hi < to && before(hi); step *= 2) {
      lo = hi + 1;
      hi = std::min(to, lo + step);
    }
    while (lo < hi) {
      const size_t mid = lo + (hi - lo) / 2;
      if (before(mid)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  };
  // Chunks of the tokens, each listing its paths and their prefixes on its own (a prefix that
  // two chunks share is made one node below).
  constexpr size_t kChunk = 4096;
  const size_t chunks = (tokens.size() + kChunk - 1) / kChunk;
  struct Listed {
    std::vector<Node> nodes;
    std::vector<Path> paths;
  };
  std::vector<Listed> listed(chunks);
  const IgTree::Node* root = &tree->root();
  std::atomic<bool> cancelled{false};
  tbb::parallel_for(size_t{0}, chunks, [&](size_t chunk) {
    if (cancelled || (cancelRequested(job) && (cancelled = true))) return;
    Listed& l = listed[chunk];
    const size_t end = std::min(tokens.size(), (chunk + 1) * kChunk);
    // The current path: its values, and per depth its node (local, from 1: 0 is the root) and
    // that node's trained one and range, down to depth `have`; per depth, the end of the last
    // range searched there and under which parent.
    std::vector<uint32_t> values(width);
    std::vector<uint32_t> at(width + 1, 0), lastParent(width + 1, UINT32_MAX);
    std::vector<size_t> lastEnd(width + 1, 0), begin(width + 1, 0), finish(width + 1, trie.size());
    std::vector<const IgTree::Node*> trained(width + 1, root);
    size_t have = 0;
    for (size_t i = chunk * kChunk; i < end; ++i) {
      const uint32_t t = tokens[i];
      size_t same = 0;  // values shared with the previous path
      if (i > chunk * kChunk) {
        while (same < width && probe.value(t, same) == values[same]) ++same;
        if (same == width) continue;
      }
      for (size_t d = same; d < width; ++d) values[d] = probe.value(t, d);
      have = std::min(have, same);
      // Deeper while a stored vector shares the prefix.
      while (have < width) {
        const size_t d = have;
        const uint32_t parent = at[d];
        const size_t from = lastParent[d + 1] == parent ? lastEnd[d + 1] : begin[d];
        const size_t lo = first(from, finish[d], d, values[d], false);
        const size_t hi = first(lo, finish[d], d, values[d], true);
        lastParent[d + 1] = parent;
        lastEnd[d + 1] = hi;
        if (lo == hi) break;
        trained[d + 1] = trained[d] ? tree->child(*trained[d], values[d]) : nullptr;
        l.nodes.push_back(
            {static_cast<uint32_t>(lo), static_cast<uint32_t>(hi), parent, trained[d + 1]});
        at[d + 1] = static_cast<uint32_t>(l.nodes.size());
        begin[d + 1] = lo;
        finish[d + 1] = hi;
        have = d + 1;
      }
      l.paths.push_back({static_cast<uint32_t>(i), at[have]});
    }
  });
  if (cancelled) return Status::cancelled();
  // One list, the root node 0. A chunk's first path shares its first prefixes with the last path
  // of the chunk before it: those nodes are taken as they were listed there (a frequent first
  // value spans many chunks, and each copy of its node would be summed again at every stop).
  size_t total = 1, pathCount = 0;
  for (const Listed& l : listed) {
    total += l.nodes.size();
    pathCount += l.paths.size();
  }
  std::vector<Node>& nodes = out->nodes_;
  nodes.reserve(total);
  nodes.push_back({0, static_cast<uint32_t>(trie.size()), 0, root});
  out->paths_.reserve(pathCount);
  std::vector<uint32_t> chain(width + 1, 0);  // the last path's nodes by depth, down to `chained`
  size_t chained = 0;
  for (const Listed& l : listed) {
    std::vector<uint32_t> at(l.nodes.size() + 1, 0), depth(l.nodes.size() + 1, 0);
    for (size_t n = 1; n <= l.nodes.size(); ++n) {
      Node node = l.nodes[n - 1];
      depth[n] = depth[node.parent] + 1;
      node.parent = at[node.parent];
      const uint32_t d = depth[n];
      if (d <= chained && node.parent == chain[d - 1] && nodes[chain[d]].begin == node.begin &&
          nodes[chain[d]].end == node.end) {
        at[n] = chain[d];
      } else {
        at[n] = static_cast<uint32_t>(nodes.size());
        nodes.push_back(node);
      }
    }
    for (Path p : l.paths) {
      p.node = at[p.node];
      out->paths_.push_back(p);
    }
    if (l.paths.empty()) continue;
    const uint32_t last = l.paths.back().node;
    chained = depth[last];
    for (uint32_t n = at[last], d = depth[last]; d > 0; n = nodes[n].parent, --d) chain[d] = n;
  }
  return std::shared_ptr<const PrunedTreePaths>(std::move(out));
}

uint32_t PrunedTreePaths::answerAt(const Node& node, uint32_t kept,
                                   const std::vector<bool>& removed,
                                   const ClassOrder& classes) const {
  thread_local std::vector<int64_t> sums;
  thread_local std::vector<uint32_t> touched;
  if (sums.size() < classIds_) sums.resize(classIds_, 0);
  const auto add = [&](uint32_t id, int64_t n) {
    if (sums[id] == 0) touched.push_back(id);
    sums[id] += n;
  };
  const auto addVector = [&](uint32_t v, int64_t sign) {
    for (const ClassCount& c : base_->distribution(v))
      add(base_->classId(c.classIndex), sign * c.count);
  };
  const uint32_t size = node.end - node.begin;
  if (node.trained && size - kept < kept) {
    for (const ClassCount& c : tree_->distribution(*node.trained))
      add(base_->classId(c.classIndex), c.count);
    for (uint32_t i = node.begin; i < node.end; ++i)
      if (removed[trie_[i]]) addVector(trie_[i], -1);
  } else {
    for (uint32_t i = node.begin; i < node.end; ++i)
      if (!removed[trie_[i]]) addVector(trie_[i], 1);
  }
  thread_local std::vector<std::pair<uint32_t, uint64_t>> dist;
  dist.clear();
  for (uint32_t id : touched) {
    if (sums[id] > 0) dist.emplace_back(id, static_cast<uint64_t>(sums[id]));
    sums[id] = 0;
  }
  touched.clear();
  return IncrementalIgTree::defaultOf(dist, classes);
}

Result<std::vector<uint32_t>> PrunedTreePaths::answers(const std::vector<bool>& removed,
                                                       const ClassOrder& classes,
                                                       JobControl* job) const {
  const std::shared_ptr<const Classifier> memory = memory_.lock();
  if (!memory) return Status::invalidArgument("the memory these paths were made for is gone");
  // Kept vectors before each trie position, counted a block at a time.
  constexpr size_t kBlock = size_t{1} << 16;
  const size_t n = trie_.size();
  const size_t blocks = (n + kBlock - 1) / kBlock;
  std::vector<uint32_t> kept(n + 1, 0);
  std::vector<uint32_t> blockKept(blocks + 1, 0);
  tbb::parallel_for(size_t{0}, blocks, [&](size_t b) {
    uint32_t k = 0;
    for (size_t i = b * kBlock, e = std::min(n, i + kBlock); i < e; ++i) {
      kept[i + 1] = k += !removed[trie_[i]];
    }
    blockKept[b + 1] = k;
  });
  for (size_t b = 0; b < blocks; ++b) blockKept[b + 1] += blockKept[b];
  tbb::parallel_for(size_t{1}, blocks, [&](size_t b) {
    for (size_t i = b * kBlock, e = std::min(n, i + kBlock); i < e; ++i)
      kept[i + 1] += blockKept[b];
  });
  const auto keptIn = [&](const Node& node) { return kept[node.end] - kept[node.begin]; };
  if (cancelRequested(job)) return Status::cancelled();
  // Each path's answering prefix: its deepest one that a kept vector shares (the root at least).
  std::vector<uint32_t> answering(paths_.size());
  tbb::parallel_for(tbb::blocked_range<size_t>(0, paths_.size(), 4096), [&](const auto& range) {
    for (size_t p = range.begin(); p != range.end(); ++p) {
      uint32_t at = paths_[p].node;
      while (at != 0 && keptIn(nodes_[at]) == 0) at = nodes_[at].parent;
      answering[p] = at;
    }
  });
  std::vector<uint8_t> needed(nodes_.size(), 0);
  for (uint32_t at : answering) needed[at] = 1;
  std::vector<uint32_t> answer(nodes_.size(), 0);
  std::atomic<bool> cancelled{false};
  tbb::parallel_for(tbb::blocked_range<size_t>(0, nodes_.size(), 256), [&](const auto& range) {
    if (cancelled || (cancelRequested(job) && (cancelled = true))) return;
    for (size_t at = range.begin(); at != range.end(); ++at) {
      if (!needed[at]) continue;
      // The root answers with the most frequent class (as a tree's root default).
      answer[at] = at == 0 ? classes.ids[IncrementalIgTree::rootDefault(classes)]
                           : answerAt(nodes_[at], keptIn(nodes_[at]), removed, classes);
    }
  });
  if (cancelled) return Status::cancelled();
  const std::span<const uint32_t> tokens = probePaths_->tokens();
  std::vector<uint32_t> out(tokens.size());
  tbb::parallel_for(tbb::blocked_range<size_t>(0, paths_.size(), 4096), [&](const auto& range) {
    for (size_t p = range.begin(); p != range.end(); ++p) {
      const size_t end = p + 1 < paths_.size() ? paths_[p + 1].from : tokens.size();
      for (size_t i = paths_[p].from; i < end; ++i) out[tokens[i]] = answer[answering[p]];
    }
  });
  return out;
}

}  // namespace memlens
