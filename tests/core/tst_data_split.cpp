#include <QtTest>

#include "memlens/data_split.h"
#include "memlens/instance_builder.h"
#include "test_support.h"

using namespace memlens;
using memlens::test::SpaceTokeniser;
using memlens::test::writeFile;

class TestDataSplit : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  std::unique_ptr<Corpus> corpus_;
  Vocabulary vocab_;
  TokenStream tokens_;

 private Q_SLOTS:
  void initTestCase() {
    std::string text;
    for (int i = 0; i < 10000; ++i)
      text += "w" + std::to_string(i % 13) + " v" + std::to_string(i % 7) + "\n";
    corpus_ = std::move(*Corpus::open({writeFile(dir_, "c.txt", text)}));
    SpaceTokeniser tokeniser;
    tokens_ = std::move(*TokenStream::tokenise(*corpus_, tokeniser, vocab_));
  }

  void fractionsAndDeterminism() {
    auto split = DataSplit::make({});
    QVERIFY(split.isOk());
    int counts[3] = {0, 0, 0};
    for (size_t l = 0; l < tokens_.lineCount(); ++l) ++counts[int(split->partOfLine(tokens_, l))];
    // 10,000 lines at 80/10/10: binomial standard deviations are 40 and 30 lines.
    QVERIFY2(std::abs(counts[0] - 8000) < 200, qPrintable(QString::number(counts[0])));
    QVERIFY2(std::abs(counts[1] - 1000) < 150, qPrintable(QString::number(counts[1])));
    QVERIFY2(std::abs(counts[2] - 1000) < 150, qPrintable(QString::number(counts[2])));

    auto again = DataSplit::make({});
    SplitOptions otherSeed;
    otherSeed.seed = 2;
    auto other = DataSplit::make(otherSeed);
    int differences = 0;
    for (size_t l = 0; l < tokens_.lineCount(); ++l) {
      QCOMPARE(again->partOfLine(tokens_, l), split->partOfLine(tokens_, l));
      differences += other->partOfLine(tokens_, l) != split->partOfLine(tokens_, l);
    }
    QVERIFY(differences > 1000);
  }

  void selectKeepsWholeLines() {
    auto split = DataSplit::make({});
    auto all = buildInstances(tokens_, vocab_.paddingId(), {2, BlockMode::kLine});
    QVERIFY(all.isOk());
    size_t total = 0;
    for (SplitPart part : {SplitPart::kTrain, SplitPart::kValidation, SplitPart::kTest}) {
      const InstanceSet selected = split->select(*all, tokens_, part);
      total += selected.size();
      QCOMPARE(selected.width, 2);
      QCOMPARE(selected.features.size(), selected.size() * 2);
      for (size_t i = 0; i < selected.size(); ++i) {
        QCOMPARE(split->partOfToken(tokens_, selected.sources[i]), part);
        QCOMPARE(selected.classes[i], tokens_.id(selected.sources[i]));
      }
    }
    QCOMPARE(total, all->size());
  }

  void badFractions() {
    for (auto [train, validation] : {std::pair{0.0, 0.1}, {0.95, 0.1}, {0.8, -0.1}}) {
      SplitOptions o;
      o.trainFraction = train;
      o.validationFraction = validation;
      QCOMPARE(DataSplit::make(o).status().code(), Status::Code::kInvalidArgument);
    }
  }
};

QTEST_GUILESS_MAIN(TestDataSplit)
#include "tst_data_split.moc"
