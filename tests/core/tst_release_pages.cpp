// releasePages: the whole pages inside a range read as zeros afterwards; every byte outside them,
// the partial pages at either end included, keeps its value.
#include <QtTest>

#include <unistd.h>

#include <cstdint>
#include <vector>

#include "base/release_pages.h"

using namespace memlens;

class TestReleasePages : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void wholePagesOnly_data() {
    QTest::addColumn<size_t>("offset");
    QTest::addColumn<size_t>("bytes");
    const auto page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
    QTest::newRow("unaligned, many pages") << size_t{1000} << (size_t{3} << 20);
    QTest::newRow("to the end") << size_t{17} << (size_t{4} << 20) - 17;
    QTest::newRow("less than a page") << page / 2 << page - 1;
    QTest::newRow("nothing") << size_t{5} << size_t{0};
  }
  void wholePagesOnly() {
    QFETCH(size_t, offset);
    QFETCH(size_t, bytes);
    const auto page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
    std::vector<uint8_t> data(size_t{4} << 20, 0xAB);
    releasePages(data.data() + offset, bytes);
    const auto at = [&](size_t i) { return reinterpret_cast<uintptr_t>(data.data() + i); };
    const uintptr_t begin = (at(offset) + page - 1) / page * page;
    const uintptr_t end = at(offset + bytes) / page * page;
    for (size_t i = 0; i < data.size(); ++i) {
      const bool released = at(i) >= begin && at(i) < end;
      if (data[i] != (released ? 0 : 0xAB))
        QFAIL(qPrintable(QStringLiteral("byte %1 is %2").arg(i).arg(data[i])));
    }
  }
};

QTEST_GUILESS_MAIN(TestReleasePages)
#include "tst_release_pages.moc"
