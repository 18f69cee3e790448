#include "edit/incremental_igtree.h"

#include <algorithm>
#include <iterator>
#include <numeric>

#include "classify/classifier_factories.h"

namespace memlens {
namespace {

using Dist = std::vector<std::pair<uint32_t, uint64_t>>;

// Whether class `a` comes before `b` in the tie order (more frequent, then first seen).
bool before(const ClassOrder& o, uint32_t a, uint32_t b) {
  const uint32_t ia = o.indexOfId[a], ib = o.indexOfId[b];
  return o.totals[ia] > o.totals[ib] || (o.totals[ia] == o.totals[ib] && ia < ib);
}

// Whether classes `d` and `e` (ids) stand the other way round in `b` than in `a`, or one of them
// is not in both.
bool reordered(const ClassOrder& a, const ClassOrder& b, uint32_t d, uint32_t e) {
  for (uint32_t c : {d, e})
    if (a.indexOf(c) == InstanceBase::kNone || b.indexOf(c) == InstanceBase::kNone) return true;
  return before(a, d, e) != before(b, d, e);
}

// defaultClassOf() by class id: most votes, then the tie order.
uint32_t defaultOf(const Dist& dist, const ClassOrder& classes) {
  auto best = dist.front();
  for (const auto& c : dist)
    if (c.second > best.second || (c.second == best.second && before(classes, c.first, best.first)))
      best = c;
  return best.first;
}

std::shared_ptr<const IncrementalIgTree::ClassVectors> classVectorsOf(const InstanceBase& b) {
  auto vectors = std::make_shared<IncrementalIgTree::ClassVectors>();
  for (uint32_t id = 0; id < b.vectorCount(); ++id)
    for (const ClassCount& c : b.distribution(id)) {
      const uint32_t classId = b.classId(c.classIndex);
      if (classId >= vectors->size()) vectors->resize(size_t{classId} + 1);
      (*vectors)[classId].push_back(id);
    }
  return vectors;
}

// The subtree of `members` (not empty) in a memory of `classes`.
Result<std::shared_ptr<const IncrementalIgTree::Part>> buildPart(
    const IncrementalIgTree::Members& members, const ClassOrder& classes) {
  // Only the classes the subtree holds, registered in the edited order: defaults compare totals,
  // then that order, so the part answers as the whole tree would.
  std::vector<uint32_t> ids;
  for (const InstanceBase::Run& r : members.runs) ids.push_back(r.classIndex);
  std::sort(ids.begin(), ids.end(),
            [&](uint32_t a, uint32_t b) { return classes.indexOfId[a] < classes.indexOfId[b]; });
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<uint64_t> totals;
  for (uint32_t id : ids) totals.push_back(classes.totals[classes.indexOfId[id]]);
  std::vector<InstanceBase::Run> runs = members.runs;
  for (InstanceBase::Run& r : runs)
    r.classIndex =
        static_cast<uint32_t>(std::lower_bound(ids.begin(), ids.end(), r.classIndex,
                                               [&](uint32_t a, uint32_t b) {
                                                 return classes.indexOfId[a] < classes.indexOfId[b];
                                               }) -
                              ids.begin());
  auto part = std::make_shared<IncrementalIgTree::Part>();
  auto base = InstanceBase::fromRuns(members.width, members.values, ids, runs, nullptr,
                                     InstanceBase::FeatureCounting::kSkip);
  if (!base) return base.status();
  part->base = std::move(*base);
  std::vector<int> identity(static_cast<size_t>(members.width));
  std::iota(identity.begin(), identity.end(), 0);
  IgTreeDefaults defaults;
  defaults.classTotals = &totals;
  auto tree = IgTree::build(part->base, std::move(identity), nullptr, defaults);
  if (!tree) return tree.status();
  part->tree = std::move(tree).value();
  return std::shared_ptr<const IncrementalIgTree::Part>(std::move(part));
}

// `dist` (by class id) with `change` added, classes left without instances dropped: a merge, where
// a map of every class took most of an edit near the root (thousands of classes).
Dist plus(std::span<const std::pair<uint32_t, uint64_t>> dist,
          std::span<const std::pair<uint32_t, int64_t>> change) {
  Dist out;
  out.reserve(dist.size() + change.size());
  auto c = change.begin();
  const auto add = [&](uint32_t id, int64_t n) {
    if (n > 0) out.emplace_back(id, static_cast<uint64_t>(n));
  };
  for (const auto& [id, n] : dist) {
    for (; c != change.end() && c->first < id; ++c) add(c->first, c->second);
    int64_t m = static_cast<int64_t>(n);
    if (c != change.end() && c->first == id) m += (c++)->second;
    add(id, m);
  }
  for (; c != change.end(); ++c) add(c->first, c->second);
  return out;
}

bool isPrefix(const std::vector<uint32_t>& p, const std::vector<uint32_t>& of) {
  return p.size() <= of.size() && std::equal(p.begin(), p.end(), of.begin());
}

// The counts of `runs` (whose classIndex is a class id) by class, sorted by class id.
Dist classCounts(std::span<const InstanceBase::Run> runs) {
  Dist out;
  for (const InstanceBase::Run& r : runs) out.emplace_back(r.classIndex, r.count);
  std::sort(out.begin(), out.end());
  size_t kept = 0;
  for (const auto& c : out) {
    if (kept > 0 && out[kept - 1].first == c.first) {
      out[kept - 1].second += c.second;
    } else {
      out[kept++] = c;
    }
  }
  out.resize(kept);
  return out;
}

}  // namespace

IncrementalIgTree::IncrementalIgTree(const ClassifierOptions& options,
                                     std::shared_ptr<const Classifier> base, ClassOrder classes,
                                     std::function<const InstanceSet&()> instances,
                                     std::shared_ptr<const ClassVectors> classVectors,
                                     std::vector<double> weights)
    : IncrementalClassifier(options, std::move(base), std::move(classes), std::move(instances),
                            std::move(weights)),
      tree_(*igTreeOf(*base_)),
      classVectors_(classVectors ? std::move(classVectors) : classVectorsOf(base_->memory())),
      rootChildren_(tree_.root().childCount),
      rootDefault_(rootDefault(classes_)) {
  // As IgTreeClassifier sums them.
  const std::vector<int>& order = tree_.order();
  const std::vector<double>& w = this->weights();
  tailWeight_.assign(order.size() + 1, 0.0);
  for (size_t d = order.size(); d-- > 0;) tailWeight_[d] = tailWeight_[d + 1] + w[order[d]];
  for (uint64_t t : classes_.totals) instanceCount_ += t;
}

IncrementalIgTree::Deltas IncrementalIgTree::Deltas::of(
    const std::vector<int>& treeOrder, const VectorOverlay& overlay,
    std::span<const uint32_t> entries, std::span<const size_t> start,
    std::span<const std::pair<uint32_t, int64_t>> counts) {
  const size_t w = treeOrder.size();
  std::vector<uint32_t> keys(entries.size() * w);
  for (size_t i = 0; i < entries.size(); ++i) {
    const uint32_t* f = overlay.featuresOf(entries[i]);
    for (size_t d = 0; d < w; ++d) keys[i * w + d] = f[static_cast<size_t>(treeOrder[d])];
  }
  std::vector<uint32_t> sorted(entries.size());
  std::iota(sorted.begin(), sorted.end(), 0);
  std::sort(sorted.begin(), sorted.end(), [&](uint32_t a, uint32_t b) {
    return std::lexicographical_compare(keys.data() + a * w, keys.data() + (a + 1) * w,
                                        keys.data() + b * w, keys.data() + (b + 1) * w);
  });
  Deltas out;
  out.values.reserve(keys.size());
  out.entries.reserve(entries.size());
  out.start.reserve(entries.size() + 1);
  out.changes.reserve(counts.size());
  for (uint32_t i : sorted) {
    out.values.insert(out.values.end(), keys.data() + i * w, keys.data() + (i + 1) * w);
    out.entries.push_back(entries[i]);
    out.changes.insert(out.changes.end(), counts.begin() + static_cast<std::ptrdiff_t>(start[i]),
                       counts.begin() + static_cast<std::ptrdiff_t>(start[i + 1]));
    out.start.push_back(out.changes.size());
  }
  return out;
}

uint32_t IncrementalIgTree::rootDefault(const ClassOrder& classes) {
  uint32_t best = 0;
  for (uint32_t c = 1; c < classes.totals.size(); ++c)
    if (classes.totals[c] > classes.totals[best]) best = c;
  return best;
}

Result<std::shared_ptr<IncrementalIgTree>> IncrementalIgTree::edited(
    const IncrementalIgTree& was, ClassOrder classes, const Deltas& deltas, const Recheck& recheck,
    const VectorOverlay& overlay, std::function<const InstanceSet&()> instances,
    std::vector<double> weights, JobControl* job) {
  auto next = std::make_shared<IncrementalIgTree>(was.options_, was.base_, std::move(classes),
                                                  std::move(instances), was.classVectors_,
                                                  std::move(weights));
  next->settled_ = was.settled_;
  next->recent_ = was.recent_;
  next->rootChildren_ = was.rootChildren_;
  const ClassOrder& order = next->classes_;
  const std::vector<int>& treeOrder = was.tree_.order();
  const size_t w = treeOrder.size();
  // The overlay's entries by their values in tree order, sorted when a subtree is first rebuilt
  // (most edits rebuild none): the edit's own come sorted (`deltas`, most of them after a
  // document-sized edit, whose sort took a tenth of it), the others are sorted and merged in.
  std::vector<uint32_t> sorted;
  const auto sortedEntries = [&]() -> const std::vector<uint32_t>& {
    if (sorted.size() == overlay.entries().size()) return sorted;
    const auto less = [&](uint32_t a, uint32_t b) {
      const uint32_t* fa = overlay.featuresOf(a);
      const uint32_t* fb = overlay.featuresOf(b);
      for (int f : treeOrder)
        if (fa[static_cast<size_t>(f)] != fb[static_cast<size_t>(f)])
          return fa[static_cast<size_t>(f)] < fb[static_cast<size_t>(f)];
      return false;
    };
    std::vector<uint8_t> edited(overlay.entries().size(), 0);
    for (uint32_t e : deltas.entries) edited[e] = 1;
    std::vector<uint32_t> others;
    for (uint32_t e = 0; e < edited.size(); ++e)
      if (!edited[e]) others.push_back(e);
    std::sort(others.begin(), others.end(), less);
    sorted.reserve(overlay.entries().size());
    std::merge(deltas.entries.begin(), deltas.entries.end(), others.begin(), others.end(),
               std::back_inserter(sorted), less);
    return sorted;
  };
  // The nodes on the edited paths, leaves included, in tree order (a prefix before its
  // extensions, which follow it), with what changed below each. A leaf is a node of its own (its
  // compression is settled against its parent's default bottom-up), so an edit of a few leaves
  // rebuilds no subtree.
  struct Below {
    Path path;
    size_t end = 0;                         // past its extensions
    size_t changeBegin = 0, changeEnd = 0;  // in `summed`: its count changes by class id
    uint32_t entry = VectorOverlay::kNone;  // an edited leaf's overlay entry
  };
  std::vector<Below> below;
  std::vector<std::pair<uint32_t, int64_t>> summed;
  {
    std::vector<Path> rechecked;
    if (Status s = was.recheckPaths(recheck, order, rechecked, job); !s) return s;
    // The edited vectors' paths and the rechecked ones, in order (a delta: SIZE_MAX for none),
    // and how many values each shares with the one before.
    struct Item {
      Path path;
      size_t delta;
      size_t same = 0;
    };
    std::vector<Item> items;
    items.reserve(deltas.size() + rechecked.size());
    const auto less = [w](const uint32_t* a, const uint32_t* b) {
      return std::lexicographical_compare(a, a + w, b, b + w);
    };
    for (size_t i = 0, r = 0; i < deltas.size() || r < rechecked.size();) {
      const uint32_t* v = i < deltas.size() ? deltas.values.data() + i * w : nullptr;
      if (v && (r == rechecked.size() || !less(rechecked[r].values, v))) {
        items.push_back({{v, w}, i++});
      } else {
        items.push_back({rechecked[r++], SIZE_MAX});
      }
    }
    // The nodes the paths open, counted first (a million at 100M: `below` grown by doubling took
    // a tenth of the edit).
    size_t opened = 0;
    for (size_t k = 0; k < items.size(); ++k) {
      Item& item = items[k];
      const size_t before = k == 0 ? 0 : items[k - 1].path.length;
      while (k > 0 && item.same < w &&
             items[k - 1].path.values[item.same] == item.path.values[item.same])
        ++item.same;
      opened += item.path.length - std::min({item.same, before, item.path.length});
    }
    below.reserve(opened);
    // A path shares its first `same` nodes with the one before and opens the rest; a node's
    // changes are summed (by class, one array per depth) until a path leaves it. Summed once per
    // vector and depth: a map per node took most of a document-sized edit at 100M.
    uint32_t classLimit = 0;
    for (const auto& c : deltas.changes) classLimit = std::max(classLimit, c.first + 1);
    std::vector<std::vector<int64_t>> sum(w + 1, std::vector<int64_t>(classLimit, 0));
    std::vector<std::vector<uint32_t>> touched(w + 1);
    std::vector<size_t> open;  // by depth - 1, the open nodes' places in `below`
    const auto close = [&] {
      const size_t d = open.size();
      Below& b = below[open.back()];
      std::vector<uint32_t>& t = touched[d];
      std::sort(t.begin(), t.end());  // a class whose sum went back to 0 may come twice
      b.changeBegin = summed.size();
      for (uint32_t c : t)
        if (const int64_t n = std::exchange(sum[d][c], 0); n != 0) summed.emplace_back(c, n);
      t.clear();
      b.changeEnd = summed.size();
      b.end = below.size();
      open.pop_back();
    };
    for (size_t k = 0; k < items.size(); ++k) {
      if (k % 4096 == 4095 && cancelRequested(job)) return Status::cancelled();
      const Item& item = items[k];
      while (open.size() > item.same) close();
      for (size_t d = open.size() + 1; d <= item.path.length; ++d) {
        open.push_back(below.size());
        below.push_back({{item.path.values, d}});
      }
      if (item.delta == SIZE_MAX) continue;
      below[open.back()].entry = deltas.entries[item.delta];
      for (const auto& [c, n] : deltas.of(item.delta))
        for (size_t d = 1; d <= w; ++d) {
          if (sum[d][c] == 0) touched[d].push_back(c);
          sum[d][c] += n;
        }
    }
    while (!open.empty()) close();
  }

  // Top-down (a prefix before its extensions): a node keeps its default or is rebuilt with the
  // subtree below it, whose nodes are then left out. The steps' nodes are one array that the
  // entries made of them share (a document-sized edit at 100M changes a million nodes: an
  // allocation each took a quarter of it; an entry keeps the array, the nodes left out cleared),
  // and a step's prefix is its path until it makes an entry.
  struct Step {
    Path path;
    bool wasKept;
    bool rebuilt;
    bool unseen;    // one compression dropped, not rebuilt: see below
    bool sameDist;  // and default, as it was (a path checked for a class's order alone)
    uint32_t childrenBefore;
    uint32_t defaultBefore;  // a leaf's, when it was kept
    size_t parent;           // step index; SIZE_MAX: the root
  };
  std::vector<Step> steps;
  steps.reserve(below.size());
  const auto pool = std::make_shared<std::vector<Node>>();
  std::vector<Node>& nodes = *pool;
  nodes.reserve(below.size());  // never moved: entries point into it
  std::vector<size_t> lastOfLength(w + 1, SIZE_MAX);
  Prefix key;
  Dist scratch;
  Ranges ranges;
  const uint32_t rootDefaultId = order.ids[next->rootDefault_];
  for (size_t i = 0; i < below.size();) {
    if (steps.size() % 1024 == 1023 && cancelRequested(job)) return Status::cancelled();
    const Below& b = below[i];
    const Path p = b.path;
    key.assign(p.values, p.values + p.length);
    const std::span<const std::pair<uint32_t, int64_t>> change(summed.data() + b.changeBegin,
                                                               b.changeEnd - b.changeBegin);
    const Reached r = was.walk(key);
    const bool present = r.depth == static_cast<int>(p.length);
    const Node* own = was.node(key);
    bool rebuildHere = p.length < w && (!present || (own && (own->part || own->alone)));
    Node& node = nodes.emplace_back();
    bool sameDist = false;
    bool unseen = false;
    uint32_t defaultBefore = 0;
    // Its parent's default stayed (else the parent was rebuilt, with this node).
    const size_t parent = p.length == 1 ? SIZE_MAX : lastOfLength[p.length - 1];
    const uint32_t parentDefault = parent == SIZE_MAX ? rootDefaultId : nodes[parent].defaultId;
    if (p.length == w) {
      // A leaf answers its stored vector's counts. One the tree lacked (empty or compressed)
      // matters only if it is kept now.
      node.dist = was.countsOf(key, overlay, b.entry);
      if (!node.dist.empty()) node.defaultId = defaultOf(node.dist, order);
      if (present) {
        defaultBefore = defaultAt(r);
        was.distributionOf(r, scratch);
      }
      sameDist = !present || (node.dist == scratch && node.defaultId == defaultBefore);
    } else if (!rebuildHere) {
      sameDist = change.empty();
      if (!r.edited) {
        was.distributionOf(r, scratch);
        std::sort(scratch.begin(), scratch.end());  // a trained node's is by class index
      }
      node.dist = plus(r.edited ? r.edited->dist : scratch, change);
      node.defaultId = defaultAt(r);
      node.childCount = r.edited ? r.edited->childCount : r.node->childCount;
      rebuildHere = node.dist.empty() || defaultOf(node.dist, order) != node.defaultId;
    }
    if (rebuildHere) {
      node = Node{};
      auto members = was.membersUnder(p, overlay, sortedEntries(), ranges);
      if (!members) return members.status();
      if (!members->runs.empty() && members->values.size() == static_cast<size_t>(members->width)) {
        // One stored vector (most rebuilds, where compression had dropped the node): its counts.
        node.dist = classCounts(members->runs);
        node.defaultId = defaultOf(node.dist, order);
        node.alone = true;
      } else if (!members->runs.empty()) {
        // Every node below one compression dropped (that no edit reached) holds its parent's
        // default and no children: while this one keeps that default, only the edited paths
        // below it can change, and they are the next steps (building a part for it took a fifth
        // of a document-sized edit at 100M).
        if (!present && was.unseenBelow(key)) {
          node.dist = classCounts(members->runs);
          unseen = defaultOf(node.dist, order) == parentDefault;
        }
        if (unseen) {
          node.defaultId = parentDefault;
          rebuildHere = false;
        } else {
          node.dist.clear();
          auto part = buildPart(*members, order);
          if (!part) return part.status();
          const Part& built = **part;
          const IgTree::Node& top = built.tree.root();
          for (const ClassCount& c : built.tree.distribution(top))
            node.dist.emplace_back(built.base.classId(c.classIndex), c.count);
          std::sort(node.dist.begin(), node.dist.end());
          node.defaultId = built.base.classId(top.defaultClass);
          node.childCount = top.childCount;
          node.part = std::move(*part);
        }
      }
    }
    lastOfLength[p.length] = steps.size();
    steps.push_back({p, present, rebuildHere, unseen, sameDist && !rebuildHere, node.childCount,
                     defaultBefore, parent});
    i = rebuildHere ? b.end : i + 1;  // a rebuilt node's extensions are its part's
  }
  // Bottom-up (children before their parent): compression against the parent's default, which
  // stayed (else the parent was rebuilt), and the parents' child counts.
  for (size_t i = steps.size(); i-- > 0;) {
    const Step& s = steps[i];
    Node& n = nodes[i];
    const uint32_t parentDefault = s.parent == SIZE_MAX ? rootDefaultId : nodes[s.parent].defaultId;
    n.kept = !n.dist.empty() && !(n.childCount == 0 && n.defaultId == parentDefault);
    const int change = static_cast<int>(n.kept) - static_cast<int>(s.wasKept);
    uint32_t& count = s.parent == SIZE_MAX ? next->rootChildren_ : nodes[s.parent].childCount;
    count = static_cast<uint32_t>(static_cast<int64_t>(count) + change);
  }
  // In order, each entry goes where the last one's successor was (when no older entry lies
  // between): a document-sized edit adds a million.
  auto hint = next->recent_.end();
  for (size_t i = 0; i < steps.size(); ++i) {
    const Step& s = steps[i];
    Node& n = nodes[i];
    // A node as it was needs no entry of its own (the walk finds the trained node or its entry);
    // nor does a node the walk did not reach and still does not: its parent answers as before
    // (most paths checked for a class's order end so, below the nodes compression dropped).
    if ((s.sameDist && n.childCount == s.childrenBefore && n.kept == s.wasKept) ||
        ((s.rebuilt || s.unseen) && !s.wasKept && !n.kept)) {
      n = Node{};  // its counts and part freed now, its place with the array
      continue;
    }
    Prefix prefix(s.path.values, s.path.values + s.path.length);
    if (s.rebuilt) {
      // What lay below a rebuilt node is its part's now (settled_'s entries there go unread).
      eraseBelow(next->recent_, prefix);
      hint = next->recent_.lower_bound(prefix);
      next->rebuiltNow_.push_back(prefix);
    } else if (s.path.length == w &&
               (n.kept != s.wasKept || (n.kept && n.defaultId != s.defaultBefore))) {
      // The queries that reach this leaf answer another class now; other nodes kept defaults.
      next->rebuiltNow_.push_back(prefix);
    }
    hint = std::next(next->recent_.insert_or_assign(hint, std::move(prefix),
                                                    std::shared_ptr<const Node>(pool, &n)));
  }
  next->settle();
  return next;
}

bool IncrementalIgTree::orderMovesDefault(const Reached& r, const ClassOrder& after) const {
  const uint32_t d = defaultAt(r);
  const auto each = [&](const auto& f) {
    if (r.edited) {
      for (const auto& [id, n] : r.edited->dist) f(id, n);
    } else {
      for (const ClassCount& c : r.tree->distribution(*r.node))
        f(r.names->classId(c.classIndex), uint64_t{c.count});
    }
  };
  uint64_t top = 0;
  each([&](uint32_t, uint64_t n) { top = std::max(top, n); });
  bool moves = false;
  each([&](uint32_t id, uint64_t n) {
    moves = moves || (n == top && id != d && reordered(classes_, after, d, id));
  });
  return moves;
}

Status IncrementalIgTree::recheckPaths(const Recheck& recheck, const ClassOrder& after,
                                       std::vector<Path>& paths, JobControl* job) const {
  const size_t w = tree_.order().size();
  const auto vector = [&](uint32_t i) {
    return std::span<const uint32_t>(recheck.values).subspan(size_t{i} * w, w);
  };
  // Sorted, a vector shares the nodes of its first values with the one before, and what was
  // found for them (most vectors share their upper nodes).
  std::vector<uint32_t> sorted(recheck.size());
  std::iota(sorted.begin(), sorted.end(), 0);
  const auto less = [&](uint32_t a, uint32_t b) {
    const auto va = vector(a), vb = vector(b);
    return std::lexicographical_compare(va.begin(), va.end(), vb.begin(), vb.end());
  };
  const auto unsorted = sorted.begin() + static_cast<std::ptrdiff_t>(recheck.inOrder);
  std::sort(unsorted, sorted.end(), less);
  std::inplace_merge(sorted.begin(), unsorted, sorted.end(), less);
  enum Found : uint8_t { kGoOn, kMoves, kDropped };
  std::vector<Found> found(w, kGoOn);  // by depth, for the previous vector
  std::span<const uint32_t> previous;
  paths.clear();
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (i % 1024 == 1023 && cancelRequested(job)) return Status::cancelled();
    const std::span<const uint32_t> v = vector(sorted[i]);
    size_t same = 0;
    while (!previous.empty() && same < w && previous[same] == v[same]) ++same;
    previous = v;
    size_t need = 0;
    for (size_t d = 1; d < w; ++d) {
      if (d > same) {
        const Reached r = walk({v.data(), d});
        found[d] = r.depth < static_cast<int>(d) ? kDropped
                   : orderMovesDefault(r, after) ? kMoves
                                                 : kGoOn;
      }
      if (found[d] == kMoves) need = d;
      if (found[d] != kGoOn) break;
    }
    if (recheck.leafMoves[sorted[i]]) need = w;
    if (need > 0) paths.push_back({v.data(), need});
  }
  return Status::ok();
}

