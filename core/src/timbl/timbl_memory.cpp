#include "memlens/timbl_memory.h"

#include <fstream>

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

// The instances of the training text, checked against the base, in an order that keeps the
// base's class indices.
Result<InstanceSet> textInstances(const TokenisedCorpus& text, const Classifier& read,
                                  const WindowOptions& window, JobControl* job) {
  const InstanceBase& base = read.memory();
  if (read.options().algorithm == Algorithm::kIgTree)
    return Status::invalidArgument(
        "an IGTree base holds a pruned tree, not the instances it was trained on, so its "
        "training text cannot be matched to it: attach text to IB1 or TRIBL2 bases (timbl -a0, "
        "-a4)");
  auto instances = buildInstances(text.tokens, text.paddingId, window, job);
  if (!instances) return instances.status();
  if (Status s = checkSameInstances(base, *instances, text.vocab, job); !s) return s;
  return inClassOrderOf(base, std::move(*instances));
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
  std::shared_ptr<TokenisedCorpus> corpus;
  if (options.trainingText.empty()) {
    auto empty = noText(options.tokeniser);
    if (!empty) return empty.status();
    corpus = std::move(*empty);
  } else {
    auto loaded = TokenisedCorpus::load(options.trainingText, options.tokeniser, {}, job);
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
  if (!options.trainingText.empty()) {
    auto instances = textInstances(*corpus, *classifier, experimentOptions.window, job);
    if (!instances) {
      if (instances.status().isCancelled()) return instances.status();
      return Status::invalidArgument("attaching the training text to " + path + ": " +
                                     instances.status().message());
    }
    // The same memory trained on them (same counts, order and weights) keeps where each came from.
    auto retrained = createClassifier(classifier->options());
    if (!retrained) return retrained.status();
    if (Status s = (*retrained)->train(*instances, job); !s) return s;
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
  auto e = Experiment::fromMemory(std::move(corpus), std::move(train), std::move(test),
                                  std::move(classifier), std::move(base), experimentOptions, job);
  if (!e) return e.status();
  return std::shared_ptr<const Experiment>(std::move(*e));
}

}  // namespace memlens
