// Synthetic data against scikit-learn 1.2 (scripts/reference/synthetic_reference.py): with the same
// random_state, make_circles, make_blobs and train_test_split return the same arrays — the guide's
// §66 and §75 calls included. Float64 points agree to 1e-12 (NumPy's and glibc's sin/cos/log may
// differ in the last bit); labels and splits are equal.
#include "autograd/compare.hpp"
#include "ojo/core/numpy_random.hpp"
#include "ojo/data/synthetic.hpp"
#include "ojo/io/npy.hpp"

namespace ojo::test {
namespace {

Tensor ref(const std::string& name, const std::string& key) {
  return load_npy(source_dir() + "/tests/data/reference/" + name + "." + key + ".npy");
}
void expect_points(const Tensor& actual, const std::string& name, const std::string& key) {
  EXPECT_TRUE(allclose(actual, ref(name, key), 1e-12, 0)) << name << "." << key;
}
void expect_same(const Tensor& actual, const std::string& name, const std::string& key) {
  EXPECT_TRUE(actual.contiguous().equal(ref(name, key))) << name << "." << key;
}

TEST(Synthetic, MakeCirclesAsSklearn) {
  auto [X, y] = data::make_circles({.n_samples = 1000, .noise = 0.03, .random_state = 42});
  expect_points(X, "circles_guide", "X");
  expect_same(y, "circles_guide", "y");
  auto [X2, y2] = data::make_circles({.n_samples = 7, .shuffle = false, .random_state = 0, .factor = 0.5});
  expect_points(X2, "circles_odd_unshuffled", "X");
  expect_same(y2, "circles_odd_unshuffled", "y");
  auto [X3, y3] = data::make_circles({.n_samples = 9, .noise = 0.1, .random_state = 3});
  expect_points(X3, "circles_odd_noise", "X");
  expect_same(y3, "circles_odd_noise", "y");
}

TEST(Synthetic, MakeBlobsAsSklearn) {
  auto [X, y] = data::make_blobs(
      {.n_samples = 1000, .n_features = 2, .centers = 4, .cluster_std = 1.5, .random_state = 42});
  expect_points(X, "blobs_guide", "X");
  expect_same(y, "blobs_guide", "y");
  auto [X2, y2] = data::make_blobs({.n_samples = 10, .n_features = 3, .centers = 3, .cluster_std = 0.5,
                                    .center_box = {-2.0, 5.0}, .random_state = 1});
  expect_points(X2, "blobs_uneven", "X");
  expect_same(y2, "blobs_uneven", "y");
}

TEST(Synthetic, TrainTestSplitAsSklearn) {
  auto [X, y] = data::make_circles({.n_samples = 1000, .noise = 0.03, .random_state = 42});
  auto [X_train, X_test, y_train, y_test] =
      data::train_test_split(X.to(DType::f32), y.to(DType::f32), {.test_size = 0.2, .random_state = 42});
  EXPECT_EQ(X_train.size(0), 800);
  EXPECT_EQ(X_test.size(0), 200);
  expect_same(y_train, "circles_guide_split", "y_train");
  expect_same(y_test, "circles_guide_split", "y_test");
  EXPECT_TRUE(allclose(X_train, ref("circles_guide_split", "X_train"), 1e-6, 0));

  const Tensor X10 = arange(20, DType::f64).reshape({10, 2}), y10 = arange(10);
  auto parts = data::train_test_split({X10, y10}, {.test_size = 3, .random_state = 7});
  ASSERT_EQ(parts.size(), 4u);
  expect_same(parts[0], "split_count", "X_train");
  expect_same(parts[1], "split_count", "X_test");
  expect_same(parts[3], "split_count", "y_test");
  auto plain = data::train_test_split(X10, y10, {.test_size = 0.25, .shuffle = false});
  expect_same(plain[0], "split_unshuffled", "X_train");
  expect_same(plain[3], "split_unshuffled", "y_test");
}

TEST(Synthetic, BadArguments) {
  EXPECT_THROW_MSG(data::make_circles({.factor = 1.0}), "'factor' has to be between 0 and 1");
  EXPECT_THROW_MSG(data::make_blobs({.centers = 0}), "centers > 0");
  const Tensor a = zeros({10, 2}), b = zeros({9});
  EXPECT_THROW_MSG(data::train_test_split(a, b), "inconsistent numbers of samples: 10 and 9");
  EXPECT_THROW_MSG(data::train_test_split(a, zeros({10}), {.test_size = 10}), "should be either a fraction");
  EXPECT_THROW_MSG(data::train_test_split(a, zeros({10}), {.test_size = 2.5}), "should be either a fraction");
}

TEST(NumpyRandomState, PermutationIsAPermutation) {
  NumpyRandomState rs(5);
  auto p = rs.permutation(100);
  std::sort(p.begin(), p.end());
  for (int64_t i = 0; i < 100; ++i) EXPECT_EQ(p[i], i);
}

}  // namespace
}  // namespace ojo::test
