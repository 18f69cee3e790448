// Draws the MemLens application icon at one size and saves it as PNG: a grid of memory slots,
// three of them lit as the neighbours of a query, under a magnifying lens. Drawn in code so the
// hicolor PNGs are generated at build time from this one source.
// Usage: draw_icon SIZE OUT.png
#include <QImage>
#include <QPainter>
#include <QPainterPath>
#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: draw_icon SIZE OUT.png\n");
    return 2;
  }
  const int size = std::atoi(argv[1]);
  if (size < 8 || size > 1024) {
    std::fprintf(stderr, "draw_icon: size must be 8 to 1024\n");
    return 2;
  }
  QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::transparent);
  QPainter p(&image);
  p.setRenderHint(QPainter::Antialiasing);
  p.scale(size / 64.0, size / 64.0);  // drawn on a 64 × 64 canvas

  QPainterPath tile;
  tile.addRoundedRect(QRectF(2, 2, 60, 60), 12, 12);
  p.fillPath(tile, QColor(0x1f, 0x3b, 0x5c));

  // 4 × 4 slots; three neighbours lit.
  const QColor slot(0x9f, 0xb3, 0xc8), lit(0xf2, 0xa5, 0x41);
  for (int r = 0; r < 4; ++r) {
    for (int c = 0; c < 4; ++c) {
      const bool neighbour = (r == 1 && c == 1) || (r == 1 && c == 2) || (r == 2 && c == 1);
      p.setPen(Qt::NoPen);
      p.setBrush(neighbour ? lit : slot);
      p.drawEllipse(QPointF(14 + c * 12, 14 + r * 12), neighbour ? 4.2 : 3.2,
                    neighbour ? 4.2 : 3.2);
    }
  }
  // The lens over the lit slots, its handle to the lower right.
  p.setBrush(Qt::NoBrush);
  p.setPen(QPen(Qt::white, 3.5, Qt::SolidLine, Qt::RoundCap));
  p.drawEllipse(QPointF(26, 26), 13, 13);
  p.setPen(QPen(Qt::white, 6, Qt::SolidLine, Qt::RoundCap));
  p.drawLine(QPointF(36, 36), QPointF(50, 50));
  p.end();
  if (!image.save(QString::fromLocal8Bit(argv[2]), "PNG")) {
    std::fprintf(stderr, "draw_icon: cannot write %s\n", argv[2]);
    return 1;
  }
  return 0;
}
