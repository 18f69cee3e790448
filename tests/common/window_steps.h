#pragma once

// Steps a user takes in the main window, shared by the app tests and memlens-screenshots: the
// widgets are found by object name, clicked and typed into with QTest; the window offers no
// scripting entry of its own.
#include <QAbstractItemModel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QString>
#include <QTabWidget>
#include <QTableView>

#include "main_window.h"
#include "memory/memory_table_model.h"

namespace memlens::steps {

// The message box the window shows (a warning it opened, not blocking), or null.
inline QMessageBox* visibleMessageBox(gui::MainWindow& window) {
  for (QMessageBox* box : window.findChildren<QMessageBox*>())
    if (box->isVisible()) return box;
  return nullptr;
}

inline QTabWidget* tabs(gui::MainWindow& window) {
  return window.findChild<QTabWidget*>(QStringLiteral("tabs"));
}

// Shows the tab that holds `widget`.
inline void showTabOf(gui::MainWindow& window, QWidget* widget) {
  for (QWidget* w = widget; w; w = w->parentWidget()) {
    if (const int i = tabs(window)->indexOf(w); i >= 0) return tabs(window)->setCurrentIndex(i);
  }
}

// Shows the tab labelled `name` as on screen ("Train & Evaluate", any case); false when there is
// none.
inline bool showTab(gui::MainWindow& window, const QString& name) {
  QTabWidget* t = tabs(window);
  for (int i = 0; i < t->count(); ++i) {
    QString label = t->tabText(i);
    label.replace(QStringLiteral("&&"), QStringLiteral("\x01")).remove(QLatin1Char('&'));
    label.replace(QLatin1Char('\x01'), QLatin1Char('&'));
    if (label.compare(name, Qt::CaseInsensitive) == 0) {
      t->setCurrentIndex(i);
      return true;
    }
  }
  return false;
}

// Clicks Train on the Train & Evaluate tab, with the options on its form; false when the button
// is disabled (no corpus, a job running) or no training started.
inline bool startTraining(gui::MainWindow& window) {
  auto* button = window.findChild<QPushButton*>(QStringLiteral("trainButton"));
  if (!button->isEnabled()) return false;
  showTabOf(window, button);
  button->click();
  return !button->isEnabled();  // until the job has finished
}

// Selects the Memory tab's row of the stored vector whose context is `context` (its tokens,
// space-separated) and clicks Delete, which previews the deletion; false when there is no such
// row or Delete is disabled (a job running).
inline bool previewDeletion(gui::MainWindow& window, const QString& context) {
  auto* table = window.findChild<QTableView*>(QStringLiteral("memoryTable"));
  auto* button = window.findChild<QPushButton*>(QStringLiteral("memoryDelete"));
  const QAbstractItemModel* rows = table->model();
  int row = 0;
  while (row < rows->rowCount() &&
         rows->index(row, views::MemoryTableModel::kContext).data().toString() != context) {
    ++row;
  }
  if (row == rows->rowCount()) return false;
  table->selectRow(row);
  table->scrollTo(rows->index(row, 0), QAbstractItemView::PositionAtCenter);
  if (!button->isEnabled()) return false;
  button->click();
  return true;
}

}  // namespace memlens::steps
