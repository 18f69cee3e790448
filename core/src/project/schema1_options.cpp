#include "project/schema1_options.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

namespace memlens {
namespace {

struct IndexedKey {
  std::string_view key;
  std::array<std::string_view, 5> names;  // by schema 1 index; empty past the last
};

// The enums' order when schema 1 was current, spelled as ProjectOptions now writes them.
constexpr std::array<IndexedKey, 6> kIndexedKeys = {{
    {"tokeniser", {"word", "gpt2"}},
    {"blocks", {"line", "olifant"}},
    {"algorithm", {"ib1", "igtree", "tribl2", "vector"}},
    {"weighting", {"none", "gr", "ig", "x2", "sv"}},
    {"distance-weighting", {"Z", "IL", "ID", "ED"}},
    {"metric", {"overlap", "mvdm"}},
}};

constexpr std::array<std::string_view, 5> kNumberKeys = {"ed-alpha", "ed-beta", "train",
                                                         "validation", "smoothing-beta"};

std::string upgradedValue(std::string_view key, std::string_view value) {
  for (const IndexedKey& k : kIndexedKeys) {
    if (k.key != key) continue;
    size_t index = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), index);
    if (ec != std::errc() || end != value.data() + value.size() || index >= k.names.size() ||
        k.names[index].empty())
      return std::string(value);
    return std::string(k.names[index]);
  }
  std::string out(value);
  if (std::find(kNumberKeys.begin(), kNumberKeys.end(), key) != kNumberKeys.end())
    std::replace(out.begin(), out.end(), ',', '.');
  return out;
}

}  // namespace

std::string schema1OptionsWithNames(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    const size_t nl = std::min(text.find('\n'), text.size());
    const std::string_view line = text.substr(0, nl);
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      out += line;
    } else {
      out += line.substr(0, eq + 1);
      out += upgradedValue(line.substr(0, eq), line.substr(eq + 1));
    }
    if (nl < text.size()) out += '\n';
    text.remove_prefix(std::min(nl + 1, text.size()));
  }
  return out;
}

}  // namespace memlens
