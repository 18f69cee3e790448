#include "edit/kept_memory.h"

#include <algorithm>
#include <map>
#include <vector>

#include "base/huge_pages.h"

namespace memlens {

Result<InstanceBase> keptMemory(const InstanceBase& trained, const EditedRows& rows,
                                std::span<const uint32_t> refeatured, uint64_t liveCount,
                                JobControl* job) {
  constexpr uint32_t kNone = InstanceBase::kNone;
  constexpr size_t kPollEvery = 1 << 16;
  const size_t width = static_cast<size_t>(rows.width());
  const uint64_t baseRows = trained.instanceCount();
  std::vector<uint32_t> moved(refeatured.begin(), refeatured.end());
  std::sort(moved.begin(), moved.end());
  auto nextMoved = moved.begin();
  // Vectors the trained memory does not hold (an edit's new features), numbered after its own.
  std::map<std::vector<uint32_t>, uint32_t> novel;
  std::vector<uint32_t> values, classIds;
  std::vector<uint32_t> newId(trained.vectorCount(), kNone);
  std::vector<uint32_t> classIndexOf;  // by class id, as add() numbers them: first seen
  std::vector<InstanceBase::Run> runs;
  std::vector<uint64_t> sources;
  runs.reserve(liveCount);  // at 100M instances, kept instances rarely repeat their neighbour's
  sources.reserve(liveCount);
  {
    auto vectorOf = trained.instanceVectors(job);
    if (!vectorOf) return vectorOf.status();
    for (size_t r = 0; r < rows.size(); ++r) {
      if (r % kPollEvery == 0) {
        if (cancelRequested(job)) return Status::cancelled();
        reportProgress(job, static_cast<double>(r) / static_cast<double>(rows.size()),
                       "keeping stored vectors");
      }
      if (!rows.live(r)) continue;
      while (nextMoved != moved.end() && *nextMoved < r) ++nextMoved;
      uint32_t old = kNone;
      std::span<const uint32_t> features;
      if (r < baseRows && (nextMoved == moved.end() || *nextMoved != r)) {
        old = (*vectorOf)[r];
      } else {
        features = rows.features(r);
        old = trained.find(features);
        if (old == kNone) {
          const auto [it, isNew] =
              novel.try_emplace(std::vector<uint32_t>(features.begin(), features.end()),
                                static_cast<uint32_t>(trained.vectorCount() + novel.size()));
          old = it->second;
          if (isNew) newId.push_back(kNone);
        }
      }
      if (newId[old] == kNone) {
        newId[old] = static_cast<uint32_t>(values.size() / width);
        if (old < trained.vectorCount()) features = trained.vector(old);
        values.insert(values.end(), features.begin(), features.end());
      }
      const uint32_t classId = rows.classOf(r);
      if (classId >= classIndexOf.size()) classIndexOf.resize(size_t{classId} + 1, kNone);
      if (classIndexOf[classId] == kNone) {
        classIndexOf[classId] = static_cast<uint32_t>(classIds.size());
        classIds.push_back(classId);
      }
      const uint32_t vector = newId[old], classIndex = classIndexOf[classId];
      if (!runs.empty() && runs.back().vector == vector && runs.back().classIndex == classIndex) {
        ++runs.back().count;
      } else {
        runs.push_back({vector, classIndex, 1});
      }
      sources.push_back(rows.source(r));
    }
  }
  return InstanceBase::fromRuns(rows.width(), std::move(values), classIds, runs, job,
                                InstanceBase::FeatureCounting::kCount, std::move(sources));
}

}  // namespace memlens
