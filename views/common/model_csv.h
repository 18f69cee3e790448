#pragma once

#include <QString>

class QAbstractItemModel;

namespace memlens::views {

// Any table model as CSV (RFC 4180): the horizontal header, then one line per row of the
// display text, CRLF line ends; a cell with a comma, a double quote, a line break or edge spaces
// is quoted, its quotes doubled.
QString modelToCsv(const QAbstractItemModel& model);
// modelToCsv() written to `path` in UTF-8, all or nothing; on failure returns false with the
// reason in `error`.
bool writeModelCsv(const QAbstractItemModel& model, const QString& path, QString* error);

}  // namespace memlens::views
