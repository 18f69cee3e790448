#include "timbl/timbl_provenance.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace memlens {

namespace {

std::string describe(std::span<const uint32_t> features, uint32_t classId,
                     const Vocabulary& vocab) {
  std::string s;
  for (uint32_t f : features) s.append(vocab.displayText(f)).append(" ");
  return s.append("-> ").append(vocab.displayText(classId));
}

}  // namespace

Status checkSameInstances(const InstanceBase& base, const InstanceSet& text,
                          const Vocabulary& vocab, JobControl* job) {
  if (text.width != base.width())
    return Status::invalidArgument("the text's instances are " + std::to_string(text.width) +
                                   " tokens wide, the base's " + std::to_string(base.width()));
  // Per stored vector and class index; instances the base lacks are counted by their first one.
  std::unordered_map<uint64_t, uint64_t> counts;
  uint64_t missing = 0;
  size_t firstMissing = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i % (size_t{1} << 16) == 0 && cancelRequested(job)) return Status::cancelled();
    const uint32_t v = base.find(text.instance(i));
    const uint32_t c = base.classIndex(text.classes[i]);
    if (v == InstanceBase::kNone || c == InstanceBase::kNone) {
      if (missing++ == 0) firstMissing = i;
      continue;
    }
    ++counts[(uint64_t{v} << 32) | c];
  }
  uint64_t differ = missing;
  std::string first;
  if (missing > 0)
    first = "the text gives instance " +
            describe(text.instance(firstMissing), text.classes[firstMissing], vocab) +
            ", which the base does not hold";
  for (uint32_t v = 0; v < base.vectorCount(); ++v) {
    for (const ClassCount& cc : base.distribution(v)) {
      const auto it = counts.find((uint64_t{v} << 32) | cc.classIndex);
      const uint64_t given = it == counts.end() ? 0 : it->second;
      if (it != counts.end()) counts.erase(it);
      if (given == cc.count) continue;
      if (differ++ == 0)
        first = "the text gives " + std::to_string(given) + " instances of " +
                describe(base.vector(v), base.classId(cc.classIndex), vocab) + ", the base holds " +
                std::to_string(cc.count);
    }
  }
  // Left over: classes the text gives a stored vector that the base never saw with it.
  for (const auto& [key, given] : counts) {
    const auto v = static_cast<uint32_t>(key >> 32);
    const auto c = static_cast<uint32_t>(key & 0xFFFFFFFFu);
    if (differ++ == 0)
      first = "the text gives " + std::to_string(given) + " instances of " +
              describe(base.vector(v), base.classId(c), vocab) + ", the base holds 0";
  }
  if (differ == 0) return Status::ok();
  return Status::invalidArgument(
      first + (differ > 1 ? " (" + std::to_string(differ) + " counts differ in all)" : "") +
      ": this text, tokenised and windowed so, is not what the base was trained on");
}

InstanceSet inClassOrderOf(const InstanceBase& base, InstanceSet text) {
  // The classes in the order the text first gives them.
  std::vector<size_t> firstOf(base.classCount(), text.size());
  std::vector<uint32_t> order;
  for (size_t i = 0; i < text.size(); ++i) {
    const uint32_t c = base.classIndex(text.classes[i]);
    if (c == InstanceBase::kNone || firstOf[c] != text.size()) continue;
    firstOf[c] = i;
    order.push_back(c);
  }
  bool inOrder = true;
  for (uint32_t k = 0; k < order.size(); ++k) inOrder = inOrder && order[k] == k;
  if (inOrder) return text;
  InstanceSet out;
  out.width = text.width;
  out.reserve(text.size());
  std::vector<bool> moved(text.size(), false);
  const auto append = [&](size_t i) {
    const auto f = text.instance(i);
    out.features.insert(out.features.end(), f.begin(), f.end());
    out.classes.push_back(text.classes[i]);
    out.sources.push_back(text.sources[i]);
  };
  for (uint32_t c = 0; c < base.classCount(); ++c) {
    if (firstOf[c] == text.size()) continue;
    append(firstOf[c]);
    moved[firstOf[c]] = true;
  }
  for (size_t i = 0; i < text.size(); ++i)
    if (!moved[i]) append(i);
  return out;
}

}  // namespace memlens
