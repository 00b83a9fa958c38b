// ctest-labels: pytorch
// ojo's Generator is PyTorch's CPU generator: after manual_seed(s), randn / rand / randint /
// randperm / uniform_ / normal_ / dropout / the nn::init functions return what PyTorch 1.13 returns
// after torch.manual_seed(s) (scripts/reference/random_reference.py). Equal to the bit, except
// randn of 16+ floats, where torch on this AVX2 machine uses SLEEF's vector log/sin/cos: 1e-6 there.
#include "autograd/compare.hpp"
#include "ojo/io/npy.hpp"
#include "ojo/nn/functional.hpp"
#include "ojo/nn/init.hpp"

namespace ojo::test {
namespace {

Tensor expected(const std::string& name) { return load_npy(source_dir() + "/tests/core/data/random/" + name + ".npy"); }
void expect_equal(const Tensor& t, const std::string& name) {
  EXPECT_TRUE(t.equal(expected(name))) << name << ":\n" << t << "\nvs torch\n" << expected(name);
}

TEST(TorchRandom, NormalDraws) {
  manual_seed(42);
  const Tensor w = randn({1}), b = randn({1});  // the guide's 0.3367 / 0.1288
  expect_equal(cat({w, b}), "randn_pair");
  manual_seed(1);
  expect_equal(randn({7}), "randn_7");
  manual_seed(1);
  expect_equal(randn({5}, DType::f64), "randn_5_f64");
  manual_seed(2);
  EXPECT_TRUE(allclose(randn({40}), expected("randn_40"), 1e-6, 1e-6));
  manual_seed(2);
  EXPECT_TRUE(allclose(randn({37}, DType::f64), expected("randn_37_f64"), 1e-12, 1e-12));
  manual_seed(9);
  EXPECT_TRUE(allclose(randn({2, 3, 4}), expected("randn_2x3x4"), 1e-6, 1e-6));
  manual_seed(6);
  Tensor n = Tensor::empty({20});
  nn::init::normal_(n, 1.5, 0.25);
  EXPECT_TRUE(allclose(n, expected("normal_20"), 1e-6, 1e-6));
}

TEST(TorchRandom, UniformIntegerAndPermutationDraws) {
  manual_seed(3);
  expect_equal(rand({10}), "rand_10");
  manual_seed(3);
  expect_equal(rand({6}, DType::f64), "rand_6_f64");
  manual_seed(4);
  expect_equal(randint(-5, 7, {20}), "randint_20");
  manual_seed(4);
  expect_equal(randint(0, int64_t{1} << 40, {5}), "randint_wide");
  manual_seed(5);
  expect_equal(randperm(30), "randperm_30");
  manual_seed(6);
  Tensor u = Tensor::empty({9});
  nn::init::uniform_(u, -0.3, 0.7);
  expect_equal(u, "uniform_9");
}

TEST(TorchRandom, DropoutAndInitialisers) {
  manual_seed(7);
  expect_equal(nn::functional::dropout(ones({50}), 0.3), "dropout_50");
  manual_seed(8);
  Tensor k = Tensor::empty({64, 32});
  nn::init::kaiming_normal_(k, 0, nn::init::FanMode::fan_in, "relu");
  EXPECT_TRUE(allclose(k, expected("kaiming_normal_64x32"), 1e-6, 1e-6));
  manual_seed(8);
  Tensor x = Tensor::empty({16, 8});
  nn::init::xavier_uniform_(x);
  expect_equal(x, "xavier_uniform_16x8");
  manual_seed(8);
  Tensor c = Tensor::empty({4, 3, 3, 3});
  nn::init::kaiming_uniform_(c, std::sqrt(5.0));
  expect_equal(c, "kaiming_uniform_conv");
}

TEST(TorchRandom, OwnedGeneratorsAreIndependentOfTheGlobalOne) {
  Generator g(42);
  manual_seed(1);
  const Tensor a = randn({1}, DType::f32, &g);
  manual_seed(42);
  EXPECT_TRUE(a.equal(randn({1})));
  EXPECT_EQ(Generator().initial_seed(), Generator::kDefaultSeed);
}

}  // namespace
}  // namespace ojo::test
