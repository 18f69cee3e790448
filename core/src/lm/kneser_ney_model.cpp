#include "memlens/kneser_ney_model.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <unordered_map>

#include "base/release_if_cancelled.h"
#include "lm/kneser_ney_level.h"
#include "memfile/byte_reader.h"
#include "memfile/byte_writer.h"

namespace memlens {

namespace {

constexpr int kMaxOrder = 6;
constexpr size_t kPollEvery = 1 << 16;

// Up to kMaxOrder ids, unused tail zero: an n-gram or a context.
struct Gram {
  std::array<uint32_t, kMaxOrder> ids{};
  bool operator==(const Gram&) const = default;
};

struct GramHash {
  size_t operator()(const Gram& g) const {
    uint64_t h = 0x9E3779B97F4A7C15ull;
    for (uint32_t id : g.ids) {
      h ^= id + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    }
    return static_cast<size_t>(h);
  }
};

using GramCounts = std::unordered_map<Gram, uint32_t, GramHash>;

Gram makeGram(std::span<const uint32_t> ids) {
  Gram g;
  std::copy(ids.begin(), ids.end(), g.ids.begin());
  return g;
}

double discountFor(const GramCounts& counts) {
  uint64_t n1 = 0, n2 = 0;
  for (const auto& [gram, c] : counts) {
    n1 += c == 1;
    n2 += c == 2;
  }
  if (n1 == 0) return 0.5;  // no singletons to estimate from
  return static_cast<double>(n1) / static_cast<double>(n1 + 2 * n2);
}

}  // namespace

struct KneserNeyModel::Impl {
  int order = 3;
  uint32_t vocabSize = 0;
  std::vector<double> discount;  // [k-1] for order k
  std::vector<double> unigram;   // vocabSize + 1 entries, last = unknown
  std::vector<double> sortedUnigram;
  std::vector<double> unigramPlogps;  // per outcome u·log2(u), not saved: made on load
  double unigramMass = 0.0;
  double unigramPlogp = 0.0;
  // levels[k-2] holds the contexts (k-1 ids) of order k, for k = 2..order.
  std::vector<KneserNeyLevel> levels;

  void tabulatePlogps() {
    unigramPlogps.resize(unigram.size());
    for (size_t w = 0; w < unigram.size(); ++w)
      unigramPlogps[w] = unigram[w] * std::log2(unigram[w]);
  }

