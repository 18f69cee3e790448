#include "memory/memory_snapshot.h"

#include <QLocale>
#include <algorithm>
#include <numeric>
#include <string>

#include "common/token_text.h"

namespace memlens::views {

MemorySnapshot MemorySnapshot::of(std::shared_ptr<const Experiment> experiment,
                                  std::vector<SlotUsage> usage, uint64_t usageTokens) {
  MemorySnapshot s;
  s.experiment = std::move(experiment);
  s.usage = std::move(usage);
  s.usageTokens = usageTokens;
  const InstanceBase& base = s.memory();
  const uint32_t n = base.vectorCount();
  s.instanceCounts.resize(n);
  s.firstSources.resize(n);
  for (uint32_t id = 0; id < n; ++id) {
    uint32_t count = 0;
    for (const ClassCount& c : base.distribution(id)) count += c.count;
    s.instanceCounts[id] = count;
  }
  // InstanceBase keeps sources as per-vector lists; the first one of each is the first instance
  // (in training order) merged into it.
  std::vector<bool> seen(n, false);
  const InstanceSet& train = s.experiment->train();
  uint32_t found = 0;
  for (size_t i = 0; i < train.size() && found < n; ++i) {
    const uint32_t id = base.find(train.instance(i));
    if (id == InstanceBase::kNone || seen[id]) continue;
    seen[id] = true;
    s.firstSources[id] = train.sources[i];
    ++found;
  }
  s.byCount.resize(n);
  std::iota(s.byCount.begin(), s.byCount.end(), 0u);
  std::ranges::stable_sort(s.byCount, [&s](uint32_t a, uint32_t b) {
    return s.instanceCounts[a] > s.instanceCounts[b];
  });
  return s;
}

QString MemorySnapshot::tokenText(uint32_t id) const {
  return views::tokenText(experiment->corpus().vocab, id);
}

QString MemorySnapshot::contextText(uint32_t id) const {
  QStringList words;
  for (uint32_t v : memory().vector(id)) words.append(tokenText(v));
  return words.join(QLatin1Char(' '));
}

QString MemorySnapshot::targetsText(uint32_t id, size_t limit) const {
  const auto d = memory().distribution(id);
  std::vector<ClassCount> counts(d.begin(), d.end());
  std::ranges::stable_sort(
      counts, [](const ClassCount& a, const ClassCount& b) { return a.count > b.count; });
  const size_t shown = limit == 0 ? counts.size() : std::min(limit, counts.size());
  QStringList parts;
  for (size_t i = 0; i < shown; ++i) {
    parts.append(QStringLiteral("%1 ×%2")
                     .arg(tokenText(memory().classId(counts[i].classIndex)))
                     .arg(counts[i].count));
  }
  QString text = parts.join(QStringLiteral(", "));
  if (shown < counts.size()) text += QStringLiteral(", … (%1 classes)").arg(counts.size());
  return text;
}

QString MemorySnapshot::sourceText(uint64_t source) const {
  return views::sourceText(experiment->corpus(), source);
}

std::vector<uint32_t> MemorySnapshot::select(const QString& token, MemoryFilterScope scope,
                                             MemoryOrder order, bool* known) const {
  const bool byInstances =
      order == MemoryOrder::kMostInstances || order == MemoryOrder::kFewestInstances;
  std::vector<uint32_t> ids;
  const std::string text = token.trimmed().toStdString();
  const uint32_t wanted =
      text.empty() ? Vocabulary::kUnknown : experiment->corpus().vocab.lookup(text);
  if (known) *known = text.empty() || wanted != Vocabulary::kUnknown;
  if (!text.empty() && wanted == Vocabulary::kUnknown) return ids;
  const InstanceBase& base = memory();
  const uint32_t wantedClass = text.empty() ? InstanceBase::kNone : base.classIndex(wanted);
  const auto picks = [&](uint32_t id) {
    if (text.empty()) return true;
    if (scope != MemoryFilterScope::kTargets && std::ranges::count(base.vector(id), wanted) > 0)
      return true;
    if (scope == MemoryFilterScope::kContext || wantedClass == InstanceBase::kNone) return false;
    return std::ranges::any_of(base.distribution(id), [wantedClass](const ClassCount& c) {
      return c.classIndex == wantedClass;
    });
  };
  const uint32_t n = vectorCount();
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t id = byInstances ? byCount[i] : i;
    if (picks(id)) ids.push_back(id);
  }
  if (order == MemoryOrder::kIdDescending || order == MemoryOrder::kFewestInstances) {
    std::ranges::reverse(ids);
  }
  return ids;
}

}  // namespace memlens::views
