#pragma once

// What the Memory tab's tests check its previews against: a reference EditedMemory of their own,
// and the change list as the page shows it.
#include <QTableView>
#include <QtTest>
#include <optional>
#include <tuple>
#include <vector>

#include "find_child.h"
#include "memlens/edited_memory.h"
#include "memory/changed_token_model.h"
#include "memory/memory_browser_widget.h"
#include "memory/memory_table_model.h"
#include "memory_controller.h"

namespace memlens::test {

using gui::MemoryController;
using views::ChangedTokenModel;
using views::MemoryBrowserWidget;

inline std::vector<uint32_t> predictions(const memlens::Classifier& c,
                                         const memlens::InstanceSet& probe) {
  std::vector<uint32_t> out;
  for (const memlens::Prediction& p : *c.predict(probe)) out.push_back(p.classId);
  return out;
}

// The change list as (test index, before, after), read back from the model's cells.
inline std::vector<std::tuple<int, QString, QString>> shownChanges(const ChangedTokenModel& model) {
  std::vector<std::tuple<int, QString, QString>> rows;
  for (int row = 0; row < model.rowCount(); ++row) {
    rows.emplace_back(
        model.index(row, 0).data(static_cast<int>(ChangedTokenModel::Role::ProbeIndex)).toInt(),
        model.index(row, ChangedTokenModel::kBefore).data().toString(),
        model.index(row, ChangedTokenModel::kAfter).data().toString());
  }
  return rows;
}

inline std::vector<std::tuple<int, QString, QString>> expectedChanges(
    const memlens::Experiment& e, const std::vector<memlens::ChangedToken>& changed,
    bool reversed) {
  const auto text = [&e](uint32_t id) {
    return QString::fromStdString(std::string(e.corpus().vocab.text(id)));
  };
  std::vector<std::tuple<int, QString, QString>> rows;
  for (const memlens::ChangedToken& c : changed) {
    rows.emplace_back(static_cast<int>(c.probeIndex), text(reversed ? c.newClassId : c.oldClassId),
                      text(reversed ? c.oldClassId : c.newClassId));
  }
  return rows;
}

// The reference the tab's previews are checked against: an EditedMemory of its own (with
// `keptWeights`, the trained weights fixed, as the tab keeps them when asked to).
inline std::unique_ptr<memlens::EditedMemory> referenceMemory(
    const std::shared_ptr<const memlens::Experiment>& trained, bool keptWeights = false) {
  memlens::ClassifierOptions options = trained->record().options.classifier;
  if (keptWeights) options.fixedWeights = trained->classifier().weights();
  return std::move(*memlens::EditedMemory::create(
      std::shared_ptr<const memlens::TokenisedCorpus>(trained, &trained->corpus()),
      trained->train(),
      trained->test().slice(0, std::min(trained->test().size(), MemoryController::kProbeTokens)),
      options));
}

// The preview of deleting the first vector in the table's order whose deletion changes a probe
// prediction of `reference`, and its `row`; none when no deletion changes any.
inline std::optional<memlens::EditedMemory::Preview> firstFlippingDeletion(
    const MemoryBrowserWidget& page, const memlens::InstanceBase& base,
    const memlens::EditedMemory& reference, int& row) {
  for (row = 0; row < page.model()->rowCount(); ++row) {
    memlens::MemoryEdit edit;
    edit.kind = memlens::EditKind::kDeleteVector;
    const auto v = base.vector(page.model()->storedVector(row));
    edit.features.assign(v.begin(), v.end());
    auto preview = reference.preview(edit);
    if (preview.isOk() && !preview->changed.empty()) return std::move(*preview);
  }
  return std::nullopt;
}

// Previews through the tab deleting the vector firstFlippingDeletion() finds for `reference`, and
// returns the reference's preview of it: none when no deletion flips a token or the tab's preview
// did not settle.
inline std::optional<memlens::EditedMemory::Preview> previewFlippingDeletion(
    MemoryBrowserWidget* page, MemoryController* controller, const memlens::Experiment& trained,
    const memlens::EditedMemory& reference) {
  int row = 0;
  auto expected = firstFlippingDeletion(*page, trained.classifier().memory(), reference, row);
  if (!expected) return std::nullopt;
  QSignalSpy settled(controller, &MemoryController::settled);
  child<QTableView>(page, "memoryTable")->selectRow(row);
  QTest::mouseClick(child<QPushButton>(page, "memoryDelete"), Qt::LeftButton);
  if (!settled.wait(60000)) return std::nullopt;
  return expected;
}

}  // namespace memlens::test
