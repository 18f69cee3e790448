#pragma once

#include "memlens/instance_base.h"
#include "memlens/instance_set.h"
#include "memlens/job_control.h"
#include "memlens/status.h"
#include "memlens/vocabulary.h"

namespace memlens {

// Provenance for a memory read from a TiMBL instance base: the instances of its training text
// matched against its stored vectors.

// Ok when `text` (instances with their token positions as sources) holds exactly the stored
// vectors of `base`, each with the same class counts. Else an error naming the first vector that
// differs ("the text gives 12 instances of _ In the beginning -> God, the base holds 11") and how
// many differ in all.
Status checkSameInstances(const InstanceBase& base, const InstanceSet& text,
                          const Vocabulary& vocab, JobControl* job = nullptr);

// `text` in an order that gives its classes, when trained on, the indices they have in `base`
// (the order that decides ties): one instance of each class moved to the front, in base's class
// order, unless the text already meets its classes in that order (then it is returned as it is).
InstanceSet inClassOrderOf(const InstanceBase& base, InstanceSet text);

}  // namespace memlens
