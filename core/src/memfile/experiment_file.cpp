#include "memfile/experiment_file.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "base/first_where.h"
#include "base/huge_pages.h"
#include "classify/classifier_factories.h"
#include "memfile/byte_reader.h"
#include "memfile/byte_writer.h"
#include "memory/neighbour_search.h"
#include "vector/vector_memory_classifier.h"

namespace memlens {

namespace {

using Section = MemoryFileLayout::Section;

// Reads one section: `read` fills the value from a ByteReader and returns it as a Result; any
// failure, its own or the reader's, becomes "memory file X is damaged: section 'Y': ...".
template <typename Read>
auto readSection(const MemoryFileReader& file, Section id, Read&& read)
    -> decltype(read(std::declval<ByteReader&>())) {
  const std::string name =
      "section '" + std::string(MemoryFileLayout::nameOf(static_cast<uint32_t>(id))) + "': ";
  auto bytes = file.section(id);
  if (!bytes) return bytes.status();
  ByteReader in(*bytes, file.owner());
  auto value = read(in);
  if (!value) {
    if (value.status().isCancelled()) return value.status();
    return file.damaged(name + value.status().message());
  }
  if (!in.expectEnd()) return file.damaged(name + in.error());
  return value;
}

template <typename Enum>
bool getEnum(ByteReader& in, Enum& value, uint32_t last, const char* what) {
  const auto raw = in.get<uint32_t>();
  if (!in.ok()) return false;
  if (raw > last) return in.fail(std::string("unknown ") + what + " " + std::to_string(raw));
  value = static_cast<Enum>(raw);
  return true;
}

template <typename Enum>
void putEnum(ByteWriter& out, Enum value) {
  out.put(static_cast<uint32_t>(value));
}

void putOptional(ByteWriter& out, const std::optional<double>& v) {
  out.put<uint8_t>(v.has_value());
  out.put(v.value_or(0.0));
}

std::optional<double> getOptional(ByteReader& in) {
  const auto has = in.get<uint8_t>();
  const auto v = in.get<double>();
  return has ? std::optional<double>(v) : std::nullopt;
}

void saveOptions(const ExperimentOptions& o, ByteWriter& out) {
  out.put<int32_t>(o.window.width);
  putEnum(out, o.window.blocks);
  const ClassifierOptions& c = o.classifier;
  putEnum(out, c.algorithm);
  out.put<int32_t>(c.k);
  putEnum(out, c.weighting);
  putEnum(out, c.distanceWeighting);
  out.put(c.edAlpha);
  out.put(c.edBeta);
  putEnum(out, c.metric);
  out.put<int32_t>(c.mvdmThreshold);
  out.put<int32_t>(c.vectorMemory.topK);
  out.put(c.vectorMemory.temperature);
  out.put<int32_t>(c.vectorMemory.indexedPositions);
  out.put<int32_t>(c.vectorMemory.candidateWords);
  out.put<int32_t>(c.vectorMemory.candidateSlots);
  out.put<int32_t>(c.wordVectors.dimensions);
  out.put<int32_t>(c.wordVectors.window);
  out.put(c.wordVectors.smoothing);
  out.put<int32_t>(c.wordVectors.oversampling);
  out.put<int32_t>(c.wordVectors.powerIterations);
  out.put<uint64_t>(c.wordVectors.seed);
  out.putArray(c.fixedWeights);
  out.put(o.split.trainFraction);
  out.put(o.split.validationFraction);
  out.put<uint64_t>(o.split.seed);
  out.put<int32_t>(o.ngramOrder);
  out.put<uint64_t>(o.maxTestTokens);
  putOptional(out, o.memoryTemperature);
  putOptional(out, o.memoryLambda);
}

Result<ExperimentOptions> loadOptions(ByteReader& in) {
  ExperimentOptions o;
  o.window.width = in.get<int32_t>();
  getEnum(in, o.window.blocks, static_cast<uint32_t>(BlockMode::kOlifant), "block mode");
  ClassifierOptions& c = o.classifier;
  getEnum(in, c.algorithm, static_cast<uint32_t>(Algorithm::kVectorMemory), "algorithm");
  c.k = in.get<int32_t>();
  getEnum(in, c.weighting, static_cast<uint32_t>(FeatureWeighting::kSharedVariance),
          "feature weighting");
  getEnum(in, c.distanceWeighting, static_cast<uint32_t>(DistanceWeighting::kExponentialDecay),
          "distance weighting");
  c.edAlpha = in.get<double>();
  c.edBeta = in.get<double>();
  getEnum(in, c.metric, static_cast<uint32_t>(Metric::kMvdm), "metric");
  c.mvdmThreshold = in.get<int32_t>();
  c.vectorMemory.topK = in.get<int32_t>();
  c.vectorMemory.temperature = in.get<double>();
  c.vectorMemory.indexedPositions = in.get<int32_t>();
  c.vectorMemory.candidateWords = in.get<int32_t>();
  c.vectorMemory.candidateSlots = in.get<int32_t>();
  c.wordVectors.dimensions = in.get<int32_t>();
  c.wordVectors.window = in.get<int32_t>();
  c.wordVectors.smoothing = in.get<double>();
  c.wordVectors.oversampling = in.get<int32_t>();
  c.wordVectors.powerIterations = in.get<int32_t>();
  c.wordVectors.seed = in.get<uint64_t>();
  in.getArray(c.fixedWeights, InstanceSet::kMaxWidth);
  o.split.trainFraction = in.get<double>();
  o.split.validationFraction = in.get<double>();
  o.split.seed = in.get<uint64_t>();
  o.ngramOrder = in.get<int32_t>();
  o.maxTestTokens = in.get<uint64_t>();
  o.memoryTemperature = getOptional(in);
  o.memoryLambda = getOptional(in);
  if (in.ok() && (o.window.width < 1 || o.window.width > InstanceSet::kMaxWidth))
    in.fail("a window of " + std::to_string(o.window.width) + " tokens");
  // Bounds that keep a damaged file from asking for absurd allocations.
  constexpr int kLarge = 1 << 20;
  const VectorMemoryOptions& v = c.vectorMemory;
  const WordVectorOptions& wv = c.wordVectors;
  if (in.ok() && (c.k < 1 || c.k > kLarge))
    in.fail("k = " + std::to_string(c.k) + " nearest distances");
  if (in.ok() &&
      (v.topK < 1 || v.topK > kLarge || v.indexedPositions < 0 ||
       v.indexedPositions > o.window.width || v.candidateWords < 0 || v.candidateWords > kLarge ||
       v.candidateSlots < 0 || wv.dimensions < 0 || wv.dimensions > 4096 || wv.window < 1 ||
       wv.window > InstanceSet::kMaxWidth || wv.oversampling < 0 || wv.oversampling > 4096 ||
       wv.powerIterations < 0 || wv.powerIterations > 100 || !std::isfinite(wv.smoothing)))
    in.fail("vector memory options out of range");
  if (!in.ok()) return Status::corrupt(in.error());
  return o;
}

void saveDocuments(const Corpus& corpus, ByteWriter& out) {
  out.put<uint64_t>(corpus.documentCount());
  for (size_t d = 0; d < corpus.documentCount(); ++d) {
    const Document& doc = corpus.document(d);
    out.putString(doc.path);
    out.put<uint64_t>(doc.sizeBytes);
    out.put<uint64_t>(doc.lineCount);
    out.put<uint32_t>(doc.bomBytes);
    out.put<int64_t>(doc.modifiedNs);
  }
}

Result<std::vector<Document>> loadDocuments(ByteReader& in) {
  const auto count = in.get<uint64_t>();
  std::vector<Document> docs;
  for (uint64_t d = 0; in.ok() && d < count; ++d) {
    Document& doc = docs.emplace_back();
    in.getString(doc.path);
    doc.sizeBytes = in.get<uint64_t>();
    doc.lineCount = in.get<uint64_t>();
    doc.bomBytes = in.get<uint32_t>();
    doc.modifiedNs = in.get<int64_t>();
    if (in.ok() && doc.bomBytes != 0 && doc.bomBytes != 3)
      in.fail(doc.path + ": a byte-order mark of " + std::to_string(doc.bomBytes) + " bytes");
    if (in.ok() && doc.sizeBytes < doc.bomBytes) in.fail(doc.path + ": smaller than its BOM");
  }
  if (!in.ok()) return Status::corrupt(in.error());
  return docs;
}

void saveVocabulary(const Vocabulary& vocab, ByteWriter& out) {
  std::string texts;
  std::vector<uint64_t> start{0};
  std::vector<uint64_t> counts;
  for (uint32_t id = 0; id < vocab.size(); ++id) {
    texts += vocab.text(id);
    start.push_back(texts.size());
    counts.push_back(vocab.count(id));
  }
  out.putString(texts);
  out.putArray(start);
  out.putArray(counts);
}

Result<Vocabulary> loadVocabulary(ByteReader& in) {
  std::string texts;
  std::vector<uint64_t> start, counts;
  in.getString(texts);
  in.getArray(start, Vocabulary::kUnknown);
  in.getArray(counts);
  if (in.ok() && counts.size() + 1 != start.size()) in.fail("token offsets and counts disagree");
  in.checkStarts(start, texts.size(), "the token texts");
  if (!in.ok()) return Status::corrupt(in.error());
  Vocabulary vocab;
  for (size_t id = 0; id < counts.size(); ++id) {
    const std::string_view text =
        std::string_view(texts).substr(start[id], start[id + 1] - start[id]);
    if (vocab.intern(text) != id)
      return Status::corrupt("token " + std::to_string(id) + " repeats an earlier one");
    vocab.addCount(static_cast<uint32_t>(id), counts[id]);
  }
  return vocab;
}

void saveInstances(const InstanceSet& set, ByteWriter& out) {
  out.put<int32_t>(set.width);
  out.putArray(set.features);
  out.putArray(set.classes);
  out.putArray(set.sources);
}

// An instance section as the file holds it (viewed in place); copied into an InstanceSet only
// when the experiment's instances are first read. Opening checks its sizes; its elements are
// checked by check() (verifyMemory()) and kept in range as they are copied, so that opening reads
// none of them.
struct StoredInstances {
  int width = 0;
  Storage<uint32_t> features, classes;
  Storage<uint64_t> sources;
  uint32_t vocabSize = 0;
  uint64_t tokens = 0;

