#pragma once

// Tests reach a page's widgets the way a user-level driver does: by type and object name, not by
// accessors the production classes would keep only for them.
#include <QObject>
#include <QString>
#include <QtGlobal>

namespace memlens::test {

// The child of `parent` of type T named `name` (any name when null); a missing one aborts the
// test with both names rather than crashing on a null pointer later.
template <typename T>
T* child(const QObject* parent, const char* name = nullptr) {
  T* found = parent ? parent->findChild<T*>(name ? QString::fromLatin1(name) : QString()) : nullptr;
  if (!found) qFatal("no %s named '%s'", T::staticMetaObject.className(), name ? name : "");
  return found;
}

}  // namespace memlens::test
