// Storage<T>: a view of someone else's bytes stays a view while it is read and becomes a vector
// of its own on the first change, leaving the bytes it viewed as they were; ByteReader gives such
// views of what it reads when it knows the bytes' owner.
#include <QtTest>
#include <cstring>
#include <memory>
#include <vector>

#include "memfile/byte_reader.h"
#include "memlens/storage.h"

using namespace memlens;

namespace {

// An array as ByteWriter::putArray() lays it out: a u64 count, then the elements (8-aligned).
std::shared_ptr<std::vector<uint64_t>> arrayBytes(const std::vector<uint32_t>& elements) {
  auto words = std::make_shared<std::vector<uint64_t>>(1 + (elements.size() + 1) / 2, 0);
  (*words)[0] = elements.size();
  std::memcpy(words->data() + 1, elements.data(), elements.size() * sizeof(uint32_t));
  return words;
}

std::string_view bytesOf(const std::vector<uint64_t>& words) {
  return {reinterpret_cast<const char*>(words.data()), words.size() * sizeof(uint64_t)};
}

}  // namespace

class TestStorage : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void ownsAVector() {
    Storage<uint32_t> s(std::vector<uint32_t>{1, 2, 3});
    QVERIFY(!s.isView());
    QCOMPARE(s.size(), size_t{3});
    QCOMPARE(s[1], 2u);
    s.push_back(4);
    QCOMPARE(s.back(), 4u);
    QCOMPARE(s, Storage<uint32_t>(std::vector<uint32_t>{1, 2, 3, 4}));
  }

  void viewIsReadInPlaceAndCopiedOnFirstChange() {
    auto owner = std::make_shared<std::vector<uint32_t>>(std::vector<uint32_t>{5, 6, 7});
    Storage<uint32_t> s(std::span<const uint32_t>(*owner), owner);
    QVERIFY(s.isView());
    QCOMPARE(s.data(), owner->data());
    QCOMPARE(s.capacity(), size_t{0});   // nothing on the heap
    const Storage<uint32_t> shared = s;  // a copy shares the view
    QCOMPARE(shared.data(), owner->data());
    QCOMPARE(owner.use_count(), 3L);

    s.mutableAt(0) = 9;
    QVERIFY(!s.isView());
    QVERIFY(s.data() != owner->data());
    QCOMPARE(s, Storage<uint32_t>(std::vector<uint32_t>{9, 6, 7}));
    QCOMPARE(owner->front(), 5u);  // the viewed bytes are as they were
    QCOMPARE(shared[0], 5u);
    QCOMPARE(owner.use_count(), 2L);  // the changed copy no longer holds the owner
  }

  void readerViewsArraysOnlyWhenItKnowsTheirOwner() {
    const auto words = arrayBytes({10, 20, 30});
    Storage<uint32_t> viewed, copied;
    ByteReader withOwner(bytesOf(*words), words);
    QVERIFY(withOwner.getArray(viewed));
    QVERIFY(viewed.isView());
    QCOMPARE(reinterpret_cast<const void*>(viewed.data()),
             reinterpret_cast<const void*>(words->data() + 1));
    ByteReader withoutOwner(bytesOf(*words));
    QVERIFY(withoutOwner.getArray(copied));
    QVERIFY(!copied.isView());
    QCOMPARE(copied, viewed);
    QCOMPARE(copied, Storage<uint32_t>(std::vector<uint32_t>{10, 20, 30}));
  }

  void misalignedArraysAreCopied() {
    const auto words = arrayBytes({1, 2});
    // The same array one byte into a buffer: its elements are not 4-aligned there.
    auto shifted = std::make_shared<std::vector<char>>(bytesOf(*words).size() + 16, '\0');
    const size_t skew = 8 - reinterpret_cast<uintptr_t>(shifted->data()) % 8 + 1;
    std::memcpy(shifted->data() + skew, words->data(), bytesOf(*words).size());
    // Padding is counted from the section's start, so the elements stay 8 bytes past it.
    ByteReader in(std::string_view(shifted->data() + skew, bytesOf(*words).size()), shifted);
    Storage<uint32_t> s;
    QVERIFY(in.getArray(s));
    QVERIFY(!s.isView());
    QCOMPARE(s, Storage<uint32_t>(std::vector<uint32_t>{1, 2}));
  }
};

QTEST_APPLESS_MAIN(TestStorage)
#include "tst_storage.moc"
