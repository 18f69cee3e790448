#include "vector/word_clusters.h"

#include <Eigen/Dense>

namespace memlens {

namespace {

// Lloyd steps of spherical k-means: the clusters only need to be compact enough for useful
// floors, and a few steps cost tens of milliseconds on a 13k-word vocabulary.
constexpr int kSteps = 6;

}  // namespace

WordClusters::WordClusters(const WordVectors* vectors) {
  if (!vectors || vectors->size() == 0) return;
  const auto n = static_cast<Eigen::Index>(vectors->size());
  const int d = vectors->dimensions();
  using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const Eigen::Map<const RowMajor> words(vectors->values().data(), n, d);
  cluster_.resize(size_t(n));
  std::vector<Eigen::Index> live;  // words with a vector that is not zero
  for (Eigen::Index v = 0; v < n; ++v) {
    cluster_[size_t(v)] = static_cast<uint8_t>(size_t(v) % kCount);
    if (words.row(v).squaredNorm() > 0.0f) live.push_back(v);
  }
  if (live.size() < kCount) return;  // too few to cluster: by id
  RowMajor centres(kCount, d);
  for (uint32_t c = 0; c < kCount; ++c) centres.row(c) = words.row(live[c * live.size() / kCount]);
  for (int step = 0; step < kSteps; ++step) {
    const Eigen::MatrixXf similarity = words * centres.transpose();
    RowMajor sums = RowMajor::Zero(kCount, d);
    for (const Eigen::Index v : live) {
      Eigen::Index c = 0;
      similarity.row(v).maxCoeff(&c);
      cluster_[size_t(v)] = static_cast<uint8_t>(c);
      sums.row(c) += words.row(v);
    }
    for (uint32_t c = 0; c < kCount; ++c) {
      const float norm = sums.row(c).norm();
      if (norm > 0.0f) centres.row(c) = sums.row(c) / norm;  // else the centre stays
    }
  }
}

}  // namespace memlens
