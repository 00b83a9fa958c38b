// Autograd behaviour: leaves and non-leaves, accumulation, zero_grad, detach, grad-mode guards,
// freed graphs, memory release, dtype rules, error messages (worded like PyTorch's), the matmul
// fast path against its reference loop, and the random factories.
#include <cmath>
#include <cstdio>
#include <set>

#include "compare.hpp"
#include "ojo/core/parallel.hpp"
#include "ojo/tensor/ops.hpp"

namespace ojo::test {
namespace {

Tensor vec(std::initializer_list<float> v) { return Tensor::from<float>(v); }

// Float sums go in fixed chunks of rows (the chunks of a long row on all threads, added in order):
// the same bits at any thread count, for a whole tensor, long rows, and many short rows; gradients
// of sum and mean keep their shapes. (Values against PyTorch: the sum_/mean_ cases of
// ops_pytorch_test.cpp.)
TEST(Autograd, SumsSameBitsAtAnyThreadCount) {
  manual_seed(3);
  const Tensor x = randn({5, 70001}), x64 = randn({3, 40003}, DType::f64), many = randn({4000, 7});
  std::vector<Tensor> first;
  for (int threads : {1, 2, 3, 8}) {
    set_num_threads(threads);
    const std::vector<Tensor> sums = {x.sum(), x.sum(1), x.sum(0), x64.sum(), x64.sum(1), many.sum(1), x.mean()};
    if (first.empty()) first = sums;
    for (size_t i = 0; i < sums.size(); ++i) EXPECT_TRUE(allclose(sums[i], first[i], 0, 0)) << i << ", " << threads << " threads";
  }
  set_num_threads(2);
  Tensor w = randn({3, 20000}).requires_grad_();
  (w.sum(1, true) * 2).sum().backward();
  EXPECT_TRUE(allclose(w.grad(), full({3, 20000}, 2.0), 0, 0));
  Tensor v = randn({3, 20000}).requires_grad_();
  v.mean({0, 1}, false).backward();
  EXPECT_TRUE(allclose(v.grad(), full({3, 20000}, 1.0 / 60000), 0, 0));
}

// float32 exp, tanh and log (their own kernels, not the C library's) against the functions in
// double: exp within 1 ULP over its whole normal range, tanh 2, log 1 (subnormal arguments
// included); sigmoid, 1 / (1 + exp(-x)) in float32, within 2.5 ULP of the same in double (the
// formula's own roundings: 2.32 ULP with the C library's expf as well).
TEST(Autograd, Float32ExpSigmoidTanhLogAgainstDouble) {
  std::vector<float> xs;
  for (int i = 0; i <= 400000; ++i) xs.push_back(-87.0f + 175.0f * static_cast<float>(i) / 400000.0f);
  const Tensor x = Tensor::from_vector(xs, {static_cast<int64_t>(xs.size())});
  const Tensor e = exp(x), s = sigmoid(x);
  const auto ulps = [](float got, double exact) {
    const float rounded = static_cast<float>(exact);
    return std::fabs(got - exact) / (std::nextafter(rounded, INFINITY) - rounded);
  };
  double worst_exp = 0, worst_sigmoid = 0;
  for (size_t i = 0; i < xs.size(); ++i) {
    const double v = xs[i];
    worst_exp = std::max(worst_exp, ulps(e.data<float>()[i], std::exp(v)));
    worst_sigmoid = std::max(worst_sigmoid, ulps(s.data<float>()[i], 1 / (1 + std::exp(-v))));
  }
  EXPECT_LE(worst_exp, 1.0);
  EXPECT_LE(worst_sigmoid, 2.5);
  // tanh near 0 (the polynomial), across 0.625 (the exp form) and out to where it is ±1; log from
  // the subnormals to FLT_MAX, and around 1 where log m cancels.
  std::vector<float> ts, ls;
  for (int i = -200000; i <= 200000; ++i) ts.push_back(12.0f * static_cast<float>(i) / 200000.0f);
  for (int i = 0; i <= 400000; ++i) ls.push_back(std::pow(2.0f, -148.0f + 275.0f * static_cast<float>(i) / 400000.0f));
  for (int i = -20000; i <= 20000; ++i) ls.push_back(1.0f + static_cast<float>(i) * 1e-5f);
  const Tensor t = tanh(Tensor::from_vector(ts, {static_cast<int64_t>(ts.size())}));
  const Tensor l = log(Tensor::from_vector(ls, {static_cast<int64_t>(ls.size())}));
  double worst_tanh = 0, worst_log = 0;
  for (size_t i = 0; i < ts.size(); ++i) worst_tanh = std::max(worst_tanh, ulps(t.data<float>()[i], std::tanh(double(ts[i]))));
  for (size_t i = 0; i < ls.size(); ++i) worst_log = std::max(worst_log, ulps(l.data<float>()[i], std::log(double(ls[i]))));
  std::printf("worst: exp %.2f, sigmoid %.2f, tanh %.2f, log %.2f ULP\n", worst_exp, worst_sigmoid, worst_tanh, worst_log);
  EXPECT_LE(worst_tanh, 2.0);
  EXPECT_LE(worst_log, 1.0);
}

TEST(Autograd, LeafGradientAndAccumulation) {
  Tensor w = vec({1, 2, 3}).requires_grad_();
  EXPECT_TRUE(w.requires_grad());
  EXPECT_TRUE(w.is_leaf());
  EXPECT_FALSE(w.grad().defined());
  (w * w).sum().backward();
  EXPECT_TRUE(allclose(w.grad(), vec({2, 4, 6})));
  (w * 3).sum().backward();  // accumulates, as torch
  EXPECT_TRUE(allclose(w.grad(), vec({5, 7, 9})));
  w.set_grad(Tensor());  // zero_grad (set_to_none)
  EXPECT_FALSE(w.grad().defined());
  w.sum().backward();  // a leaf used directly
  EXPECT_TRUE(allclose(w.grad(), vec({1, 1, 1})));
}

TEST(Autograd, NonLeafGradUndefinedUnlessRetained) {
  Tensor x = vec({1, 2}).requires_grad_();
  Tensor y = x * 2;
  Tensor z = y * y;
  EXPECT_FALSE(y.is_leaf());
  EXPECT_EQ(y.grad_fn_name(), "MulBackward0");
  EXPECT_EQ(x.grad_fn_name(), "");
  z.retain_grad();
  z.sum().backward();
  EXPECT_FALSE(y.grad().defined());
  EXPECT_TRUE(allclose(z.grad(), vec({1, 1})));
  EXPECT_TRUE(allclose(x.grad(), vec({8, 16})));  // d/dx (2x)^2 = 8x
}

TEST(Autograd, PrintedLikeTorch) {
  Tensor w = vec({0.3367f}).requires_grad_();
  EXPECT_EQ(w.str(), "tensor([0.3367], requires_grad=True)");
  EXPECT_EQ((w * 2).sum().str(), "tensor(0.6734, grad_fn=<SumBackward0>)");
  EXPECT_EQ(w.detach().str(), "tensor([0.3367])");
}

TEST(Autograd, ExplicitGradientForNonScalars) {
  Tensor x = vec({1, 2, 3}).requires_grad_();
  Tensor y = x * x;
  EXPECT_THROW_MSG(y.backward(), "grad can be implicitly created only for scalar outputs");
  EXPECT_THROW_MSG(y.backward(vec({1, 1})), "Mismatch in shape");
  y.backward(vec({1, 0, -1}));
  EXPECT_TRUE(allclose(x.grad(), vec({2, 0, -6})));
}

TEST(Autograd, FreedGraphAndRetainGraph) {
  Tensor x = vec({1, 2}).requires_grad_();
  Tensor loss = (exp(x) * x).sum();
  loss.backward(Tensor(), /*retain_graph=*/true);
  const Tensor first = x.grad().clone();
  loss.backward();  // allowed: the graph was retained; this call frees it
  EXPECT_TRUE(allclose(x.grad(), first * 2));
  EXPECT_THROW_MSG(loss.backward(), "Trying to backward through the graph a second time");
}

TEST(Autograd, DetachSharesDataWithoutGraph) {
  Tensor x = vec({1, 2}).requires_grad_();
  Tensor y = x * 2;
  Tensor d = y.detach();
  EXPECT_FALSE(d.requires_grad());
  EXPECT_EQ(d.storage(), y.storage());
  EXPECT_EQ(d.autograd_meta(), nullptr);
  Tensor e = d * x;  // only x carries gradient
  e.sum().backward();
  EXPECT_TRUE(allclose(x.grad(), vec({2, 4})));
}

TEST(Autograd, GuardsRecordNothingAndRestore) {
  Tensor x = vec({1, 2}).requires_grad_();
  {
    NoGradGuard guard;
    EXPECT_FALSE(GradMode::is_enabled());
    Tensor y = exp(x) * 2 + x.reshape({2, 1}).sum();
    EXPECT_FALSE(y.requires_grad());
    EXPECT_EQ(y.autograd_meta(), nullptr);  // nothing kept
    {
      InferenceMode inner;
      EXPECT_EQ(matmul(x, x).autograd_meta(), nullptr);
    }
    EXPECT_FALSE(GradMode::is_enabled());
  }
  EXPECT_TRUE(GradMode::is_enabled());
  {
    InferenceMode mode;
    EXPECT_FALSE(softmax(x, 0).requires_grad());
  }
  EXPECT_TRUE((x * 2).requires_grad());
}

TEST(Autograd, GraphIsReleasedWithItsOutput) {
  Tensor x = vec({1, 2}).requires_grad_();
  std::weak_ptr<Node> node;
  std::weak_ptr<Storage> saved;
  {
    Tensor h = exp(x);  // ExpBackward saves its output
    saved = h.storage();
    Tensor y = h * x;
    node = y.autograd_meta()->grad_fn;
    EXPECT_FALSE(node.expired());
  }
  EXPECT_TRUE(node.expired());
  EXPECT_TRUE(saved.expired());
}

TEST(Autograd, InPlaceUpdateUnderNoGrad) {
  // The hand-written SGD step of the guide: w -= lr * w.grad, without recording.
  Tensor w = vec({1.0f}).requires_grad_();
  (w * w).sum().backward();
  {
    NoGradGuard guard;
    w.copy_(w - 0.1 * w.grad());
  }
  EXPECT_TRUE(w.is_leaf());
  EXPECT_TRUE(w.requires_grad());
  EXPECT_NEAR(w.item(), 0.8, 1e-7);
}

TEST(Autograd, RequiresGradRules) {
  EXPECT_THROW_MSG(arange(3).requires_grad_(), "only Tensors of floating point dtype can require gradients");
  Tensor x = vec({1}).requires_grad_();
  Tensor y = x * 2;
  EXPECT_THROW_MSG(y.requires_grad_(false), "you can only change requires_grad flags of leaf variables");
  EXPECT_THROW_MSG(vec({1}).backward(), "does not require grad and does not have a grad_fn");
  EXPECT_THROW_MSG(vec({1}).retain_grad(), "can't retain_grad on Tensor that has requires_grad=False");
  x.requires_grad_(false);
  EXPECT_FALSE((x * 2).requires_grad());
  EXPECT_FALSE(gt(y, 1).requires_grad());  // bool results never require grad
  EXPECT_FALSE(y.argmax().requires_grad());
}

TEST(Autograd, DtypeRules) {
  const Tensor i = arange(4);
  EXPECT_EQ((i + 1).dtype(), DType::i64);
  EXPECT_EQ((i * 0.5).dtype(), DType::f32);
  EXPECT_EQ((i / 2).dtype(), DType::f32);
  EXPECT_EQ((vec({1}) + Tensor::from<double>({1})).dtype(), DType::f64);
  EXPECT_EQ((vec({1}) * 2.5).dtype(), DType::f32);
  EXPECT_EQ(eq(i, 2).dtype(), DType::boolean);
  EXPECT_EQ(i.sum().dtype(), DType::i64);
  EXPECT_EQ(i.sum().item(), 6);
  EXPECT_EQ(exp(i).dtype(), DType::f32);
  EXPECT_EQ(Tensor::from<uint8_t>({200, 100}).sum().item(), 300);  // no wrap-around
  EXPECT_THROW_MSG(i.mean(), "Input dtype must be either a floating point or complex dtype");
}

TEST(Autograd, ShapeErrorsWordedLikePyTorch) {
  EXPECT_THROW_MSG(zeros({2, 3}) + zeros({2, 4}),
                   "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1");
  EXPECT_THROW_MSG(matmul(zeros({2, 3}), zeros({4, 5})), "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)");
  EXPECT_THROW_MSG(matmul(zeros({3}), zeros({4})), "inconsistent tensor size");
  EXPECT_THROW_MSG(matmul(arange(4).reshape({2, 2}), arange(4).reshape({2, 2})), "floating point dtype");
  EXPECT_THROW_MSG(cat({zeros({2, 3}), zeros({2, 4})}, 0),
                   "Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor "
                   "number 1 in the list.");
  EXPECT_THROW_MSG(stack({zeros({2}), zeros({3})}), "stack expects each tensor to be equal size");
  EXPECT_THROW_MSG(index_select(zeros({3}), 0, Tensor::from<int64_t>({3})), "index out of range in self");
  EXPECT_THROW_MSG(gather(zeros({2, 2}), 1, Tensor::from<int64_t>({{0, 2}})), "index 2 is out of bounds");
  EXPECT_THROW_MSG(index(zeros({4, 2}), Tensor::from<bool>({true, false, true})),
                   "The shape of the mask [3] at index 0 does not match the shape of the indexed tensor [4, 2]");
  EXPECT_THROW_MSG(zeros({2, 3}).sum(2), "Dimension out of range");
  EXPECT_THROW_MSG(zeros({0}).max(), "numel() == 0");
  EXPECT_THROW_MSG(clamp(zeros({2}), std::nullopt, std::nullopt), "At least one of 'min' or 'max'");
  EXPECT_THROW_MSG(Tensor() + zeros({1}), "undefined");
}

TEST(Autograd, BroadcastGradientsSumToInputShape) {
  Tensor a = ones({3, 1}).requires_grad_();
  Tensor b = ones({4}).requires_grad_();
  (a * b).sum().backward();
  EXPECT_EQ(a.grad().shape(), (Shape{3, 1}));
  EXPECT_TRUE(allclose(a.grad(), full({3, 1}, 4)));
  EXPECT_TRUE(allclose(b.grad(), full({4}, 3)));
}

TEST(Matmul, FastKernelMatchesReferenceLoopAndIgnoresThreadCount) {
  // Odd sizes cross the GEMM's fixed 64×256 blocks. OpenBLAS sums in another order than the plain
  // loop (float rounding); the result must not depend on the number of threads.
  for (auto [m, k, n] : {std::array<int64_t, 3>{1, 1, 1}, {7, 300, 13}, {33, 5, 600}, {65, 257, 515}}) {
    const Tensor a = tanh(linspace(-3, 5, m * k)).reshape({1, m, k});
    const Tensor b = (linspace(2, -1, k * n) * linspace(1, 3, k * n)).reshape({1, k, n});
    set_num_threads(1);
    const Tensor one = bmm_kernel(a, b, false);
    set_num_threads(2);
    EXPECT_TRUE(bmm_kernel(a, b, false).equal(one)) << m << "x" << k << "x" << n;
    EXPECT_TRUE(allclose(one, bmm_kernel(a, b, true), 1e-4, 1e-5)) << m << "x" << k << "x" << n;
  }
}

TEST(Random, FactoriesFollowTheGenerator) {
  manual_seed(7);
  const Tensor a = rand({1000});
  manual_seed(7);
  EXPECT_TRUE(rand({1000}).equal(a));  // same seed, same stream
  EXPECT_GE(amin(a), 0.0);
  EXPECT_LT(amax(a), 1.0);
  EXPECT_NEAR(mean(a), 0.5, 0.05);
  Generator gen(3);
  const Tensor n = randn({20000}, DType::f32, &gen);
  EXPECT_NEAR(mean(n), 0.0, 0.03);
  EXPECT_NEAR((n * n).mean().item(), 1.0, 0.05);
  const Tensor r = randint(-2, 3, {500});
  EXPECT_EQ(r.dtype(), DType::i64);
  EXPECT_EQ(amin(r), -2);
  EXPECT_EQ(amax(r), 2);
  const Tensor p = randperm(50);
  std::set<int64_t> seen(p.data<int64_t>(), p.data<int64_t>() + 50);
  EXPECT_EQ(seen.size(), 50u);
  EXPECT_EQ(*seen.begin(), 0);
  EXPECT_EQ(*seen.rbegin(), 49);
  EXPECT_THROW_MSG(randint(3, 3, {1}), "random_ expects 'from' to be less than 'to'");
}

}  // namespace
}  // namespace ojo::test
