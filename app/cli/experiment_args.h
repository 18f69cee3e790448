#pragma once

#include "memlens/experiment.h"

namespace CLI {
class App;
}

namespace memlens::cli {

// The heading the options that shape an experiment are listed under.
inline constexpr const char* kEvalOptions = "Eval options";

// --width and --blocks: how instances are cut from the text (listed with the corpus options).
void addWindowOptions(CLI::App& command, WindowOptions& window);

// The options that shape an experiment ("eval options": the window, the model, the split, the
// vector memory), added to every command that trains a memory. Sets the command line's defaults
// in `options` first: those are what the help shows and what an absent option leaves.
void addExperimentOptions(CLI::App& command, ExperimentOptions& options);

}  // namespace memlens::cli
