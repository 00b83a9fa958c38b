#include "ojo/data/synthetic.hpp"

#include <cmath>
#include <numbers>

#include "ojo/core/numpy_random.hpp"
#include "ojo/core/random.hpp"
#include "ojo/tensor/ops.hpp"

namespace ojo::data {

namespace {
NumpyRandomState random_state_of(const std::optional<uint32_t>& seed) {
  return NumpyRandomState(seed ? *seed : static_cast<uint32_t>(default_generator().next_u64()));
}

// sklearn.utils.shuffle: one permutation (NumPy's shuffle of arange) applied to every array.
std::vector<int64_t> shuffled_indices(int64_t n, NumpyRandomState& rs) {
  std::vector<int64_t> idx(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) idx[i] = i;
  rs.shuffle(idx);
  return idx;
}

Tensor rows(const Tensor& t, const std::vector<int64_t>& idx) {
  return index(t, Tensor::from_vector(idx, {static_cast<int64_t>(idx.size())}));
}
}  // namespace

std::pair<Tensor, Tensor> make_circles(const MakeCirclesOptions& o) {
  check(o.n_samples >= 0, "make_circles", "n_samples must be non-negative, got ", o.n_samples);
  check(o.factor >= 0 && o.factor < 1, "make_circles", "'factor' has to be between 0 and 1, got ", o.factor);
  NumpyRandomState rs = random_state_of(o.random_state);
  const int64_t n_out = o.n_samples / 2, n_in = o.n_samples - n_out;
  Tensor X = Tensor::empty({o.n_samples, 2}, DType::f64);
  Tensor y = Tensor::empty({o.n_samples}, DType::i64);
  double* px = X.data<double>();
  int64_t* py = y.data<int64_t>();
  // np.linspace(0, 2π, n, endpoint=False) is i·(2π/n).
  auto circle = [&](int64_t first, int64_t n, double radius, int64_t label) {
    const double step = 2 * std::numbers::pi / static_cast<double>(n);
    for (int64_t i = 0; i < n; ++i) {
      const double angle = static_cast<double>(i) * step;
      px[2 * (first + i)] = std::cos(angle) * radius;
      px[2 * (first + i) + 1] = std::sin(angle) * radius;
      py[first + i] = label;
    }
  };
  circle(0, n_out, 1.0, 0);
  circle(n_out, n_in, o.factor, 1);
  if (o.shuffle) {
    const auto idx = shuffled_indices(o.n_samples, rs);
    X = rows(X, idx).contiguous();
    y = rows(y, idx).contiguous();
    px = X.data<double>();
  }
  if (o.noise)
    for (int64_t i = 0; i < 2 * o.n_samples; ++i) px[i] += rs.normal(0.0, *o.noise);
  return {X, y};
}

std::pair<Tensor, Tensor> make_blobs(const MakeBlobsOptions& o) {
  const char* op = "make_blobs";
  check(o.n_samples >= 0 && o.n_features > 0 && o.centers > 0, op,
        "expected n_samples >= 0, n_features > 0 and centers > 0, got ", o.n_samples, ", ", o.n_features, ", ",
        o.centers);
  NumpyRandomState rs = random_state_of(o.random_state);
  std::vector<double> centers(static_cast<size_t>(o.centers * o.n_features));
  for (double& c : centers) c = rs.uniform(o.center_box.first, o.center_box.second);
  Tensor X = Tensor::empty({o.n_samples, o.n_features}, DType::f64);
  Tensor y = Tensor::empty({o.n_samples}, DType::i64);
  double* px = X.data<double>();
  int64_t* py = y.data<int64_t>();
  int64_t row = 0;
  for (int64_t c = 0; c < o.centers; ++c) {
    const int64_t n = o.n_samples / o.centers + (c < o.n_samples % o.centers ? 1 : 0);
    for (int64_t i = 0; i < n; ++i, ++row) {
      for (int64_t f = 0; f < o.n_features; ++f)
        px[row * o.n_features + f] = rs.normal(centers[c * o.n_features + f], o.cluster_std);
      py[row] = c;
    }
  }
  if (o.shuffle) {
    const auto idx = shuffled_indices(o.n_samples, rs);
    X = rows(X, idx).contiguous();
    y = rows(y, idx).contiguous();
  }
  return {X, y};
}

std::vector<Tensor> train_test_split(const std::vector<Tensor>& arrays, const TrainTestSplitOptions& o) {
  const char* op = "train_test_split";
  check(!arrays.empty(), op, "At least one array required as input");
  for (const Tensor& a : arrays) check(a.defined() && a.dim() >= 1, op, "every array needs at least one dimension");
  const int64_t n = arrays[0].size(0);
  for (const Tensor& a : arrays)
    check(a.size(0) == n, op, "Found input variables with inconsistent numbers of samples: ", n, " and ", a.size(0));
  int64_t n_test;
  if (o.test_size > 0 && o.test_size < 1) {
    n_test = static_cast<int64_t>(std::ceil(o.test_size * static_cast<double>(n)));
  } else {
    check(o.test_size >= 1 && o.test_size == std::floor(o.test_size) && o.test_size < static_cast<double>(n), op,
          "test_size=", o.test_size, " should be either a fraction in (0, 1) or a whole number in [1, ", n, ")");
    n_test = static_cast<int64_t>(o.test_size);
  }
  const int64_t n_train = n - n_test;
  check(n_train > 0, op, "With n_samples=", n, ", test_size=", o.test_size,
        " the resulting train set will be empty. Adjust any of the aforementioned parameters.");
  std::vector<int64_t> train, test;
  if (o.shuffle) {
    NumpyRandomState rs = random_state_of(o.random_state);
    const auto perm = rs.permutation(n);
    test.assign(perm.begin(), perm.begin() + n_test);
    train.assign(perm.begin() + n_test, perm.end());
  } else {
    for (int64_t i = 0; i < n_train; ++i) train.push_back(i);
    for (int64_t i = n_train; i < n; ++i) test.push_back(i);
  }
  std::vector<Tensor> out;
  for (const Tensor& a : arrays) {
    out.push_back(rows(a, train));
    out.push_back(rows(a, test));
  }
  return out;
}

std::array<Tensor, 4> train_test_split(const Tensor& X, const Tensor& y, const TrainTestSplitOptions& o) {
  auto parts = train_test_split(std::vector<Tensor>{X, y}, o);
  return {parts[0], parts[1], parts[2], parts[3]};
}

}  // namespace ojo::data
