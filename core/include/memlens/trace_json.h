#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "memlens/experiment.h"
#include "memlens/trace.h"
#include "memlens/vector_trace.h"

namespace memlens {

// A trace as one JSON object, the format `memlens-cli explain --json` prints: tokens by their
// text ("<unknown>" for ids outside the vocabulary), every bucket, neighbour, tree step or slot
// the trace holds. `experiment` is the memory that was traced (its vocabulary and algorithm).
std::string traceToJson(const Trace& trace, const Experiment& experiment);
std::string traceToJson(const VectorTrace& trace, const Experiment& experiment);
// The same, with the ids in `vocabulary`; `algorithm` is the traced memory's.
std::string traceToJson(const Trace& trace, const Vocabulary& vocabulary, Algorithm algorithm);
std::string traceToJson(const VectorTrace& trace, const Vocabulary& vocabulary);

// A trace read back from its JSON, e.g. one `memlens-cli-mpi explain --json` wrote for a memory
// too big to open on the desktop. Its tokens are interned into `vocabulary` in order of first
// appearance ("<unknown>" is Vocabulary::kUnknown), so writing it again with traceToJson gives
// the same text. Exactly one of `trace` and `vectorTrace` is set. The file does not name its
// algorithm: a vector trace has slots, TRIBL2's tree steps count stored vectors, IGTree's do not,
// and IB1 has no tree steps. Provenance refs carry no token index (the JSON has none).
struct TraceDocument {
  std::shared_ptr<const Vocabulary> vocabulary;
  Algorithm algorithm = Algorithm::kIb1;
  std::optional<Trace> trace;
  std::optional<VectorTrace> vectorTrace;
};

// Malformed JSON, a missing or mistyped field, or lists that disagree with the context's width
// are errors naming the field ("trace JSON: trace.buckets[0].neighbours[2] has no
// \"values\"").
Result<TraceDocument> traceFromJson(std::string_view json);
// traceFromJson() of a file's contents; I/O errors and the error name the file.
Result<TraceDocument> readTraceFile(const std::string& path);

}  // namespace memlens