bool IncrementalIgTree::unseenBelow(const Prefix& prefix) const {
  const IgTree::Node* n = &tree_.root();
  for (size_t d = 0; d < prefix.size() && n; ++d) n = tree_.child(*n, prefix[d]);
  if (n) return false;
  const auto holds = [&](const Nodes& nodes) {
    const auto it = nodes.lower_bound(prefix);
    return it != nodes.end() && isPrefix(prefix, it->first);
  };
  return !holds(recent_) && !(settled_ && holds(*settled_));
}

void IncrementalIgTree::settle() {
  const size_t settled = settled_ ? settled_->size() : 0;
  if (recent_.size() <= std::max<size_t>(settled / 4, 64)) return;
  if (settled == 0) {
    settled_ = std::make_shared<const Nodes>(std::exchange(recent_, {}));
    return;
  }
  auto merged = std::make_shared<Nodes>(*settled_);
  for (auto& [prefix, n] : recent_) {
    // Entries below a part, a lone vector's node or a dropped node are never read (the walk goes
    // into the part or stops): not worth keeping.
    if (n->part || n->alone || !n->kept) eraseBelow(*merged, prefix);
    (*merged)[prefix] = std::move(n);
  }
  settled_ = std::move(merged);
  recent_.clear();
}

void IncrementalIgTree::eraseBelow(Nodes& nodes, const Prefix& prefix) {
  auto from = nodes.upper_bound(prefix);
  auto to = from;
  while (to != nodes.end() && isPrefix(prefix, to->first)) ++to;
  nodes.erase(from, to);
}

