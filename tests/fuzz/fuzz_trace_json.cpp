// traceFromJson on arbitrary bytes (File ▸ Open Trace reads any .json): a trace or a Status,
// never a crash. A trace it accepts has lists as wide as its context, and writes back to text
// that reads again into the same trace.
#include "memlens/trace_json.h"
#include "scratch_file.h"

using namespace memlens;
using fuzz::require;

namespace {

std::string written(const TraceDocument& doc) {
  return doc.trace ? traceToJson(*doc.trace, *doc.vocabulary, doc.algorithm)
                   : traceToJson(*doc.vectorTrace, *doc.vocabulary);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto doc = traceFromJson(fuzz::asText(data, size));
  if (!doc) {
    require(!doc.status().message().empty());
    return 0;
  }
  require(doc->trace.has_value() != doc->vectorTrace.has_value());
  if (doc->trace) {
    const size_t width = doc->trace->context.size();
    for (const BucketTrace& b : doc->trace->buckets)
      for (const NeighbourTrace& n : b.neighbours)
        require(n.values.size() == width && n.matches.size() == width);
    for (const TreeStep& s : doc->trace->path.steps)
      require(!s.tested || (s.feature >= 0 && static_cast<size_t>(s.feature) < width));
  }
  const std::string text = written(*doc);
  auto again = traceFromJson(text);
  require(again.isOk());
  require(written(*again) == text);
  return 0;
}
