#include <QProcess>
#include <QtTest>

#include <random>

#include "base/sha256.h"
#include "test_support.h"

using memlens::Sha256;

class TestSha256 : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void standardVectors() {  // FIPS 180-4 examples
    QCOMPARE(Sha256::of(""),
             std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    QCOMPARE(Sha256::of("abc"),
             std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    QCOMPARE(Sha256::of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
             std::string("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
  }

  // Every length around the block and padding boundaries, fed in uneven pieces, against the
  // system's sha256sum.
  void matchesSha256sum() {
    std::mt19937 rng(3);
    QTemporaryDir dir;
    for (size_t length : {1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 1000, 100003}) {
      std::string data(length, '\0');
      for (char& c : data) c = static_cast<char>(rng());
      const std::string path = memlens::test::writeFile(dir, "f", data);
      QProcess p;
      p.start("sha256sum", {QString::fromStdString(path)});
      QVERIFY(p.waitForFinished());
      const std::string expected = p.readAllStandardOutput().left(64).toStdString();

      Sha256 h;
      for (size_t pos = 0; pos < data.size();) {
        const size_t piece = std::min<size_t>(1 + rng() % 97, data.size() - pos);
        h.update(std::string_view(data).substr(pos, piece));
        pos += piece;
      }
      QCOMPARE(h.hex(), expected);
    }
  }
};

QTEST_GUILESS_MAIN(TestSha256)
#include "tst_sha256.moc"
