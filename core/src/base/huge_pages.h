#pragma once

#include <cstddef>
#include <vector>

namespace memlens {

// Asks for 2 MB pages (transparent huge pages, which systems commonly grant on request only) for
// the whole 2 MB blocks of [data, data + bytes): an array filled at once then takes a 512th of the
// page faults. On a virtual machine each fault traps to the hypervisor: reading a TiMBL base of
// the KJV spent a quarter of its CPU time in them. Untouched blocks still take no memory.
void adviseHugePages(const void* data, size_t bytes);

// `n` copies of `value`, in huge pages where the array spans whole ones.
template <typename T>
std::vector<T> hugePageVector(size_t n, const T& value = T()) {
  std::vector<T> v;
  v.reserve(n);
  adviseHugePages(v.data(), n * sizeof(T));
  v.resize(n, value);
  return v;
}

}  // namespace memlens
