#pragma once

#include <memory>
#include <string>
#include <vector>

#include "memlens/classifier.h"
#include "memlens/instance_set.h"
#include "memlens/timbl_instance_base.h"

namespace memlens {

// A TiMBL instance base as read: the classifier answering as `timbl -i` does and, for a complete
// base (IB1, TRIBL2), the instances it was trained on (each stored vector once per count, in the
// order that keeps the file's class order; sources number them). An IGTree base gives none: its
// pruned tree is not the set of training instances.
struct TimblBaseContents {
  std::unique_ptr<Classifier> classifier;
  InstanceSet instances;
  std::vector<uint64_t> classTotals;  // training instances per class index, as the file says
};

// readTimblInstanceBase() keeping the instances too.
Result<TimblBaseContents> readTimblBaseContents(const std::string& path,
                                                const TimblBaseOptions& options, Vocabulary& vocab,
                                                JobControl* job = nullptr);

}  // namespace memlens
