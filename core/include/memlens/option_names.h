#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace memlens {

enum class Algorithm;
enum class FeatureWeighting;
enum class DistanceWeighting;
enum class Metric;
enum class BlockMode;
enum class TokeniserKind;
enum class PruneStrategy;

// The words for every option enum, in one table each: the command line, projects, run records
// and the GUI's settings read and write these, never an enum's index, so reordering an enum
// cannot misread a stored file. `name` is what a user types (`--weighting gr`); `label` is the
// long spelling run records have always stored ("gain-ratio"); aliases are read, never written.
// The tables are constant: safe from any thread.
template <typename E>
struct OptionName {
  E value;
  std::string_view name;
  std::string_view label;  // == name where the two agree
  std::string_view alias = {};
};

template <typename E>
std::span<const OptionName<E>> optionNames();

template <>
std::span<const OptionName<Algorithm>> optionNames<Algorithm>();
template <>
std::span<const OptionName<FeatureWeighting>> optionNames<FeatureWeighting>();
template <>
std::span<const OptionName<DistanceWeighting>> optionNames<DistanceWeighting>();
template <>
std::span<const OptionName<Metric>> optionNames<Metric>();
template <>
std::span<const OptionName<BlockMode>> optionNames<BlockMode>();
template <>
std::span<const OptionName<TokeniserKind>> optionNames<TokeniserKind>();
template <>
std::span<const OptionName<PruneStrategy>> optionNames<PruneStrategy>();

template <typename E>
std::string_view optionName(E value) {
  for (const auto& n : optionNames<E>())
    if (n.value == value) return n.name;
  return "?";
}

template <typename E>
std::string_view optionLabel(E value) {
  for (const auto& n : optionNames<E>())
    if (n.value == value) return n.label;
  return "?";
}

// The value a name, label or alias stands for.
template <typename E>
std::optional<E> optionNamed(std::string_view word) {
  for (const auto& n : optionNames<E>())
    if (word == n.name || word == n.label || (!n.alias.empty() && word == n.alias)) return n.value;
  return std::nullopt;
}

// "ib1, igtree, tribl2 or vector", for error messages and usage text.
template <typename E>
std::string optionChoices() {
  const auto names = optionNames<E>();
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i].name;
  }
  return out;
}

}  // namespace memlens
