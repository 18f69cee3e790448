#pragma once

#include <memory>
#include <string>
#include <vector>

#include "memlens/job_control.h"
#include "memlens/result.h"
#include "memlens/tokenised_corpus.h"
#include "memlens/tokeniser.h"

namespace CLI {
class App;
}

namespace memlens::cli {

// The corpus a command reads: its files or folders and how they are tokenised. Every command
// that reads text adds these same options (and the PATH... argument) with addTo().
struct CorpusArgs {
  std::vector<std::string> paths;
  TokeniserOptions tokeniser;

  // --tokeniser, --vocab, --merges, --lowercase and the PATH... argument (required unless the
  // command can work without a corpus, e.g. on a memory file).
  void addTo(CLI::App& command, bool pathsRequired = true);
  // What the options say together (GPT-2 needs both of its files); an invalid argument if not.
  Status check() const;
  // check(), then the corpus read and tokenised.
  Result<std::shared_ptr<TokenisedCorpus>> load(JobControl* job) const;
};

// The heading the corpus options are listed under in every command's help.
inline constexpr const char* kCorpusOptions = "Corpus options";

}  // namespace memlens::cli
