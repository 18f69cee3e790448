#include "memlens/count_table.h"

#include <bit>

#include "base/huge_pages.h"
#include "memfile/byte_reader.h"
#include "memfile/byte_writer.h"

namespace memlens {

void CountTable::rehash(size_t slots) {
  std::vector<Slot> bigger = hugePageVector<Slot>(slots);
  for (const Slot& s : slots_)
    if (s.used) probe(bigger, s.key) = s;
  slots_ = std::move(bigger);
}

void CountTable::save(ByteWriter& out) const { out.putArray(slots_); }

bool CountTable::load(ByteReader& in, CountTable& table) {
  std::vector<Slot> slots;
  if (!in.getArray(slots)) return false;
  if (!slots.empty() && !std::has_single_bit(slots.size()))
    return in.fail("a count table of " + std::to_string(slots.size()) +
                   " slots (not a power of 2)");
  size_t used = 0;
  for (const Slot& s : slots) used += s.used != 0;
  // Lookups stop at an empty slot, so one must remain.
  if (!slots.empty() && used * 2 > slots.size())
    return in.fail("a count table fuller than it is ever kept");
  table.slots_ = std::move(slots);
  table.size_ = used;
  return true;
}

}  // namespace memlens
