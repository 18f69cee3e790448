#pragma once

#include <pybind11/pybind11.h>

#include <memory>
#include <string>
#include <vector>

#include "memlens/instance_builder.h"
#include "memlens/tokenised_corpus.h"

namespace memlens::python {

// memlens.Corpus: text files read and tokenised once, shared (never copied) by every memory
// trained on it, which keep it alive. Immutable.
class PyCorpus {
 public:
  PyCorpus(std::shared_ptr<const TokenisedCorpus> corpus, BlockMode blocks)
      : corpus_(std::move(corpus)), blocks_(blocks) {}

  // Corpus(paths, tokeniser, vocab, merges, lowercase, blocks, progress) as Python calls it.
  static PyCorpus load(const pybind11::object& paths, const std::string& tokeniser,
                       const pybind11::object& vocab, const pybind11::object& merges,
                       bool lowercase, const std::string& blocks, const pybind11::object& progress);

  const std::shared_ptr<const TokenisedCorpus>& tokenised() const { return corpus_; }
  BlockMode blocks() const { return blocks_; }

  // The statistics `memlens-cli corpus stats --json` prints, as a dict.
  pybind11::object stats() const;
  std::string repr() const;

  static void bind(pybind11::module_& module);

 private:
  std::shared_ptr<const TokenisedCorpus> corpus_;
  BlockMode blocks_;
};

}  // namespace memlens::python
