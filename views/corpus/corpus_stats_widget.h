#pragma once

#include <QWidget>
#include <memory>

#include "memlens/corpus_stats.h"

class QFormLayout;
class QLabel;
class QSplitter;

namespace memlens::views {

class DocumentTableModel;
class TopTypesTableModel;
class TypeTokenChart;

// The corpus overview: summary figures, the most frequent types, the vocabulary growth chart and
// the per-document table, all rendered from one immutable CorpusStats snapshot.
// The summary labels have object names ("tokensValue", ...) so tests and style sheets find them.
class CorpusStatsWidget : public QWidget {
  Q_OBJECT

 public:
  explicit CorpusStatsWidget(QWidget* parent = nullptr);

  // Shows `snapshot` everywhere at once (null shows an empty overview).
  void setSnapshot(const std::shared_ptr<const CorpusStats>& snapshot);

  // Splitter positions, for the main window to keep across sessions.
  QByteArray saveState() const;
  void restoreState(const QByteArray& state);

 private:
  QLabel* addFigure(QFormLayout* form, const QString& name, const char* objectName);

  QLabel* documents_;
  QLabel* bytes_;
  QLabel* lines_;
  QLabel* tokens_;
  QLabel* types_;
  QLabel* hapaxes_;
  QLabel* typeTokenRatio_;
  DocumentTableModel* documentModel_;
  TopTypesTableModel* topTypesModel_;
  TypeTokenChart* chart_;
  QSplitter* columns_;
  QSplitter* rightColumn_;
};

}  // namespace memlens::views
