// InstanceBase::save() and load(): the memory-file form of an instance base.
#include <bit>
#include <span>
#include <string>

#include "base/first_where.h"

#include "memfile/byte_reader.h"
#include "memfile/byte_writer.h"
#include "memlens/instance_base.h"
#include "memory/instance_base_file_checks.h"

namespace memlens {

namespace {

constexpr uint32_t kNoSource = 0xFFFFFFFFu;

// Source lists only ever link forward (they are appended to), which also rules out cycles.
bool checkLinks(ByteReader& in, std::span<const uint32_t> links, uint64_t instances, bool forwardOf,
                const char* what) {
  const size_t i = firstWhere(links, [&](uint32_t s, size_t at) {
    return s != kNoSource && (s >= instances || (forwardOf && s <= at));
  });
  if (i == links.size()) return true;
  return in.fail(std::string(what) + " " + std::to_string(i) + " links to instance " +
                 std::to_string(links[i]) + " of " + std::to_string(instances));
}

}  // namespace

void InstanceBase::save(ByteWriter& out) const {
  out.put<int32_t>(width_);
  out.putArray(values_);
  out.putArray(single_);
  out.putArray(multi_);
  if (!multiStart_.empty()) {
    out.putArray(multiStart_);
    out.putArray(multiFlat_);
  } else {
    std::vector<uint64_t> multiStart{0};
    std::vector<ClassCount> multiFlat;
    for (const auto& dist : multiStore_) {
      multiFlat.insert(multiFlat.end(), dist.begin(), dist.end());
      multiStart.push_back(multiFlat.size());
    }
    out.putArray(multiStart);
    out.putArray(multiFlat);
  }
  out.putArray(slots_);
  out.putArray(sources_);
  out.putArray(nextSource_);
  out.putArray(firstSource_);
  out.putArray(lastSource_);
  out.putArray(classIds_);
  out.putArray(classTotals_);
  for (const FeatureCounts& fc : pending_ ? pendingFeatureCounts() : featureCounts_) {
    std::vector<uint32_t> ids, indices;
    ids.reserve(fc.valueIndex.size());
    indices.reserve(fc.valueIndex.size());
    for (const auto& [id, index] : fc.valueIndex) {
      ids.push_back(id);
      indices.push_back(index);
    }
    out.putArray(ids);
    out.putArray(indices);
    out.putArray(fc.valueTotals);
    fc.valueClass.save(out);
  }
}

Result<InstanceBase> InstanceBase::load(ByteReader& in, uint32_t vocabSize, uint64_t sourceLimit) {
  const auto corrupt = [&] { return Status::corrupt(in.error()); };
  const auto width = in.get<int32_t>();
  if (in.ok() && (width < 1 || width > InstanceSet::kMaxWidth))
    in.fail("a width of " + std::to_string(width) + " features");
  if (!in.ok()) return corrupt();
  InstanceBase b(width);
  in.getArray(b.values_);
  in.getArray(b.single_, UINT32_MAX - 1);
  in.getArray(b.multi_);
  in.getArray(b.multiStart_, UINT32_MAX);
  in.getArray(b.multiFlat_);
  in.getArray(b.slots_);
  in.getArray(b.sources_, kNoSource - 1);
  in.getArray(b.nextSource_);
  in.getArray(b.firstSource_);
  in.getArray(b.lastSource_);
  in.getArray(b.classIds_);
  in.getArray(b.classTotals_);
  if (!in.ok()) return corrupt();

  // What does not read the big arrays' elements is checked here; their elements are left to
  // their readers (FileChecks) and to checkAll().
  const size_t vectors = b.single_.size();
  const uint64_t instances = b.sources_.size();
  const uint32_t classes = b.classCount();
  if (b.values_.size() != vectors * static_cast<size_t>(width) || b.multi_.size() != vectors ||
      b.firstSource_.size() != vectors || b.lastSource_.size() != vectors ||
      b.nextSource_.size() != instances || b.classTotals_.size() != classes)
    in.fail("array sizes disagree with " + std::to_string(vectors) + " stored vectors, " +
            std::to_string(instances) + " instances and " + std::to_string(classes) + " classes");
  // A safe stand-in for a damaged class count is class 0.
  if (in.ok() && vectors != 0 && classes == 0) in.fail("stored vectors but no classes");
  for (uint32_t c = 0; in.ok() && c < classes; ++c) {
    if (b.classIds_[c] >= vocabSize)
      in.fail("class " + std::to_string(c) + " is token " + std::to_string(b.classIds_[c]) +
              ", past the vocabulary (" + std::to_string(vocabSize) + " tokens)");
    else if (!b.classIndexOf_.try_emplace(b.classIds_[c], c).second)
      in.fail("class token " + std::to_string(b.classIds_[c]) + " appears twice");
  }
  if (in.ok() && ((!b.slots_.empty() && !std::has_single_bit(b.slots_.size())) ||
                  b.slots_.size() < vectors * 2))
    in.fail("a hash table of " + std::to_string(b.slots_.size()) + " slots for " +
            std::to_string(vectors) + " vectors");
  if (!in.ok()) return corrupt();

  for (int f = 0; f < width; ++f) {
    FeatureCounts& fc = b.featureCounts_[static_cast<size_t>(f)];
    std::vector<uint32_t> ids, indices;
    in.getArray(ids);
    in.getArray(indices);
    in.getArray(fc.valueTotals);
    CountTable::load(in, fc.valueClass);
    if (!in.ok()) return corrupt();
    const size_t values = fc.valueTotals.size();
    if (ids.size() != indices.size() || ids.size() != values)
      in.fail("feature " + std::to_string(f) + ": value counts disagree");
    fc.valueIndex.reserve(ids.size());
    for (size_t i = 0; in.ok() && i < ids.size(); ++i)
      if (indices[i] >= values || ids[i] >= vocabSize ||
          !fc.valueIndex.try_emplace(ids[i], indices[i]).second)
        in.fail("feature " + std::to_string(f) + ": value " + std::to_string(ids[i]) +
                " has a bad index");
    if (!in.ok()) return corrupt();
  }

  auto checks = std::make_shared<FileChecks>();
  checks->sourceLimit = sourceLimit;
  checks->values = LazyCheckedArray<uint32_t>(
      b.values_.span(), [vocabSize](uint32_t v, size_t) { return v >= vocabSize; },
      [](uint32_t, size_t) { return 0u; },
      [values = b.values_.span(), width, vocabSize](size_t i) {
        return "stored vector " + std::to_string(i / width) + " holds value " +
               std::to_string(values[i]) + ", past the vocabulary (" + std::to_string(vocabSize) +
               " tokens)";
      });
  const auto classChecks = [classes](std::span<const ClassCount> counts, std::string what) {
    return LazyCheckedArray<ClassCount>(
        counts, [classes](const ClassCount& c, size_t) { return c.classIndex >= classes; },
        [](const ClassCount& c, size_t) {
          return ClassCount{0, c.count};
        },
        [counts, classes, what](size_t i) {
          return what + std::to_string(i) + " counts class index " +
                 std::to_string(counts[i].classIndex) + ", past the class count (" +
                 std::to_string(classes) + ")";
        });
  };
  checks->single = classChecks(b.single_.span(), "stored vector ");
  checks->multiFlat = classChecks(b.multiFlat_.span(), "multi-class distribution entry ");
  b.checks_ = std::move(checks);
  return b;
}

const uint32_t* InstanceBase::checkedValues(size_t begin, size_t end) const {
  return checks_->values.checked(values_.data(), begin, end);
}

std::span<const ClassCount> InstanceBase::checkedDistribution(uint32_t id) const {
  const ClassCount* single = checks_->single.checked(single_.data(), id, id + 1) + id;
  const uint32_t m = multi_[id];
  const size_t distributions = multiStart_.empty() ? 0 : multiStart_.size() - 1;
  // A damaged reference or an empty or misplaced range gives the vector's single count.
  if (m == 0 || m > distributions) return {single, 1};
  const uint64_t begin = multiStart_[m - 1], end = multiStart_[m];
  if (begin >= end || end > multiFlat_.size()) return {single, 1};
  return {checks_->multiFlat.checked(multiFlat_.data(), begin, end) + begin, end - begin};
}

const std::vector<FeatureCounts>& InstanceBase::checkedFeatureCounts() const {
  const FileChecks& c = *checks_;
  std::call_once(c.featuresOnce, [&] {
    const auto keyOk = [classes = classCount()](const FeatureCounts& fc, uint64_t key) {
      return (key >> 32) < fc.valueTotals.size() && (key & 0xFFFFFFFFu) < classes;
    };
    for (size_t f = 0; f < featureCounts_.size() && c.featureDamage.empty(); ++f) {
      const FeatureCounts& fc = featureCounts_[f];
      bool sound = fc.valueClass.size() * 2 <= fc.valueClass.slotCount();
      fc.valueClass.forEach([&](uint64_t key, uint32_t) { sound = sound && keyOk(fc, key); });
      if (!sound)
        c.featureDamage = "feature " + std::to_string(f) +
                          ": a value/class count past the values or classes, or a full table";
    }
    if (c.featureDamage.empty()) return;
    // Rebuilt from the entries that pass: a safe table whatever the file held.
    c.repairedFeatures = featureCounts_;
    for (FeatureCounts& fc : c.repairedFeatures) {
      CountTable kept;
      fc.valueClass.forEach([&](uint64_t key, uint32_t n) {
        if (keyOk(fc, key)) kept[key] += n;
      });
      fc.valueClass = std::move(kept);
    }
  });
  return c.featureDamage.empty() ? featureCounts_ : c.repairedFeatures;
}

Status InstanceBase::checkAll(JobControl* job) const {
  if (!checks_) return Status::ok();
  ByteReader in({});
  const FileChecks& c = *checks_;
  (void)checkedFeatureCounts();
  if (!c.featureDamage.empty()) in.fail(c.featureDamage);
  c.values.checked(values_.data(), 0, values_.size());
  c.single.checked(single_.data(), 0, single_.size());
  c.multiFlat.checked(multiFlat_.data(), 0, multiFlat_.size());
  for (const std::string& damage : {c.values.damage(), c.single.damage(), c.multiFlat.damage()})
    if (in.ok() && !damage.empty()) in.fail(damage);
  const size_t vectors = vectorCount();
  const uint64_t instances = instanceCount();
  in.checkStarts(multiStart_, multiFlat_.size(), "the multi-class distributions");
  const size_t distributions = multiStart_.empty() ? 0 : multiStart_.size() - 1;
  // Readers take a distribution's first entry as its default: none may be empty.
  if (in.ok() && firstWhere(multiStart_.span().subspan(1), [&](uint64_t end, size_t m) {
                   return end == multiStart_[m];
                 }) < distributions)
    in.fail("an empty multi-class distribution");
  if (const size_t v =
          firstWhere(multi_.span(), [&](uint32_t m, size_t) { return m > distributions; });
      in.ok() && v < vectors)
    in.fail("stored vector " + std::to_string(v) + " names distribution " +
            std::to_string(multi_[v]) + " of " + std::to_string(distributions));
  if (in.ok() &&
      firstWhere(slots_.span(), [&](uint32_t s, size_t) { return s > vectors; }) < slots_.size())
    in.fail("the hash table names a vector past the stored ones");
  if (const size_t i =
          firstWhere(sources_.span(), [&](uint64_t s, size_t) { return s >= c.sourceLimit; });
      in.ok() && i < instances)
    in.fail("instance " + std::to_string(i) + " has source " + std::to_string(sources_[i]) +
            ", past the token stream (" + std::to_string(c.sourceLimit) + " tokens)");
  if (in.ok()) checkLinks(in, nextSource_, instances, true, "instance");
  if (in.ok()) checkLinks(in, firstSource_, instances, false, "stored vector");
  if (in.ok()) checkLinks(in, lastSource_, instances, false, "stored vector");
  // Sound links may still cross (two vectors sharing a tail, another's instances in no list),
  // which would show one vector's sources as another's.
  if (in.ok()) {
    if (auto owners = instanceVectors(job); !owners) {
      if (owners.status().isCancelled()) return owners.status();
      in.fail(owners.status().message());
    }
  }
  return in.ok() ? Status::ok() : Status::corrupt(in.error());
}

}  // namespace memlens
