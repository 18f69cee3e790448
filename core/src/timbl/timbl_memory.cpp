#include "memlens/timbl_memory.h"

#include <fstream>

#include "classify/classifier_factories.h"
#include "memlens/columns_file.h"

#include "timbl/timbl_base_contents.h"
#include "timbl/timbl_provenance.h"

namespace memlens {

namespace {

// A corpus with no documents: the memory's only text is its vocabulary.
Result<std::shared_ptr<TokenisedCorpus>> noText(const TokeniserOptions& tokeniserOptions) {
  auto tokeniser = createTokeniser(tokeniserOptions);
  if (!tokeniser) return tokeniser.status();
  auto corpus = Corpus::reattach({}, {}, false);
  if (!corpus) return corpus.status();
  auto tc = std::make_shared<TokenisedCorpus>();
  tc->corpus = std::move(*corpus);
  tc->tokeniserOptions = tokeniserOptions;
  tc->tokeniserName = (*tokeniser)->name();
  tc->vocab = (*tokeniser)->makeVocabulary();
  tc->paddingId = tc->vocab.paddingId();
  return tc;
}

// The instances of the memory's text that lie in its first `documents` documents (the rest is
// test text) and, when `columns`, one per line of a windowed instance file: its first values the
// features, its last the class (the source, so provenance names the line).
Result<InstanceSet> instancesOfText(const TokenisedCorpus& text, uint32_t documents, bool columns,
                                    const WindowOptions& window, bool wantTest, JobControl* job) {
  const TokenStream& tokens = text.tokens;
  auto inPart = [&](uint64_t token) {
    return (tokens.position(token).document < documents) != wantTest;
  };
  if (!columns || wantTest) {
    auto all = buildInstances(tokens, text.paddingId, window, job);
    if (!all) return all.status();
    InstanceSet out;
    out.width = all->width;
    for (size_t i = 0; i < all->size(); ++i) {
      if (!inPart(all->sources[i])) continue;
      const auto f = all->instance(i);
      out.features.insert(out.features.end(), f.begin(), f.end());
      out.classes.push_back(all->classes[i]);
      out.sources.push_back(all->sources[i]);
    }
    return out;
  }
  InstanceSet out;
  out.width = window.width;
  for (size_t line = 0; line < tokens.lineCount(); ++line) {
    const uint64_t begin = tokens.line(line).firstToken, end = tokens.lineEnd(line);
    if (begin == end || !inPart(begin)) continue;
    if (end - begin != static_cast<uint64_t>(window.width) + 1) {
      const TokenPosition at = tokens.position(begin);
      return Status::invalidArgument(
          text.corpus->document(at.document).path + " line " + std::to_string(at.line) + ": " +
          std::to_string(end - begin) + " values, expected " + std::to_string(window.width + 1) +
          " (the base's " + std::to_string(window.width) + " features, then the class)");
    }
    for (uint64_t t = begin; t + 1 < end; ++t) out.features.push_back(tokens.id(t));
    out.classes.push_back(tokens.id(end - 1));
    out.sources.push_back(end - 1);
  }
  return out;
}

// The training instances of the attached text, checked against the base, in an order that keeps
// the base's class indices.
Result<InstanceSet> textInstances(const TokenisedCorpus& text, const Classifier& read,
                                  const TimblMemoryOptions& options, const WindowOptions& window,
                                  JobControl* job) {
  const InstanceBase& base = read.memory();
  if (read.options().algorithm == Algorithm::kIgTree)
    return Status::invalidArgument(
        "an IGTree base holds a pruned tree, not the instances it was trained on, so its "
        "training text cannot be matched to it: attach text to IB1 or TRIBL2 bases (timbl -a0, "
        "-a4)");
  const bool columns = !options.trainingInstances.empty();
  const auto documents = static_cast<uint32_t>(columns ? 1 : options.trainingText.size());
  auto instances = instancesOfText(text, documents, columns, window, false, job);
  if (!instances) return instances.status();
  if (Status s = checkSameInstances(base, *instances, text.vocab, job); !s) return s;
  return inClassOrderOf(base, std::move(*instances));
}

// The test set `options` give, for a memory whose text is `corpus` (its ids extended with the
// test's tokens; the memory's strings are already in it).
Result<InstanceSet> testInstances(TokenisedCorpus& corpus, const TimblMemoryOptions& options,
                                  const WindowOptions& window, JobControl* job) {
  if (!options.testInstances.empty()) {
    auto test = readColumnsFile(options.testInstances, corpus.vocab, job);
    if (!test) return test.status();
    if (test->width != window.width)
      return Status::invalidArgument(options.testInstances + " has " + std::to_string(test->width) +
                                     " features, the base " + std::to_string(window.width));
    return test;
  }
  if (corpus.tokens.size() > 0) {
    const bool columns = !options.trainingInstances.empty();
    const auto documents = static_cast<uint32_t>(columns ? 1 : options.trainingText.size());
    return instancesOfText(corpus, documents, columns, window, true, job);
  }
  // No text of the memory's own to join: the test text is tokenised alone, its ids mapped.
  auto text = TokenisedCorpus::load(options.testText, options.tokeniser, {}, job);
  if (!text) return text.status();
  auto test = buildInstances((*text)->tokens, (*text)->paddingId, window, job);
  if (!test) return test.status();
  std::vector<uint32_t> idOf((*text)->vocab.size());
  for (uint32_t id = 0; id < idOf.size(); ++id)
    idOf[id] =
        id == (*text)->paddingId ? corpus.paddingId : corpus.vocab.intern((*text)->vocab.text(id));
  for (uint32_t& v : test->features) v = idOf[v];
  for (uint32_t& c : test->classes) c = idOf[c];
  return test;
}

// An IGTree base holds no instances to fit a base model on, only its class totals: a unigram
// model on those (one class-only instance per training instance it counts).
Result<std::unique_ptr<KneserNeyModel>> classModel(const Classifier& read,
                                                   const std::vector<uint64_t>& totals,
                                                   const TokenisedCorpus& corpus, JobControl* job) {
  InstanceSet classes;
  classes.width = 1;
  for (uint32_t c = 0; c < totals.size(); ++c) {
    classes.features.insert(classes.features.end(), totals[c], corpus.paddingId);
    classes.classes.insert(classes.classes.end(), totals[c], read.memory().classId(c));
  }
  classes.sources.assign(classes.classes.size(), 0);
  return KneserNeyModel::train(classes, corpus.vocab.size(), KneserNeyOptions{1}, job);
}

}  // namespace

bool isTimblInstanceBase(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string start(10, '\0');
  in.read(start.data(), static_cast<std::streamsize>(start.size()));
  return in && start == "# Status: ";
}

Result<std::shared_ptr<const Experiment>> openTimblBase(const std::string& path,
                                                        const TimblMemoryOptions& options,
                                                        JobControl* job) {
  if (!options.trainingText.empty() && !options.trainingInstances.empty())
    return Status::invalidArgument("attach the training text or its instance file, not both");
  if (!options.testText.empty() && !options.testInstances.empty())
    return Status::invalidArgument("give test text or a test instance file, not both");
  const bool columns = !options.trainingInstances.empty();
  if (!options.testInstances.empty() && (columns || !options.trainingText.empty()))
    return Status::invalidArgument(
        "a test instance file cannot go with attached training text or instances (its lines "
        "are not in the memory's text): give the test as text");
  std::vector<std::string> text = options.trainingText;
  if (columns) text = {options.trainingInstances};
  std::shared_ptr<TokenisedCorpus> corpus;
  if (text.empty()) {
    auto empty = noText(options.tokeniser);
    if (!empty) return empty.status();
    corpus = std::move(*empty);
  } else {
    text.insert(text.end(), options.testText.begin(), options.testText.end());
    const TokeniserOptions spaces{TokeniserKind::kSpaces, false, {}, {}};
    auto loaded = TokenisedCorpus::load(text, columns ? spaces : options.tokeniser, {}, job);
    if (!loaded) return loaded.status();
    corpus = std::move(*loaded);
  }
  TimblBaseOptions read;
  read.classifier = options.classifier;
  read.weightsPath = options.weightsPath;
  read.weightsSection = options.weightsSection;
  // A pruned base can only be IGTree: asked for as IB1 (the default), it is read as one.
  std::ifstream header(path);
  std::string status;
  std::getline(header, status);
  if (status == "# Status: pruned") read.classifier.algorithm = Algorithm::kIgTree;
  // Its strings join the text's vocabulary, so the ids of both agree.
  auto contents = readTimblBaseContents(path, read, corpus->vocab, job);
  if (!contents) return contents.status();

  ExperimentOptions experimentOptions;
  experimentOptions.window.width = contents->classifier->memory().width();
  experimentOptions.window.blocks = options.blocks;
  experimentOptions.classifier = contents->classifier->options();
  std::shared_ptr<const Classifier> classifier = std::move(contents->classifier);
  InstanceSet train = std::move(contents->instances);
  if (corpus->tokens.size() > 0) {
    auto instances = textInstances(*corpus, *classifier, options, experimentOptions.window, job);
    if (!instances) {
      if (instances.status().isCancelled()) return instances.status();
      return Status::invalidArgument(std::string("attaching the training ") +
                                     (columns ? "instances" : "text") + " to " + path + ": " +
                                     instances.status().message());
    }
    // The same memory trained on them (same counts, order and weights) keeps where each came from.
    // It is searched, as the read one is, without subset indexes.
    InstanceBase memory(instances->width);
    if (Status s = memory.add(*instances, job); !s) return s;
    auto retrained =
        restoreClassifier(classifier->options(), std::move(memory), job, {}, SubsetIndexing::kNone);
    if (!retrained) return retrained.status();
    classifier = std::move(*retrained);
    train = std::move(*instances);
  }
  std::shared_ptr<const KneserNeyModel> base;
  if (train.size() == 0) {
    auto unigram = classModel(*classifier, contents->classTotals, *corpus, job);
    if (!unigram) return unigram.status();
    base = std::move(*unigram);
  }
  InstanceSet test;
  test.width = train.width;
  if (!options.testText.empty() || !options.testInstances.empty()) {
    auto made = testInstances(*corpus, options, experimentOptions.window, job);
    if (!made) return made.status();
    test = std::move(*made);
  }
  auto e = Experiment::fromMemory(std::move(corpus), std::move(train), std::move(test),
                                  std::move(classifier), std::move(base), experimentOptions, job);
  if (!e) return e.status();
  return std::shared_ptr<const Experiment>(std::move(*e));
}

}  // namespace memlens
