#include "corpus_args.h"

#include <CLI/CLI.hpp>

#include "enum_option.h"

namespace memlens::cli {

void CorpusArgs::addTo(CLI::App& command, bool pathsRequired) {
  addEnumOption(command, "--tokeniser", tokeniser.kind,
                "word: words and punctuation; gpt2: GPT-2 byte-level BPE; spaces: text already "
                "tokenised (OLIFANT's olifant-tok output), split on white space only")
      ->group(kCorpusOptions);
  command.add_option("--vocab", tokeniser.vocabPath, "GPT-2 encoder.json (or vocab.json)")
      ->group(kCorpusOptions);
  command.add_option("--merges", tokeniser.mergesPath, "GPT-2 vocab.bpe (or merges.txt)")
      ->group(kCorpusOptions);
  command.add_flag("--lowercase", tokeniser.lowercase, "lowercase words (word tokeniser)")
      ->group(kCorpusOptions);
  command.add_option("PATH", paths, "UTF-8 text files or folders of them")
      ->required(pathsRequired)
      ->type_name("")
      ->default_str("");
}

Status CorpusArgs::check() const {
  if (tokeniser.kind == TokeniserKind::kGpt2 &&
      (tokeniser.vocabPath.empty() || tokeniser.mergesPath.empty())) {
    return Status::invalidArgument(
        "--tokeniser gpt2 needs --vocab encoder.json|vocab.json and --merges vocab.bpe|merges.txt");
  }
  return Status::ok();
}

Result<std::shared_ptr<TokenisedCorpus>> CorpusArgs::load(JobControl* job) const {
  if (Status s = check(); !s) return s;
  return TokenisedCorpus::load(paths, tokeniser, {}, job);
}

}  // namespace memlens::cli
