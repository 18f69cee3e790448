#include "memlens/word_vectors.h"

#include <tbb/parallel_invoke.h>

#include <Eigen/Dense>
#include <Eigen/SVD>
#include <Eigen/Sparse>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <unordered_map>

#include "vector/sparse_products.h"

namespace memlens {

namespace {

using SparseMatrix = RowSparse;

// (word, context column) pair counts keyed row * columns + column, where column = context word
// · 2·window + offset slot (offsets −window..−1, then 1..window).
using Cooccurrences = WordVectors::PairCounts;

int offsetSlot(int offset, int window) {
  return offset < 0 ? offset + window : offset + window - 1;
}

Result<Cooccurrences> countTokens(const TokenStream& tokens, uint32_t vocabSize,
                                  const WordVectorOptions& o, JobControl* job) {
  const int slots = 2 * o.window;
  const uint64_t columns = uint64_t{vocabSize} * static_cast<uint64_t>(slots);
  Cooccurrences counts;
  counts.reserve(tokens.size() * 2);
  for (size_t l = 0; l < tokens.lineCount(); ++l) {
    if (l % 4096 == 0) {
      if (cancelRequested(job)) return Status::cancelled();
      reportProgress(job, static_cast<double>(l) / static_cast<double>(tokens.lineCount()),
                     "counting word contexts");
    }
    const size_t begin = tokens.line(l).firstToken, end = tokens.lineEnd(l);
    for (size_t t = begin; t < end; ++t) {
      for (int off = -o.window; off <= o.window; ++off) {
        const auto pos = static_cast<int64_t>(t) + off;
        if (off == 0 || pos < static_cast<int64_t>(begin) || pos >= static_cast<int64_t>(end))
          continue;
        const uint64_t column =
            uint64_t{tokens.id(static_cast<size_t>(pos))} * slots + offsetSlot(off, o.window);
        counts[uint64_t{tokens.id(t)} * columns + column] += 1.0;
      }
    }
  }
  return counts;
}

// Adds `count` to each pair of `target` and one of the last `window` values of `context`, once
// each way.
void countContext(Cooccurrences& counts, uint32_t vocabSize, const WordVectorOptions& o,
                  std::span<const uint32_t> context, uint64_t target, double count) {
  const int slots = 2 * o.window, width = static_cast<int>(context.size());
  const uint64_t columns = uint64_t{vocabSize} * static_cast<uint64_t>(slots);
  for (int k = 1; k <= std::min(o.window, width); ++k) {
    const uint64_t before = context[static_cast<size_t>(width - k)];
    counts[target * columns + before * slots + offsetSlot(-k, o.window)] += count;
    counts[before * columns + target * slots + offsetSlot(k, o.window)] += count;
  }
}

// The same pairs read off a memory: a stored context's last `window` values precede each of its
// classes, so every pair within a block is counted once each way (the padding value included:
// it stands for the block start).
Result<Cooccurrences> countMemory(const InstanceBase& memory, uint32_t vocabSize,
                                  const WordVectorOptions& o, JobControl* job) {
  Cooccurrences counts;
  counts.reserve(size_t{memory.vectorCount()} * 4);
  for (uint32_t v = 0; v < memory.vectorCount(); ++v) {
    if (v % 4096 == 0) {
      if (cancelRequested(job)) return Status::cancelled();
      reportProgress(job, static_cast<double>(v) / memory.vectorCount(), "counting word contexts");
    }
    for (const ClassCount& c : memory.distribution(v))
      countContext(counts, vocabSize, o, memory.vector(v), memory.classId(c.classIndex), c.count);
  }
  return counts;
}

// The same pairs read off the instances a memory would store (each counted once, as its
// vector's class count counts it).
Result<Cooccurrences> countInstances(const InstanceSet& instances, uint32_t vocabSize,
                                     const WordVectorOptions& o, JobControl* job) {
  Cooccurrences counts;
  counts.reserve(instances.size() * 2);
  for (size_t i = 0; i < instances.size(); ++i) {
    if (i % 16384 == 0) {
      if (cancelRequested(job)) return Status::cancelled();
      reportProgress(job, static_cast<double>(i) / static_cast<double>(instances.size()),
                     "counting word contexts");
    }
    countContext(counts, vocabSize, o, instances.instance(i), instances.classes[i], 1.0);
  }
  return counts;
}

SparseMatrix ppmiMatrix(const Cooccurrences& counts, uint32_t vocabSize,
                        const WordVectorOptions& o) {
  const uint64_t columns = uint64_t{vocabSize} * static_cast<uint64_t>(2 * o.window);
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
    const double pmi =
        std::log((c / total) / ((rowTotal[row] / total) * (columnTotal[column] / smoothedTotal)));
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

Status checkOptions(const WordVectorOptions& o) {
  if (o.dimensions < 1 || o.window < 1 || o.oversampling < 0 || o.powerIterations < 0) {
    return Status::invalidArgument("word vectors need dimensions >= 1 and window >= 1");
  }
  return Status::ok();
}

// The randomised SVD's rank for a PPMI matrix of vocabSize rows (dimensions + oversampling, at
// most the matrix's smaller side).
Result<Eigen::Index> svdRank(uint32_t vocabSize, const WordVectorOptions& o) {
  const auto rows = static_cast<Eigen::Index>(vocabSize);
  const Eigen::Index rank =
      std::min<Eigen::Index>(o.dimensions + o.oversampling, std::min(rows, rows * 2 * o.window));
  if (rank < o.dimensions) {
    return Status::invalidArgument("the vocabulary (" + std::to_string(rows) +
                                   " types) is too small for " + std::to_string(o.dimensions) +
                                   " dimensions");
  }
  return rank;
}

// The randomised range finder's Gaussian test matrix (columns x rank), drawn from the seed.
Eigen::MatrixXd testMatrix(Eigen::Index columns, Eigen::Index rank, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> gauss;
  Eigen::MatrixXd omega(columns, rank);
  for (Eigen::Index i = 0; i < omega.size(); ++i) omega.data()[i] = gauss(rng);
  return omega;
}

// Rows U·Σ^½ of the truncated SVD of `a`, normalised (row-major, a.rows() x dimensions), with
// the test matrix `omega`.
Result<std::vector<float>> svdRows(const SparseMatrix& a, const Eigen::MatrixXd& omega,
                                   const WordVectorOptions& o, JobControl* job) {
  // Randomised range finder (Halko, Martinsson & Tropp 2011) with power iterations.
  reportProgress(job, 0.0, "randomised SVD");
  Eigen::MatrixXd q = orthonormal(times(a, omega));
  for (int i = 0; i < o.powerIterations; ++i) {
    if (cancelRequested(job)) return Status::cancelled();
    q = orthonormal(times(a, orthonormal(transposeTimes(a, q))));
  }
  // B = Qᵀ·A (rank x columns) has the left singular vectors and the singular values of Rᵀ, where
  // Bᵀ = Q_B·R: so the SVD is of a square rank x rank matrix, after a Householder QR of the tall
  // Bᵀ (blocked: mostly matrix products, where an SVD of Bᵀ bidiagonalises it on one core with a
  // matrix-vector product over all of it per column).
  Eigen::MatrixXd bt = transposeTimes(a, q);  // columns x rank
  Eigen::HouseholderQR<Eigen::Ref<Eigen::MatrixXd>> qr(bt);
  const Eigen::MatrixXd rt =
      qr.matrixQR().topRows(bt.cols()).triangularView<Eigen::Upper>().transpose();
  Eigen::BDCSVD<Eigen::MatrixXd> svd(rt, Eigen::ComputeThinU);
  const Eigen::MatrixXd u = q * svd.matrixU().leftCols(o.dimensions);
  const Eigen::VectorXd sqrtSigma = svd.singularValues().head(o.dimensions).cwiseSqrt();

  std::vector<float> rows(static_cast<size_t>(a.rows()) * o.dimensions, 0.0f);
  for (Eigen::Index w = 0; w < u.rows(); ++w) {
    const Eigen::VectorXd row = u.row(w).transpose().cwiseProduct(sqrtSigma);
    const double norm = row.norm();
    if (norm <= 0.0) continue;
    for (int d = 0; d < o.dimensions; ++d) {
      rows[static_cast<size_t>(w) * o.dimensions + d] = static_cast<float>(row[d] / norm);
    }
  }
  reportProgress(job, 1.0, "word vectors ready");
  return rows;
}

// The vectors' rows from the PPMI matrix that `ppmi()` (a Result<SparseMatrix>) counts and
// weighs. The test matrix depends only on the matrix's shape, so it is drawn meanwhile.
template <typename Ppmi>
Result<std::vector<float>> rowsFrom(Ppmi ppmi, uint32_t vocabSize, const WordVectorOptions& o,
                                    JobControl* job) {
  const Result<Eigen::Index> rank = svdRank(vocabSize, o);
  if (!rank) return rank.status();
  Result<SparseMatrix> a = SparseMatrix();
  Eigen::MatrixXd omega;
  tbb::parallel_invoke(
      [&] { a = ppmi(); },
      [&] { omega = testMatrix(Eigen::Index{vocabSize} * 2 * o.window, *rank, o.seed); });
  if (!a) return a.status();
  return svdRows(*a, omega, o, job);
}

}  // namespace

Result<std::unique_ptr<WordVectors>> WordVectors::fromRows(Result<std::vector<float>> rows,
                                                           int dimensions) {
  if (!rows) return rows.status();
  return fromValues(std::move(*rows), dimensions);
}

Result<std::unique_ptr<WordVectors>> WordVectors::train(const TokenStream& tokens,
                                                        uint32_t vocabSize,
                                                        const WordVectorOptions& o,
                                                        JobControl* job) {
  if (Status s = checkOptions(o); !s) return s;
  auto ppmi = [&]() -> Result<SparseMatrix> {
    auto counts = countTokens(tokens, vocabSize, o, job);
    if (!counts) return counts.status();
    return ppmiMatrix(*counts, vocabSize, o);
  };
  return fromRows(rowsFrom(ppmi, vocabSize, o, job), o.dimensions);
}

uint32_t WordVectors::vocabularyOf(const InstanceBase& memory) {
  uint32_t vocabSize = 0;
  for (uint32_t v = 0; v < memory.vectorCount(); ++v) {
    for (uint32_t id : memory.vector(v)) vocabSize = std::max(vocabSize, id + 1);
  }
  for (uint32_t c = 0; c < memory.classCount(); ++c)
    vocabSize = std::max(vocabSize, memory.classId(c) + 1);
  return vocabSize;
}

Result<std::unique_ptr<WordVectors>> WordVectors::train(const InstanceSet& instances,
                                                        const WordVectorOptions& o,
                                                        JobControl* job) {
  if (Status s = checkOptions(o); !s) return s;
  uint32_t vocabSize = 0;
  for (const uint32_t id : instances.features) vocabSize = std::max(vocabSize, id + 1);
  for (const uint32_t id : instances.classes) vocabSize = std::max(vocabSize, id + 1);
  auto ppmi = [&]() -> Result<SparseMatrix> {
    auto counts = countInstances(instances, vocabSize, o, job);
    if (!counts) return counts.status();
    return ppmiMatrix(*counts, vocabSize, o);
  };
  return fromRows(rowsFrom(ppmi, vocabSize, o, job), o.dimensions);
}

Result<WordVectors::PairCounts> WordVectors::countPairs(const InstanceBase& memory,
                                                        uint32_t vocabSize,
                                                        const WordVectorOptions& o,
                                                        JobControl* job) {
  if (Status s = checkOptions(o); !s) return s;
  return countMemory(memory, vocabSize, o, job);
}

Result<std::unique_ptr<WordVectors>> WordVectors::fromPairCounts(const PairCounts& counts,
                                                                 uint32_t vocabSize,
                                                                 const WordVectorOptions& o,
                                                                 JobControl* job) {
  if (Status s = checkOptions(o); !s) return s;
  auto ppmi = [&]() -> Result<SparseMatrix> { return ppmiMatrix(counts, vocabSize, o); };
  return fromRows(rowsFrom(ppmi, vocabSize, o, job), o.dimensions);
}

std::unique_ptr<WordVectors> WordVectors::fromValues(std::vector<float> values, int dimensions) {
  std::unique_ptr<WordVectors> vectors(new WordVectors());
  vectors->dimensions_ = dimensions;
  vectors->vectors_ = std::move(values);
  return vectors;
}

Result<std::unique_ptr<WordVectors>> WordVectors::train(const InstanceBase& memory,
                                                        const WordVectorOptions& o,
                                                        JobControl* job) {
  const uint32_t vocabSize = vocabularyOf(memory);
  auto counts = countPairs(memory, vocabSize, o, job);
  if (!counts) return counts.status();
  return fromPairCounts(*counts, vocabSize, o, job);
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
