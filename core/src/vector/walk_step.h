#pragma once

#include <cstdint>

namespace memlens {

// A step of a read's walk over its candidate groups (see search()): everything in the walk but
// its bounds against the k-th distance depends on the query's words at the levels' positions and
// sub positions alone, so a read sharing them with the walk's read replays it.
struct WalkStep {
  enum Kind : uint8_t {
    kGroup,      // a group (value: its word), skipped to `end` if beyond `term`
    kRun,        // a run (value), read unless beyond `term` (the sum of its two known terms)
    kFar,        // the group's runs of far sub words follow; skipped to `end` if beyond `term`
    kFarUnread,  // the walk's read skipped them: the read scans them unless beyond `term`
    kUnread,     // the walk's read skipped the group (value: its word): the read scans it
    kEnd,        // the group's queued entries are read
  };
  double term;
  uint32_t value;
  uint32_t end;  // kGroup, kFar: the index of the group's kEnd
  Kind kind;
  uint8_t level;
};

}  // namespace memlens
