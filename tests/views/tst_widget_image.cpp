#include <QFile>
#include <QImage>
#include <QLabel>
#include <QTemporaryDir>
#include <QTest>

#include "common/widget_image.h"

class TestWidgetImage : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  // PNG at twice the widget's size, SVG with the widget's size as its view box; a bad path fails
  // with a reason and leaves no file.
  void savesPngAndSvg() {
    QLabel label(QStringLiteral("MemLens export"));
    label.resize(200, 50);
    QTemporaryDir dir;
    QString error;
    const QString png = dir.filePath(QStringLiteral("a.png"));
    QVERIFY2(memlens::views::saveWidgetImage(label, png, &error), qPrintable(error));
    const QImage image(png);
    QCOMPARE(image.size(), QSize(400, 100));

    const QString svg = dir.filePath(QStringLiteral("a.svg"));
    QVERIFY2(memlens::views::saveWidgetImage(label, svg, &error), qPrintable(error));
    QFile file(svg);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY(text.contains("<svg"));
    QVERIFY2(text.contains("viewBox=\"0 0 200 50\""), text.left(600).constData());

    QVERIFY(
        !memlens::views::saveWidgetImage(label, QStringLiteral("/nonexistent-dir/a.png"), &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!QFile::exists(QStringLiteral("/nonexistent-dir/a.png")));
  }
};

QTEST_MAIN(TestWidgetImage)
#include "tst_widget_image.moc"
