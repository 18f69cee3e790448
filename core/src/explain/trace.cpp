#include "memlens/trace.h"

#include <algorithm>
#include <optional>
#include <span>

#include "classify/classifier_factories.h"

namespace memlens {

namespace {

NeighbourTrace neighbourOf(const Experiment& experiment, uint32_t v,
                           std::span<const uint32_t> context, const std::vector<double>& weights,
                           const TraceOptions& options) {
  NeighbourTrace n = storedVectorTrace(experiment.classifier().memory(), v, context, weights);
  n.provenance = provenanceOf(experiment, v, options);
  return n;
}

TreeEvidence evidenceOf(const Experiment& experiment, const Trace& t, const TraceOptions& options) {
  TreeEvidence evidence = treeEvidence(experiment.classifier(), t, options);
  for (NeighbourTrace& n : evidence.shown)
    n.provenance = provenanceOf(experiment, n.storedVector, options);
  return evidence;
}

}  // namespace

// The stored vectors under the answering node: IGTree's compression drops nodes, but never the
// counts of what lies below them. An IGTree finds them by binary search in its stored vectors'
// trie order (a memory file's pages stay on disk but for those); other memories (TRIBL2's path,
// an edited memory) by a scan of the memory (on the KJV, 482,019 vectors, p50 2.6 ms).
TreeEvidence treeEvidence(const Classifier& classifier, const Trace& t,
                          const TraceOptions& options) {
  const InstanceBase& memory = classifier.memory();
  std::vector<int> matched;
  for (int d = 0; d < t.path.depth; ++d)
    matched.push_back(t.path.steps[static_cast<size_t>(d)].feature);
  // Keeps the maxTreeEvidence with most instances in a heap whose top is the weakest kept.
  using Entry = std::pair<uint64_t, uint32_t>;  // instances, stored vector
  const auto stronger = [](const Entry& a, const Entry& b) {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
  };
  std::vector<Entry> kept;
  TreeEvidence evidence;
  const auto consider = [&](uint32_t v) {
    const auto values = memory.vector(v);
    if (!std::all_of(matched.begin(), matched.end(),
                     [&](int f) { return values[f] == t.context[static_cast<size_t>(f)]; }))
      return;
    uint64_t instances = 0;
    for (const ClassCount& c : memory.distribution(v)) instances += c.count;
    ++evidence.storedVectors;
    evidence.instances += instances;
    const Entry entry{instances, v};
    if (kept.size() < options.maxTreeEvidence) {
      kept.push_back(entry);
      std::push_heap(kept.begin(), kept.end(), stronger);
    } else if (!kept.empty() && stronger(entry, kept.front())) {
      std::pop_heap(kept.begin(), kept.end(), stronger);
      kept.back() = entry;
      std::push_heap(kept.begin(), kept.end(), stronger);
    }
  };
  const IgTree* tree = igTreeOf(classifier);
  const auto agreeing = tree ? tree->vectorsAgreeing(memory, t.context, t.path.depth)
                             : std::optional<std::span<const uint32_t>>();
  if (agreeing) {
    for (const uint32_t v : *agreeing) consider(v);
  } else {
    for (uint32_t v = 0; v < memory.vectorCount(); ++v) consider(v);
  }
  std::sort(kept.begin(), kept.end(), stronger);
  for (const Entry& e : kept)
    evidence.shown.push_back(storedVectorTrace(memory, e.second, t.context, t.featureWeights));
  return evidence;
}

ProvenanceRef positionOf(const Corpus& corpus, const TokenStream& tokens, uint64_t token,
                         size_t snippetBytes) {
  const TokenPosition p = tokens.position(token);
  const Document& doc = corpus.document(p.document);
  const TokenStream::Line& line = tokens.line(tokens.lineOf(token));
  // A memory opened without its corpus text still knows where the token came from.
  if (!doc.textAvailable) return {token, doc.path, p.line, p.byteOffset, std::string()};
  const size_t lineStart = line.byteOffset - doc.bomBytes;
  size_t lineEnd = doc.text.find('\n', lineStart);
  if (lineEnd == std::string_view::npos) lineEnd = doc.text.size();
  std::string_view text = doc.text.substr(lineStart, lineEnd - lineStart);
  if (text.ends_with('\r')) text.remove_suffix(1);
  if (text.size() > snippetBytes) {
    // Centre the cut on the target, on UTF-8 character boundaries.
    const size_t target = p.byteOffset - line.byteOffset;
    size_t from = target > snippetBytes / 2 ? target - snippetBytes / 2 : 0;
    from = std::min(from, text.size() - snippetBytes);
    size_t to = from + snippetBytes;
    while (from > 0 && (static_cast<unsigned char>(text[from]) & 0xC0) == 0x80) --from;
    while (to < text.size() && (static_cast<unsigned char>(text[to]) & 0xC0) == 0x80) ++to;
    text = text.substr(from, to - from);
  }
  return {token, doc.path, p.line, p.byteOffset, std::string(text)};
}

NeighbourTrace storedVectorTrace(const InstanceBase& memory, uint32_t v,
                                 std::span<const uint32_t> context,
                                 const std::vector<double>& weights) {
  NeighbourTrace n;
  n.storedVector = v;
  const auto values = memory.vector(v);
  n.values.assign(values.begin(), values.end());
  for (size_t j = 0; j < values.size(); ++j) {
    const bool match = values[j] == context[j];
    n.matches.push_back(match);
    n.contributions.push_back(match ? 0.0 : weights[j]);
    n.distance += n.contributions.back();
  }
  // Every instance merged into a stored vector counts once in its distribution: summed there,
  // not by walking its sources (millions for some vectors, each on its own page of a file).
  for (const ClassCount& c : memory.distribution(v)) {
    n.counts.push_back({memory.classId(c.classIndex), static_cast<double>(c.count)});
    n.instanceCount += c.count;
  }
  return n;
}

std::vector<ProvenanceRef> provenanceOf(const Experiment& experiment, uint32_t v,
                                        const TraceOptions& options) {
  // A memory without its training text (a TiMBL base) has sources that name no token.
  if (!experiment.hasProvenance()) return {};
  const std::vector<uint64_t> sources =
      experiment.classifier().memory().sources(v, options.maxProvenance);
  std::vector<ProvenanceRef> out;
  for (size_t i = 0; i < sources.size(); ++i)
    out.push_back(positionOf(*experiment.corpus().corpus, experiment.corpus().tokens, sources[i],
                             options.snippetBytes));
  return out;
}

std::vector<uint32_t> contextWindow(std::span<const uint32_t> tokens, int width, uint32_t padding) {
  std::vector<uint32_t> context(static_cast<size_t>(width), padding);
  const size_t have = std::min(context.size(), tokens.size());
  std::copy(tokens.end() - static_cast<std::ptrdiff_t>(have), tokens.end(),
            context.end() - static_cast<std::ptrdiff_t>(have));
  return context;
}

void smoothTrace(const MemorySmoother& smoother, Trace& t, const TraceOptions& options) {
  SmoothedDistribution smoothed;
  smoother.smoothed(t.prediction, t.context, smoothed);
  t.memoryWeight = smoother.memoryWeight(t.prediction);
  t.entropyBits = smoothed.entropyBits();
  std::vector<double> dense;
  smoothed.toDense(dense);
  dense.pop_back();  // the unknown outcome is no token to show
  std::vector<uint32_t> order(dense.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  const size_t top = std::min(options.topOutcomes, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(top), order.end(),
                    [&](uint32_t a, uint32_t b) { return dense[a] > dense[b]; });
  for (size_t i = 0; i < top; ++i) t.top.emplace_back(order[i], dense[order[i]]);
}

Trace traceContext(const Experiment& experiment, std::span<const uint32_t> context,
                   const TraceOptions& options) {
  const Classifier& classifier = experiment.classifier();
  Trace t;
  t.context.assign(context.begin(), context.end());
  t.featureWeights = classifier.weights();
  PredictOptions predictOptions;
  predictOptions.neighbours = true;
  predictOptions.maxNeighbours = options.maxBucketNeighbours;
  t.prediction = classifier.predictOne(context, predictOptions);
  t.path = classifier.treePath(context);

  smoothTrace(experiment.smoother(), t, options);

  for (const NeighbourBucket& bucket : t.prediction.neighbours) {
    BucketTrace& b = t.buckets.emplace_back();
    b.distance = bucket.distance;
    b.weight = bucket.weight;
    b.unlistedVectors = bucket.unlistedVectors;
    b.unlistedCounts = bucket.unlistedCounts;
    for (uint32_t v : bucket.storedVectors)
      b.neighbours.push_back(neighbourOf(experiment, v, t.context, t.featureWeights, options));
  }
  const TreePath::Answer answer = t.path.answer;
  if (answer == TreePath::Answer::kRootMajority || answer == TreePath::Answer::kDeepestDefault ||
      answer == TreePath::Answer::kExactMatch) {
    t.evidence = evidenceOf(experiment, t, options);
  }
  return t;
}

}  // namespace memlens