const IncrementalIgTree::Node* IncrementalIgTree::node(const Prefix& prefix) const {
  if (auto it = recent_.find(prefix); it != recent_.end()) return it->second.get();
  if (!settled_) return nullptr;
  auto it = settled_->find(prefix);
  return it == settled_->end() ? nullptr : it->second.get();
}

std::vector<std::pair<uint32_t, uint64_t>> IncrementalIgTree::countsOf(const Prefix& vector,
                                                                       const VectorOverlay& overlay,
                                                                       uint32_t entry) const {
  const std::vector<int>& order = tree_.order();
  uint32_t features[InstanceSet::kMaxWidth];
  for (size_t d = 0; d < order.size(); ++d) features[static_cast<size_t>(order[d])] = vector[d];
  const std::span<const uint32_t> f(features, order.size());
  const InstanceBase& memory = base_->memory();
  Dist out;
  if (const uint32_t e = entry != VectorOverlay::kNone ? entry : overlay.find(f);
      e != VectorOverlay::kNone) {
    out.reserve(overlay.countsOf(e).size());
    for (const auto& [classId, n] : overlay.countsOf(e))
      out.emplace_back(classId, static_cast<uint64_t>(n));
  } else if (const uint32_t id = memory.find(f); id != InstanceBase::kNone) {
    out.reserve(memory.distribution(id).size());
    for (const ClassCount& c : memory.distribution(id))
      out.emplace_back(memory.classId(c.classIndex), c.count);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<IncrementalIgTree::Members> IncrementalIgTree::membersUnder(
    Path prefix, const VectorOverlay& overlay, const std::vector<uint32_t>& sorted,
    Ranges& ranges) const {
  const std::vector<int>& order = tree_.order();
  const InstanceBase& memory = base_->memory();
  if (ranges.trie.empty()) {
    ranges.trie.assign(order.size() + 1, {0, memory.vectorCount()});
    ranges.entries.assign(order.size() + 1, {0, sorted.size()});
  }
  size_t same = 0;
  while (same < std::min(ranges.path.length, prefix.length) &&
         ranges.path.values[same] == prefix.values[same])
    ++same;
  uint32_t context[InstanceSet::kMaxWidth] = {};
  for (size_t d = 0; d < prefix.length; ++d)
    context[static_cast<size_t>(order[d])] = prefix.values[d];
  // A later sibling of the last prefix's node at depth same + 1 (prefixes come in tree order)
  // lies past that node's ranges.
  const bool sibling = same < std::min(ranges.path.length, prefix.length) &&
                       ranges.path.values[same] < prefix.values[same];
  for (size_t d = same + 1; d <= prefix.length; ++d) {
    const bool after = sibling && d == same + 1;
    const IgTree::TrieRange within{after ? ranges.trie[d].end : ranges.trie[d - 1].begin,
                                   ranges.trie[d - 1].end};
    const auto trie =
        tree_.rangeAgreeing(memory, {context, order.size()}, static_cast<int>(d), within);
    if (!trie)
      return Status::invalidArgument(
          "this IGTree keeps no order of its stored vectors to edit by: retrain the memory");
    ranges.trie[d] = *trie;
    // The entries under the shorter prefix holding the value at d - 1 (sorted by it among them).
    const size_t f = static_cast<size_t>(order[d - 1]);
    const uint32_t v = prefix.values[d - 1];
    const auto begin =
        sorted.begin() +
        static_cast<std::ptrdiff_t>(after ? ranges.entries[d].second : ranges.entries[d - 1].first);
    const auto end = sorted.begin() + static_cast<std::ptrdiff_t>(ranges.entries[d - 1].second);
    const auto first =
        std::partition_point(begin, end, [&](uint32_t e) { return overlay.featuresOf(e)[f] < v; });
    const auto last =
        std::partition_point(first, end, [&](uint32_t e) { return overlay.featuresOf(e)[f] == v; });
    ranges.entries[d] = {static_cast<size_t>(first - sorted.begin()),
                         static_cast<size_t>(last - sorted.begin())};
  }
  ranges.path = prefix;
  const std::span<const uint32_t> entries(sorted.data() + ranges.entries[prefix.length].first,
                                          sorted.data() + ranges.entries[prefix.length].second);
  // The base's vectors the overlay holds are counted from the overlay below.
  std::vector<uint32_t> inOverlay;
  for (uint32_t e : entries)
    if (const uint32_t id = overlay.entries()[e].baseId; id != InstanceBase::kNone)
      inOverlay.push_back(id);
  std::sort(inOverlay.begin(), inOverlay.end());
  Members out;
  out.width = static_cast<int>(order.size() - prefix.length);
  const auto add = [&](std::span<const uint32_t> features) {
    for (size_t d = prefix.length; d < order.size(); ++d)
      out.values.push_back(features[static_cast<size_t>(order[d])]);
    return static_cast<uint32_t>(out.values.size() / static_cast<size_t>(out.width) - 1);
  };
  for (uint32_t id : tree_.trieOrder(ranges.trie[prefix.length])) {
    if (std::binary_search(inOverlay.begin(), inOverlay.end(), id)) continue;
    const uint32_t v = add(memory.vector(id));
    for (const ClassCount& c : memory.distribution(id))
      out.runs.push_back({v, memory.classId(c.classIndex), c.count});
  }
  for (uint32_t e : entries) {
    const std::span<const VectorOverlay::Count> counts = overlay.countsOf(e);
    if (counts.empty()) continue;
    const uint32_t v = add({overlay.featuresOf(e), static_cast<size_t>(memory.width())});
    for (const auto& [classId, count] : counts)
      out.runs.push_back({v, classId, static_cast<uint32_t>(count)});
  }
  return out;
}

std::optional<IncrementalIgTree::Recheck> IncrementalIgTree::staleVectors(
    const ClassOrder& after, std::span<const uint32_t> touched, const VectorOverlay& overlay,
    size_t limit) const {
  const ClassOrder& now = classes_;
  const InstanceBase& memory = base_->memory();
  const std::vector<int>& order = tree_.order();
  Recheck stale;
  const auto add = [&](std::span<const uint32_t> features, const Dist& dist) {
    for (int f : order) stale.values.push_back(features[static_cast<size_t>(f)]);
    // A class one order lacks: the edit changed this vector, and its delta rebuilds the leaf.
    stale.leafMoves.push_back(std::any_of(dist.begin(), dist.end(),
                                          [&](const auto& c) {
                                            return now.indexOf(c.first) == InstanceBase::kNone ||
                                                   after.indexOf(c.first) == InstanceBase::kNone;
                                          }) ||
                              defaultOf(dist, now) != defaultOf(dist, after));
  };
  // A node's default moves with the order alone when two classes tied at its top swap places:
  // it holds both, so it lies on the paths of the vectors holding either. Of each pair that
  // swaps, one class is marked (the one fewer stored vectors hold, or a touched class rather
  // than the many untouched ones it passed), and the paths of its vectors are checked.
  const auto held = [&](uint32_t c) {
    return c < classVectors_->size() ? (*classVectors_)[c].size() : size_t{0};
  };
  const auto inBoth = [&](uint32_t c) {
    return now.indexOf(c) != InstanceBase::kNone && after.indexOf(c) != InstanceBase::kNone;
  };
  std::vector<uint8_t> moved;  // by class id
  const auto mark = [&](uint32_t c) {
    if (c >= moved.size()) moved.resize(size_t{c} + 1, 0);
    moved[c] = 1;
  };
  std::vector<uint8_t> isTouched(now.indexOfId.size() + 1, 0);
  std::vector<uint32_t> swapping;  // touched, in both orders
  for (uint32_t c : touched) {
    if (c < isTouched.size()) isTouched[c] = 1;
    if (inBoth(c)) swapping.push_back(c);
  }
  // The untouched classes keep their totals and first rows: one order in both.
  std::vector<uint32_t> still;
  for (uint32_t d : now.ids)
    if (!isTouched[d] && after.indexOf(d) != InstanceBase::kNone) still.push_back(d);
  std::sort(still.begin(), still.end(), [&](uint32_t a, uint32_t b) { return before(now, a, b); });
  for (uint32_t c : swapping) {
    // The untouched classes c passed: between its place before and after.
    const auto at = [&](const ClassOrder& o) {
      return std::partition_point(still.begin(), still.end(),
                                  [&](uint32_t d) { return before(o, d, c); });
    };
    auto from = at(now), to = at(after);
    if (to < from) std::swap(from, to);
    size_t passed = 0;
    for (auto d = from; d != to && passed <= held(c); ++d) passed += held(*d);
    if (passed > held(c)) {
      mark(c);
    } else {
      for (auto d = from; d != to; ++d) mark(*d);
    }
  }
  const auto marked = [&](uint32_t c) { return c < moved.size() && moved[c]; };
  // The pairs that swap, over flat copies of what before() reads (a vector's instances touch
  // hundreds of classes: a hundred thousand pairs, each looked up in both orders).
  struct Place {
    uint64_t total;
    uint32_t index;
  };
  const auto placeIn = [](const ClassOrder& o, uint32_t c) {
    const uint32_t i = o.indexOfId[c];
    return Place{o.totals[i], i};
  };
  const auto ahead = [](const Place& a, const Place& b) {
    return a.total > b.total || (a.total == b.total && a.index < b.index);
  };
  std::vector<Place> placeNow, placeAfter;
  std::vector<uint8_t> isMarked;
  std::vector<size_t> holds;
  for (uint32_t c : swapping) {
    placeNow.push_back(placeIn(now, c));
    placeAfter.push_back(placeIn(after, c));
    isMarked.push_back(marked(c));
    holds.push_back(held(c));
  }
  for (size_t i = 0; i < swapping.size(); ++i)
    for (size_t j = i + 1; j < swapping.size() && !isMarked[i]; ++j) {
      if (isMarked[j] || ahead(placeNow[i], placeNow[j]) == ahead(placeAfter[i], placeAfter[j]))
        continue;
      const size_t m = holds[j] < holds[i] ? j : i;
      isMarked[m] = 1;
      mark(swapping[m]);
    }
  size_t count = 0;
  for (uint32_t c = 0; c < moved.size(); ++c)
    if (moved[c] && (count += held(c)) > limit) return std::nullopt;
  // The base's (edited or not: a path checked for nothing costs its length), each once (a vector
  // holds many of the classes), then the overlay's.
  std::vector<uint32_t> ids;
  ids.reserve(count);
  for (uint32_t c = 0; c < std::min(moved.size(), classVectors_->size()); ++c)
    if (moved[c]) ids.insert(ids.end(), (*classVectors_)[c].begin(), (*classVectors_)[c].end());
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  // Many (a document-sized edit at 100M moves most classes' places): in tree order, as the
  // tree keeps its stored vectors, rather than sorted by their values later.
  const std::vector<uint32_t> none(order.size(), 0);
  const auto all = ids.size() > memory.vectorCount() / 16 ? tree_.vectorsAgreeing(memory, none, 0)
                                                          : std::nullopt;
  if (all) {
    std::vector<bool> isStale(memory.vectorCount());
    for (uint32_t id : ids) isStale[id] = true;
    ids.clear();
    for (uint32_t id : *all)
      if (isStale[id]) ids.push_back(id);
  }
  stale.values.reserve(ids.size() * order.size());
  stale.leafMoves.reserve(ids.size());
  Dist dist;
  for (uint32_t id : ids) {
    const auto features = memory.vector(id);
    if (overlay.find(features) != VectorOverlay::kNone) continue;  // the overlay's below
    dist.clear();
    for (const ClassCount& cc : memory.distribution(id))
      dist.emplace_back(memory.classId(cc.classIndex), cc.count);
    add(features, dist);
  }
  if (all) stale.inOrder = stale.size();
  if (moved.empty()) return stale;
  for (uint32_t i = 0; i < overlay.entries().size(); ++i) {
    const std::span<const VectorOverlay::Count> counts = overlay.countsOf(i);
    if (std::any_of(counts.begin(), counts.end(),
                    [&](const auto& cc) { return cc.first < moved.size() && moved[cc.first]; })) {
      dist.clear();
      for (const auto& [classId, n] : counts) dist.emplace_back(classId, static_cast<uint64_t>(n));
      add({overlay.featuresOf(i), static_cast<size_t>(memory.width())}, dist);
    }
  }
  return stale;
}

}  // namespace memlens
