#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "memlens/result.h"

namespace memlens::cli {

// GNU-style options for the native subcommands: `--name value`, `--name=value`, `-o value`,
// boolean `--flag`, and positional arguments. TiMBL's own flag syntax is parsed elsewhere.
class ArgParser {
 public:
  ArgParser(std::set<std::string> valueOptions, std::set<std::string> flags)
      : valueOptions_(std::move(valueOptions)), flags_(std::move(flags)) {}

  // Errors name the unknown option or the option missing its value.
  Status parse(const std::vector<std::string>& args);

  bool has(const std::string& name) const { return values_.count(name) || set_.count(name); }
  std::string value(const std::string& name, const std::string& fallback = {}) const;
  // The value as an integer in [lo, hi]; an error names the option otherwise.
  Result<int> intValue(const std::string& name, int fallback, int lo, int hi) const;
  // The value as a number in [lo, hi]; an error names the option otherwise.
  Result<double> doubleValue(const std::string& name, double fallback, double lo, double hi) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::set<std::string> valueOptions_;
  std::set<std::string> flags_;
  std::map<std::string, std::string> values_;
  std::set<std::string> set_;
  std::vector<std::string> positional_;
};

}  // namespace memlens::cli
