#include "vector/word_clusters.h"

#include <Eigen/Dense>

namespace memlens {

namespace {

// Lloyd steps of spherical k-means: the clusters only need to be compact enough for useful
// floors, and a few steps cost tens of milliseconds on a 13k-word vocabulary.
constexpr int kSteps = 6;

using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using WordMatrix = Eigen::Map<const RowMajor>;

// Spherical k-means of the `rows` of `words` (at least `count` of them) into `count` clusters:
// per row, its cluster.
std::vector<uint32_t> kMeans(const WordMatrix& words, const std::vector<Eigen::Index>& rows,
                             uint32_t count) {
  const auto d = words.cols();
  RowMajor points(Eigen::Index(rows.size()), d);
  for (size_t i = 0; i < rows.size(); ++i) points.row(Eigen::Index(i)) = words.row(rows[i]);
  RowMajor centres(count, d);
  for (uint32_t c = 0; c < count; ++c) centres.row(c) = points.row(c * rows.size() / count);
  std::vector<uint32_t> cluster(rows.size(), 0);
  for (int step = 0; step < kSteps; ++step) {
    const Eigen::MatrixXf similarity = points * centres.transpose();
    RowMajor sums = RowMajor::Zero(count, d);
    for (Eigen::Index i = 0; i < points.rows(); ++i) {
      Eigen::Index c = 0;
      similarity.row(i).maxCoeff(&c);
      cluster[size_t(i)] = uint32_t(c);
      sums.row(c) += points.row(i);
    }
    for (uint32_t c = 0; c < count; ++c) {
      const float norm = sums.row(c).norm();
      if (norm > 0.0f) centres.row(c) = sums.row(c) / norm;  // else the centre stays
    }
  }
  return cluster;
}

}  // namespace

WordClusters::WordClusters(const WordVectors* vectors) {
  if (!vectors || vectors->size() == 0) return;
  const auto n = static_cast<Eigen::Index>(vectors->size());
  const WordMatrix words(vectors->values().data(), n, vectors->dimensions());
  fine_.resize(size_t(n));
  std::vector<Eigen::Index> live;  // words with a vector that is not zero
  // By id until k-means places them, as fineOf() places words past the vectors.
  for (Eigen::Index v = 0; v < n; ++v) {
    fine_[size_t(v)] = static_cast<FineId>((v % kCount) * kFine + v / kCount % kFine);
    if (words.row(v).squaredNorm() > 0.0f) live.push_back(v);
  }
  if (live.size() >= kCount) {  // else by id
    const std::vector<uint32_t> cluster = kMeans(words, live, kCount);
    std::vector<std::vector<Eigen::Index>> rows(kCount);
    for (size_t i = 0; i < live.size(); ++i) rows[cluster[i]].push_back(live[i]);
    for (uint32_t c = 0; c < kCount; ++c) {
      const std::vector<uint32_t> fine =
          rows[c].size() >= kFine ? kMeans(words, rows[c], kFine) : std::vector<uint32_t>{};
      for (size_t i = 0; i < rows[c].size(); ++i) {
        fine_[size_t(rows[c][i])] =
            static_cast<FineId>(c * kFine + (fine.empty() ? uint32_t(i) : fine[i]));
      }
    }
  }
  start_.assign(kFineCount + 1, 0);
  for (const FineId f : fine_) ++start_[f + 1];
  for (uint32_t f = 0; f < kFineCount; ++f) start_[f + 1] += start_[f];
  byFine_.resize(fine_.size());
  std::vector<uint32_t> next(start_.begin(), start_.end() - 1);
  for (uint32_t v = 0; v < fine_.size(); ++v) byFine_[next[fine_[v]]++] = v;
}

}  // namespace memlens
