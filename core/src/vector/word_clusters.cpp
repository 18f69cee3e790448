#include "vector/word_clusters.h"

#include <Eigen/Dense>

namespace memlens {

namespace {

// Lloyd steps of spherical k-means: the clusters only need to be compact enough for useful
// floors, and a few steps cost tens of milliseconds on a 13k-word vocabulary.
constexpr int kSteps = 6;

using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using WordMatrix = Eigen::Map<const RowMajor>;

// Spherical k-means of the `live` rows of `words` into `cluster`.
void kMeans(const WordMatrix& words, const std::vector<Eigen::Index>& live,
            std::vector<uint8_t>& cluster) {
  constexpr uint32_t kCount = WordClusters::kCount;
  const auto d = words.cols();
  RowMajor centres(kCount, d);
  for (uint32_t c = 0; c < kCount; ++c) centres.row(c) = words.row(live[c * live.size() / kCount]);
  for (int step = 0; step < kSteps; ++step) {
    const Eigen::MatrixXf similarity = words * centres.transpose();
    RowMajor sums = RowMajor::Zero(kCount, d);
    for (const Eigen::Index v : live) {
      Eigen::Index c = 0;
      similarity.row(v).maxCoeff(&c);
      cluster[size_t(v)] = static_cast<uint8_t>(c);
      sums.row(c) += words.row(v);
    }
    for (uint32_t c = 0; c < kCount; ++c) {
      const float norm = sums.row(c).norm();
      if (norm > 0.0f) centres.row(c) = sums.row(c) / norm;  // else the centre stays
    }
  }
}

}  // namespace

WordClusters::WordClusters(const WordVectors* vectors) {
  if (!vectors || vectors->size() == 0) return;
  const auto n = static_cast<Eigen::Index>(vectors->size());
  const WordMatrix words(vectors->values().data(), n, vectors->dimensions());
  cluster_.resize(size_t(n));
  std::vector<Eigen::Index> live;  // words with a vector that is not zero
  for (Eigen::Index v = 0; v < n; ++v) {
    cluster_[size_t(v)] = static_cast<uint8_t>(size_t(v) % kCount);
    if (words.row(v).squaredNorm() > 0.0f) live.push_back(v);
  }
  if (live.size() >= kCount) kMeans(words, live, cluster_);  // else by id
  start_.assign(kCount + 1, 0);
  for (const uint8_t c : cluster_) ++start_[c + 1];
  for (uint32_t c = 0; c < kCount; ++c) start_[c + 1] += start_[c];
  byCluster_.resize(cluster_.size());
  std::vector<uint32_t> next(start_.begin(), start_.end() - 1);
  for (uint32_t v = 0; v < cluster_.size(); ++v) byCluster_[next[cluster_[v]]++] = v;
}

}  // namespace memlens
