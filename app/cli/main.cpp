// memlens-cli: MemLens without a window. Exit codes: 0 success, 1 the job failed (bad input
// file, I/O error, cancelled), 2 bad command line.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "commands.h"

namespace {

constexpr const char* kUsage =
    "usage: memlens-cli COMMAND [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  corpus stats [--tokeniser word|gpt2] [--lowercase] [--json] PATH...\n"
    "      Check and tokenise text files or folders; print documents, lines, tokens, types.\n"
    "  instances --width N [--blocks line|olifant] [--tokeniser word|gpt2]\n"
    "            [--vocab encoder.json --merges vocab.bpe] [--lowercase] PATH... -o FILE\n"
    "      Write TiMBL Columns instances: N left-context tokens (padded with _) and the target.\n"
    "  eval [--model ib1|igtree|tribl2|vector] [-k N] [--weighting none|gr|ig|x2|sv]\n"
    "       [--distance-weighting Z|IL|ID|ED] [--width N] [--blocks line|olifant] [--order N]\n"
    "       [--train 0.8 --validation 0.1 --seed 1] [--max-test N] [--curve] [--json]\n"
    "       [--dims 64 --top-k-slots 128 --temperature T --lambda L] PATH...\n"
    "      Split the corpus by lines, train on train, tune smoothing on validation, report\n"
    "      accuracy, top-5, MRR, cross-entropy and perplexity on test (and a learning curve),\n"
    "      next to the Kneser-Ney base alone. vector: attention read with word vectors of D\n"
    "      dimensions (0: one-hot), T and the fixed lambda tuned on validation unless given.\n"
    "  explain [eval options] [--json] [--sequence] PATH... --context \"text\"\n"
    "      Train as eval does and show why the memory predicts the next token after the\n"
    "      context: votes, probabilities, neighbour buckets with match masks and provenance;\n"
    "      for vector: the slots read, p_mem vs p_base, and the attention map; with\n"
    "      --sequence (vector only), the tokens x slots map over every token of the text.\n"
    "  generate [eval options] [--tokens N] [--top-k K --sample-seed S] [--json] PATH...\n"
    "           --prompt \"text\"\n"
    "      Train as eval does and continue the prompt, greedily or sampling among the K most\n"
    "      probable tokens; one line per token: probability, match depth, distance, neighbours.\n"
    "  train [eval options] [--json] PATH...\n"
    "      Train on all of the text (no split); print the memory's size and feature weights.\n"
    "  predict [eval options] PATH... (--context \"text\" | --stdin) [--top N]\n"
    "      Train on all of the text; for each context print it, the predicted next token and\n"
    "      the N strongest votes, tab-separated.\n"
    "  project create FILE [eval options] PATH... | info|runs|undo|redo FILE |\n"
    "          edit FILE [--preview] EDIT | prune FILE --strategy S [strategy options]\n"
    "      A .memlens project: the memory rebuilt from corpus, options and an edit journal.\n"
    "      Edits (delete/restore/relabel an instance by source or a vector by context, insert,\n"
    "      remove a document) show the probe tokens whose prediction changes; prune strategies\n"
    "      count, never-neighbour, negative-credit, random, document, wilson report slots,\n"
    "      accuracy and perplexity before and after. Run 'memlens-cli project' for details.\n"
    "  timbl -f TRAIN -t TEST [-a0|1|4] [-kN] [-w0..4] [-dZ|IL|ID|ED[:a:b]] [-mO|M] [+vdb+di]\n"
    "        [-o OUT]\n"
    "      TiMBL-compatible mode: same flags, same output lines, accuracy on stderr.\n"
    "\n"
    "Options for every command: --help, --version.\n"
    "Exit codes: 0 success, 1 the job failed, 2 bad command line.\n";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::fputs(kUsage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    std::printf("memlens-cli %s\n", MEMLENS_VERSION);
    return 0;
  }
  const std::string command = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  for (const std::string& a : rest) {
    if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
  }
  if (command == "corpus") return memlens::cli::runCorpus(rest);
  if (command == "instances") return memlens::cli::runInstances(rest);
  if (command == "timbl") return memlens::cli::runTimbl(rest);
  if (command == "eval") return memlens::cli::runEval(rest);
  if (command == "explain") return memlens::cli::runExplain(rest);
  if (command == "generate") return memlens::cli::runGenerate(rest);
  if (command == "train") return memlens::cli::runTrain(rest);
  if (command == "predict") return memlens::cli::runPredict(rest);
  if (command == "project") return memlens::cli::runProject(rest);
  std::fprintf(stderr, "memlens-cli: unknown command '%s'\n\n%s", command.c_str(), kUsage);
  return 2;
}
