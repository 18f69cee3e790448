// IncrementalIgTree::edited: an edit applied to the tree, top-down over the edited paths. The
// rest of the class is in incremental_igtree.cpp and incremental_igtree_answers.cpp.
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <iterator>
#include <mutex>
#include <numeric>

#include "edit/incremental_igtree.h"

namespace memlens {
namespace {

using Dist = std::vector<std::pair<uint32_t, uint64_t>>;

// How many places ahead in a chunk's listed nodes the top-down pass fetches an edited leaf's entry
// (some are in subtrees a rebuild skips: fetched for nothing).
constexpr size_t kAhead = 16;

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
  // (most edits rebuild none; once, by whichever chunk of the top-down pass asks first). Those an
  // earlier edit sorted come sorted (small edits after a document removal at 100M sorted its half
  // million entries again each time, most of their time); of the rest, the edit's own come sorted
  // (`deltas`, most of them after a document-sized edit, whose sort took a tenth of it), the
  // others are sorted and merged in.
  std::shared_ptr<const std::vector<uint32_t>> sorted;
  std::once_flag sortedOnce;
  const auto sortEntries = [&] {
    const auto less = [&](uint32_t a, uint32_t b) {
      const uint32_t* fa = overlay.featuresOf(a);
      const uint32_t* fb = overlay.featuresOf(b);
      for (int f : treeOrder)
        if (fa[static_cast<size_t>(f)] != fb[static_cast<size_t>(f)])
          return fa[static_cast<size_t>(f)] < fb[static_cast<size_t>(f)];
      return false;
    };
    const size_t known = was.sortedEntries_ ? was.sortedEntries_->size() : 0;
    std::vector<uint8_t> edited(overlay.entries().size() - known, 0);
    std::vector<uint32_t> fresh;  // the edit's own that no earlier edit sorted
    for (uint32_t e : deltas.entries)
      if (e >= known) {
        edited[e - known] = 1;
        fresh.push_back(e);
      }
    std::vector<uint32_t> others;
    for (size_t e = known; e < overlay.entries().size(); ++e)
      if (!edited[e - known]) others.push_back(static_cast<uint32_t>(e));
    std::sort(others.begin(), others.end(), less);
    std::vector<uint32_t> rest;
    rest.reserve(fresh.size() + others.size());
    std::merge(fresh.begin(), fresh.end(), others.begin(), others.end(), std::back_inserter(rest),
               less);
    auto all = std::make_shared<std::vector<uint32_t>>();
    all->reserve(overlay.entries().size());
    if (known > 0) {
      std::merge(was.sortedEntries_->begin(), was.sortedEntries_->end(), rest.begin(), rest.end(),
                 std::back_inserter(*all), less);
    } else {
      *all = std::move(rest);
    }
    sorted = std::move(all);
  };
  const auto sortedEntries = [&]() -> const std::vector<uint32_t>& {
    std::call_once(sortedOnce, sortEntries);
    return *sorted;
  };
  // The edited vectors' paths and the rechecked ones, in order (a delta: SIZE_MAX for none), how
  // many values each shares with the one before and how many nodes it opens below those.
  struct Item {
    Path path;
    size_t delta;
    size_t same = 0;
    size_t opens = 0;
  };
  std::vector<Item> items;
  size_t opened = 0;
  {
    std::vector<Path> rechecked;
    if (Status s = was.recheckPaths(recheck, order, rechecked, job); !s) return s;
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
    for (size_t k = 0; k < items.size(); ++k) {
      Item& item = items[k];
      const size_t before = k == 0 ? 0 : items[k - 1].path.length;
      while (k > 0 && item.same < w &&
             items[k - 1].path.values[item.same] == item.path.values[item.same])
        ++item.same;
      item.opens = item.path.length - std::min({item.same, before, item.path.length});
      opened += item.opens;
    }
  }
  // The nodes on a chunk's paths (below), leaves included, in tree order (a prefix before its
  // extensions, which follow it), with what changed below each. A leaf is a node of its own (its
  // compression is settled against its parent's default bottom-up), so an edit of a few leaves
  // rebuilds no subtree.
  struct Below {
    Path path;
    size_t end = 0;                         // past its extensions
    size_t changeBegin = 0, changeEnd = 0;  // in the chunk's `summed`: its changes by class id
    uint32_t entry = VectorOverlay::kNone;  // an edited leaf's overlay entry
  };
  // Top-down (a prefix before its extensions): a node keeps its default or is rebuilt with the
  // subtree below it, whose nodes are then left out. The steps' nodes are an array (per chunk,
  // below) that the entries made of them share (a document-sized edit at 100M changes a million
  // nodes: an allocation each took a quarter of it; an entry keeps the array, the nodes left out
  // cleared), and a step's prefix is its path until it makes an entry.
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
  // The subtrees of the root's children are independent (the root's default stays, else the edit
  // retrains): taken in chunks of whole subtrees on all cores, each chunk with its own nodes,
  // steps and entries, which are entered in order afterwards.
  struct Chunk {
    size_t begin = 0, end = 0;  // in `items`
    size_t opened = 0;
    std::vector<Below> below;
    std::vector<std::pair<uint32_t, int64_t>> summed;
    std::vector<Step> steps;
    std::shared_ptr<std::vector<Node>> pool;
    int64_t rootChildren = 0;  // what its nodes change of the root's child count
    Status status = Status::ok();
  };
  std::vector<Chunk> chunks;
  // A few dozen chunks, balanced between the cores as they finish; an edit of a few paths is one.
  // A path that shares no value with the one before starts a child of the root.
  const size_t chunkSize = std::max<size_t>(opened / 64, 256);
  for (size_t k = 0; k < items.size();) {
    Chunk& c = chunks.emplace_back();
    c.begin = k;
    do {
      c.opened += items[k++].opens;
    } while (k < items.size() && (items[k].same > 0 || c.opened < chunkSize));
    c.end = k;
  }
  // Per thread, for listing a chunk's nodes: a node's changes summed by class, one array per
  // depth (a map per node took most of a document-sized edit at 100M), and the classes touched.
  // Left zeroed after each node (not by a cancelled listing: the edit is then cancelled whole).
  uint32_t classLimit = 0;
  for (const auto& c : deltas.changes) classLimit = std::max(classLimit, c.first + 1);
  struct Sums {
    std::vector<std::vector<int64_t>> sum;
    std::vector<std::vector<uint32_t>> touched;
  };
  tbb::enumerable_thread_specific<Sums> sums([&] {
    return Sums{std::vector<std::vector<int64_t>>(w + 1, std::vector<int64_t>(classLimit, 0)),
                std::vector<std::vector<uint32_t>>(w + 1)};
  });
  // Lists chunk c's nodes: a path shares its first `same` nodes with the one before and opens
  // the rest; a node's changes are summed until a path leaves it.
  const auto list = [&](Chunk& c) -> Status {
    std::vector<Below>& below = c.below;
    below.reserve(c.opened);
    Sums& s = sums.local();
    std::vector<size_t> open;  // by depth - 1, the open nodes' places in `below`
    const auto close = [&] {
      const size_t d = open.size();
      Below& b = below[open.back()];
      std::vector<uint32_t>& t = s.touched[d];
      std::sort(t.begin(), t.end());  // a class whose sum went back to 0 may come twice
      b.changeBegin = c.summed.size();
      for (uint32_t cls : t)
        if (const int64_t n = std::exchange(s.sum[d][cls], 0); n != 0)
          c.summed.emplace_back(cls, n);
      t.clear();
      b.changeEnd = c.summed.size();
      b.end = below.size();
      open.pop_back();
    };
    for (size_t k = c.begin; k < c.end; ++k) {
      if (k % 4096 == 4095 && cancelRequested(job)) return Status::cancelled();
      const Item& item = items[k];
      while (open.size() > item.same) close();
      for (size_t d = open.size() + 1; d <= item.path.length; ++d) {
        open.push_back(below.size());
        below.push_back({{item.path.values, d}});
      }
      if (item.delta == SIZE_MAX) continue;
      below[open.back()].entry = deltas.entries[item.delta];
      for (const auto& [cls, n] : deltas.of(item.delta))
        for (size_t d = 1; d <= w; ++d) {
          if (s.sum[d][cls] == 0) s.touched[d].push_back(cls);
          s.sum[d][cls] += n;
        }
    }
    while (!open.empty()) close();
    return Status::ok();
  };
  const uint32_t rootDefaultId = order.ids[next->rootDefault_];
  const auto run = [&](Chunk& c) -> Status {
    if (Status listed = list(c); !listed) return listed;
    const std::vector<Below>& below = c.below;
    std::vector<Step>& steps = c.steps;
    steps.reserve(below.size());
    c.pool = std::make_shared<std::vector<Node>>();
    std::vector<Node>& nodes = *c.pool;
    nodes.reserve(below.size());  // never moved: entries point into it
    std::vector<size_t> lastOfLength(w + 1, SIZE_MAX);
    // By length, the walk along the last path of that length (a node's parent's, for the next),
    // each a step on from its parent's rather than a walk from the root.
    std::vector<Walk> walks(w + 1);
    walks[0] = was.startWalk();
    Prefix key, walkKey;
    Dist scratch;
    Ranges ranges;
    for (size_t i = 0; i < below.size();) {
      if (steps.size() % 1024 == 1023 && cancelRequested(job)) return Status::cancelled();
      // The edited leaves' overlay entries, fetched ahead: numbered as the edit met them, they are
      // read here in tree order, a cache miss each.
      if (i + kAhead < below.size() && below[i + kAhead].entry != VectorOverlay::kNone)
        overlay.prefetchEntry(below[i + kAhead].entry);
      if (i + kAhead / 2 < below.size() && below[i + kAhead / 2].entry != VectorOverlay::kNone)
        overlay.prefetchCounts(below[i + kAhead / 2].entry);
      const Below& b = below[i];
      const Path p = b.path;
      key.assign(p.values, p.values + p.length);
      const std::span<const std::pair<uint32_t, int64_t>> change(c.summed.data() + b.changeBegin,
                                                                 b.changeEnd - b.changeBegin);
      walks[p.length] = walks[p.length - 1];
      was.stepWalk(walks[p.length], {p.values, p.length}, walkKey);
      const Reached& r = walks[p.length].reached;
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
        if (!members->runs.empty() &&
            members->values.size() == static_cast<size_t>(members->width)) {
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
      const uint32_t parentDefault =
          s.parent == SIZE_MAX ? rootDefaultId : nodes[s.parent].defaultId;
      n.kept = !n.dist.empty() && !(n.childCount == 0 && n.defaultId == parentDefault);
      const int change = static_cast<int>(n.kept) - static_cast<int>(s.wasKept);
      if (s.parent == SIZE_MAX) {
        c.rootChildren += change;
      } else {
        uint32_t& count = nodes[s.parent].childCount;
        count = static_cast<uint32_t>(static_cast<int64_t>(count) + change);
      }
    }
    return Status::ok();
  };
  if (chunks.size() == 1) {
    chunks.front().status = run(chunks.front());
  } else {
    tbb::parallel_for(tbb::blocked_range<size_t>(0, chunks.size(), 1), [&](const auto& range) {
      for (size_t k = range.begin(); k != range.end(); ++k) chunks[k].status = run(chunks[k]);
    });
  }
  for (const Chunk& c : chunks) {
    if (!c.status) return c.status;
    next->rootChildren_ = static_cast<uint32_t>(next->rootChildren_ + c.rootChildren);
  }
  // In order, each entry goes where the last one's successor was (when no older entry lies
  // between): a document-sized edit adds a million.
  auto hint = next->recent_.end();
  for (Chunk& c : chunks)
    for (size_t i = 0; i < c.steps.size(); ++i) {
      const Step& s = c.steps[i];
      Node& n = (*c.pool)[i];
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
                                                      std::shared_ptr<const Node>(c.pool, &n)));
    }
  next->sortedEntries_ = sorted ? std::move(sorted) : was.sortedEntries_;
  next->settle();
  return next;
}

}  // namespace memlens
