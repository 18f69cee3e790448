#pragma once

#include <QString>
#include <cstddef>
#include <cstdint>

#include "memlens/evaluation.h"
#include "memlens/tokenised_corpus.h"

namespace memlens::views {

// How the text view tints the test tokens of a run.
enum class TextTint {
  kNone,
  kCorrectness,  // right or wrong prediction
  kSurprisal,    // −log2 p(true token), light to dark
};

// One page of corpus text as rich text for a QTextBrowser: lines [firstLine, firstLine + count)
// of the corpus's token stream (clamped), each with its file:line, every token a link
// "token:<index>" so a click names the corpus token. With `outcomes` (a run's per-token records
// over this corpus, in ascending source order, as an Experiment's test set is) the test tokens are
// tinted by `tint`. Token `marked` (the one the user went to) is bold and underlined.
QString renderTextPage(const TokenisedCorpus& corpus, const EvaluationReport* outcomes,
                       size_t firstLine, size_t count, TextTint tint, uint64_t marked = UINT64_MAX);

// The record of corpus token `token` in `outcomes` (ascending sources), or null.
const TokenRecord* findOutcome(const EvaluationReport& outcomes, uint64_t token);

// The background of a tinted token: green for right, red for wrong; for surprisal, white at
// 0 bits to dark orange at 16 bits and more. Shared by the page and its legend.
QString tintColour(const TokenRecord& record, TextTint tint);

}  // namespace memlens::views
