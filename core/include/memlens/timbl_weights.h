#pragma once

#include <string>
#include <vector>

#include "memlens/classifier.h"
#include "memlens/instance_base.h"
#include "memlens/result.h"

namespace memlens {

// TiMBL weights files (.wgt): `timbl -W FILE` writes every weighting, each in a section headed
// "# nw", "# gr", "# ig", "# sv", "# x2"; `timbl -w FILE[:n]` reads one ("gr" by default).
// Files without sections (one "feature weight" line per feature) are read as they are.

// The weights of `section` for a `width`-feature memory, in original feature order.
Result<std::vector<double>> readTimblWeights(const std::string& path, FeatureWeighting section,
                                             int width);

// Every weighting TiMBL writes, computed from `base`'s counts (atomically written).
Status writeTimblWeights(const std::string& path, const InstanceBase& base);

}  // namespace memlens
