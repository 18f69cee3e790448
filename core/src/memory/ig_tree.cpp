#include "memory/ig_tree.h"

#include <algorithm>

namespace memlens {

uint32_t defaultClassOf(std::span<const ClassCount> dist,
                        const std::vector<uint64_t>& classTotals) {
  uint32_t best = dist.front().classIndex;
  uint32_t bestCount = dist.front().count;
  for (const ClassCount& c : dist.subspan(1)) {
    if (c.count > bestCount ||
        (c.count == bestCount &&
         (classTotals[c.classIndex] > classTotals[best] ||
          (classTotals[c.classIndex] == classTotals[best] && c.classIndex < best)))) {
      best = c.classIndex;
      bestCount = c.count;
    }
  }
  return best;
}

namespace {

struct Builder {
  const InstanceBase& base;
  const std::vector<uint64_t>& totals;
  uint32_t rootDefault;
  const std::vector<int>& order;
  JobControl* job;
  std::vector<uint32_t> ids;  // stored vectors in trie order
  std::vector<IgTree::Node>& nodes;
  std::vector<ClassCount>& pool;
  std::vector<uint64_t> acc;  // per class
  std::vector<uint32_t> touched;
  size_t leaves = 0;
  bool cancelled = false;

  struct Temp {
    IgTree::Node node;
    std::vector<ClassCount> dist;
  };

  uint32_t valueAt(uint32_t id, int depth) const { return base.vector(id)[order[depth]]; }

  std::vector<ClassCount> sortedDist(std::vector<ClassCount> d) const {
    std::sort(d.begin(), d.end(),
              [](const ClassCount& a, const ClassCount& b) { return a.classIndex < b.classIndex; });
    return d;
  }

