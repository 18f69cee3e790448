#pragma once

#include <Eigen/Dense>
#include <Eigen/Sparse>

namespace memlens {

using RowSparse = Eigen::SparseMatrix<double, Eigen::RowMajor>;

// a · x and aᵀ · x with the columns of x shared between the cores (the randomised SVD's
// products). Each column of the result is Eigen's own product of `a` with that column of x:
// every element is the same sum, in the same order, as in the one-thread product, so the word
// vectors keep their bits.
Eigen::MatrixXd times(const RowSparse& a, const Eigen::MatrixXd& x);
Eigen::MatrixXd transposeTimes(const RowSparse& a, const Eigen::MatrixXd& x);

}  // namespace memlens
