#pragma once

#include <QWidget>
#include <memory>

#include "generate/generation_snapshot.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QTextBrowser;

namespace memlens::views {

// The Generate page: a prompt, how many tokens to add, greedy or top-k sampling with a seed, and
// the continuation, each generated token a link (its probability in the tooltip) that asks to
// inspect the context it was predicted from. It only renders; the window generates.
class GenerateWidget : public QWidget {
  Q_OBJECT

 public:
  explicit GenerateWidget(QWidget* parent = nullptr);

  // Whether there is a memory to generate with; without one the page says to train first.
  void setMemoryAvailable(bool available);
  // Which memory the next generation uses (trained or edited, its size), beside the prompt.
  void setMemoryDescription(const QString& description);
  void setRunning(bool running);
  void setSnapshot(std::shared_ptr<const GenerationSnapshot> snapshot);
  void showMessage(const QString& message);

  QString prompt() const;
  GenerationOptions options() const;
  std::shared_ptr<const GenerationSnapshot> snapshot() const { return snapshot_; }

  // The link of generated token `index` in the output.
  static QUrl tokenUrl(int index);

 Q_SIGNALS:
  void generateRequested();
  void cancelRequested();
  // The user clicked generated token `index` (of snapshot()->tokens).
  void tokenActivated(int index);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void updateModeControls();
  void render();
  int tokenAt(const QString& href) const;

  std::shared_ptr<const GenerationSnapshot> snapshot_;
  QStackedWidget* pages_;
  QLineEdit* prompt_;
  QLabel* memory_;
  QSpinBox* tokens_;
  QComboBox* mode_;
  QLabel* topKLabel_;
  QSpinBox* topK_;
  QLabel* seedLabel_;
  QSpinBox* seed_;
  QPushButton* generate_;
  QPushButton* cancel_;
  QLabel* status_;
  QTextBrowser* output_;
};

}  // namespace memlens::views
