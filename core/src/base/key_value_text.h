#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "memlens/result.h"

namespace memlens {

// "key=value" lines, the text format of journal payloads and project options: values run to the
// end of the line and hold no newline. A line without '=' is an error naming `what`.
// Pure function: safe from any number of threads.
inline Result<std::vector<std::pair<std::string_view, std::string_view>>> parseKeyValueLines(
    std::string_view text, std::string_view what) {
  std::vector<std::pair<std::string_view, std::string_view>> out;
  while (!text.empty()) {
    const size_t nl = std::min(text.find('\n'), text.size());
    const std::string_view line = text.substr(0, nl);
    text.remove_prefix(std::min(nl + 1, text.size()));
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos)
      return Status::corrupt(std::string(what) + ": line without '=': " + std::string(line));
    out.emplace_back(line.substr(0, eq), line.substr(eq + 1));
  }
  return out;
}

}  // namespace memlens
