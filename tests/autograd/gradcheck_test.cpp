// Finite-difference check of every backward rule, in float64: for each case of cases.hpp whose
// inputs are away from kinks, d/dx sum(f(x) * g) from backward() must match the central
// difference (f(x + eps) - f(x - eps)) / 2eps, eps = 1e-6, to atol 1e-6 + rtol 1e-5.
// Inputs are the cases' deterministic inputs (tests/autograd/data/<case>.in<i>.npy) in float64.
// This checks the rules against calculus; ops_pytorch_test checks them against PyTorch.
#include <cmath>
#include <filesystem>

#include "cases.hpp"
#include "compare.hpp"
#include "ojo/io/npy.hpp"

namespace ojo::test {
namespace {

std::string data_path(const std::string& name, const std::string& suffix) {
  return source_dir() + "/tests/autograd/data/" + name + "." + suffix + ".npy";
}
bool has(const std::string& name, const std::string& suffix) {
  return std::filesystem::exists(data_path(name, suffix));
}

// A fixed upstream gradient for an output shape: 0.5 cos(0.913 i) + 0.25.
Tensor upstream(const Shape& shape) {
  Tensor g = Tensor::empty(shape, DType::f64);
  for (int64_t i = 0; i < g.numel(); ++i) g.data<double>()[i] = 0.5 * std::cos(0.913 * static_cast<double>(i)) + 0.25;
  return g;
}

class Gradcheck : public ::testing::TestWithParam<OpCase> {};

TEST_P(Gradcheck, MatchesFiniteDifferences) {
  const OpCase& c = GetParam();
  std::vector<Tensor> inputs;
  std::vector<size_t> wrt;
  for (int i = 0; has(c.name, "in" + std::to_string(i)); ++i) {
    Tensor t = load_npy(data_path(c.name, "in" + std::to_string(i)));
    if (is_floating(t.dtype())) t = t.to(DType::f64);
    if (has(c.name, "grad" + std::to_string(i))) {
      t.requires_grad_();
      wrt.push_back(static_cast<size_t>(i));
    }
    inputs.push_back(t);
  }
  if (!c.smooth || wrt.empty()) GTEST_SKIP() << c.name << ": not differentiable at its inputs, or no gradient";
  const Tensor out = c.fn(inputs);
  ASSERT_EQ(out.dtype(), DType::f64) << c.name;
  const Tensor g = upstream(out.shape());
  out.backward(g);
  NoGradGuard no_grad;
  auto objective = [&](const std::vector<Tensor>& xs) { return (c.fn(xs).to(DType::f64) * g).sum().item(); };
  constexpr double eps = 1e-6;
  for (size_t k : wrt) {
    Tensor numeric = zeros(inputs[k].shape(), DType::f64);
    for (int64_t j = 0; j < inputs[k].numel(); ++j) {
      std::vector<Tensor> xs = inputs;
      xs[k] = inputs[k].detach().clone();
      double* p = xs[k].data<double>();
      const double orig = p[j];
      p[j] = orig + eps;
      const double up = objective(xs);
      p[j] = orig - eps;
      const double down = objective(xs);
      numeric.data<double>()[j] = (up - down) / (2 * eps);
    }
    EXPECT_TRUE(allclose(inputs[k].grad(), numeric, 1e-6, 1e-5)) << c.name << ": input " << k;
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, Gradcheck, ::testing::ValuesIn(op_cases()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace ojo::test
