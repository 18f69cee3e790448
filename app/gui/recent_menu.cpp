#include "recent_menu.h"

#include <QMenu>
#include <QSettings>

namespace memlens::gui {

RecentMenu::RecentMenu(QMenu* menu, QString settingsKey, QString emptyText, Describe describe,
                       QObject* parent)
    : QObject(parent),
      menu_(menu),
      key_(std::move(settingsKey)),
      emptyText_(std::move(emptyText)),
      describe_(std::move(describe)) {
  rebuild();
}

void RecentMenu::add(const QStringList& entry) {
  QSettings settings;
  QVariantList recent = settings.value(key_).toList();
  recent.removeAll(QVariant(entry));
  recent.prepend(QVariant(entry));
  while (recent.size() > kMax) recent.removeLast();
  settings.setValue(key_, recent);
  rebuild();
}

void RecentMenu::rebuild() {
  menu_->clear();
  const QVariantList recent = QSettings().value(key_).toList();
  for (const QVariant& value : recent) {
    const QStringList entry = value.toStringList();
    if (entry.isEmpty()) continue;
    QAction* action = menu_->addAction(describe_(entry));
    action->setToolTip(entry.join(QLatin1Char('\n')));
    action->setStatusTip(entry.join(QStringLiteral(", ")));
    connect(action, &QAction::triggered, this, [this, entry] { Q_EMIT chosen(entry); });
  }
  if (menu_->isEmpty()) {
    menu_->addAction(emptyText_)->setEnabled(false);
    return;
  }
  menu_->addSeparator();
  menu_->addAction(tr("Clear Recent"), this, [this] {
    QSettings().remove(key_);
    rebuild();
  });
}

}  // namespace memlens::gui
