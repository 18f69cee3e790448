#pragma once

#include <QColor>

namespace memlens::views {

// The Inspect view's tints for a context position that matches the query and one that does not:
// light enough for black text, apart for red-green colour blindness (blue vs orange).
inline const QColor kMatchColour{0xc6, 0xdb, 0xef};
inline const QColor kMismatchColour{0xfd, 0xd0, 0xa2};

}  // namespace memlens::views
