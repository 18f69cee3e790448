#pragma once

#include <string_view>
#include <vector>

namespace memlens {

// The fields of one line of a Columns file (TiMBL's -F Columns): runs of characters between
// spaces, tabs and the other ASCII white space but newline. readColumnsFile and the sharded
// reader of one block split alike, so a block's instances are the whole file's.
inline void splitColumnsFields(std::string_view line, std::vector<std::string_view>& fields) {
  const auto separator = [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
  };
  fields.clear();
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && separator(line[i])) ++i;
    const size_t start = i;
    while (i < line.size() && !separator(line[i])) ++i;
    if (i > start) fields.push_back(line.substr(start, i - start));
  }
}

}  // namespace memlens
