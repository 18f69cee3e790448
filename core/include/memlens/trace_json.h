#pragma once

#include <string>

#include "memlens/experiment.h"
#include "memlens/trace.h"
#include "memlens/vector_trace.h"

namespace memlens {

// A trace as one JSON object, the format `memlens-cli explain --json` prints: tokens by their
// text ("<unknown>" for ids outside the vocabulary), every bucket, neighbour, tree step or slot
// the trace holds. `experiment` is the memory that was traced (its vocabulary and algorithm).
std::string traceToJson(const Trace& trace, const Experiment& experiment);
std::string traceToJson(const VectorTrace& trace, const Experiment& experiment);

}  // namespace memlens
