// SubsetIndex::save() and load(): the memory-file form of a subset index.
#include <bit>
#include <string>

#include "base/first_where.h"
#include "memfile/byte_reader.h"
#include "memfile/byte_writer.h"
#include "memory/subset_index.h"

namespace memlens {

void SubsetIndex::save(ByteWriter& out) const {
  out.put<uint32_t>(mask_);
  out.put<uint32_t>(0);
  out.putArray(slots_);
  out.putArray(groups_);
  out.putArray(next_);
  if (stored_) {
    out.putArray(cacheStart_);
    out.putArray(cacheFlat_);
    return;
  }
  std::vector<uint64_t> starts{0};
  std::vector<ClassCount> flat;
  for (const auto& cache : caches_) {
    flat.insert(flat.end(), cache.begin(), cache.end());
    starts.push_back(flat.size());
  }
  out.putArray(starts);
  out.putArray(flat);
}

bool SubsetIndex::load(ByteReader& in, uint32_t vectors, uint32_t classes, Stored& out) {
  out.mask = in.get<uint32_t>();
  in.get<uint32_t>();
  in.getArray(out.slots);
  in.getArray(out.groups, vectors);
  in.getArray(out.next);
  in.getArray(out.cacheStart);
  in.getArray(out.cacheFlat);
  if (!in.ok()) return false;
  const std::string what = "subset index " + std::to_string(out.mask) + ": ";
  // find() masks hashes with the table's size less one.
  if (out.slots.empty() || !std::has_single_bit(out.slots.size()))
    return in.fail(what + "a hash table of " + std::to_string(out.slots.size()) + " slots");
  if (out.next.size() != vectors)
    return in.fail(what + std::to_string(out.next.size()) + " member links for " +
                   std::to_string(vectors) + " stored vectors");
  const std::span<const ClassCount> flat = out.cacheFlat.span();
  out.cacheChecks = LazyCheckedArray<ClassCount>(
      flat, [classes](const ClassCount& c, size_t) { return c.classIndex >= classes; },
      [](const ClassCount& c, size_t) {
        return ClassCount{0, c.count};
      },
      [flat, classes, what](size_t i) {
        return what + "cache entry " + std::to_string(i) + " counts class index " +
               std::to_string(flat[i].classIndex) + ", past the class count (" +
               std::to_string(classes) + ")";
      });
  return true;
}

Status SubsetIndex::Stored::checkAll(uint32_t vectors) const {
  ByteReader in({});
  const std::string what = "subset index " + std::to_string(mask) + ": ";
  const size_t caches = cacheStart.empty() ? 0 : cacheStart.size() - 1;
  if (const size_t i =
          firstWhere(slots.span(), [&](uint32_t s, size_t) { return s > groups.size(); });
      i < slots.size())
    in.fail(what + "hash slot " + std::to_string(i) + " names a group past the " +
            std::to_string(groups.size()) + " groups");
  if (const size_t i = firstWhere(groups.span(),
                                  [&](const Group& g, size_t) {
                                    return g.head >= vectors || g.count == 0 || g.count > vectors ||
                                           g.cache > caches;
                                  });
      in.ok() && i < groups.size())
    in.fail(what + "group " + std::to_string(i) + " names a member, size or cache out of range");
  if (const size_t i =
          firstWhere(next.span(), [&](uint32_t id, size_t) { return id != kEnd && id >= vectors; });
      in.ok() && i < next.size())
    in.fail(what + "stored vector " + std::to_string(i) + " links to vector " +
            std::to_string(next[i]) + " of " + std::to_string(vectors));
  if (in.ok()) in.checkStarts(cacheStart, cacheFlat.size(), what + "the cached distributions");
  cacheChecks.checked(cacheFlat.data(), 0, cacheFlat.size());
  if (const std::string damage = cacheChecks.damage(); in.ok() && !damage.empty()) in.fail(damage);
  return in.ok() ? Status::ok() : Status::corrupt(in.error());
}

}  // namespace memlens