  std::optional<KneserNeyLevel::Followers> find(int k, std::span<const uint32_t> context) const {
    return levels[static_cast<size_t>(k - 2)].find(context.last(static_cast<size_t>(k - 1)));
  }
};

KneserNeyModel::KneserNeyModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
KneserNeyModel::~KneserNeyModel() = default;
int KneserNeyModel::order() const { return impl_->order; }
uint32_t KneserNeyModel::vocabSize() const { return impl_->vocabSize; }
std::vector<double> KneserNeyModel::discounts() const { return impl_->discount; }

struct KneserNeyModel::Counts::Grams {
  GramCounts top;
};

KneserNeyModel::Counts::Counts(int order) : order_(order), grams_(std::make_unique<Grams>()) {}
KneserNeyModel::Counts::Counts(Counts&&) noexcept = default;
KneserNeyModel::Counts& KneserNeyModel::Counts::operator=(Counts&&) noexcept = default;
KneserNeyModel::Counts::~Counts() = default;

Status KneserNeyModel::Counts::add(const InstanceSet& instances, uint32_t vocabSize,
                                   JobControl* job) {
  const int n = order_;
  if (n < 1 || n > kMaxOrder) {
    return Status::invalidArgument("n-gram order must be 1 to " + std::to_string(kMaxOrder));
  }
  if (n - 1 > instances.width && instances.size() > 0) {
    return Status::invalidArgument("an order-" + std::to_string(n) +
                                   " n-gram needs a context width of at least " +
                                   std::to_string(n - 1));
  }
  std::array<uint32_t, kMaxOrder> buf{};
  for (size_t i = 0; i < instances.size(); ++i) {
    if (i % kPollEvery == 0) {
      if (cancelRequested(job)) return Status::cancelled();
      reportProgress(job, static_cast<double>(i) / static_cast<double>(instances.size()),
                     "counting n-grams");
    }
    if (instances.classes[i] >= vocabSize) {
      return Status::invalidArgument("instance " + std::to_string(i) +
                                     " has a class id outside the vocabulary");
    }
    const auto features = instances.instance(i).last(static_cast<size_t>(n - 1));
    std::copy(features.begin(), features.end(), buf.begin());
    buf[static_cast<size_t>(n - 1)] = instances.classes[i];
    ++grams_->top[makeGram({buf.data(), static_cast<size_t>(n)})];
  }
  return Status::ok();
}

std::vector<uint32_t> KneserNeyModel::Counts::records() const {
  const auto n = static_cast<size_t>(order_);
  std::vector<uint32_t> out;
  out.reserve(grams_->top.size() * (n + 1));
  for (const auto& [gram, c] : grams_->top) {
    out.insert(out.end(), gram.ids.begin(), gram.ids.begin() + static_cast<std::ptrdiff_t>(n));
    out.push_back(c);
  }
  return out;
}

bool KneserNeyModel::Counts::addRecords(std::span<const uint32_t> records) {
  const auto n = static_cast<size_t>(order_);
  if (order_ < 1 || order_ > kMaxOrder || records.size() % (n + 1) != 0) return false;
  for (size_t at = 0; at < records.size(); at += n + 1)
    grams_->top[makeGram(records.subspan(at, n))] += records[at + n];
  return true;
}

Result<std::unique_ptr<KneserNeyModel>> KneserNeyModel::train(const InstanceSet& instances,
                                                              uint32_t vocabSize,
                                                              const KneserNeyOptions& options,
                                                              JobControl* job) {
  const int n = options.order;
  if (n < 1 || n > kMaxOrder) {
    return Status::invalidArgument("n-gram order must be 1 to " + std::to_string(kMaxOrder));
  }
  if (n - 1 > instances.width) {
    return Status::invalidArgument("an order-" + std::to_string(n) +
                                   " n-gram needs a context width of at least " +
                                   std::to_string(n - 1));
  }
  if (instances.size() == 0) return Status::invalidArgument("no training instances");
  Counts counts(n);
  ReleaseIfCancelled release(job, counts);  // tens of millions of n-grams at 100M tokens
  if (Status s = counts.add(instances, vocabSize, job); !s) return s;
  return fromCounts(std::move(counts), vocabSize, job);
}

Result<std::unique_ptr<KneserNeyModel>> KneserNeyModel::fromCounts(Counts top, uint32_t vocabSize,
                                                                   JobControl* job) {
  const int n = top.order();
  if (n < 1 || n > kMaxOrder) {
    return Status::invalidArgument("n-gram order must be 1 to " + std::to_string(kMaxOrder));
  }
  if (top.grams_->top.empty()) return Status::invalidArgument("no training instances");
  auto impl = std::make_unique<Impl>();
  impl->order = n;
  impl->vocabSize = vocabSize;
  impl->discount.assign(static_cast<size_t>(n), 0.0);

  // counts[k-1]: raw counts of n-grams at the top order, continuation counts N1+(•g) below.
  std::vector<GramCounts> counts(static_cast<size_t>(n));
  ReleaseIfCancelled release(job, counts, impl);  // tens of millions of n-grams at 100M tokens
  counts[static_cast<size_t>(n - 1)] = std::move(top.grams_->top);
  // Each distinct k-gram adds one left extension to its (k-1)-gram suffix.
  size_t extended = 0;
  for (int k = n; k >= 2; --k) {
    for (const auto& [gram, c] : counts[static_cast<size_t>(k - 1)]) {
      if (++extended % kPollEvery == 0 && cancelRequested(job)) return Status::cancelled();
      ++counts[static_cast<size_t>(k - 2)]
              [makeGram({gram.ids.data() + 1, static_cast<size_t>(k - 1)})];
    }
  }
  if (cancelRequested(job)) return Status::cancelled();

  for (int k = 1; k <= n; ++k)
    impl->discount[static_cast<size_t>(k - 1)] = discountFor(counts[static_cast<size_t>(k - 1)]);

  // Order 1: continuation (or raw) unigram counts, interpolated with the uniform distribution.
  {
    std::vector<uint64_t> c1(vocabSize, 0);
    uint64_t total = 0;
    for (const auto& [gram, c] : counts[0]) {
      if (gram.ids[0] < vocabSize) c1[gram.ids[0]] += c;
      total += c;
    }
    const double d = impl->discount[0];
    const double outcomes = static_cast<double>(vocabSize) + 1.0;
    const double uniformShare =
        d * static_cast<double>(counts[0].size()) / static_cast<double>(total);
    impl->unigram.assign(vocabSize + 1, uniformShare / outcomes);
    for (uint32_t w = 0; w < vocabSize; ++w) {
      if (c1[w] > 0)
        impl->unigram[w] += (static_cast<double>(c1[w]) - d) / static_cast<double>(total);
    }
    impl->sortedUnigram = impl->unigram;
    std::sort(impl->sortedUnigram.begin(), impl->sortedUnigram.end());
    impl->tabulatePlogps();
    for (size_t w = 0; w < impl->unigram.size(); ++w) {
      impl->unigramMass += impl->unigram[w];
      impl->unigramPlogp += impl->unigramPlogps[w];
    }
  }
  // Orders 2..n: group the k-grams by their context, then lay the contexts out flat.
  for (int k = 2; k <= n; ++k) {
    const double d = impl->discount[static_cast<size_t>(k - 1)];
    const auto contextIds = static_cast<size_t>(k - 1);
    std::unordered_map<Gram, std::vector<std::pair<uint32_t, double>>, GramHash> followers;
    std::unordered_map<Gram, uint64_t, GramHash> totals;
    for (const auto& [gram, c] : counts[static_cast<size_t>(k - 1)]) {
      Gram context = gram;
      const uint32_t token = context.ids[contextIds];
      context.ids[contextIds] = 0;
      totals[context] += c;
      followers[context].emplace_back(token, static_cast<double>(c));
    }
    counts[static_cast<size_t>(k - 1)] = {};  // free as we go
    std::vector<uint32_t> ids, tokens;
    std::vector<double> gammas, values;
    std::vector<uint64_t> start{0};
    for (auto& [context, direct] : followers) {
      const double total = static_cast<double>(totals[context]);
      std::sort(direct.begin(), direct.end());
      ids.insert(ids.end(), context.ids.begin(), context.ids.begin() + contextIds);
      gammas.push_back(d * static_cast<double>(direct.size()) / total);
      for (const auto& [token, value] : direct) {
        tokens.push_back(token);
        values.push_back((value - d) / total);
      }
      start.push_back(tokens.size());
    }
    impl->levels.emplace_back(contextIds, std::move(ids), std::move(gammas), std::move(start),
                              std::move(tokens), std::move(values));
  }
  reportProgress(job, 1.0, "n-gram model ready");
  return std::unique_ptr<KneserNeyModel>(new KneserNeyModel(std::move(impl)));
}

double KneserNeyModel::probability(std::span<const uint32_t> context, uint32_t token) const {
  const Impl& m = *impl_;
  const bool known = token < m.vocabSize;
  double p = m.unigram[known ? token : m.vocabSize];
  for (int k = 2; k <= m.order; ++k) {
    const auto entry = m.find(k, context);
    if (!entry) continue;
    double direct = 0.0;
    if (known) {
      auto it = std::lower_bound(entry->tokens.begin(), entry->tokens.end(), token);
      if (it != entry->tokens.end() && *it == token)
        direct = entry->values[static_cast<size_t>(it - entry->tokens.begin())];
    }
    p = direct + entry->gamma * p;
  }
  return p;
}

void KneserNeyModel::smoothed(std::span<const uint32_t> context, SmoothedDistribution& out) const {
  out.reset(this);
  for (int k = 2; k <= impl_->order; ++k) {
    if (const auto entry = impl_->find(k, context))
      out.interpolate(entry->tokens, entry->values, entry->gamma);
  }
}

void KneserNeyModel::distribution(std::span<const uint32_t> context,
                                  std::vector<double>& out) const {
  SmoothedDistribution d;
  smoothed(context, d);
  d.toDense(out);
}

const std::vector<double>& KneserNeyModel::unigram() const { return impl_->unigram; }
const std::vector<double>& KneserNeyModel::sortedUnigram() const { return impl_->sortedUnigram; }
const std::vector<double>& KneserNeyModel::unigramPlogps() const { return impl_->unigramPlogps; }
double KneserNeyModel::unigramMass() const { return impl_->unigramMass; }
double KneserNeyModel::unigramPlogp() const { return impl_->unigramPlogp; }

void KneserNeyModel::save(ByteWriter& out) const {
  const Impl& m = *impl_;
  out.put<int32_t>(m.order);
  out.put<uint32_t>(m.vocabSize);
  out.putArray(m.discount);
  out.putArray(m.unigram);
  out.putArray(m.sortedUnigram);
  out.put(m.unigramMass);
  out.put(m.unigramPlogp);
  for (const KneserNeyLevel& level : m.levels) level.save(out);
}

Result<std::unique_ptr<KneserNeyModel>> KneserNeyModel::load(ByteReader& in, uint32_t vocabSize) {
  auto m = std::make_unique<Impl>();
  m->order = in.get<int32_t>();
  m->vocabSize = in.get<uint32_t>();
  if (in.ok() && (m->order < 1 || m->order > kMaxOrder || m->vocabSize != vocabSize))
    in.fail("order " + std::to_string(m->order) + " over " + std::to_string(m->vocabSize) +
            " tokens (the vocabulary has " + std::to_string(vocabSize) + ")");
  in.getArray(m->discount);
  in.getArray(m->unigram);
  in.getArray(m->sortedUnigram);
  in.get(m->unigramMass);
  in.get(m->unigramPlogp);
  if (in.ok() &&
      (m->discount.size() != static_cast<size_t>(m->order) ||
       m->unigram.size() != size_t{vocabSize} + 1 || m->sortedUnigram.size() != m->unigram.size()))
    in.fail("discounts or unigram sizes disagree with the order and vocabulary");
  // Ranks are found by binary search in the sorted unigram.
  if (in.ok() && !std::is_sorted(m->sortedUnigram.begin(), m->sortedUnigram.end()))
    in.fail("the sorted unigram is not sorted");
  for (int k = 2; in.ok() && k <= m->order; ++k)
    KneserNeyLevel::load(in, static_cast<size_t>(k - 1), vocabSize, m->levels.emplace_back());
  if (!in.ok()) return Status::corrupt(in.error());
  m->tabulatePlogps();
  return std::unique_ptr<KneserNeyModel>(new KneserNeyModel(std::move(m)));
}

Status KneserNeyModel::checkAll() const {
  for (size_t l = 0; l < impl_->levels.size(); ++l)
    if (Status s = impl_->levels[l].checkAll(); !s)
      return Status::corrupt("order " + std::to_string(l + 2) + ": " + s.message());
  return Status::ok();
}

}  // namespace memlens
