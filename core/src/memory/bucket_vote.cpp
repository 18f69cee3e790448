#include "memory/bucket_vote.h"

#include <unordered_map>

#include <algorithm>
#include <cfloat>

namespace memlens {
namespace {

// TiMBL compares votes exactly: 2·1/(2+ε) beats 1/(1+ε) although both "are" 1.
bool sameVote(double a, double b) { return a == b; }

std::vector<uint32_t> tiedTop(const std::vector<std::pair<uint32_t, double>>& v) {
  double best = -1.0;
  for (const auto& e : v) best = std::max(best, e.second);
  std::vector<uint32_t> top;
  for (const auto& e : v)
    if (sameVote(e.second, best)) top.push_back(e.first);
  return top;
}

// Per-thread accumulators over classes, sized on demand.
struct VoteScratch {
  std::vector<double> acc;
  std::vector<char> voted;
};

VoteScratch& scratch(uint32_t classes) {
  thread_local VoteScratch s;
  if (s.acc.size() < classes) {
    s.acc.assign(classes, 0.0);
    s.voted.assign(classes, 0);
  }
  return s;
}

// Per-thread class counts for summedCounts(), all zero between calls.
struct CountScratch {
  std::vector<int64_t> acc;
  std::vector<uint32_t> touched;
};

}  // namespace

SparseCounts summedCounts(const InstanceBase& base, std::span<const uint32_t> ids) {
  thread_local CountScratch s;
  if (s.acc.size() < base.classCount()) s.acc.resize(base.classCount(), 0);
  s.touched.clear();
  for (uint32_t id : ids)
    for (const ClassCount& c : base.distribution(id)) {
      if (s.acc[c.classIndex] == 0) s.touched.push_back(c.classIndex);
      s.acc[c.classIndex] += c.count;
    }
  SparseCounts counts;
  counts.reserve(s.touched.size());
  for (uint32_t c : s.touched) {
    counts.emplace_back(c, s.acc[c]);
    s.acc[c] = 0;
  }
  return counts;
}

std::vector<ClassVote> unlistedCounts(const InstanceBase& base, const SparseCounts& all,
                                      std::span<const uint32_t> listed) {
  std::unordered_map<uint32_t, int64_t> shown;
  for (const auto& [c, count] : summedCounts(base, listed)) shown[c] = count;
  SparseCounts rest;
  for (const auto& [c, count] : all) {
    const auto it = shown.find(c);
    const int64_t n = count - (it == shown.end() ? 0 : it->second);
    if (n > 0) rest.emplace_back(c, n);
  }
  std::sort(rest.begin(), rest.end());
  std::vector<ClassVote> out;
  for (const auto& [c, n] : rest) out.push_back({base.classId(c), static_cast<double>(n)});
  return out;
}

double BucketVote::weight(int b, int K, int requested) const {
  const double d1 = distances_[0];
  const double dk = distances_[K - 1];
  const double d = distances_[b];
  // TiMBL: with fewer buckets than requested, inverse-linear weighting votes unweighted.
  const bool plainIl = requested > K;
  double w = 1.0;
  switch (options_.distanceWeighting) {
    case DistanceWeighting::kZero:
      break;
    case DistanceWeighting::kInverseDistance:
      // TiMBL: a single exact-match bucket votes with its plain counts.
      w = (K == 1 && d == 0.0) ? 1.0 : 1.0 / (d + DBL_EPSILON);
      break;
    case DistanceWeighting::kInverseLinear:
      w = (plainIl || sameDistance(dk, d1)) ? 1.0 : (dk - d) / (dk - d1);
      break;
    case DistanceWeighting::kExponentialDecay:
      w = std::exp(-options_.edAlpha * std::pow(d, options_.edBeta));
      // Observed in TiMBL: an exponent that underflows to 0 counts as DBL_EPSILON, while tiny
      // non-zero weights stay (and their sums below DBL_EPSILON are dropped in vote()).
      if (w == 0.0) w = DBL_EPSILON;
      break;
  }
  return w;
}

std::vector<std::pair<uint32_t, double>> BucketVote::vote(int K, int requested) {
  VoteScratch& s = scratch(static_cast<uint32_t>(totals_.size()));
  std::vector<uint32_t> touched;
  for (int b = 0; b < K; ++b) {
    const double w = weight(b, K, requested);
    for (const auto& [c, n] : counts_[b]) {
      if (!s.voted[c]) {
        s.voted[c] = 1;
        touched.push_back(c);
      }
      s.acc[c] += w * static_cast<double>(n);
    }
  }
  std::sort(touched.begin(), touched.end());
  std::vector<std::pair<uint32_t, double>> v;
  v.reserve(touched.size());
  for (uint32_t c : touched) {
    // TiMBL leaves out votes below DBL_EPSILON (zero IL weights, far exponential decay).
    if (s.acc[c] >= DBL_EPSILON) v.emplace_back(c, s.acc[c]);
    s.acc[c] = 0.0;
    s.voted[c] = 0;
  }
  return v;
}

void BucketVote::decide(const PredictOptions& options, Prediction& out) {
  const int k = std::max(1, options_.k);
  const int available = static_cast<int>(distances_.size());
  const int kUsed = std::min(k, available);
  for (int b = 0; b < kUsed; ++b) counts_.push_back(countsOf_(b));
  out.distance = distances_[0];
  votedBuckets_ = kUsed;
  votedRequested_ = k;

  auto votes = vote(kUsed, k);
  const auto& totals = totals_;
  if (votes.empty()) {
    // Every vote fell below DBL_EPSILON: TiMBL then prints an empty distribution, as we do.
    // Its class choice in this case is not pinned down; the nearest bucket's plain counts
    // (ties: training frequency, then class order) match it on most but not all lines.
    std::vector<std::pair<uint32_t, double>> plain;
    for (const auto& [c, n] : counts_[0]) plain.emplace_back(c, static_cast<double>(n));
    std::sort(plain.begin(), plain.end());
    std::vector<uint32_t> top = tiedTop(plain);
    // No counts at all: only a damaged memory file (class totals that disagree with its stored
    // vectors) gets here. Any class is as good as another; take the most frequent one.
    if (top.empty())
      top.push_back(
          static_cast<uint32_t>(std::max_element(totals.begin(), totals.end()) - totals.begin()));
    uint32_t winner = top.front();
    for (uint32_t c : top)
      if (totals[c] > totals[winner]) winner = c;
    out.classId = classIdOf_(winner);
    out.tie = top.size() > 1;
    return;
  }
  const std::vector<uint32_t> top = tiedTop(votes);
  uint32_t winner = top.front();
  if (top.size() > 1) {
    out.tie = true;
    if (available > k) counts_.push_back(countsOf_(k));
    auto wider = vote(std::min(k + 1, available), k + 1);
    const std::vector<uint32_t> top2 = tiedTop(wider);
    if (top2.size() == 1) {
      winner = top2.front();
      votes = std::move(wider);
      votedBuckets_ = std::min(k + 1, available);
      votedRequested_ = k + 1;
    } else {
      // Most frequent in training, then first seen (lowest class index; `top` is sorted).
      for (uint32_t c : top)
        if (totals[c] > totals[winner]) winner = c;
    }
  }
  out.classId = classIdOf_(winner);
  for (int b = 0; b < votedBuckets_; ++b) {
    if (weight(b, votedBuckets_, votedRequested_) <= 0.0) continue;  // IL's farthest bucket
    for (const auto& [c, n] : counts_[b]) out.instances += static_cast<uint64_t>(n);
  }
  if (options.distributions) {
    out.distribution.reserve(votes.size());
    for (const auto& [c, w] : votes) out.distribution.push_back({classIdOf_(c), w});
  }
}

}  // namespace memlens