  size_t size() const { return classes.size(); }
  uint64_t source(size_t i) const { return sources[i] < tokens ? sources[i] : 0; }
  // Instances [begin, end); a value past its range (a damaged file: check() names it) becomes 0.
  // Each array is copied as it is into huge pages, then clamped: a resize() zero-filled it first
  // (2 GB of features at 100M instances), and its 4 KB page faults took as long again.
  InstanceSet copy(size_t begin, size_t end) const {
    InstanceSet set;
    set.width = width;
    const auto w = static_cast<size_t>(width);
    const auto clamped = [](auto& into, const auto& from, size_t first, size_t last, auto limit) {
      into.reserve(last - first);
      adviseHugePages(into.data(), (last - first) * sizeof(into[0]));
      into.assign(from.begin() + first, from.begin() + last);
      std::replace_if(
          into.begin(), into.end(), [limit](auto v) { return v >= limit; }, decltype(limit){0});
    };
    clamped(set.features, features, begin * w, end * w, vocabSize);
    clamped(set.classes, classes, begin, end, vocabSize);
    clamped(set.sources, sources, begin, end, tokens);
    return set;
  }
  Status check() const {
    const size_t n = size();
    if (const size_t i =
            firstWhere(features.span(), [&](uint32_t v, size_t) { return v >= vocabSize; });
        i < features.size())
      return Status::corrupt("instance " + std::to_string(i / width) +
                             " has a feature value past the vocabulary");
    if (const size_t i = firstWhere(
            classes.span(),
            [&](uint32_t c, size_t at) { return c >= vocabSize || sources[at] >= tokens; });
        i < n)
      return Status::corrupt("instance " + std::to_string(i) + " has a class past the " +
                             "vocabulary or a source past the token stream");
    return Status::ok();
  }
};

Result<StoredInstances> loadInstances(ByteReader& in, int width, uint32_t vocabSize,
                                      uint64_t tokens) {
  StoredInstances set;
  set.width = in.get<int32_t>();
  in.getArray(set.features);
  in.getArray(set.classes);
  in.getArray(set.sources);
  set.vocabSize = vocabSize;
  set.tokens = tokens;
  const size_t n = set.classes.size();
  if (in.ok() && (set.width != width || set.features.size() != n * static_cast<size_t>(width) ||
                  set.sources.size() != n))
    in.fail("sizes disagree with " + std::to_string(n) + " instances of width " +
            std::to_string(width));
  if (!in.ok()) return Status::corrupt(in.error());
  return set;
}

// One finite weight per feature.
Result<std::vector<double>> loadWeights(ByteReader& in, size_t width) {
  std::vector<double> weights;
  in.getArray(weights, InstanceSet::kMaxWidth);
  if (in.ok() && weights.size() != width)
    in.fail(std::to_string(weights.size()) + " weights for " + std::to_string(width) + " features");
  for (const double w : weights)
    if (in.ok() && !std::isfinite(w)) in.fail("a weight of " + std::to_string(w));
  if (!in.ok()) return Status::corrupt(in.error());
  return weights;
}

}  // namespace

void ExperimentFile::saveParts(const Experiment& e, MemoryFileWriter& out) {
  const RunRecord& record = e.record();
  const TokenisedCorpus& corpus = e.corpus();
  ByteWriter& r = out.begin(Section::kRecord);
  r.putString(record.toJson());
  // The JSON leaves out the vector memory's T and λ for other memories; they are kept as they
  // were, so the opened record is the saved one.
  r.put(record.memoryTemperature);
  r.put(record.memoryLambda);
  r.put(record.tuningTokens);
  out.end();
  saveOptions(record.options, out.begin(Section::kOptions));
  out.end();
  saveDocuments(*corpus.corpus, out.begin(Section::kDocuments));
  out.end();
  saveVocabulary(corpus.vocab, out.begin(Section::kVocabulary));
  out.end();
  corpus.tokens.save(out.begin(Section::kTokens));
  out.end();
  saveInstances(e.train(), out.begin(Section::kTrain));
  out.end();
  saveInstances(e.validation(), out.begin(Section::kValidation));
  out.end();
  saveInstances(e.test(), out.begin(Section::kTest));
  out.end();
  e.base().save(out.begin(Section::kBaseModel));
  out.end();
  out.begin(Section::kClassCounts).putArray(e.trainClassCounts());
  out.end();
}

void ExperimentFile::saveOptionsSection(const ExperimentOptions& options, MemoryFileWriter& out) {
  saveOptions(options, out.begin(Section::kOptions));
  out.end();
}

Status ExperimentFile::saveMemory(const InstanceBase& base, const std::vector<double>& weights,
                                  const IgTree* tree, const OverlapMemory* overlap,
                                  MemoryFileWriter& out) {
  base.save(out.begin(Section::kInstanceBase));
  out.end();
  out.begin(Section::kWeights).putArray(weights);
  out.end();
  ByteWriter& treeOut = out.begin(Section::kIgTree);
  if (tree) tree->save(treeOut);
  out.end();
  ByteWriter& indexes = out.begin(Section::kSubsetIndexes);
  const auto* patterns = overlap && overlap->trained()
                             ? dynamic_cast<const NeighbourSearch*>(&overlap->search())
                             : nullptr;
  if (patterns) {
    patterns->save(indexes);
  } else {
    NeighbourSearch::saveNone(indexes);
  }
  out.end();
  return out.status();
}

Status ExperimentFile::save(const Experiment& e, MemoryFileWriter& out) {
  saveParts(e, out);
  const OverlapMemory* overlap = overlapMemoryOf(e.classifier());
  // An edited memory searches the trained one's structures: its own are not those.
  if (overlap && &overlap->base() != &e.classifier().memory()) overlap = nullptr;
  return saveMemory(e.classifier().memory(), e.classifier().weights(), igTreeOf(e.classifier()),
                    overlap, out);
}

Result<RunRecord> ExperimentFile::loadRecord(ByteReader& in) {
  std::string json;
  if (!in.getString(json)) return Status::corrupt(in.error());
  auto r = RunRecord::fromJson(json);
  if (!r) return r;
  if (!in.get(r->memoryTemperature) || !in.get(r->memoryLambda) || !in.get(r->tuningTokens))
    return Status::corrupt(in.error());
  return r;
}

Status ExperimentFile::refuseShard(const MemoryFileReader& file) {
  auto bytes = file.section(Section::kShard);
  if (!bytes) return Status::ok();
  ByteReader in(*bytes);
  const auto rank = in.get<uint32_t>();
  const auto ranks = in.get<uint32_t>();
  if (!in.ok()) return file.damaged("section 'shard': " + in.error());
  return Status::invalidArgument(file.path() + " is shard " + std::to_string(rank) +
                                 " of a memory saved by " + std::to_string(ranks) +
                                 " MPI ranks: open it with `mpirun -np " + std::to_string(ranks) +
                                 " memlens-cli-mpi ... --memory` and the path it was saved as");
}

Result<std::unique_ptr<Experiment>> ExperimentFile::loadParts(const MemoryFileReader& file,
                                                              const MemoryOpenOptions& openOptions,
                                                              JobControl* job, bool checkEverything,
                                                              uint64_t* trainInstances) {
  // What opening defers to the first reads, made now when asked, failing as opening would.
  const auto checked = [&](Section id, const auto& check) {
    if (!checkEverything) return Status::ok();
    const Status s = check();
    if (s.isOk() || s.isCancelled()) return s;
    return file.damaged("section '" + std::string(MemoryFileLayout::nameOf(uint32_t(id))) +
                        "': " + s.message());
  };
  auto options = readSection(file, Section::kOptions, loadOptions);
  if (!options) return options.status();
  auto record = readSection(file, Section::kRecord, loadRecord);
  if (!record) return record.status();
  // The JSON summarises the options; the options section has every field.
  record->options = *options;
  auto docs = readSection(file, Section::kDocuments, loadDocuments);
  if (!docs) return docs.status();
  if (docs->size() != record->corpus.size())
    return file.damaged("its run record names " + std::to_string(record->corpus.size()) +
                        " corpus files, its documents section " + std::to_string(docs->size()));
  std::vector<std::string> sha256;
  for (const RunRecord::CorpusFile& f : record->corpus) sha256.push_back(f.sha256);
  reportProgress(job, 0.1, "checking the corpus files");
  auto corpus = Corpus::reattach(std::move(*docs), sha256, openOptions.attachCorpus, job);
  if (!corpus) return corpus.status();
  if (cancelRequested(job)) return Status::cancelled();

  auto tc = std::make_shared<TokenisedCorpus>();
  tc->corpus = std::move(*corpus);
  tc->tokeniserOptions = record->tokeniser;
  tc->tokeniserName = record->tokeniserName;
  reportProgress(job, 0.2, "reading the vocabulary and token stream");
  auto vocab = readSection(file, Section::kVocabulary, loadVocabulary);
  if (!vocab) return vocab.status();
  tc->vocab = std::move(*vocab);
  const uint32_t vocabSize = tc->vocab.size();
  tc->paddingId = tc->vocab.lookup(Vocabulary::kPadding);
  if (tc->paddingId == Vocabulary::kUnknown)
    return file.damaged("its vocabulary has no padding token \"_\"");
  auto tokens = readSection(file, Section::kTokens, [&](ByteReader& in) {
    return TokenStream::load(in, *tc->corpus, vocabSize);
  });
  if (!tokens) return tokens.status();
  if (Status s = checked(Section::kTokens, [&] { return tokens->checkAll(); }); !s) return s;
  tc->tokens = std::move(*tokens);
  const uint64_t tokenCount = tc->tokens.size();

  reportProgress(job, 0.3, "reading the instances");
  std::unique_ptr<Experiment> e(new Experiment());
  auto split = DataSplit::make(options->split);
  if (!split) return file.damaged(split.status().message());
  e->split_ = std::move(*split);
  const int width = options->window.width;
  const auto instances = [&](Section id, LazyInstanceSet& into) {
    auto set = readSection(
        file, id, [&](ByteReader& in) { return loadInstances(in, width, vocabSize, tokenCount); });
    if (!set) return set.status();
    if (Status s = checked(id, [&] { return set->check(); }); !s) return s;
    if (id == Section::kTrain && trainInstances) *trainInstances = set->size();
    auto stored = std::make_shared<const StoredInstances>(std::move(*set));
    into = LazyInstanceSet([stored](size_t begin, size_t end) { return stored->copy(begin, end); },
                           stored->size(), [stored](size_t i) { return stored->source(i); });
    return Status::ok();
  };
  if (Status s = instances(Section::kTrain, e->train_); !s) return s;
  if (Status s = instances(Section::kValidation, e->validation_); !s) return s;
  if (Status s = instances(Section::kTest, e->test_); !s) return s;
  if (cancelRequested(job)) return Status::cancelled();

  reportProgress(job, 0.4, "reading the base model");
  auto base = readSection(file, Section::kBaseModel,
                          [&](ByteReader& in) { return KneserNeyModel::load(in, vocabSize); });
  if (!base) return base.status();
  if (Status s = checked(Section::kBaseModel, [&] { return (*base)->checkAll(); }); !s) return s;
  // Its contexts are the last order - 1 features of a query.
  if ((*base)->order() - 1 > width)
    return file.damaged("its base model's order exceeds the context width");
  e->base_ = std::move(*base);
  auto counts = readSection(file, Section::kClassCounts,
                            [&](ByteReader& in) -> Result<std::vector<uint64_t>> {
                              std::vector<uint64_t> c;
                              if (!in.getArray(c)) return Status::corrupt(in.error());
                              if (c.size() != vocabSize)
                                return Status::corrupt("one count per vocabulary token expected");
                              return c;
                            });
  if (!counts) return counts.status();
  e->trainClassCounts_ = std::move(*counts);
  e->corpus_ = std::move(tc);
  e->record_ = std::move(*record);
  return e;
}

Result<ExperimentOptions> ExperimentFile::loadOptionsSection(const MemoryFileReader& file) {
  return readSection(file, Section::kOptions, loadOptions);
}

Result<ExperimentFile::StoredMemory> ExperimentFile::loadMemory(
    const MemoryFileReader& file, const ClassifierOptions& options, int width, uint32_t vocabSize,
    uint64_t sourceLimit, JobControl* job, bool checkEverything) {
  const auto checked = [&](Section id, const auto& check) {
    if (!checkEverything) return Status::ok();
    const Status s = check();
    if (s.isOk() || s.isCancelled()) return s;
    return file.damaged("section '" + std::string(MemoryFileLayout::nameOf(uint32_t(id))) +
                        "': " + s.message());
  };
  reportProgress(job, 0.5, "reading the instance base");
  auto memory = readSection(file, Section::kInstanceBase, [&](ByteReader& in) {
    return InstanceBase::load(in, vocabSize, sourceLimit);
  });
  if (!memory) return memory.status();
  if (Status s = checked(Section::kInstanceBase, [&] { return memory->checkAll(job); }); !s)
    return s;
  if (memory->width() != width) return file.damaged("its instance base has another width");
  StoredDerivations stored;
  if (options.algorithm != Algorithm::kVectorMemory) {
    auto weights = readSection(file, Section::kWeights, [&](ByteReader& in) {
      return loadWeights(in, static_cast<size_t>(width));
    });
    if (!weights) return weights.status();
    stored.weights = std::move(*weights);
  }
  // A shard without stored vectors (more ranks than first values) has no tree.
  if (options.algorithm == Algorithm::kIgTree && memory->vectorCount() > 0) {
    reportProgress(job, 0.6, "reading the IGTree");
    auto tree = readSection(file, Section::kIgTree, [&](ByteReader& in) {
      return IgTree::load(in, width, memory->classCount(), memory->vectorCount());
    });
    if (!tree) return tree.status();
    if (Status s = checked(Section::kIgTree, [&] { return tree->checkAll(); }); !s) return s;
    stored.igTree = std::move(*tree);
  }
  if (options.algorithm == Algorithm::kIb1 || options.algorithm == Algorithm::kTribl2) {
    const uint32_t vectors = memory->vectorCount(), classes = memory->classCount();
    auto indexes =
        readSection(file, Section::kSubsetIndexes,
                    [&](ByteReader& in) -> Result<std::vector<SubsetIndex::Stored>> {
                      std::vector<SubsetIndex::Stored> out;
                      if (!NeighbourSearch::loadIndexes(in, width, vectors, classes, out))
                        return Status::corrupt(in.error());
                      return out;
                    });
    if (!indexes) return indexes.status();
    if (Status s = checked(Section::kSubsetIndexes,
                           [&] {
                             for (const SubsetIndex::Stored& index : *indexes)
                               if (Status c = index.checkAll(vectors); !c) return c;
                             return Status::ok();
                           });
        !s)
      return s;
    // A full check answers no query: it takes none.
    if (!checkEverything) stored.subsetIndexes = std::move(*indexes);
  }
  return StoredMemory{std::move(*memory), std::move(stored)};
}

void ExperimentFile::setClassifier(Experiment& e, std::shared_ptr<const Classifier> classifier) {
  e.classifier_ = std::move(classifier);
}

Result<std::unique_ptr<Experiment>> ExperimentFile::load(const MemoryFileReader& file,
                                                         const MemoryOpenOptions& openOptions,
                                                         JobControl* job, bool checkEverything) {
  if (Status s = refuseShard(file); !s) return s;
  uint64_t trainInstances = 0;
  auto e = loadParts(file, openOptions, job, checkEverything, &trainInstances);
  if (!e) return e.status();
  const ExperimentOptions& options = (*e)->record_.options;
  auto memory =
      loadMemory(file, options.classifier, options.window.width, (*e)->corpus_->vocab.size(),
                 (*e)->corpus_->tokens.size(), job, checkEverything);
  if (!memory) return memory.status();
  if (memory->base.instanceCount() != trainInstances)
    return file.damaged("its instance base does not hold the train part");
  reportProgress(job, 0.7, "rebuilding the search structures");
  // IB1 and TRIBL2 take their subset indexes from the file (a memory saved by a classifier that
  // kept none builds them up front, in parallel: built on first use, one at a time, they
  // delayed the first answer more than they saved on opening). A full check builds none.
  auto classifier =
      restoreClassifier(options.classifier, std::move(memory->base), job, std::move(memory->stored),
                        checkEverything ? SubsetIndexing::kNone : SubsetIndexing::kUpFront);
  if (!classifier) {
    if (classifier.status().isCancelled()) return classifier.status();
    return file.damaged(classifier.status().message());
  }
  if (auto* vector = dynamic_cast<VectorMemoryClassifier*>(classifier->get()))
    vector->setTemperature((*e)->record_.memoryTemperature);
  (*e)->classifier_ = std::move(*classifier);
  return e;
}

}  // namespace memlens
