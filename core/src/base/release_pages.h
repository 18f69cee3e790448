#pragma once

#include <cstddef>

namespace memlens {

// Gives the whole pages inside [data, data + bytes) back to the system now: they read as zeros
// afterwards, and the bytes of the partial pages at either end stay as they are. For a large
// array whose first part is done with while the rest is still read (instances already sent),
// so that its memory goes as it is consumed rather than all at once when it is freed.
void releasePages(void* data, size_t bytes);

}  // namespace memlens
