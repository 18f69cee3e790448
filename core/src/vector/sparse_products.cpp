#include "vector/sparse_products.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace memlens {

namespace {

template <typename Sparse>
Eigen::MatrixXd byColumns(const Sparse& a, const Eigen::MatrixXd& x) {
  Eigen::MatrixXd y(a.rows(), x.cols());
  tbb::parallel_for(tbb::blocked_range<Eigen::Index>(0, x.cols()), [&](const auto& r) {
    const Eigen::Index n = r.end() - r.begin();
    y.middleCols(r.begin(), n).noalias() = a * x.middleCols(r.begin(), n);
  });
  return y;
}

}  // namespace

Eigen::MatrixXd times(const RowSparse& a, const Eigen::MatrixXd& x) { return byColumns(a, x); }

Eigen::MatrixXd transposeTimes(const RowSparse& a, const Eigen::MatrixXd& x) {
  return byColumns(a.transpose(), x);
}

}  // namespace memlens
