#include "memory/memory_snapshot.h"

#include <QLocale>
#include <algorithm>
#include <iterator>
#include <numeric>
#include <string>

#include "common/token_text.h"
#include "memlens/vector_instance_order.h"

namespace memlens::views {

MemorySnapshot MemorySnapshot::of(std::shared_ptr<const Experiment> experiment,
                                  std::vector<SlotUsage> usage, uint64_t usageTokens) {
  MemorySnapshot s;
  s.experiment = std::move(experiment);
  s.usage = std::move(usage);
  s.usageTokens = usageTokens;
  return s;
}

MemorySnapshot MemorySnapshot::withUsage(std::vector<SlotUsage> census, uint64_t tokens) const {
  MemorySnapshot s = *this;
  s.usage = std::move(census);
  s.usageTokens = tokens;
  return s;
}

uint32_t MemorySnapshot::instanceCount(uint32_t id) const { return vectorInstances(memory(), id); }

Result<std::shared_ptr<const std::vector<uint32_t>>> MemorySnapshot::byCount(
    JobControl* job) const {
  std::lock_guard lock(lookups_->ordering);
  if (!lookups_->byCount) {
    auto ordered = vectorsByInstances(memory(), job);
    if (!ordered) return ordered.status();
    lookups_->byCount = std::make_shared<const std::vector<uint32_t>>(std::move(*ordered));
    lookups_->ordered.store(true, std::memory_order_release);
  }
  return lookups_->byCount;
}

std::shared_ptr<const std::vector<uint32_t>> MemorySnapshot::byCountIfMade() const {
  // Set once before the flag, never after: readable without the lock.
  return lookups_->ordered.load(std::memory_order_acquire) ? lookups_->byCount : nullptr;
}

Result<const VectorTokenIndex*> MemorySnapshot::tokenIndex(JobControl* job) const {
  std::lock_guard lock(lookups_->indexing);
  if (!lookups_->index) {
    auto built = VectorTokenIndex::build(memory(), job);
    if (!built) return built.status();
    lookups_->index = std::make_unique<const VectorTokenIndex>(std::move(*built));
  }
  return lookups_->index.get();
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
  const size_t shown = limit == 0 ? d.size() : std::min(limit, d.size());
  // The `shown` largest, ties in distribution order: a partial sort of positions, as the rows by
  // instances start with vectors of thousands of classes and a row shows three.
  std::vector<uint32_t> at(d.size());
  std::iota(at.begin(), at.end(), 0u);
  std::ranges::partial_sort(at, at.begin() + static_cast<std::ptrdiff_t>(shown),
                            [&d](uint32_t a, uint32_t b) {
                              return d[a].count != d[b].count ? d[a].count > d[b].count : a < b;
                            });
  QStringList parts;
  for (size_t i = 0; i < shown; ++i) {
    parts.append(QStringLiteral("%1 ×%2")
                     .arg(tokenText(memory().classId(d[at[i]].classIndex)))
                     .arg(d[at[i]].count));
  }
  QString text = parts.join(QStringLiteral(", "));
  if (shown < d.size()) text += QStringLiteral(", … (%1 classes)").arg(d.size());
  return text;
}

QString MemorySnapshot::sourceText(uint64_t source) const {
  return views::sourceText(experiment->corpus(), source);
}

bool MemorySnapshot::knows(const QString& token) const {
  const std::string text = token.trimmed().toStdString();
  return text.empty() || experiment->corpus().vocab.lookup(text) != Vocabulary::kUnknown;
}

Result<std::vector<uint32_t>> MemorySnapshot::select(const QString& token, MemoryFilterScope scope,
                                                     MemoryOrder order, JobControl* job) const {
  const bool byInstances =
      order == MemoryOrder::kMostInstances || order == MemoryOrder::kFewestInstances;
  std::vector<uint32_t> ids;
  const std::string text = token.trimmed().toStdString();
  const uint32_t wanted =
      text.empty() ? Vocabulary::kUnknown : experiment->corpus().vocab.lookup(text);
  if (!text.empty() && wanted == Vocabulary::kUnknown) return ids;
  const uint32_t n = vectorCount();
  if (job) job->report(0.0, byInstances ? "ordering by instances" : "filtering");
  std::shared_ptr<const std::vector<uint32_t>> sorted;
  if (byInstances) {
    auto ordered = byCount(job);
    if (!ordered) return ordered.status();
    sorted = std::move(*ordered);
  }
  if (text.empty()) {
    ids = sorted ? *sorted : std::vector<uint32_t>(n);
    if (!sorted) std::iota(ids.begin(), ids.end(), 0u);
  } else {
    const auto index = tokenIndex(job);
    if (!index) return index.status();
    const uint32_t wantedClass = memory().classIndex(wanted);
    const auto inContext = scope != MemoryFilterScope::kTargets ? (*index)->withValue(wanted)
                                                                : std::span<const uint32_t>();
    const auto inTargets =
        scope != MemoryFilterScope::kContext && wantedClass != InstanceBase::kNone
            ? (*index)->withClass(wantedClass)
            : std::span<const uint32_t>();
    ids.reserve(inContext.size() + inTargets.size());
    std::ranges::set_union(inContext, inTargets, std::back_inserter(ids));
    if (sorted) {
      // The picked ones in the instance order: one pass over it, cheaper than sorting them.
      std::vector<bool> picked(n);
      for (uint32_t id : ids) picked[id] = true;
      ids.clear();
      for (uint32_t id : *sorted)
        if (picked[id]) ids.push_back(id);
    }
  }
  if (order == MemoryOrder::kIdDescending || order == MemoryOrder::kFewestInstances) {
    std::ranges::reverse(ids);
  }
  return ids;
}

}  // namespace memlens::views
