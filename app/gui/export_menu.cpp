#include "export_menu.h"

#include <QChart>
#include <QChartView>
#include <QDir>
#include <QFileDialog>
#include <QGroupBox>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>
#include <QSaveFile>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>

#include "common/model_csv.h"
#include "common/widget_image.h"
#include "inspect/contribution_heatmap.h"
#include "inspect/inspect_widget.h"
#include "memlens/trace_json.h"

namespace memlens::gui {

namespace {

// What a part of a tab is called: its chart's title, else the title of the box around it.
QString partName(QWidget* widget) {
  if (auto* view = qobject_cast<QChartView*>(widget); view && !view->chart()->title().isEmpty()) {
    return view->chart()->title();
  }
  for (QWidget* w = widget; w; w = w->parentWidget()) {
    if (auto* box = qobject_cast<QGroupBox*>(w); box && !box->title().isEmpty())
      return box->title();
  }
  return widget->objectName();
}

// A file name from a part's name: "Learning curve of run 2" → "learning-curve-of-run-2".
QString fileStem(const QString& name) {
  QString stem;
  for (QChar c : name.toLower()) stem += c.isLetterOrNumber() ? c : QLatin1Char('-');
  while (stem.contains(QStringLiteral("--")))
    stem.replace(QStringLiteral("--"), QStringLiteral("-"));
  return stem.isEmpty() ? QStringLiteral("export") : stem;
}

}  // namespace

ExportMenu::ExportMenu(QMenu* menu, QTabWidget* tabs, Runs runs, QMainWindow* window)
    : QObject(menu), menu_(menu), tabs_(tabs), runs_(std::move(runs)), window_(window) {
  connect(menu_, &QMenu::aboutToShow, this, &ExportMenu::rebuild);
  rebuild();  // so the menu is never empty, even before it first opens
}

void ExportMenu::rebuild() {
  menu_->clear();
  QWidget* tab = tabs_->currentWidget();
  QList<QWidget*> images;
  for (QChartView* chart : tab->findChildren<QChartView*>()) images.append(chart);
  for (views::ContributionHeatmap* map : tab->findChildren<views::ContributionHeatmap*>())
    images.append(map);
  for (QWidget* image : images) {
    if (!image->isVisible()) continue;
    const QString name = partName(image);
    for (const QString& suffix : {QStringLiteral("png"), QStringLiteral("svg")}) {
      menu_->addAction(tr("“%1” as %2…").arg(name, suffix.toUpper()), this,
                       [this, image, name, suffix] { saveImage(image, name, suffix); });
    }
  }
  if (!menu_->isEmpty()) menu_->addSeparator();
  for (QTableView* table : tab->findChildren<QTableView*>()) {
    if (!table->isVisible() || !table->model()) continue;
    const QString name = partName(table);
    menu_->addAction(tr("“%1” table as CSV…").arg(name), this,
                     [this, table, name] { saveTable(table, name); });
  }
  if (!menu_->isEmpty()) menu_->addSeparator();
  const size_t runs = runs_().size();
  QAction* json =
      menu_->addAction(runs == 1 ? tr("The run as JSON…") : tr("All %1 runs as JSON…").arg(runs),
                       this, &ExportMenu::saveRuns);
  json->setEnabled(runs > 0);
  json->setToolTip(
      tr("Every run of this session: corpus checksums, options, split, sizes and metrics"));
  const auto* inspect = tabs_->findChild<views::InspectWidget*>();
  QAction* trace = menu_->addAction(tr("Trace as JSON…"), this, &ExportMenu::saveTrace);
  trace->setEnabled(inspect && inspect->snapshot());
  trace->setToolTip(
      tr("The trace on the Inspect tab: context, vote, probabilities, tree path, "
         "neighbours or slots with their provenance"));
}

QString ExportMenu::askPath(const QString& title, const QString& name, const QString& filter) {
  const QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
  return QFileDialog::getSaveFileName(window_, title, QDir(folder).filePath(name), filter);
}

void ExportMenu::saveImage(QWidget* widget, const QString& name, const QString& suffix) {
  const QString path =
      askPath(tr("Export %1").arg(name), fileStem(name) + QLatin1Char('.') + suffix,
              suffix == QLatin1String("svg") ? tr("SVG images (*.svg)") : tr("PNG images (*.png)"));
  if (path.isEmpty()) return;
  QString error;
  const bool ok = views::saveWidgetImage(*widget, path, &error);
  report(name, path, ok, error);
}

void ExportMenu::saveTable(QWidget* table, const QString& name) {
  const QString path = askPath(tr("Export %1").arg(name), fileStem(name) + QStringLiteral(".csv"),
                               tr("CSV files (*.csv)"));
  if (path.isEmpty()) return;
  QString error;
  const bool ok = views::writeModelCsv(*static_cast<QTableView*>(table)->model(), path, &error);
  report(name, path, ok, error);
}

QByteArray ExportMenu::runsJson(const std::vector<std::shared_ptr<const RunRecord>>& runs) {
  QByteArray json = "[\n";
  for (size_t i = 0; i < runs.size(); ++i) {
    json += QByteArray::fromStdString(runs[i]->toJson());
    json += i + 1 < runs.size() ? ",\n" : "\n";
  }
  return json + "]\n";
}

QByteArray ExportMenu::traceJson(const views::InspectSnapshot& snapshot) {
  return QByteArray::fromStdString(snapshot.json()) + '\n';
}

void ExportMenu::saveRuns() {
  saveJson(tr("the runs"), QStringLiteral("memlens-runs.json"), runsJson(runs_()));
}

void ExportMenu::saveTrace() {
  const auto* inspect = tabs_->findChild<views::InspectWidget*>();
  const auto snapshot = inspect ? inspect->snapshot() : nullptr;
  if (!snapshot) return;
  saveJson(tr("the trace"), QStringLiteral("memlens-trace.json"), traceJson(*snapshot));
}

// QSaveFile writes beside the target and renames it into place on commit: a failed write
// leaves any previous file as it was.
void ExportMenu::saveJson(const QString& what, const QString& name, const QByteArray& json) {
  const QString path = askPath(tr("Export %1").arg(what), name, tr("JSON files (*.json)"));
  if (path.isEmpty()) return;
  QSaveFile file(path);
  const bool ok = file.open(QIODevice::WriteOnly) && file.write(json) >= 0 && file.commit();
  report(what, path, ok, file.errorString());
}

void ExportMenu::report(const QString& what, const QString& path, bool ok, const QString& error) {
  if (ok) {
    window_->statusBar()->showMessage(
        tr("Exported %1 to %2.").arg(what, QDir::toNativeSeparators(path)), 8000);
    return;
  }
  auto* box = new QMessageBox(
      QMessageBox::Warning, tr("Could not export"),
      tr("MemLens could not write %1 to %2.").arg(what, QDir::toNativeSeparators(path)),
      QMessageBox::Ok, window_);
  box->setInformativeText(error);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();
}

}  // namespace memlens::gui
