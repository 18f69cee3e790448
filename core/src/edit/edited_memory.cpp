#include "memlens/edited_memory.h"

#include <algorithm>
#include <limits>
#include <string>

namespace memlens {

struct EditedMemory::State {
  InstanceSet all;  // base instances, then inserted ones; classes are the current labels
  std::vector<uint8_t> live;
  uint64_t inserted = 0;
};

struct EditedMemory::Preview::Pending {
  std::shared_ptr<const Classifier> classifier;
  InstanceSet instances;
  std::vector<uint32_t> predictions;  // of the probe set
};

namespace {

std::string describeFeatures(const std::vector<uint32_t>& features) {
  std::string s = "(";
  for (size_t i = 0; i < features.size(); ++i) {
    if (i) s += ' ';
    s += std::to_string(features[i]);
  }
  return s + ")";
}

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
  return create(std::move(corpus), std::move(train), std::move(probe), options, nullptr,
                std::move(edits), std::move(undone), job);
}

Result<std::unique_ptr<EditedMemory>> EditedMemory::create(
    std::shared_ptr<const TokenisedCorpus> corpus, InstanceSet train, InstanceSet probe,
    const ClassifierOptions& options, std::shared_ptr<const Classifier> trained,
    std::vector<MemoryEdit> edits, std::vector<MemoryEdit> undone, JobControl* job) {
  if (train.size() == 0)
    return Status::invalidArgument(
        corpus->tokens.size() == 0
            ? "this memory holds no stored vectors to list or edit: an IGTree base read from a "
              "TiMBL file keeps only its pruned tree, not the instances it was trained on"
            : "cannot edit an empty memory");
  if (trained && (trained->memory().instanceCount() != train.size() ||
                  trained->memory().width() != train.width ||
                  trained->options().algorithm != options.algorithm))
    return Status::invalidArgument("the trained memory given was not trained on these instances");
  if (probe.size() != 0 && probe.width != train.width)
    return Status::invalidArgument("the probe set's width differs from the memory's");
  std::unique_ptr<EditedMemory> m(new EditedMemory());
  m->corpus_ = std::move(corpus);
  m->options_ = options;
  m->trained_ = std::move(trained);
  // A memory without provenance (a TiMBL base read without its text) has sources that only
  // number its instances: they name no document, so no edit by document finds them.
  const bool located = m->corpus_->tokens.size() > 0;
  m->documentOf_.reserve(train.size());
  m->indexOfSource_.reserve(train.size());
  for (size_t i = 0; i < train.size(); ++i) {
    const uint64_t source = train.sources[i];
    if (located && source >= m->corpus_->tokens.size())
      return Status::invalidArgument("training instance " + std::to_string(i) +
                                     " has no position in the corpus");
    m->documentOf_.push_back(located ? m->corpus_->tokens.position(source).document
                                     : std::numeric_limits<uint32_t>::max());
    m->indexOfSource_.emplace(source, static_cast<uint32_t>(i));
  }
  m->base_ = std::move(train);
  m->probe_ = std::move(probe);
  auto built = m->build(edits, job);
  if (!built) return built.status();
  m->current_ = std::move(*built);
  m->edits_ = std::move(edits);
  m->undone_ = std::move(undone);
  return m;
}

const Classifier& EditedMemory::classifier() const { return *current_->classifier; }
std::shared_ptr<const Classifier> EditedMemory::sharedClassifier() const {
  return current_->classifier;
}
const InstanceSet& EditedMemory::instances() const { return current_->instances; }
const std::vector<uint32_t>& EditedMemory::probePredictions() const {
  return current_->predictions;
}

Status EditedMemory::applyEdit(State& state, const MemoryEdit& edit) const {
  const auto width = static_cast<size_t>(base_.width);
  const uint32_t vocabSize = corpus_->vocab.size();
  const auto classOk = [&] { return edit.classId < vocabSize; };
  if ((edit.kind == EditKind::kRelabelVector || edit.kind == EditKind::kRelabelInstance ||
       edit.kind == EditKind::kInsertInstance) &&
      !classOk())
    return Status::invalidArgument("class id " + std::to_string(edit.classId) +
                                   " is not in the vocabulary");
  // Applies `change` to every instance `select` picks; fails when it picks none.
  const auto forEach = [&](auto select, auto change, const std::string& none) {
    size_t hits = 0;
    for (size_t i = 0; i < state.all.size(); ++i) {
      if (!select(i)) continue;
      change(i);
      ++hits;
    }
    return hits ? Status::ok() : Status::invalidArgument(none);
  };
  const auto isVector = [&](size_t i) {
    return std::equal(edit.features.begin(), edit.features.end(), state.all.instance(i).begin());
  };
  const auto instanceIndex = [&](uint64_t source) -> Result<size_t> {
    if (source & kInsertedSource) {
      const uint64_t n = source & ~kInsertedSource;
      if (n < state.inserted) return static_cast<size_t>(base_.size() + n);
    } else if (auto it = indexOfSource_.find(source); it != indexOfSource_.end()) {
      return static_cast<size_t>(it->second);
    }
    return Status::notFound("no training instance has source " + std::to_string(source));
  };
  const auto setLive = [&](uint8_t v) { return [&state, v](size_t i) { state.live[i] = v; }; };

  switch (edit.kind) {
    case EditKind::kDeleteVector:
    case EditKind::kRestoreVector:
    case EditKind::kRelabelVector: {
      if (edit.features.size() != width)
        return Status::invalidArgument("a stored vector has " + std::to_string(width) +
                                       " features, the edit names " +
                                       std::to_string(edit.features.size()));
      const bool restore = edit.kind == EditKind::kRestoreVector;
      const auto pick = [&](size_t i) { return state.live[i] == !restore && isVector(i); };
      const std::string none = "no " + std::string(restore ? "deleted" : "stored") + " vector " +
                               describeFeatures(edit.features);
      if (edit.kind == EditKind::kRelabelVector)
        return forEach(
            pick, [&](size_t i) { state.all.classes[i] = edit.classId; }, none);
      return forEach(pick, setLive(restore ? 1 : 0), none);
    }
    case EditKind::kDeleteInstance:
    case EditKind::kRestoreInstance:
    case EditKind::kRelabelInstance: {
      auto i = instanceIndex(edit.source);
      if (!i) return i.status();
      const bool wantLive = edit.kind != EditKind::kRestoreInstance;
      if (state.live[*i] != wantLive)
        return Status::invalidArgument("instance " + std::to_string(edit.source) + " is " +
                                       (wantLive ? "deleted" : "not deleted"));
      if (edit.kind == EditKind::kRelabelInstance) {
        state.all.classes[*i] = edit.classId;
      } else {
        state.live[*i] = wantLive ? 0 : 1;
      }
      return Status::ok();
    }
    case EditKind::kInsertInstance: {
      if (edit.features.size() != width)
        return Status::invalidArgument("an instance has " + std::to_string(width) +
                                       " features, the edit gives " +
                                       std::to_string(edit.features.size()));
      for (uint32_t f : edit.features)
        if (f >= vocabSize)
          return Status::invalidArgument("feature id " + std::to_string(f) +
                                         " is not in the vocabulary");
      state.all.features.insert(state.all.features.end(), edit.features.begin(),
                                edit.features.end());
      state.all.classes.push_back(edit.classId);
      state.all.sources.push_back(kInsertedSource | state.inserted++);
      state.live.push_back(1);
      return Status::ok();
    }
    case EditKind::kRemoveDocument:
    case EditKind::kRestoreDocument: {
      if (edit.document >= corpus_->corpus->documentCount())
        return Status::invalidArgument("no document " + std::to_string(edit.document) +
                                       " (the corpus has " +
                                       std::to_string(corpus_->corpus->documentCount()) + ")");
      const bool restore = edit.kind == EditKind::kRestoreDocument;
      return forEach(
          [&](size_t i) {
            return i < base_.size() && documentOf_[i] == edit.document && state.live[i] == !restore;
          },
          setLive(restore ? 1 : 0),
          "document " + std::to_string(edit.document) + " has no " +
              (restore ? "removed" : "remaining") + " instances in the memory");
    }
    case EditKind::kKeepPrefix:
      // Inserted instances' sources are above every corpus position: they go too.
      return forEach(
          [&](size_t i) { return state.live[i] && state.all.sources[i] >= edit.source; },
          setLive(0),
          "no instance of the memory was made at or after token " + std::to_string(edit.source));
    case EditKind::kPrune:
      for (uint64_t source : edit.sources) {
        auto i = instanceIndex(source);
        if (!i) return i.status();
        if (!state.live[*i])
          return Status::invalidArgument("pruning: instance " + std::to_string(source) +
                                         " is already deleted");
        state.live[*i] = 0;
      }
      return Status::ok();
    case EditKind::kMerge:
      if (edit.sources.empty() || edit.targets.size() != edit.sources.size())
        return Status::invalidArgument("a merge names one target instance per merged instance");
      for (size_t k = 0; k < edit.sources.size(); ++k) {
        auto i = instanceIndex(edit.sources[k]);
        if (!i) return i.status();
        auto t = instanceIndex(edit.targets[k]);
        if (!t) return t.status();
        if (!state.live[*i] || !state.live[*t])
          return Status::invalidArgument(
              "merging: instance " +
              std::to_string(state.live[*i] ? edit.targets[k] : edit.sources[k]) + " is deleted");
        const auto to = state.all.instance(*t);
        std::copy(to.begin(), to.end(),
                  state.all.features.begin() + static_cast<std::ptrdiff_t>(*i * width));
      }
      return Status::ok();
  }
  return Status::internal("unknown edit kind");
}

Result<std::shared_ptr<EditedMemory::Preview::Pending>> EditedMemory::build(
    const std::vector<MemoryEdit>& edits, JobControl* job) const {
  State state;
  state.all = base_;
  state.live.assign(base_.size(), 1);
  for (const MemoryEdit& e : edits)
    if (Status s = applyEdit(state, e); !s) return s;

  auto pending = std::make_shared<Preview::Pending>();
  InstanceSet& kept = pending->instances;
  kept.width = base_.width;
  kept.reserve(static_cast<size_t>(std::count(state.live.begin(), state.live.end(), 1)));
  for (size_t i = 0; i < state.all.size(); ++i) {
    if (!state.live[i]) continue;
    const auto f = state.all.instance(i);
    kept.features.insert(kept.features.end(), f.begin(), f.end());
    kept.classes.push_back(state.all.classes[i]);
    kept.sources.push_back(state.all.sources[i]);
  }
  if (kept.size() == 0) return Status::invalidArgument("the edit would leave the memory empty");
  if (edits.empty() && trained_) {
    pending->classifier = trained_;
  } else {
    auto classifier = createClassifier(options_);
    if (!classifier) return classifier.status();
    if (Status s = (*classifier)->train(kept, job); !s) return s;
    pending->classifier = std::move(*classifier);
  }
  auto predictions = predictClasses(*pending->classifier, probe_, job);
  if (!predictions) return predictions.status();
  pending->predictions = std::move(*predictions);
  return pending;
}

Result<EditedMemory::Preview> EditedMemory::preview(const MemoryEdit& edit, JobControl* job) const {
  std::vector<MemoryEdit> edits = edits_;
  edits.push_back(edit);
  auto built = build(edits, job);
  if (!built) return built.status();
  Preview p;
  p.edit = edit;
  p.slotsBefore = classifier().memory().vectorCount();
  p.slotsAfter = (*built)->classifier->memory().vectorCount();
  p.instancesBefore = instances().size();
  p.instancesAfter = (*built)->instances.size();
  const auto& before = current_->predictions;
  const auto& after = (*built)->predictions;
  for (size_t i = 0; i < before.size(); ++i)
    if (before[i] != after[i]) p.changed.push_back({i, probe_.sources[i], before[i], after[i]});
  p.pending_ = std::move(*built);
  p.generation_ = generation_;
  return p;
}

Status EditedMemory::commit(Preview preview) {
  if (!preview.pending_ || preview.generation_ != generation_)
    return Status::invalidArgument("the memory changed since this preview was made; preview again");
  current_ = std::move(preview.pending_);
  edits_.push_back(std::move(preview.edit));
  undone_.clear();
  ++generation_;
  return Status::ok();
}

Status EditedMemory::setProbe(InstanceSet probe, JobControl* job) {
  if (probe.size() != 0 && probe.width != base_.width)
    return Status::invalidArgument("the probe set's width differs from the memory's");
  auto predictions = predictClasses(*current_->classifier, probe, job);
  if (!predictions) return predictions.status();
  probe_ = std::move(probe);
  current_->predictions = std::move(*predictions);
  ++generation_;  // a preview's changed tokens index the old probe set
  return Status::ok();
}

Status EditedMemory::undo(JobControl* job) {
  if (edits_.empty()) return Status::invalidArgument("nothing to undo");
  std::vector<MemoryEdit> edits(edits_.begin(), edits_.end() - 1);
  auto built = build(edits, job);
  if (!built) return built.status();
  current_ = std::move(*built);
  undone_.push_back(std::move(edits_.back()));
  edits_.pop_back();
  ++generation_;
  return Status::ok();
}

Status EditedMemory::redo(JobControl* job) {
  if (undone_.empty()) return Status::invalidArgument("nothing to redo");
  std::vector<MemoryEdit> edits = edits_;
  edits.push_back(undone_.back());
  auto built = build(edits, job);
  if (!built) return built.status();
  current_ = std::move(*built);
  edits_ = std::move(edits);
  undone_.pop_back();
  ++generation_;
  return Status::ok();
}

}  // namespace memlens
