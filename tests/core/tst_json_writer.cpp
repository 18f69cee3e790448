#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <cmath>

#include "memlens/json_writer.h"

using memlens::JsonWriter;

class TestJsonWriter : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void nestedValuesParseBack() {
    JsonWriter w;
    w.beginObject()
        .field("text", std::string_view("quote \" backslash \\ tab \t nl \n bell \x07 ü"))
        .field("n", uint64_t{18446744073709551615ull})
        .field("neg", int64_t{-3})
        .field("pi", 3.25)
        .field("nan", std::nan(""))
        .field("yes", true);
    w.key("list")
        .beginArray()
        .value(1)
        .beginObject()
        .endObject()
        .beginArray()
        .endArray()
        .null()
        .endArray();
    w.key("empty").beginObject().endObject().endObject();

    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(w.str()), &error);
    QVERIFY2(error.error == QJsonParseError::NoError,
             qPrintable(error.errorString() + " in " + QString::fromStdString(w.str())));
    const QJsonObject o = doc.object();
    QCOMPARE(o["text"].toString(),
             QString::fromUtf8("quote \" backslash \\ tab \t nl \n bell \x07 ü"));
    QCOMPARE(o["neg"].toInt(), -3);
    QCOMPARE(o["pi"].toDouble(), 3.25);
    QVERIFY(o["nan"].isNull());
    QCOMPARE(o["yes"].toBool(), true);
    QCOMPARE(o["list"].toArray().size(), 4);
    QVERIFY(o["list"].toArray()[3].isNull());
    QVERIFY(o["empty"].toObject().isEmpty());
    QVERIFY(w.str().find("18446744073709551615") != std::string::npos);
  }
};

QTEST_GUILESS_MAIN(TestJsonWriter)
#include "tst_json_writer.moc"
