#include "edit/incremental_igtree.h"

#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
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

bool isPrefix(const std::vector<uint32_t>& p, const std::vector<uint32_t>& of) {
  return p.size() <= of.size() && std::equal(p.begin(), p.end(), of.begin());
}

}  // namespace

uint32_t IncrementalIgTree::defaultOf(std::span<const std::pair<uint32_t, uint64_t>> dist,
                                      const ClassOrder& classes) {
  auto best = dist.front();
  for (const auto& c : dist)
    if (c.second > best.second || (c.second == best.second && before(classes, c.first, best.first)))
      best = c;
  return best.first;
}

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
  // By their first two values packed in one word, then the rest: the sort reads the keys only to
  // break ties. On all cores: a document removal at 100M sorts half a million.
  struct Head {
    uint64_t values;
    uint32_t i;
  };
  std::vector<Head> sorted(entries.size());
  for (uint32_t i = 0; i < entries.size(); ++i)
    sorted[i] = {uint64_t{keys[i * w]} << 32 | (w > 1 ? keys[i * w + 1] : 0), i};
  const size_t rest = std::min<size_t>(w, 2);
  tbb::parallel_sort(sorted.begin(), sorted.end(), [&](const Head& a, const Head& b) {
    if (a.values != b.values) return a.values < b.values;
    return std::lexicographical_compare(keys.data() + a.i * w + rest, keys.data() + (a.i + 1) * w,
                                        keys.data() + b.i * w + rest, keys.data() + (b.i + 1) * w);
  });
  Deltas out;
  out.values.reserve(keys.size());
  out.entries.reserve(entries.size());
  out.start.reserve(entries.size() + 1);
  out.changes.reserve(counts.size());
  for (const auto& [head, i] : sorted) {
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
  // By depth, the walk along the previous vector's first values: a step on from the one above.
  std::vector<Walk> walks(w);
  walks[0] = startWalk();
  Prefix key;
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
        walks[d] = walks[d - 1];
        stepWalk(walks[d], v, key);
        const Reached& r = walks[d].reached;
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
  // Whether a leaf holding `dist` changes default with the order alone.
  const auto leafDefaultMoves = [&](const Dist& dist) {
    // A class one order lacks: the edit changed this vector, and its delta rebuilds the leaf.
    return std::any_of(dist.begin(), dist.end(),
                       [&](const auto& c) {
                         return now.indexOf(c.first) == InstanceBase::kNone ||
                                after.indexOf(c.first) == InstanceBase::kNone;
                       }) ||
           defaultOf(dist, now) != defaultOf(dist, after);
  };
  const auto add = [&](std::span<const uint32_t> features, const Dist& dist) {
    for (int f : order) stale.values.push_back(features[static_cast<size_t>(f)]);
    stale.leafMoves.push_back(leafDefaultMoves(dist));
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
  // holds many of the classes), then the overlay's. Many (a document-sized edit at 100M moves
  // most classes' places: millions listed, a vector once per class it holds): marked, then taken
  // in tree order as the tree keeps its stored vectors, rather than sorted by id and by their
  // values later.
  const std::vector<uint32_t> none(order.size(), 0);
  const auto all =
      count > memory.vectorCount() / 16 ? tree_.vectorsAgreeing(memory, none, 0) : std::nullopt;
  const auto eachMoved = [&](const auto& f) {
    for (uint32_t c = 0; c < std::min(moved.size(), classVectors_->size()); ++c)
      if (moved[c]) f((*classVectors_)[c]);
  };
  std::vector<uint32_t> ids;
  if (all) {
    std::vector<uint8_t> isStale(memory.vectorCount(), 0);
    eachMoved([&](const std::vector<uint32_t>& vectors) {
      for (uint32_t id : vectors) isStale[id] = 1;
    });
    for (uint32_t id : *all)
      if (isStale[id]) ids.push_back(id);
  } else {
    ids.reserve(count);
    eachMoved([&](const std::vector<uint32_t>& vectors) {
      ids.insert(ids.end(), vectors.begin(), vectors.end());
    });
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  }
  // The base's vectors the overlay holds (its entries' are added below), by id: marked from the
  // entries rather than looked up by features per vector.
  std::vector<uint8_t> inOverlay(memory.vectorCount(), 0);
  for (const VectorOverlay::Entry& e : overlay.entries())
    if (e.baseId != InstanceBase::kNone) inOverlay[e.baseId] = 1;
  // On all cores (cold pages of the base each: a document removal at 100M checks a quarter
  // million), each in its place, then those the overlay holds left out.
  const size_t w = order.size();
  stale.values.resize(ids.size() * w);
  stale.leafMoves.resize(ids.size());
  tbb::parallel_for(tbb::blocked_range<size_t>(0, ids.size(), 4096), [&](const auto& range) {
    Dist dist;
    for (size_t i = range.begin(); i != range.end(); ++i) {
      if (inOverlay[ids[i]]) continue;
      const auto features = memory.vector(ids[i]);
      dist.clear();
      for (const ClassCount& cc : memory.distribution(ids[i]))
        dist.emplace_back(memory.classId(cc.classIndex), cc.count);
      for (size_t d = 0; d < w; ++d)
        stale.values[i * w + d] = features[static_cast<size_t>(order[d])];
      stale.leafMoves[i] = leafDefaultMoves(dist);
    }
  });
  size_t kept = 0;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (inOverlay[ids[i]]) continue;
    std::copy_n(stale.values.begin() + static_cast<std::ptrdiff_t>(i * w), w,
                stale.values.begin() + static_cast<std::ptrdiff_t>(kept * w));
    stale.leafMoves[kept++] = stale.leafMoves[i];
  }
  stale.values.resize(kept * w);
  stale.leafMoves.resize(kept);
  if (all) stale.inOrder = stale.size();
  Dist dist;
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
