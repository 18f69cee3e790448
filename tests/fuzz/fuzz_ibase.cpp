// readTimblInstanceBase on arbitrary bytes, as IB1 and as IGTree: a classifier or a Status, never
// a crash. A complete base it accepts must survive a write/read round trip with the same memory.
#include "memlens/timbl_instance_base.h"
#include "scratch_file.h"

using namespace memlens;
using fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = fuzz::writeScratch("input.ibase", fuzz::asText(data, size));
  for (Algorithm algorithm : {Algorithm::kIb1, Algorithm::kIgTree}) {
    TimblBaseOptions options;
    options.classifier.algorithm = algorithm;
    Vocabulary vocab;
    auto read = readTimblInstanceBase(path, options, vocab);
    if (!read) {
      require(!read.status().message().empty());
      continue;
    }
    const Classifier& c = **read;
    const int width = c.memory().width();
    require(width >= 1 && width <= InstanceSet::kMaxWidth);
    require(c.weights().size() == static_cast<size_t>(width));
    const std::vector<uint32_t> query(static_cast<size_t>(width), 0);
    const Prediction p = c.predictOne(query);
    require(p.classId == Prediction::kNoClass || p.classId < vocab.size());
    if (algorithm != Algorithm::kIb1) continue;
    const std::string copy = (fuzz::scratchDir() / "copy.ibase").string();
    require(writeTimblInstanceBase(copy, c, vocab).isOk());
    Vocabulary vocab2;
    auto again = readTimblInstanceBase(copy, options, vocab2);
    require(again.isOk());
    require((*again)->memory().vectorCount() == c.memory().vectorCount() &&
            (*again)->memory().instanceCount() == c.memory().instanceCount() &&
            (*again)->memory().classCount() == c.memory().classCount());
  }
  return 0;
}
