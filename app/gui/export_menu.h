#pragma once

#include <QObject>
#include <functional>
#include <memory>
#include <vector>

#include "memlens/run_record.h"

class QMainWindow;
class QMenu;
class QTabWidget;
class QWidget;

namespace memlens::views {
struct InspectSnapshot;
}

namespace memlens::gui {

// File ▸ Export: filled each time it opens with what the current tab shows: each visible chart or
// heatmap as PNG or SVG, each visible table as CSV; then every run of the session as JSON (core's
// run records) and the trace on the Inspect tab as JSON (core's trace format, as `memlens-cli
// explain --json` prints it; disabled while the tab shows none). Writes are all or nothing; the
// status bar confirms one, a message box says why one failed.
class ExportMenu : public QObject {
  Q_OBJECT

 public:
  using Runs = std::function<std::vector<std::shared_ptr<const RunRecord>>()>;

  ExportMenu(QMenu* menu, QTabWidget* tabs, Runs runs, QMainWindow* window);

  // The runs' records as one JSON array.
  static QByteArray runsJson(const std::vector<std::shared_ptr<const RunRecord>>& runs);
  // The core trace behind an Inspect snapshot as one JSON object.
  static QByteArray traceJson(const views::InspectSnapshot& snapshot);

 private:
  void rebuild();
  QString askPath(const QString& title, const QString& name, const QString& filter);
  void saveImage(QWidget* widget, const QString& name, const QString& suffix);
  void saveTable(QWidget* table, const QString& name);
  void saveRuns();
  void saveTrace();
  void saveJson(const QString& what, const QString& name, const QByteArray& json);
  void report(const QString& what, const QString& path, bool ok, const QString& error);

  QMenu* menu_;
  QTabWidget* tabs_;
  Runs runs_;
  QMainWindow* window_;
};

}  // namespace memlens::gui
