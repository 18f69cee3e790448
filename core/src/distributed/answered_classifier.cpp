#include "distributed/answered_classifier.h"

#include <algorithm>
#include <bit>
#include <cstdint>

namespace memlens {
namespace {

// Queries per batch: an answer's distribution (IGTree's near the root, TRIBL2's and IB1's at a
// large distance) may hold thousands of classes, and a batch's answers are held at once in the
// ranks' messages and in rank 0's merge. IGTree on the KJV at 2 ranks: rank 0 peaked at 192 MB
// with batches of 4,096, at 155 MB with 256, in about the same time.
constexpr size_t kAnswerBatch = 256;

std::string keyOf(std::span<const uint32_t> features) {
  return {reinterpret_cast<const char*>(features.data()), features.size_bytes()};
}

// Of the votes' fields (a ClassVote's padding bytes are not part of its value).
size_t hashOf(const std::vector<ClassVote>& votes) {
  uint64_t h = votes.size();
  const auto mix = [&h](uint64_t v) { h = (h ^ v) * 0x9E3779B97F4A7C15ull; };
  for (const ClassVote& v : votes) {
    mix(v.classId);
    mix(std::bit_cast<uint64_t>(v.weight));
  }
  return static_cast<size_t>(h ^ (h >> 29));
}

bool sameVotes(const std::vector<ClassVote>& a, const std::vector<ClassVote>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return x.classId == y.classId &&
           std::bit_cast<uint64_t>(x.weight) == std::bit_cast<uint64_t>(y.weight);
  });
}

}  // namespace

AnsweredClassifier::AnsweredClassifier(const ShardedClassifier& sharded)
    : options_(sharded.options()),
      weights_(sharded.statistics().weights()),
      empty_(sharded.width()) {}

Result<std::unique_ptr<Classifier>> AnsweredClassifier::answer(
    ShardedClassifier& sharded, std::span<const InstanceSet* const> queries, JobControl* job) {
  // Rank 0: each distinct query once, in order of first appearance.
  InstanceSet distinct;
  distinct.width = sharded.width();
  std::unordered_map<std::string, uint32_t> index;
  for (const InstanceSet* set : queries) {
    for (size_t i = 0; i < set->size(); ++i) {
      const auto features = set->instance(i);
      if (!index.try_emplace(keyOf(features), static_cast<uint32_t>(distinct.size())).second)
        continue;
      distinct.features.insert(distinct.features.end(), features.begin(), features.end());
      distinct.classes.push_back(0);
    }
  }
  std::unique_ptr<AnsweredClassifier> out(new AnsweredClassifier(sharded));
  out->index_ = std::move(index);
  out->answers_.reserve(distinct.size());
  std::unordered_multimap<size_t, uint32_t> pool;  // a distribution's hash -> its index
  PredictOptions options;
  options.distributions = true;
  Status answered = sharded.predictEach(
      distinct, options,
      [&](size_t, std::vector<Prediction>& batch) {
        for (Prediction& p : batch) {
          Answer a;
          const size_t hash = hashOf(p.distribution);
          const auto [first, last] = pool.equal_range(hash);
          const auto same = std::find_if(first, last, [&](const auto& entry) {
            return sameVotes(out->distributions_[entry.second], p.distribution);
          });
          if (same != last) {
            a.distribution = same->second;
          } else {
            a.distribution = static_cast<uint32_t>(out->distributions_.size());
            pool.emplace(hash, a.distribution);
            out->distributions_.push_back(std::move(p.distribution));
          }
          p.distribution = std::vector<ClassVote>();  // freed: "= {}" would keep its buffer
          a.prediction = std::move(p);
          out->answers_.push_back(std::move(a));
        }
      },
      job, kAnswerBatch);
  if (!answered) return answered;
  if (out->index_.empty()) return std::unique_ptr<Classifier>();
  return std::unique_ptr<Classifier>(std::move(out));
}

Prediction AnsweredClassifier::predictOne(std::span<const uint32_t> features,
                                          const PredictOptions& options) const {
  const auto it = index_.find(keyOf(features));
  if (it == index_.end()) return {};
  const Answer& a = answers_[it->second];
  Prediction p = a.prediction;
  if (options.distributions) p.distribution = distributions_[a.distribution];
  return p;
}

}  // namespace memlens
