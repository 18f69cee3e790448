#include "memlens/kneser_ney_model.h"

#include <algorithm>
#include <array>
#include <string>
#include <unordered_map>

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
  struct Follower {
    uint32_t token;
    uint32_t count;
  };
  struct Context {
    uint64_t total = 0;
    std::vector<Follower> followers;  // sorted by token
  };

  int order = 3;
  uint32_t vocabSize = 0;
  std::vector<double> discount;  // [k-1] for order k
  std::vector<double> unigram;   // vocabSize + 1 entries, last = unknown
  // levels[k-2] holds the contexts (k-1 ids) of order k, for k = 2..order.
  std::vector<std::unordered_map<Gram, Context, GramHash>> levels;

  const Context* find(int k, std::span<const uint32_t> context) const {
    const auto& level = levels[static_cast<size_t>(k - 2)];
    auto it = level.find(makeGram(context.last(static_cast<size_t>(k - 1))));
    return it == level.end() ? nullptr : &it->second;
  }
};

KneserNeyModel::KneserNeyModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
KneserNeyModel::~KneserNeyModel() = default;
int KneserNeyModel::order() const { return impl_->order; }
uint32_t KneserNeyModel::vocabSize() const { return impl_->vocabSize; }
std::vector<double> KneserNeyModel::discounts() const { return impl_->discount; }

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

  auto impl = std::make_unique<Impl>();
  impl->order = n;
  impl->vocabSize = vocabSize;
  impl->discount.assign(static_cast<size_t>(n), 0.0);

  // counts[k-1]: raw counts of n-grams at the top order, continuation counts N1+(•g) below.
  std::vector<GramCounts> counts(static_cast<size_t>(n));
  std::array<uint32_t, kMaxOrder> buf{};
  for (size_t i = 0; i < instances.size(); ++i) {
    if (i % kPollEvery == 0) {
      if (cancelRequested(job)) return Status::cancelled();
      reportProgress(job, static_cast<double>(i) / static_cast<double>(instances.size()),
                     "counting n-grams");
    }
    if (instances.classes[i] >= vocabSize) {
      return Status::invalidArgument("instance " + std::to_string(i) + " has a class id outside the vocabulary");
    }
    const auto features = instances.instance(i).last(static_cast<size_t>(n - 1));
    std::copy(features.begin(), features.end(), buf.begin());
    buf[static_cast<size_t>(n - 1)] = instances.classes[i];
    ++counts[static_cast<size_t>(n - 1)][makeGram({buf.data(), static_cast<size_t>(n)})];
  }
  // Each distinct k-gram adds one left extension to its (k-1)-gram suffix.
  for (int k = n; k >= 2; --k) {
    for (const auto& [gram, c] : counts[static_cast<size_t>(k - 1)]) {
      ++counts[static_cast<size_t>(k - 2)][makeGram({gram.ids.data() + 1, static_cast<size_t>(k - 1)})];
    }
  }
  if (cancelRequested(job)) return Status::cancelled();

  for (int k = 1; k <= n; ++k) impl->discount[static_cast<size_t>(k - 1)] = discountFor(counts[static_cast<size_t>(k - 1)]);

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
    const double uniformShare = d * static_cast<double>(counts[0].size()) / static_cast<double>(total);
    impl->unigram.assign(vocabSize + 1, uniformShare / outcomes);
    for (uint32_t w = 0; w < vocabSize; ++w) {
      if (c1[w] > 0) impl->unigram[w] += (static_cast<double>(c1[w]) - d) / static_cast<double>(total);
    }
  }
  // Orders 2..n: group the k-grams by their context.
  for (int k = 2; k <= n; ++k) {
    auto& level = impl->levels.emplace_back();
    for (const auto& [gram, c] : counts[static_cast<size_t>(k - 1)]) {
      Gram context = gram;
      const uint32_t token = context.ids[static_cast<size_t>(k - 1)];
      context.ids[static_cast<size_t>(k - 1)] = 0;
      Impl::Context& entry = level[context];
      entry.total += c;
      entry.followers.push_back({token, c});
    }
    for (auto& [context, entry] : level) {
      std::sort(entry.followers.begin(), entry.followers.end(),
                [](const Impl::Follower& a, const Impl::Follower& b) { return a.token < b.token; });
    }
    counts[static_cast<size_t>(k - 1)] = {};  // free as we go
  }
  reportProgress(job, 1.0, "n-gram model ready");
  return std::unique_ptr<KneserNeyModel>(new KneserNeyModel(std::move(impl)));
}

double KneserNeyModel::probability(std::span<const uint32_t> context, uint32_t token) const {
  const Impl& m = *impl_;
  const bool known = token < m.vocabSize;
  double p = m.unigram[known ? token : m.vocabSize];
  for (int k = 2; k <= m.order; ++k) {
    const Impl::Context* entry = m.find(k, context);
    if (!entry) continue;
    const double d = m.discount[static_cast<size_t>(k - 1)];
    const double total = static_cast<double>(entry->total);
    double direct = 0.0;
    if (known) {
      auto it = std::lower_bound(entry->followers.begin(), entry->followers.end(), token,
                                 [](const Impl::Follower& f, uint32_t t) { return f.token < t; });
      if (it != entry->followers.end() && it->token == token) direct = (it->count - d) / total;
    }
    p = direct + d * static_cast<double>(entry->followers.size()) / total * p;
  }
  return p;
}

void KneserNeyModel::distribution(std::span<const uint32_t> context, std::vector<double>& out) const {
  const Impl& m = *impl_;
  out = m.unigram;
  for (int k = 2; k <= m.order; ++k) {
    const Impl::Context* entry = m.find(k, context);
    if (!entry) continue;
    const double d = m.discount[static_cast<size_t>(k - 1)];
    const double total = static_cast<double>(entry->total);
    const double backoff = d * static_cast<double>(entry->followers.size()) / total;
    for (double& p : out) p *= backoff;
    for (const Impl::Follower& f : entry->followers) out[f.token] += (f.count - d) / total;
  }
}

}  // namespace memlens
