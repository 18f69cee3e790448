#pragma once

#include <string>

#include "memlens/instance_set.h"
#include "memlens/job_control.h"
#include "memlens/result.h"
#include "memlens/vocabulary.h"

namespace memlens {

// TiMBL's Columns format: one instance per line, fields separated by white space, class last.

// Writes `instances` to `path` (atomically: a temporary file renamed into place, so a failed or
// cancelled write leaves no partial file).
Status writeColumnsFile(const std::string& path, const InstanceSet& instances,
                        const Vocabulary& vocab, JobControl* job = nullptr);

// Reads a Columns file, interning every field into `vocab`. Every non-empty line must have the
// same number of fields (at least 2) as the first; a line that does not is an error naming it.
// Empty lines are skipped. `sources` receives 1-based line numbers.
Result<InstanceSet> readColumnsFile(const std::string& path, Vocabulary& vocab,
                                    JobControl* job = nullptr);

}  // namespace memlens
