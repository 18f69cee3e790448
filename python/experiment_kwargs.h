#pragma once

#include <pybind11/pybind11.h>

#include <functional>
#include <optional>
#include <string>

#include "memlens/experiment.h"
#include "memlens/option_names.h"

namespace memlens::python {

// The keyword arguments train() and evaluate() take, with the words of memlens-cli's options:
// model, width, k, weighting, distance_weighting, order, split=(train, validation), seed,
// max_test, dims, top_k_slots, temperature, memory_lambda. Starts from `options` (the corpus's
// block mode and the caller's defaults); an unknown keyword is a TypeError, a bad value a
// ValueError naming the choices.
ExperimentOptions experimentOptions(const pybind11::kwargs& kwargs, ExperimentOptions options);

// The enum value `word` names (from the core's option-name table); a ValueError listing the
// choices if none.
template <typename E>
E optionValue(const std::string& keyword, const std::string& word) {
  const std::optional<E> named = optionNamed<E>(word);
  if (!named) {
    throw pybind11::value_error(keyword + " must be " + optionChoices<E>() + ", got '" + word +
                                "'");
  }
  return *named;
}

// Calls `set` with each keyword and its value; a value of the wrong type (pybind11's cast_error)
// becomes a TypeError naming the keyword.
void forEachKeyword(const pybind11::kwargs& kwargs,
                    const std::function<void(const std::string&, const pybind11::handle&)>& set);

// The docstring paragraph that lists those keywords.
extern const char* const kExperimentKeywordsDoc;

}  // namespace memlens::python
