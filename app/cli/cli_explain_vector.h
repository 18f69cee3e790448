#pragma once

#include <cstdint>
#include <span>

#include "memlens/experiment.h"
#include "memlens/vector_trace.h"

namespace memlens::cli {

// `explain --model vector`: prints the slots the attention read used, p_mem against p_base and
// their interpolation for the top outcomes, and the slots × positions attention map (as text or
// --json). Returns the exit code.
int explainVectorMemory(const Experiment& experiment, std::span<const uint32_t> context, bool json);
// Print `trace` and `attention` of `experiment`'s vector memory as explainVectorMemory and
// explainVectorSequence do, from them alone (a sharded run's rank 0 holds none of the slots).
int printVectorTrace(const VectorTrace& trace, const Experiment& experiment, bool json);
int printVectorSequence(const SequenceAttention& attention, const Experiment& experiment,
                        bool json);
// `explain --model vector --sequence`: the tokens × slots attention map over every token of
// `tokens`, each read with the context before it.
int explainVectorSequence(const Experiment& experiment, std::span<const uint32_t> tokens,
                          bool json);

}  // namespace memlens::cli
