#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <functional>

class QMenu;

namespace memlens::gui {

// A File ▸ Open Recent submenu kept in QSettings under one key: entries (each a list of paths),
// newest first, at most kMax, and Clear Recent. Choosing one emits chosen().
class RecentMenu : public QObject {
  Q_OBJECT

 public:
  static constexpr int kMax = 8;
  using Describe = std::function<QString(const QStringList&)>;

  RecentMenu(QMenu* menu, QString settingsKey, QString emptyText, Describe describe,
             QObject* parent);

  // Puts `entry` first.
  void add(const QStringList& entry);

 Q_SIGNALS:
  void chosen(const QStringList& entry);

 private:
  void rebuild();

  QMenu* menu_;
  QString key_;
  QString emptyText_;
  Describe describe_;
};

}  // namespace memlens::gui
