#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "memlens/option_names.h"

namespace memlens::cli {

// An option whose value is one of an enum's words: the words it accepts, the ones its help lists,
// its default and its error ("must be ib1, igtree, tribl2 or vector") all come from the core's one
// table for that enum (memlens/option_names.h), so the command line cannot drift from it.
template <typename E>
CLI::Option* addEnumOption(CLI::App& command, const std::string& name, E& value,
                           const std::string& description) {
  // CLI11 reads an enum as its underlying number: the word becomes that number before it does.
  CLI::Validator word(
      [](std::string& text) -> std::string {
        const std::optional<E> named = optionNamed<E>(text);
        if (!named) return "must be " + optionChoices<E>() + ", got '" + text + "'";
        text = std::to_string(static_cast<int>(*named));
        return {};
      },
      "");
  std::string words;
  for (const OptionName<E>& n : optionNames<E>())
    words += (words.empty() ? "" : "|") + std::string(n.name);
  return command.add_option(name, value, description)
      ->transform(word)
      ->type_name(words)
      ->default_str(std::string(optionName(value)));
}

}  // namespace memlens::cli
