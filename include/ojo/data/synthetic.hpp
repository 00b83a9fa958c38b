// Synthetic data sets of the guide (§64–81), as scikit-learn 1.2 makes them.
//
//   auto [X, y] = data::make_circles({.n_samples = 1000, .noise = 0.03, .random_state = 42});
//   // X f64 {1000, 2}, y i64 {1000}: with a random_state, exactly sklearn.datasets.make_circles's arrays
//   auto [Xb, yb] = data::make_blobs({.n_samples = 1000, .n_features = 2, .centers = 4,
//                                     .cluster_std = 1.5, .random_state = 42});
//   auto [X_train, X_test, y_train, y_test] = data::train_test_split(X.to(DType::f32), y, {.test_size = 0.2,
//                                                                     .random_state = 42});
//
// With `random_state` the draws come from NumPy's RandomState(seed) (core/numpy_random.hpp) in
// scikit-learn's order; without it, the seed comes from ojo's default generator (manual_seed).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "ojo/core/tensor.hpp"

namespace ojo::data {

struct MakeCirclesOptions {
  int64_t n_samples = 100;
  bool shuffle = true;
  std::optional<double> noise;           // standard deviation of Gaussian noise added to the points
  std::optional<uint32_t> random_state;
  double factor = 0.8;                   // inner radius / outer radius, in (0, 1)
};
// Two concentric circles: label 0 the outer (n_samples / 2 points), 1 the inner.
std::pair<Tensor, Tensor> make_circles(const MakeCirclesOptions& options = {});

struct MakeBlobsOptions {
  int64_t n_samples = 100;
  int64_t n_features = 2;
  int64_t centers = 3;                   // number of centres, drawn uniformly in center_box
  double cluster_std = 1.0;
  std::pair<double, double> center_box = {-10.0, 10.0};
  bool shuffle = true;
  std::optional<uint32_t> random_state;
};
// Isotropic Gaussian blobs, label = index of the blob.
std::pair<Tensor, Tensor> make_blobs(const MakeBlobsOptions& options = {});

struct TrainTestSplitOptions {
  double test_size = 0.25;               // a fraction in (0, 1), or a whole number of samples >= 1
  std::optional<uint32_t> random_state;
  bool shuffle = true;
};
// Splits every array along dim 0 with one permutation: {a_train, a_test, b_train, b_test, ...}
// (sklearn.model_selection.train_test_split's order). All arrays need the same length.
std::vector<Tensor> train_test_split(const std::vector<Tensor>& arrays, const TrainTestSplitOptions& options = {});
// The common two-array form, for structured bindings.
std::array<Tensor, 4> train_test_split(const Tensor& X, const Tensor& y, const TrainTestSplitOptions& options = {});

}  // namespace ojo::data
