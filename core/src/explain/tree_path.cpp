#include "memlens/tree_path.h"

namespace memlens {

const char* treeAnswerName(TreePath::Answer a) {
  switch (a) {
    case TreePath::Answer::kNone:
      return "none";
    case TreePath::Answer::kRootMajority:
      return "root-majority";
    case TreePath::Answer::kDeepestDefault:
      return "deepest-default";
    case TreePath::Answer::kExactMatch:
      return "exact-match";
    case TreePath::Answer::kIb1Fallback:
      return "ib1-fallback";
  }
  return "?";
}

}  // namespace memlens
