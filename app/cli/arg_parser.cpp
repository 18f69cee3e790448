#include "arg_parser.h"

#include <charconv>
#include <cstdlib>

namespace memlens::cli {

Status ArgParser::parse(const std::vector<std::string>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (arg == "--") {
      positional_.insert(positional_.end(), args.begin() + static_cast<long>(i) + 1, args.end());
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      positional_.push_back(arg);
      continue;
    }
    std::string inlineValue;
    bool hasInline = false;
    if (const size_t eq = arg.find('='); arg.starts_with("--") && eq != std::string::npos) {
      inlineValue = arg.substr(eq + 1);
      arg.resize(eq);
      hasInline = true;
    }
    if (flags_.count(arg)) {
      if (hasInline) return Status::invalidArgument(arg + " takes no value");
      set_.insert(arg);
    } else if (valueOptions_.count(arg)) {
      if (hasInline) {
        values_[arg] = inlineValue;
      } else if (i + 1 < args.size()) {
        values_[arg] = args[++i];
      } else {
        return Status::invalidArgument(arg + " needs a value");
      }
    } else {
      return Status::invalidArgument("unknown option " + arg);
    }
  }
  return Status::ok();
}

std::string ArgParser::value(const std::string& name, const std::string& fallback) const {
  auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

Result<int> ArgParser::intValue(const std::string& name, int fallback, int lo, int hi) const {
  auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  int v = 0;
  const std::string& s = it->second;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < lo || v > hi) {
    return Status::invalidArgument(name + " must be a whole number from " + std::to_string(lo) +
                                   " to " + std::to_string(hi) + ", got '" + s + "'");
  }
  return v;
}

Result<double> ArgParser::doubleValue(const std::string& name, double fallback, double lo,
                                      double hi) const {
  auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  const std::string& s = it->second;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || !(v >= lo && v <= hi)) {
    return Status::invalidArgument(name + " must be a number from " + std::to_string(lo) + " to " +
                                   std::to_string(hi) + ", got '" + s + "'");
  }
  return v;
}

}  // namespace memlens::cli
