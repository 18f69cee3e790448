#include "memlens/edited_memory.h"

#include <tbb/parallel_invoke.h>

#include <algorithm>
#include <numeric>
#include <string>

#include "base/huge_pages.h"
#include "classify/classifier_factories.h"
#include "edit/edited_memory_state.h"
#include "edit/incremental_ib1.h"
#include "edit/incremental_igtree.h"
#include "edit/incremental_tribl2.h"
#include "edit/probe_paths.h"
#include "edit/probe_queries.h"
#include "edit/pruned_vectors.h"
#include "edit/reweighted_distances.h"
#include "edit/rows_by_key.h"
#include "edit/vector_overlay.h"
#include "memlens/pruning.h"

namespace memlens {

namespace {

Result<std::vector<uint32_t>> predictClasses(const Classifier& classifier, const InstanceSet& probe,
                                             JobControl* job) {
  std::vector<uint32_t> out;
  if (probe.size() == 0) return out;
  PredictOptions o;
  o.distributions = false;
  auto predictions = classifier.predict(probe, o, job);
  if (!predictions) return predictions.status();
  out.reserve(predictions->size());
  for (const Prediction& p : *predictions) out.push_back(p.classId);
  return out;
}

}  // namespace

EditedMemory::~EditedMemory() = default;

Result<std::vector<double>> EditedMemory::trainedWeights(const InstanceSet& train,
                                                         const ClassifierOptions& options,
                                                         JobControl* job) {
  if (!options.fixedWeights.empty()) return options.fixedWeights;
  InstanceBase base(train.width);
  if (Status s = base.add(train, job); !s) return s;
  return computeFeatureWeights(base.featureCounts(), base.classTotals(), options.weighting);
}

Result<std::unique_ptr<EditedMemory>> EditedMemory::create(
    std::shared_ptr<const TokenisedCorpus> corpus, InstanceSet train, InstanceSet probe,
    const ClassifierOptions& options, std::vector<MemoryEdit> edits, std::vector<MemoryEdit> undone,
    JobControl* job) {
  return create(std::move(corpus), std::make_shared<const InstanceSet>(std::move(train)),
                std::move(probe), options, nullptr, std::move(edits), std::move(undone), job);
}

Result<std::unique_ptr<EditedMemory>> EditedMemory::create(
    std::shared_ptr<const TokenisedCorpus> corpus, std::shared_ptr<const InstanceSet> train,
    InstanceSet probe, const ClassifierOptions& options, std::shared_ptr<const Classifier> trained,
    std::vector<MemoryEdit> edits, std::vector<MemoryEdit> undone, JobControl* job) {
  if (train->size() == 0)
    return Status::invalidArgument(
        corpus->tokens.size() == 0
            ? "this memory holds no stored vectors to list or edit: an IGTree base read from a "
              "TiMBL file keeps only its pruned tree, not the instances it was trained on"
            : "cannot edit an empty memory");
  if (trained && (trained->memory().instanceCount() != train->size() ||
                  trained->memory().width() != train->width ||
                  trained->options().algorithm != options.algorithm))
    return Status::invalidArgument("the trained memory given was not trained on these instances");
  if (probe.size() != 0 && probe.width != train->width)
    return Status::invalidArgument("the probe set's width differs from the memory's");
  std::unique_ptr<EditedMemory> m(new EditedMemory());
  m->corpus_ = std::move(corpus);
  m->options_ = options;
  m->trained_ = std::move(trained);
  // A memory without provenance (a TiMBL base read without its text) has sources that only
  // number its instances: they name no document, so no edit by document finds them.
  const TokenStream& tokens = m->corpus_->tokens;
  const std::vector<uint64_t>& sources = train->sources;
  if (tokens.size() > 0) {
    if (auto far = std::find_if(sources.begin(), sources.end(),
                                [&](uint64_t s) { return s >= tokens.size(); });
        far != sources.end())
      return Status::invalidArgument("training instance " + std::to_string(far - sources.begin()) +
                                     " has no position in the corpus");
    m->tokensOf_.resize(m->corpus_->corpus->documentCount());
    for (size_t l = 0; l < tokens.lineCount(); ++l) {
      const TokenStream::Line& line = tokens.line(l);
      if (line.document >= m->tokensOf_.size()) continue;
      auto& ranges = m->tokensOf_[line.document];
      if (!ranges.empty() && ranges.back().second == line.firstToken) {
        ranges.back().second = tokens.lineEnd(l);
      } else {
        ranges.emplace_back(line.firstToken, tokens.lineEnd(l));
      }
    }
  }
  if (std::adjacent_find(sources.begin(), sources.end(), std::greater_equal<>()) != sources.end()) {
    m->bySource_.resize(sources.size());
    std::iota(m->bySource_.begin(), m->bySource_.end(), uint32_t{0});
    std::stable_sort(m->bySource_.begin(), m->bySource_.end(),
                     [&](uint32_t a, uint32_t b) { return sources[a] < sources[b]; });
  }
  m->base_ = std::move(train);
  m->probe_ = std::move(probe);
  // Without retraining: IB1 and TRIBL2 by the overlap metric, and IGTree (MVDM retrains from the
  // edited instances). Recomputed weights move IGTree's answers only through its feature order,
  // and IB1's and TRIBL2's with an unweighted vote only through the order of match distances (and
  // TRIBL2's tree order): each is edited in place while those stay (see advance()). A
  // distance-weighted vote reads the distances themselves, and memories wider than
  // ReweightedDistances measures retrain under recomputed weights.
  m->incremental_ =
      options.algorithm == Algorithm::kIgTree ||
      ((options.algorithm == Algorithm::kIb1 || options.algorithm == Algorithm::kTribl2) &&
       options.metric == Metric::kOverlap &&
       (!options.fixedWeights.empty() || (options.distanceWeighting == DistanceWeighting::kZero &&
                                          m->base_->width <= ReweightedDistances::kMaxWidth)));
  if (m->incremental_) {
    if (Status s = m->start(edits, job); !s) return s;
  } else {
    auto built = m->build(edits, job);
    if (!built) return built.status();
    m->current_ = std::move(*built);
  }
  m->edits_ = std::move(edits);
  m->undone_ = std::move(undone);
  m->lastRetrained_ = m->current_->retrained;
  return m;
}

void EditedMemory::rowsWithSources(uint64_t begin, uint64_t end, std::vector<size_t>& rows,
                                   size_t* cursor) const {
  const std::vector<uint64_t>& sources = base_->sources;
  const size_t n = sources.size();
  const auto at = [&](size_t k) { return sources[bySource_.empty() ? k : bySource_[k]]; };
  // The first place in source order at or above `s`, searched from `from` onwards.
  const auto seek = [&](uint64_t s, size_t from) {
    if (from > n || (from > 0 && at(from - 1) >= s)) from = 0;
    size_t lo = from, hi = from;  // every place below lo holds a smaller source
    for (size_t step = 1; hi < n && at(hi) < s; step *= 2) {
      lo = hi + 1;
      hi = std::min(n, hi + step);
    }
    while (lo < hi) {
      const size_t mid = lo + (hi - lo) / 2;
      if (at(mid) < s) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  };
  const size_t from = seek(begin, cursor ? *cursor : 0);
  const size_t to = seek(end, from);
  if (cursor) *cursor = to;
  const auto at0 = static_cast<std::ptrdiff_t>(rows.size());
  for (size_t k = from; k < to; ++k) rows.push_back(bySource_.empty() ? k : bySource_[k]);
  if (!bySource_.empty()) std::sort(rows.begin() + at0, rows.end());
}

Result<size_t> EditedMemory::rowOfSource(const State& state, uint64_t source,
                                         size_t* cursor) const {
  if (source & kInsertedSource) {
    const uint64_t n = source & ~kInsertedSource;
    if (n < state.inserted) return static_cast<size_t>(base_->size() + n);
  } else if (source != UINT64_MAX) {
    // The first instance with that source, as a map from source to instance kept it.
    std::vector<size_t> rows;
    rowsWithSources(source, source + 1, rows, cursor);
    if (!rows.empty()) return rows.front();
  }
  return Status::notFound("no training instance has source " + std::to_string(source));
}

std::vector<size_t> EditedMemory::rowsOfVector(const State& state,
                                               std::span<const uint32_t> features) const {
  std::vector<size_t> rows;
  const InstanceBase* trained = baseClassifier_ ? &baseClassifier_->memory() : nullptr;
  if (!trained || trained->instanceCount() != base_->size()) {
    rows.resize(state.rows.size());
    std::iota(rows.begin(), rows.end(), size_t{0});
    return rows;
  }
  if (const uint32_t id = trained->find(features); id != InstanceBase::kNone) {
    size_t cursor = 0;
    for (uint64_t source : trained->sources(id)) rowsWithSources(source, source + 1, rows, &cursor);
  }
  rows.insert(rows.end(), state.refeatured.begin(), state.refeatured.end());
  for (size_t i = base_->size(); i < state.rows.size(); ++i) rows.push_back(i);
  if (!std::is_sorted(rows.begin(), rows.end())) std::sort(rows.begin(), rows.end());
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  return rows;
}

const Classifier& EditedMemory::classifier() const { return *current_->classifier; }
std::shared_ptr<const Classifier> EditedMemory::sharedClassifier() const {
  return current_->classifier;
}
const InstanceSet& EditedMemory::instances() const { return current_->kept->get(); }
uint32_t EditedMemory::vectorCount() const { return current_->slots; }
uint64_t EditedMemory::instanceCount() const { return current_->instanceCount; }
bool EditedMemory::retrained() const { return lastRetrained_; }
const std::vector<uint32_t>& EditedMemory::probePredictions() const {
  return current_->predictions;
}

Result<std::shared_ptr<EditedMemory::Preview::Pending>> EditedMemory::build(
    const std::vector<MemoryEdit>& edits, JobControl* job) const {
  auto state = std::make_shared<State>();
  state->rows = EditedRows(base_);
  for (const MemoryEdit& e : edits)
    if (Status s = applyEdit(*state, e); !s) return s;

  auto pending = std::make_shared<Preview::Pending>();
  pending->kept = std::make_shared<Kept>(std::move(state));
  const InstanceSet& kept = pending->kept->get();
  if (kept.size() == 0) return Status::invalidArgument("the edit would leave the memory empty");
  if (edits.empty() && trained_) {
    pending->classifier = trained_;
  } else {
    auto classifier = createClassifier(options_);
    if (!classifier) return classifier.status();
    if (Status s = (*classifier)->train(kept, job); !s) return s;
    pending->classifier = std::move(*classifier);
    pending->retrained = true;
  }
  pending->slots = pending->classifier->memory().vectorCount();
  pending->instanceCount = kept.size();
  auto predictions = predictClasses(*pending->classifier, probe_, job);
  if (!predictions) return predictions.status();
  pending->predictions = std::move(*predictions);
  return pending;
}

Status EditedMemory::start(const std::vector<MemoryEdit>& edits, JobControl* job) {
  const bool tree = options_.algorithm == Algorithm::kIgTree;
  if (trained_ && (tree ? igTreeOf(*trained_) != nullptr : overlapMemoryOf(*trained_) != nullptr)) {
    baseClassifier_ = trained_;
  } else {
    auto classifier = createClassifier(options_);
    if (!classifier) return classifier.status();
    if (Status s = (*classifier)->train(*base_, job); !s) return s;
    baseClassifier_ = std::move(*classifier);
  }
  // Each class's base instances, its total and its first instance.
  classRows_ =
      std::make_unique<const RowsByKey>(base_->size(), [&](size_t i) { return base_->classes[i]; });
  auto unedited = std::make_shared<State>();
  unedited->classTotals.resize(classRows_->keys());
  unedited->firstOfClass.assign(classRows_->keys(), State::kNoRow);
  for (uint32_t c = 0; c < classRows_->keys(); ++c) {
    const std::span<const uint32_t> rows = classRows_->of(c);
    unedited->classTotals[c] = rows.size();
    if (!rows.empty()) unedited->firstOfClass[c] = rows.front();
  }
  if (tree) {
    firstFeature_ = igTreeOf(*baseClassifier_)->order().front();
    probePaths_ = std::make_shared<const ProbePaths>(probe_, igTreeOf(*baseClassifier_)->order());
  }
  unedited->rows = EditedRows(base_);
  unedited->liveCount = base_->size();
  if (options_.fixedWeights.empty()) {
    auto counts = MaintainedCounts::of(baseClassifier_->memory(), unedited->rows, job);
    if (!counts) return counts.status();
    unedited->counts = std::move(*counts);
  }
  auto built = advance(nullptr, unedited, {}, false, 0, false, job);
  if (!built || edits.empty()) {
    if (built) current_ = std::move(*built);
    return built ? Status::ok() : built.status();
  }
  auto state = std::make_shared<State>(*unedited);
  std::vector<Changes> journal;
  for (const MemoryEdit& e : edits)
    if (Status s = applyEdit(*state, e, &journal.emplace_back()); !s) return s;
  built = advance(built->get(), std::move(state), journal, false, edits.size(), false, job);
  if (!built) return built.status();
  current_ = std::move(*built);
  journal_ = std::move(journal);
  return Status::ok();
}

namespace {

// Instances IGTree rebuilds or changes per edit without considering a retrain instead.
constexpr uint64_t kMinRetrain = uint64_t{1} << 16;
// IB1 and TRIBL2 retrain when the overlay holds more entries than half the trained memory's
// stored vectors (and more than kMinRetrain): a query then subtracts more masked vectors from
// its buckets than a memory of what is left holds (a count prune below 2 on the KJV masks 85% of
// them: 23.5 s incremental, against a retrain of what is left).
uint64_t overlayLimit(const InstanceBase& base) {
  return std::max<uint64_t>(base.vectorCount() / 2, kMinRetrain);
}
bool overlayTooLarge(const VectorOverlay& overlay, const InstanceBase& base) {
  return overlay.entries().size() > overlayLimit(base);
}

}  // namespace

Status EditedMemory::prepareCountDrag(JobControl* job) {
  if (!incremental_) return Status::ok();  // previews retrain: no walks
  if (!answersPlanned()) {
    // The same memory, its base rebuilt: answers, edits and the undo history stand (kept
    // memories before and after are their own), and so do previews made from it.
    auto based = rebased(job);
    if (!based) return based.status();
    if (!*based) return Status::ok();
    current_ = std::move(*based);
  }
  if (walked()) return Status::ok();
  PruneOptions first;  // what every stop of a count-threshold drag removes
  first.minCount = 2;
  first.listSources = false;
  auto plan = planPrune(*this, first, job);
  if (!plan) return plan.status().isCancelled() ? plan.status() : Status::ok();  // none to drag
  auto answered = answerPlanned(*plan, overlayLimit(current_->base->memory()),
                                "readying the count-threshold drag", job);
  return answered ? Status::ok() : answered.status();
}

Result<std::shared_ptr<EditedMemory::Preview::Pending>> EditedMemory::step(const MemoryEdit& edit,
                                                                           bool preview,
                                                                           JobControl* job) const {
  if (preview) {
    auto planned = answerPlanned(edit, overlayLimit(current_->base->memory()),
                                 "answering from the planned prune", job);
    if (!planned) return planned.status();
    if (*planned) return planned;
  }
  if (unlisted(edit)) {
    auto listed = listedEdit(edit, job);
    if (!listed) return listed.status();
    return step(*listed, preview, job);
  }
  auto state = std::make_shared<State>(*current_->state);
  Changes changes;
  if (Status s = applyEdit(*state, edit, &changes); !s) return s;
  auto built = advance(current_.get(), std::move(state), {&changes, 1}, false, edits_.size() + 1,
                       preview, job);
  if (built) (*built)->changes = std::move(changes);
  return built;
}

Result<std::shared_ptr<EditedMemory::Preview::Pending>> EditedMemory::advance(
    const Preview::Pending* from, std::shared_ptr<State> state, std::span<const Changes> changes,
    bool undo, size_t editCount, bool preview, JobControl* job) const {
  if (state->liveCount == 0)
    return Status::invalidArgument("the edit would leave the memory empty");
  auto p = std::make_shared<Preview::Pending>();
  p->base = from ? from->base : baseClassifier_;
  const Algorithm algorithm = options_.algorithm;
  // The overlay counts the edited memory's stored vectors for every engine; IB1 and TRIBL2's
  // fallback search it through an index (OverlayIndex), so it may grow without a retrain.
  VectorOverlay overlay = from ? *from->overlay : VectorOverlay(p->base->memory());
  std::vector<uint32_t> classes;  // the classes the edit touches
  // Each once, marked as seen: a document's 731k instances made a sort of millions of repeats.
  std::vector<bool> classSeen;
  const auto addOnce = [](std::vector<uint32_t>& to, std::vector<bool>& seen, uint32_t v) {
    if (v >= seen.size()) seen.resize(size_t{v} + 1);
    if (!seen[v]) to.push_back(v);
    seen[v] = true;
  };
  for (const Changes& list : changes)
    for (const Change& c : list.rows) {
      addOnce(classes, classSeen, c.classBefore);
      addOnce(classes, classSeen, c.classAfter);
    }
  std::sort(classes.begin(), classes.end());
  p->state = state;
  p->kept = std::make_shared<Kept>(state);
  ClassOrder order = state->classOrder(changes, undo, *base_, *classRows_);
  // Recomputed weights: from the counts, brought up to date with what changed. IGTree answers by
  // its order alone (and its distances by the weights): while the order is the trained base's,
  // the tree is edited in place as under fixed weights; when it moves, it is retrained (as it is
  // from a memory retrained on another order, until the order comes back and a retrain restores
  // the base's). IB1 and TRIBL2 search their base by its weights while the new ones keep its order
  // of match distances (and TRIBL2's tree order), reporting distances under the new ones
  // (ReweightedDistances); else they retrain, and the retrained base is searched by the new ones.
  std::vector<double> weights;
  std::shared_ptr<const ReweightedDistances> reweighted;
  bool orderChanged = false, retrainOrder = false;
  uint64_t changed = 0;
  for (const Changes& list : changes) changed += list.rows.size();
  // IGTree updates the paths of the changed stored vectors and of those holding a class whose
  // tie order moved. When those are more than an eighth of the memory (and more than
  // kMinRetrain: below, either takes milliseconds), or the root's default moves, retraining
  // costs about as much: a path costs about what retraining costs for 6 instances (12 against
  // 2 us on the KJV). A tree of width 1 is its leaves: retrained. IB1 and TRIBL2 retrain an edit
  // that changes more instances than the overlay may hold.
  const bool igTreeEdit = algorithm == Algorithm::kIgTree && firstFeature_ >= 0 && from;
  const uint64_t paths = std::max<uint64_t>(state->liveCount / 8, kMinRetrain);
  bool large = false;
  if (igTreeEdit) {
    const ClassOrder& before = static_cast<const IncrementalIgTree&>(*from->engine).classes();
    large = changed > paths || base_->width < 2 ||
            before.ids[IncrementalIgTree::rootDefault(before)] !=
                order.ids[IncrementalIgTree::rootDefault(order)];
  } else if (algorithm != Algorithm::kIgTree) {
    large = changed > overlayLimit(p->base->memory());
  }
  // A prune too large for the overlay under fixed weights previews without a retrain (it removes
  // more instances than the overlay may hold vectors; IGTree's `large` counts its paths).
  if (preview && changed > overlayLimit(p->base->memory()) && from && !state->counts && !undo &&
      from->overlay->entries().empty()) {
    auto answered = answerPruned(*p, *from, changes, order, overlayLimit(p->base->memory()), job);
    if (!answered) return answered.status();
    if (*answered) return p;
  }
  // A large edit retrains at once: the counts are then taken from the retrained memory rather
  // than updated instance by instance (which cost a count-threshold prune several times its
  // retrain).
  const bool retrainLarge = state->counts && large;
  if (retrainLarge) {
    retrainOrder = true;
  } else if (state->counts) {
    if (!changes.empty()) {
      std::vector<MaintainedCounts::Move> moves;
      moves.reserve(2 * changed);  // a relabel moves an instance out and in
      for (const Changes& list : changes)
        for (const Change& c : list.rows) {
          if (undo ? c.liveAfter : c.liveBefore)
            moves.push_back({undo ? list.after(c) : list.before(c),
                             undo ? c.classAfter : c.classBefore, c.index, -1});
          if (undo ? c.liveBefore : c.liveAfter)
            moves.push_back({undo ? list.before(c) : list.after(c),
                             undo ? c.classBefore : c.classAfter, c.index, +1});
        }
      state->counts = state->counts->edited(moves, state->rows, order);
    }
    weights = state->counts->weights(order, options_.weighting);
    if (algorithm == Algorithm::kIgTree) {
      const std::vector<int>& trainedOrder = igTreeOf(*baseClassifier_)->order();
      orderChanged = memoryOrder(options_, weights) != trainedOrder;
      // From a memory retrained on another order, a retrain also brings back the trained one.
      retrainOrder = orderChanged || (from && igTreeOf(*from->base)->order() != trainedOrder);
    } else {
      orderChanged = algorithm == Algorithm::kTribl2 &&
                     memoryOrder(options_, weights) != overlapMemoryOf(*p->base)->treeOrder();
      if (!orderChanged && weights != p->base->weights())
        orderChanged = !(reweighted = ReweightedDistances::of(p->base->weights(), weights));
      retrainOrder = orderChanged;
    }
  }
  IncrementalIgTree::Recheck recheck;  // IGTree's: stored vectors of moved classes
  bool compact =
      algorithm == Algorithm::kIgTree ? igTreeEdit && (retrainOrder || large) : retrainOrder;
  // Each change's instance out of the vector it was in and into the one it is in (an undo's the
  // other way).
  const auto forEachMove = [&](auto&& fn) {
    for (const Changes& list : changes)
      for (const Change& c : list.rows) {
        if (undo ? c.liveAfter : c.liveBefore)
          fn(undo ? list.after(c) : list.before(c), undo ? c.classAfter : c.classBefore, -1);
        if (undo ? c.liveBefore : c.liveAfter)
          fn(undo ? list.before(c) : list.after(c), undo ? c.classBefore : c.classAfter, +1);
      }
  };
  // The overlay's changes, applied as one batch: consecutive changes mostly move instances of one
  // class out of one vector (a vector's or a document's instances), one overlay change per run of
  // them.
  std::vector<VectorOverlay::Change> runs;
  std::span<const uint32_t> runFeatures;
  uint32_t runClass = 0;
  int runDelta = 0;
  const auto flush = [&] {
    if (runDelta != 0) runs.push_back({runFeatures.data(), runClass, runDelta});
    runDelta = 0;
  };
  const auto move = [&](std::span<const uint32_t> features, uint32_t classId, int delta) {
    if (runDelta != 0 &&
        (runClass != classId || (runDelta > 0) != (delta > 0) ||
         (runFeatures.data() != features.data() && !std::ranges::equal(runFeatures, features))))
      flush();
    runFeatures = features;
    runClass = classId;
    runDelta += delta;
  };
  EntryChanges edited;               // the overlay entries whose counts change, and how
  IncrementalIgTree::Deltas deltas;  // IGTree's: by stored vector in tree order
  const auto takeChanges = [&] {
    if (compact) return;
    runs.reserve(changed);
    adviseHugePages(runs.data(), changed * sizeof(VectorOverlay::Change));
    forEachMove(move);
    flush();
    // Summed per entry (and for IGTree put in tree order) from the entries and the features
    // alone, so beside the overlay's counts.
    const auto sum = [&](std::span<const uint32_t> entries) {
      std::vector<EntryChanges::Move> moves = hugePageVector<EntryChanges::Move>(runs.size());
      for (size_t i = 0; i < runs.size(); ++i)
        moves[i] = {entries[i], runs[i].classId, runs[i].delta};
      edited = EntryChanges::summed(std::move(moves));
      if (algorithm == Algorithm::kIgTree)
        deltas = IncrementalIgTree::Deltas::of(igTreeOf(*p->base)->order(), overlay, edited.entries,
                                               edited.start, edited.counts);
    };
    if (runs.empty()) {
      sum({});
    } else {
      overlay.change(runs, sum);
    }
  };
  if (igTreeEdit && !compact) {
    // The stored vectors whose paths the new class order may move, listed beside the overlay's
    // change (from the overlay as it was: both are mostly cache misses, and much of each runs on
    // one core). When they are too many the edit retrains: the overlay is then started anew and
    // its changes and deltas go unread.
    std::optional<IncrementalIgTree::Recheck> stale;
    tbb::parallel_invoke(
        [&] {
          stale = static_cast<const IncrementalIgTree&>(*from->engine)
                      .staleVectors(order, classes, *from->overlay, paths - changed);
        },
        takeChanges);
    compact = !stale || changed + stale->size() > paths;
    if (!compact) recheck = std::move(*stale);
  } else {
    takeChanges();
  }
  if (compact || (algorithm != Algorithm::kIgTree && overlayTooLarge(overlay, p->base->memory()))) {
    // From the trained memory's stored vectors: what training on the kept instances gives,
    // without listing and hashing them again.
    auto classifier = keptClassifier(*state, job);
    if (!classifier) return classifier.status();
    p->base = std::move(*classifier);
    overlay = VectorOverlay(p->base->memory());
    reweighted.reset();  // the retrained base has the new weights
    p->retrained = true;
    if (retrainLarge) {
      auto counts = MaintainedCounts::of(p->base->memory(), state->rows, job);
      if (!counts) return counts.status();
      state->counts = std::move(*counts);
      if (algorithm == Algorithm::kIgTree)
        orderChanged = igTreeOf(*p->base)->order() != igTreeOf(*baseClassifier_)->order();
    }
  }
  p->orderChanged = orderChanged;
  const bool sameBase = from && p->base == from->base;
  if (from) p->queries = from->queries;
  p->overlay = std::make_shared<const VectorOverlay>(std::move(overlay));
  p->slots = p->overlay->vectorCount();
  p->instanceCount = state->liveCount;
  auto instances = [kept = p->kept]() -> const InstanceSet& { return kept->get(); };
  if (algorithm == Algorithm::kIgTree) {
    if (sameBase) {
      auto engine = IncrementalIgTree::edited(static_cast<const IncrementalIgTree&>(*from->engine),
                                              std::move(order), deltas, recheck, *p->overlay,
                                              std::move(instances), std::move(weights), job);
      if (!engine) return engine.status();
      p->engine = std::move(*engine);
    } else {
      p->engine = std::make_shared<IncrementalIgTree>(
          options_, p->base, std::move(order), std::move(instances), nullptr, std::move(weights));
    }
  } else if (algorithm == Algorithm::kTribl2) {
    p->engine = std::make_shared<IncrementalTribl2>(
        options_, p->base, p->overlay, std::move(order), std::move(instances),
        sameBase ? static_cast<const IncrementalTribl2*>(from->engine.get()) : nullptr,
        std::move(reweighted));
  } else {
    p->engine = std::make_shared<IncrementalIb1>(
        options_, p->base, p->overlay, std::move(order), std::move(instances),
        sameBase ? static_cast<const IncrementalIb1*>(from->engine.get()) : nullptr,
        std::move(reweighted));
  }
  // Unedited, the memory is the trained one itself (same traces, same InstanceBase).
  p->classifier = editCount == 0 && p->base == baseClassifier_ ? p->base : p->engine;

  if (Status st = predictProbe(*p, sameBase ? from : nullptr, edited, job); !st) return st;
  return p;
}

Result<EditedMemory::Preview> EditedMemory::preview(const MemoryEdit& edit, JobControl* job) const {
  Result<std::shared_ptr<Preview::Pending>> built = Status::cancelled();
  if (incremental_) {
    built = step(edit, true, job);
  } else {
    std::vector<MemoryEdit> edits = edits_;
    auto listed = unlisted(edit) ? listedEdit(edit, job) : edit;
    if (!listed) return listed.status();
    edits.push_back(std::move(*listed));
    built = build(edits, job);
  }
  if (!built) return built.status();
  Preview p;
  p.edit = edit;
  p.slotsBefore = current_->slots;
  p.slotsAfter = (*built)->slots;
  p.instancesBefore = current_->instanceCount;
  p.instancesAfter = (*built)->instanceCount;
  p.retrained = (*built)->retrained;
  p.orderChanged = (*built)->orderChanged;
  p.buildsOnCommit = (*built)->unbuilt.has_value();
  const auto& before = current_->predictions;
  const auto& after = (*built)->predictions;
  for (size_t i = 0; i < before.size(); ++i)
    if (before[i] != after[i]) p.changed.push_back({i, probe_.sources[i], before[i], after[i]});
  p.pending_ = std::move(*built);
  p.generation_ = generation_;
  return p;
}

Status EditedMemory::commit(Preview preview, JobControl* job) {
  if (!preview.pending_ || preview.generation_ != generation_)
    return Status::invalidArgument("the memory changed since this preview was made; preview again");
  if (unlisted(preview.edit)) {
    auto listed = listedEdit(preview.edit, job);
    if (!listed) return listed.status();
    preview.edit = std::move(*listed);
  }
  if (preview.pending_->unbuilt)
    if (Status s = buildPruned(*preview.pending_, preview.edit, job); !s) return s;
  lastRetrained_ = preview.pending_->retrained;
  adopt(std::move(preview.pending_));
  edits_.push_back(std::move(preview.edit));
  edits_.back().planned.reset();
  undone_.clear();
  after_.clear();
  ++generation_;
  return Status::ok();
}

void EditedMemory::keep(std::vector<std::shared_ptr<Preview::Pending>>& memories,
                        std::shared_ptr<Preview::Pending> memory) {
  if (memories.size() == kKeptMemories) memories.erase(memories.begin());
  memories.push_back(std::move(memory));
}

void EditedMemory::adopt(std::shared_ptr<Preview::Pending> next) {
  if (incremental_) {
    if (next->base != current_->base) {
      beforeCompaction_ = current_;
      compactedAt_ = edits_.size();
    }
    journal_.push_back(std::move(next->changes));
    keep(before_, std::move(current_));
  }
  current_ = std::move(next);
}

Status EditedMemory::setProbe(InstanceSet probe, JobControl* job) {
  if (probe.size() != 0 && probe.width != base_->width)
    return Status::invalidArgument("the probe set's width differs from the memory's");
  if (incremental_) {
    InstanceSet old = std::exchange(probe_, std::move(probe));
    std::shared_ptr<const ProbePaths> oldPaths;
    if (probePaths_)
      oldPaths = std::exchange(probePaths_, std::make_shared<const ProbePaths>(
                                                probe_, igTreeOf(*baseClassifier_)->order()));
    auto p = std::make_shared<Preview::Pending>(*current_);
    p->queries.reset();
    if (Status s = predictProbe(*p, nullptr, {}, job); !s) {
      probe_ = std::move(old);
      if (oldPaths) probePaths_ = std::move(oldPaths);
      return s;
    }
    current_ = std::move(p);
    {
      const std::lock_guard<std::mutex> lock(walksMutex_);  // of the old probe set
      walks_.reset();
      treePaths_.reset();
    }
    // Their predictions are of the old probe set.
    beforeCompaction_.reset();
    before_.clear();
    after_.clear();
    ++generation_;
    return Status::ok();
  }
  auto predictions = predictClasses(*current_->classifier, probe, job);
  if (!predictions) return predictions.status();
  probe_ = std::move(probe);
  current_->predictions = std::move(*predictions);
  ++generation_;  // a preview's changed tokens index the old probe set
  return Status::ok();
}

Status EditedMemory::undo(JobControl* job) {
  if (edits_.empty()) return Status::invalidArgument("nothing to undo");
  std::shared_ptr<Preview::Pending> kept;  // the memory before the last edit, when kept
  if (incremental_ && !before_.empty()) {
    kept = std::move(before_.back());
    before_.pop_back();
  } else if (incremental_ && beforeCompaction_ && compactedAt_ + 1 == edits_.size()) {
    kept = std::move(beforeCompaction_);
  }
  if (kept) {
    current_->changes = std::move(journal_.back());
    journal_.pop_back();
    keep(after_, std::exchange(current_, std::move(kept)));
    lastRetrained_ = false;
  } else if (incremental_) {
    auto state = std::make_shared<State>(*current_->state);
    const Changes& changes = journal_.back();
    // Back to the rows before the edit; rows it inserted are the last ones.
    for (auto c = changes.rows.rbegin(); c != changes.rows.rend(); ++c) {
      state->liveCount += c->liveBefore;
      state->liveCount -= c->liveAfter;
      if (!c->existed) {
        state->rows.popBack();
        --state->inserted;
        continue;
      }
      // Only what the edit changed: a write copies the rows it lands in.
      if (c->liveBefore != c->liveAfter) state->rows.setLive(c->index, c->liveBefore);
      if (c->classBefore != c->classAfter) state->rows.setClass(c->index, c->classBefore);
      if (c->featuresBefore != c->featuresAfter &&
          !std::ranges::equal(changes.before(*c), changes.after(*c)))
        state->rows.setFeatures(c->index, changes.before(*c));
    }
    auto built = advance(current_.get(), std::move(state), {&changes, 1}, true, edits_.size() - 1,
                         false, job);
    if (!built) return built.status();
    current_->changes = std::move(journal_.back());
    journal_.pop_back();
    lastRetrained_ = (*built)->retrained;
    keep(after_, std::exchange(current_, std::move(*built)));
  } else {
    std::vector<MemoryEdit> edits(edits_.begin(), edits_.end() - 1);
    auto built = build(edits, job);
    if (!built) return built.status();
    lastRetrained_ = (*built)->retrained;
    current_ = std::move(*built);
  }
  undone_.push_back(std::move(edits_.back()));
  edits_.pop_back();
  ++generation_;
  return Status::ok();
}

Status EditedMemory::redo(JobControl* job) {
  if (undone_.empty()) return Status::invalidArgument("nothing to redo");
  if (incremental_ && !after_.empty()) {
    std::shared_ptr<Preview::Pending> next = std::move(after_.back());
    after_.pop_back();
    lastRetrained_ = false;
    adopt(std::move(next));
  } else if (incremental_) {
    auto built = step(undone_.back(), false, job);
    if (!built) return built.status();
    lastRetrained_ = (*built)->retrained;
    adopt(std::move(*built));
  } else {
    std::vector<MemoryEdit> edits = edits_;
    edits.push_back(undone_.back());
    auto built = build(edits, job);
    if (!built) return built.status();
    lastRetrained_ = (*built)->retrained;
    current_ = std::move(*built);
  }
  edits_.push_back(std::move(undone_.back()));
  undone_.pop_back();
  ++generation_;
  return Status::ok();
}

}  // namespace memlens