  // Builds the subtree over ids[lo, hi) whose members share the first `depth` ordered values.
  Temp build(size_t lo, size_t hi, int depth) {
    Temp t;
    if (depth == base.width()) {
      if (++leaves % 4096 == 0 && cancelRequested(job)) cancelled = true;
      const auto d = base.distribution(ids[lo]);
      t.dist = sortedDist({d.begin(), d.end()});
      t.node.defaultClass = defaultClassOf(t.dist, totals);
      return t;
    }
    std::vector<Temp> children;
    for (size_t a = lo; a < hi && !cancelled;) {
      const uint32_t v = valueAt(ids[a], depth);
      size_t b = a + 1;
      while (b < hi && valueAt(ids[b], depth) == v) ++b;
      children.push_back(build(a, b, depth + 1));
      children.back().node.value = v;
      a = b;
    }
    if (cancelled) return t;
    for (const Temp& c : children)
      for (const ClassCount& cc : c.dist) {
        if (acc[cc.classIndex] == 0) touched.push_back(cc.classIndex);
        acc[cc.classIndex] += cc.count;
      }
    std::sort(touched.begin(), touched.end());
    for (uint32_t c : touched) {
      t.dist.push_back({c, static_cast<uint32_t>(acc[c])});
      acc[c] = 0;
    }
    touched.clear();
    t.node.defaultClass = depth == 0 && rootDefault != InstanceBase::kNone
                              ? rootDefault
                              : defaultClassOf(t.dist, totals);
    // Compression: drop leaf children that would answer what this node answers anyway.
    std::vector<Temp*> kept;
    for (Temp& c : children)
      if (!(c.node.childCount == 0 && c.node.defaultClass == t.node.defaultClass))
        kept.push_back(&c);
    t.node.firstChild = static_cast<uint32_t>(nodes.size());
    t.node.childCount = static_cast<uint32_t>(kept.size());
    for (Temp* c : kept) {
      c->node.distBegin = static_cast<uint32_t>(pool.size());
      c->node.distCount = static_cast<uint32_t>(c->dist.size());
      pool.insert(pool.end(), c->dist.begin(), c->dist.end());
      nodes.push_back(c->node);
    }
    return t;
  }
};

// std::sort in runs merged pairwise, so that a cancel is seen within one merge (tens of ms for
// millions of vectors) rather than after the whole sort. Stored vectors are distinct, so the
// order is total and the result is std::sort's.
template <class Less>
bool sortCancellably(std::vector<uint32_t>& v, Less less, JobControl* job) {
  constexpr size_t kRun = size_t{1} << 16;
  const auto at = [&v](size_t i) {
    return v.begin() + static_cast<std::ptrdiff_t>(std::min(i, v.size()));
  };
  for (size_t b = 0; b < v.size(); b += kRun) {
    if (cancelRequested(job)) return false;
    std::sort(at(b), at(b + kRun), less);
  }
  for (size_t run = kRun; run < v.size(); run *= 2) {
    for (size_t b = 0; b + run < v.size(); b += 2 * run) {
      if (cancelRequested(job)) return false;
      std::inplace_merge(at(b), at(b + run), at(b + 2 * run), less);
    }
  }
  return true;
}

}  // namespace

Result<IgTree> IgTree::build(const InstanceBase& base, std::vector<int> order, JobControl* job,
                             const IgTreeDefaults& defaults) {
  IgTree tree;
  tree.order_ = std::move(order);
  if (base.vectorCount() == 0) return Status::invalidArgument("IGTree: the memory is empty");
  const std::vector<uint64_t>& totals =
      defaults.classTotals ? *defaults.classTotals : base.classTotals();
  std::vector<Node> nodes;
  std::vector<ClassCount> pool;
  Builder b{base, totals, defaults.rootDefault, tree.order_, job, {}, nodes, pool, {}, {},
            0,    false};
  b.acc.assign(base.classCount(), 0);
  b.ids.resize(base.vectorCount());
  for (uint32_t i = 0; i < base.vectorCount(); ++i) b.ids[i] = i;
  const int w = base.width();
  const auto less = [&](uint32_t x, uint32_t y) {
    const auto vx = base.vector(x), vy = base.vector(y);
    for (int d = 0; d < w; ++d) {
      const int f = tree.order_[d];
      if (vx[f] != vy[f]) return vx[f] < vy[f];
    }
    return false;
  };
  if (!sortCancellably(b.ids, less, job)) return Status::cancelled();
  reportProgress(job, 0.3, "building IGTree");
  Builder::Temp root = b.build(0, b.ids.size(), 0);
  if (b.cancelled || cancelRequested(job)) return Status::cancelled();
  root.node.distBegin = static_cast<uint32_t>(pool.size());
  root.node.distCount = static_cast<uint32_t>(root.dist.size());
  pool.insert(pool.end(), root.dist.begin(), root.dist.end());
  tree.root_ = static_cast<uint32_t>(nodes.size());
  nodes.push_back(root.node);
  nodes.shrink_to_fit();
  pool.shrink_to_fit();
  tree.trieOrder_ = std::move(b.ids);
  tree.nodes_ = std::move(nodes);
  tree.pool_ = std::move(pool);
  reportProgress(job, 1.0, "building IGTree");
  return tree;
}

IgTree IgTree::fromNodes(std::vector<int> order, std::vector<Node> nodes,
                         std::vector<ClassCount> pool) {
  IgTree tree;
  tree.order_ = std::move(order);
  tree.nodes_ = std::move(nodes);
  tree.pool_ = std::move(pool);
  tree.root_ = static_cast<uint32_t>(tree.nodes_.size() - 1);
  return tree;
}

const IgTree::Node* IgTree::child(const Node& n, uint32_t value) const {
  const std::span<const Node> siblings = children(n);
  const Node* first = siblings.data();
  const Node* last = first + siblings.size();
  const Node* it =
      std::lower_bound(first, last, value, [](const Node& c, uint32_t x) { return c.value < x; });
  return it != last && it->value == value ? it : nullptr;
}

std::optional<std::span<const uint32_t>> IgTree::vectorsAgreeing(const InstanceBase& base,
                                                                 std::span<const uint32_t> context,
                                                                 int depth) const {
  const auto range = rangeAgreeing(base, context, depth, {0, trieOrder_.size()});
  if (!range) return std::nullopt;
  return trieOrder(*range);
}

std::optional<IgTree::TrieRange> IgTree::rangeAgreeing(const InstanceBase& base,
                                                       std::span<const uint32_t> context, int depth,
                                                       TrieRange within) const {
  if (trieOrder_.size() != base.vectorCount() || context.size() != order_.size() || depth < 0 ||
      static_cast<size_t>(depth) > order_.size() || within.begin > within.end ||
      within.end > trieOrder_.size())
    return std::nullopt;
  // Compares stored vector `id` with the context on the first `depth` features of the order.
  const auto compare = [&](uint32_t id) {
    const auto v = base.vector(id);
    for (int d = 0; d < depth; ++d) {
      const auto f = static_cast<size_t>(order_[static_cast<size_t>(d)]);
      if (v[f] != context[f]) return v[f] < context[f] ? -1 : 1;
    }
    return 0;
  };
  // Each id checked as the searches read it.
  const auto at = [&](size_t i) { return trieChecks_.checked(trieOrder_.data(), i, i + 1)[i]; };
  // The first position from `from` on whose vector compares above `limit` (-1: at or past the
  // context, 0: past it): by doubling steps from `from`, then by halves, so that a range near the
  // start of `within` (the next sibling of one found before) costs the log of its distance.
  const auto first = [&](size_t from, int limit) {
    size_t lo = from, hi = from;
    for (size_t step = 1; hi < within.end && compare(at(hi)) <= limit; step *= 2) {
      lo = hi + 1;
      hi = std::min(within.end, lo + step);
    }
    for (size_t n = hi - lo; n > 0;) {
      const size_t half = n / 2;
      if (compare(at(lo + half)) <= limit) {
        lo += half + 1;
        n -= half + 1;
      } else {
        n = half;
      }
    }
    return lo;
  };
  const size_t lo = first(within.begin, -1);
  return TrieRange{lo, first(lo, 0)};
}

IgTree::Answer IgTree::classify(const uint32_t* query) const {
  Answer a{&root(), 0};
  const int w = static_cast<int>(order_.size());
  while (a.depth < w && a.node->childCount > 0) {
    const Node* next = child(*a.node, query[order_[a.depth]]);
    if (next == nullptr) break;
    a.node = next;
    ++a.depth;
  }
  return a;
}

}  // namespace memlens
