#pragma once

#include <CLI/CLI.hpp>
#include <cmath>
#include <string>

namespace memlens::cli {

// CLI::Range for a real-valued option, which also refuses "nan": NaN compares false with both
// bounds, so CLI::Range alone lets it through. Help text and messages are CLI::Range's.
inline CLI::Validator numberRange(double lo, double hi) {
  const CLI::Range range(lo, hi);
  return CLI::Validator(
      [range](std::string& input) -> std::string {
        double value = 0.0;
        if (CLI::detail::lexical_cast(input, value) && std::isnan(value))
          return "Value " + input + " is not a number";
        return range(input);
      },
      range.get_description());
}

}  // namespace memlens::cli
