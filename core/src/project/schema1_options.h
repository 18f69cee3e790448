#pragma once

#include <string>
#include <string_view>

namespace memlens {

// Schema 1 stored the project options' enums by index ("algorithm=2") and wrote numbers with
// the writer's locale ("train=0,7" under a decimal-comma locale, which no reader accepted).
// Returns `text` with each index replaced by its name ("algorithm=tribl2") and each decimal
// comma of a number by a point; lines it does not recognise stay as they are, for
// ProjectOptions::parse to report. The index order is schema 1's, frozen here: the enums may
// change, what old files hold does not. Pure function: safe from any thread.
std::string schema1OptionsWithNames(std::string_view text);

}  // namespace memlens
