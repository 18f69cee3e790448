#include "memlens/word_vectors.h"

#include <Eigen/Dense>
#include <Eigen/SVD>
#include <Eigen/Sparse>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <unordered_map>

namespace memlens {

namespace {

using SparseMatrix = Eigen::SparseMatrix<double, Eigen::RowMajor>;

// Counts (word, context column) pairs; column = context word * 2·window + offset slot.
Result<SparseMatrix> ppmiMatrix(const TokenStream& tokens, uint32_t vocabSize,
                                const WordVectorOptions& o, JobControl* job) {
  const int slots = 2 * o.window;
  const uint64_t columns = uint64_t{vocabSize} * static_cast<uint64_t>(slots);
  std::unordered_map<uint64_t, double> counts;  // key = row * columns + column
  counts.reserve(tokens.size() * 2);
  for (size_t l = 0; l < tokens.lineCount(); ++l) {
    if (l % 4096 == 0) {
      if (cancelRequested(job)) return Status::cancelled();
      reportProgress(job, static_cast<double>(l) / static_cast<double>(tokens.lineCount()),
                     "counting word contexts");
    }
    const size_t begin = tokens.line(l).firstToken, end = tokens.lineEnd(l);
    for (size_t t = begin; t < end; ++t) {
      int slot = 0;
      for (int off = -o.window; off <= o.window; ++off) {
        if (off == 0) continue;
        const auto pos = static_cast<int64_t>(t) + off;
        if (pos >= static_cast<int64_t>(begin) && pos < static_cast<int64_t>(end)) {
          const uint64_t column = uint64_t{tokens.id(static_cast<size_t>(pos))} * slots + slot;
          counts[uint64_t{tokens.id(t)} * columns + column] += 1.0;
        }
        ++slot;
      }
    }
  }
  std::vector<double> rowTotal(vocabSize, 0.0), columnTotal(columns, 0.0);
  double total = 0.0;
  for (const auto& [key, c] : counts) {
    rowTotal[key / columns] += c;
    columnTotal[key % columns] += c;
    total += c;
  }
  double smoothedTotal = 0.0;
  for (double& c : columnTotal) {
    c = std::pow(c, o.smoothing);
    smoothedTotal += c;
  }
  std::vector<Eigen::Triplet<double>> entries;
  for (const auto& [key, c] : counts) {
    const uint64_t row = key / columns, column = key % columns;
    // PMI = log P(w,c) / (P(w) · P_α(c))
    const double pmi = std::log((c / total) / ((rowTotal[row] / total) * (columnTotal[column] / smoothedTotal)));
    if (pmi > 0.0) entries.emplace_back(static_cast<int>(row), static_cast<int>(column), pmi);
  }
  SparseMatrix m(static_cast<Eigen::Index>(vocabSize), static_cast<Eigen::Index>(columns));
  m.setFromTriplets(entries.begin(), entries.end());
  return m;
}

Eigen::MatrixXd orthonormal(const Eigen::MatrixXd& y) {
  Eigen::HouseholderQR<Eigen::MatrixXd> qr(y);
  return qr.householderQ() * Eigen::MatrixXd::Identity(y.rows(), y.cols());
}

}  // namespace

Result<std::unique_ptr<WordVectors>> WordVectors::train(const TokenStream& tokens,
                                                        uint32_t vocabSize,
                                                        const WordVectorOptions& o,
                                                        JobControl* job) {
  if (o.dimensions < 1 || o.window < 1 || o.oversampling < 0 || o.powerIterations < 0) {
    return Status::invalidArgument("word vectors need dimensions >= 1 and window >= 1");
  }
  auto m = ppmiMatrix(tokens, vocabSize, o, job);
  if (!m) return m.status();
  const SparseMatrix& a = *m;
  const Eigen::Index rank = std::min<Eigen::Index>(o.dimensions + o.oversampling,
                                                   std::min(a.rows(), a.cols()));
  if (rank < o.dimensions) {
    return Status::invalidArgument("the vocabulary (" + std::to_string(vocabSize) +
                                   " types) is too small for " + std::to_string(o.dimensions) +
                                   " dimensions");
  }
  // Randomised range finder (Halko, Martinsson & Tropp 2011) with power iterations.
  std::mt19937_64 rng(o.seed);
  std::normal_distribution<double> gauss;
  Eigen::MatrixXd omega(a.cols(), rank);
  for (Eigen::Index i = 0; i < omega.size(); ++i) omega.data()[i] = gauss(rng);
  reportProgress(job, 0.0, "randomised SVD");
  Eigen::MatrixXd q = orthonormal(a * omega);
  for (int i = 0; i < o.powerIterations; ++i) {
    if (cancelRequested(job)) return Status::cancelled();
    q = orthonormal(a * orthonormal(a.transpose() * q));
  }
  const Eigen::MatrixXd b = (a.transpose() * q).transpose();  // rank x columns
  Eigen::BDCSVD<Eigen::MatrixXd> svd(b, Eigen::ComputeThinU);
  const Eigen::MatrixXd u = q * svd.matrixU().leftCols(o.dimensions);
  const Eigen::VectorXd sqrtSigma = svd.singularValues().head(o.dimensions).cwiseSqrt();

  std::unique_ptr<WordVectors> vectors(new WordVectors());
  vectors->dimensions_ = o.dimensions;
  vectors->vectors_.assign(static_cast<size_t>(vocabSize) * o.dimensions, 0.0f);
  for (Eigen::Index w = 0; w < u.rows(); ++w) {
    const Eigen::VectorXd row = u.row(w).transpose().cwiseProduct(sqrtSigma);
    const double norm = row.norm();
    if (norm <= 0.0) continue;
    for (int d = 0; d < o.dimensions; ++d) {
      vectors->vectors_[static_cast<size_t>(w) * o.dimensions + d] = static_cast<float>(row[d] / norm);
    }
  }
  reportProgress(job, 1.0, "word vectors ready");
  return vectors;
}

double WordVectors::similarity(uint32_t a, uint32_t b) const {
  const auto x = vector(a), y = vector(b);
  double dot = 0.0;
  for (int d = 0; d < dimensions_; ++d) dot += double{x[d]} * y[d];
  return dot;
}

std::vector<std::pair<uint32_t, double>> WordVectors::nearest(uint32_t id, size_t n) const {
  std::vector<std::pair<uint32_t, double>> all;
  all.reserve(size());
  for (uint32_t w = 0; w < size(); ++w) {
    if (w != id) all.emplace_back(w, similarity(id, w));
  }
  n = std::min(n, all.size());
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n), all.end(),
                    [](const auto& x, const auto& y) { return x.second > y.second; });
  all.resize(n);
  return all;
}

}  // namespace memlens
