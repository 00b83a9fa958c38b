// ctest-labels: pytorch
// Every nn layer, forward and backward, against PyTorch 1.13 reference data made by
// scripts/reference/nn_reference.py (tests/nn/data/layers): conv2d (stride, padding int / pair /
// same / valid, dilation, groups, bias, unbatched, f64), max/avg/adaptive pooling, linear,
// batch_norm (train and eval, running statistics). conv2d and max_pool2d run both their fast and
// reference paths, at 1 and 2 threads. Module printing is compared with torch's repr().
// Tolerance: |ojo - torch| <= 1e-5 + 1e-5 * |torch| (float32 rounding of sums of up to ~500 terms);
// weight gradients sum over the whole batch (N·OH·OW terms, 1568 for TinyVGG's first layer), where
// float32 summation order alone moves the result by a few 1e-5 relative (ojo's and torch's results
// are each within that of the float64 value): rtol 5e-5 there. Where those terms cancel, torch's own
// float32 weight gradient lands up to 1e-4 relative from the exact one; for conv2d the reference data
// holds the exact (float64) gradient too, and ojo must be within 5e-5 of it plus twice torch's error.
#include <hwy/targets.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "autograd/compare.hpp"
#include "ojo/core/parallel.hpp"
#include "ojo/io/npy.hpp"
#include "ojo/nn/layers.hpp"

namespace ojo::test {
namespace {

namespace F = nn::functional;
using nlohmann::json;
constexpr double kAtol = 1e-5, kRtol = 1e-5;

std::string data_dir() { return source_dir() + "/tests/nn/data/layers/"; }
Tensor load(const std::string& name, const std::string& key) { return load_npy(data_dir() + name + "." + key + ".npy"); }

// |ojo − exact| <= atol + rtol·|exact| + 2·|torch − exact|, element by element.
testing::AssertionResult as_close_to_exact_as_torch(const Tensor& ojo, const Tensor& torch, const Tensor& exact,
                                                    double atol, double rtol) {
  const Tensor a = ojo.to(DType::f64).contiguous(), t = torch.to(DType::f64).contiguous(), e = exact.contiguous();
  if (a.shape() != e.shape()) return testing::AssertionFailure() << "shape " << shape_str(a.shape());
  const double *pa = a.data<double>(), *pt = t.data<double>(), *pe = e.data<double>();
  for (int64_t i = 0; i < a.numel(); ++i) {
    const double bound = atol + rtol * std::abs(pe[i]) + 2 * std::abs(pt[i] - pe[i]);
    if (!(std::abs(pa[i] - pe[i]) <= bound))
      return testing::AssertionFailure() << "weight gradient [" << i << "] ojo " << pa[i] << ", torch " << pt[i]
                                         << ", exact " << pe[i] << " (bound " << bound << ")";
  }
  return testing::AssertionSuccess();
}

const json& cases() {
  static const json j = [] {
    std::ifstream in(data_dir() + "cases.json");
    if (!in) throw std::runtime_error("missing " + data_dir() + "cases.json (run scripts/reference/nn_reference.py)");
    return json::parse(in);
  }();
  return j;
}

nn::Size2 size2(const json& v) { return {v[0].get<int64_t>(), v[1].get<int64_t>()}; }
std::optional<nn::Size2> opt_size2(const json& v) {
  return v.is_null() ? std::nullopt : std::optional<nn::Size2>(size2(v));
}
nn::Padding2d padding(const json& v) {
  return v.is_string() ? nn::Padding2d(v.get<std::string>()) : nn::Padding2d(size2(v));
}

struct Variant {
  bool reference;
  int threads;
  int64_t target;  // a Highway target to run alone, 0 for the best one
};

// Runs case `name` with its inputs; returns the outputs by key ("out", and "indices" for max pooling).
std::map<std::string, Tensor> run_case(const std::string& name, const json& c, std::map<std::string, Tensor>& in,
                                       bool reference) {
  const std::string op = c["op"];
  auto get = [&](const char* k) { return in.count(k) ? in.at(k) : Tensor(); };
  if (op == "conv2d" || op == "conv2d_relu") {
    const auto fn = op == "conv2d" ? F::conv2d : F::conv2d_relu;
    const auto run = [&] {
      return fn(get("x"), get("w"), get("b"), size2(c["stride"]), padding(c["padding"]), size2(c["dilation"]),
                c["groups"].get<int64_t>(), reference);
    };
    const Tensor y = run();
    NoGradGuard no_grad;  // nothing kept for backward: the padded input goes to a scratch buffer
    return {{"out", y}, {"out_no_grad", run()}};
  }
  if (op == "max_pool2d") {
    auto [y, idx] = F::max_pool2d_with_indices(get("x"), size2(c["k"]), opt_size2(c["s"]), size2(c["p"]),
                                               size2(c["d"]), c["ceil"].get<bool>(), reference);
    NoGradGuard no_grad;  // max_pool2d with nothing to go backward takes another path
    const Tensor inference = F::max_pool2d(get("x"), size2(c["k"]), opt_size2(c["s"]), size2(c["p"]), size2(c["d"]),
                                           c["ceil"].get<bool>(), reference);
    return {{"out", y}, {"indices", idx}, {"out_no_grad", inference}};
  }
  if (op == "avg_pool2d") {
    std::optional<int64_t> div;
    if (!c["div"].is_null()) div = c["div"].get<int64_t>();
    return {{"out", F::avg_pool2d(get("x"), size2(c["k"]), opt_size2(c["s"]), size2(c["p"]), c["ceil"].get<bool>(),
                                  c["cip"].get<bool>(), div)}};
  }
  if (op == "adaptive_avg_pool2d") return {{"out", F::adaptive_avg_pool2d(get("x"), size2(c["size"]))}};
  if (op == "linear") return {{"out", F::linear(get("x"), get("w"), get("b"))}};
  if (op == "batch_norm") {
    const bool training = c["training"];
    Tensor rm = load(name, "running_mean_in"), rv = load(name, "running_var_in");
    Tensor y = F::batch_norm(get("x"), rm, rv, get("w"), get("b"), training, 0.1, 1e-5);
    return {{"out", y}, {"running_mean_out", rm}, {"running_var_out", rv}};
  }
  throw std::runtime_error("unknown op " + op);
}

class LayersPytorch : public ::testing::TestWithParam<std::string> {};

TEST_P(LayersPytorch, ForwardAndBackward) {
  const std::string name = GetParam();
  const json& c = cases().at(name);
  const std::string op = c["op"];
  const bool has_reference_path = op == "conv2d" || op == "conv2d_relu" || op == "max_pool2d";
  // The fast paths' kernels under every Highway target this CPU runs (AVX-512 picks other tiles).
  std::vector<Variant> variants = {{false, 1, 0}, {false, 2, 0}, {true, 1, 0}};
  if (has_reference_path)
    for (int64_t target : hwy::SupportedAndGeneratedTargets())
      if (target != hwy::SupportedAndGeneratedTargets().front()) variants.push_back({false, 2, target});
  for (Variant v : variants) {
    if (v.reference && !has_reference_path) continue;
    SCOPED_TRACE(std::string(v.reference ? "reference" : "fast") + " path, " + std::to_string(v.threads) +
                 " thread(s)" + (v.target ? std::string(", Highway target ") + hwy::TargetName(v.target) : ""));
    set_num_threads(v.threads);
    hwy::SetSupportedTargetsForTest(v.target);
    std::map<std::string, Tensor> in;
    for (const auto& key : c["inputs"]) in[key] = load(name, key);
    for (const auto& key : c["grads"]) in[key].requires_grad_();
    auto outs = run_case(name, c, in, v.reference);
    for (const auto& [key, t] : outs) {
      const Tensor expected = load(name, key == "out_no_grad" ? "out" : key);
      if (key == "indices") EXPECT_TRUE(t.equal(expected)) << "indices differ";
      else EXPECT_TRUE(allclose(t, expected, kAtol, kRtol)) << key;
    }
    outs.at("out").backward(load(name, "gout"));
    for (const auto& key : c["grads"]) {
      const std::string k = key;
      const double rtol = k == "w" ? 5e-5 : kRtol;
      if (k == "w" && std::filesystem::exists(data_dir() + name + ".grad_w_f64.npy"))
        EXPECT_TRUE(as_close_to_exact_as_torch(in[k].grad(), load(name, "grad_w"), load(name, "grad_w_f64"), kAtol, rtol));
      else EXPECT_TRUE(allclose(in[k].grad(), load(name, "grad_" + k), kAtol, rtol)) << "gradient of " << k;
    }
  }
  hwy::SetSupportedTargetsForTest(0);
  set_num_threads(2);
}

// A convolution asked for fewer gradients takes other routes (no grad_input; bias alone): each
// gradient asked for must still be torch's.
class ConvolutionPytorch : public ::testing::TestWithParam<std::string> {};

TEST_P(ConvolutionPytorch, WithFewerGradients) {
  const std::string name = GetParam();
  const json& c = cases().at(name);
  std::vector<std::vector<std::string>> subsets = {{"w", "b"}, {"w"}, {"b"}};
  for (const auto& wanted : subsets) {
    std::map<std::string, Tensor> in;
    for (const auto& key : c["inputs"]) in[key] = load(name, key);
    std::vector<std::string> asked;
    for (const auto& k : wanted)
      if (in.count(k)) in[k].requires_grad_(), asked.push_back(k);
    if (asked.empty()) continue;
    SCOPED_TRACE("gradients of " + asked.front() + (asked.size() > 1 ? " and " + asked.back() : ""));
    run_case(name, c, in, false).at("out").backward(load(name, "gout"));
    for (const auto& k : asked) {
      if (k == "w" && std::filesystem::exists(data_dir() + name + ".grad_w_f64.npy"))
        EXPECT_TRUE(as_close_to_exact_as_torch(in[k].grad(), load(name, "grad_w"), load(name, "grad_w_f64"), kAtol, 5e-5));
      else EXPECT_TRUE(allclose(in[k].grad(), load(name, "grad_" + k), kAtol, k == "w" ? 5e-5 : kRtol)) << k;
    }
  }
}

// The reference cases whose op starts with `prefix` ("" for all).
std::vector<std::string> case_names(const std::string& prefix = "") {
  std::vector<std::string> names;
  for (const auto& [name, c] : cases().items())
    if (c["op"].get<std::string>().rfind(prefix, 0) == 0) names.push_back(name);
  return names;
}
INSTANTIATE_TEST_SUITE_P(Reference, ConvolutionPytorch, ::testing::ValuesIn(case_names("conv2d")),
                         [](const auto& info) { return info.param; });
INSTANTIATE_TEST_SUITE_P(Reference, LayersPytorch, ::testing::ValuesIn(case_names()),
                         [](const auto& info) { return info.param; });

// One image without gradients (inference) shares its output rows between the threads, each part
// padding only the input rows it reads. Every thread count must give the reference path's values
// (itself checked against torch above) and the same bits: tall and short images, rows narrower
// than a vector, 5×5 kernels, uneven padding, first layers (≤ 27 taps, written row by row) whose
// rows end in a single vector of 4 or 8 lanes (20, 12 and 24 wide); under every Highway target.
// Each call follows one on other data, so a part that read input it did not pad would see that
// data's values.
TEST(ConvolutionThreads, OneImageSplitByRowsIsThreadCountIndependent) {
  struct Shape { int64_t c, o, h, w, k; nn::Size2 pad; };
  const std::vector<Shape> shapes = {{1, 10, 28, 28, 3, {1, 1}}, {10, 10, 14, 14, 3, {1, 1}}, {3, 7, 5, 3, 3, {1, 1}},
                                     {2, 4, 9, 6, 5, {2, 1}},    {4, 6, 3, 17, 3, {0, 1}},   {3, 5, 40, 11, 3, {0, 0}},
                                     {1, 4, 6, 20, 3, {1, 1}},   {3, 5, 5, 12, 3, {1, 1}},   {1, 3, 4, 24, 3, {1, 1}},
                                     // Winograd (≥ 8 channels in and out): odd rows and columns, wide rows, rows
                                     // too narrow for 8 blocks, no padding, one row
                                     {8, 9, 13, 19, 3, {1, 1}},  {12, 8, 6, 37, 3, {0, 1}},  {9, 10, 7, 7, 3, {1, 1}},
                                     {16, 8, 5, 40, 3, {0, 0}},  {8, 8, 1, 16, 3, {1, 1}}};
  manual_seed(3);
  for (int64_t target : hwy::SupportedAndGeneratedTargets())
  for (const Shape& sh : shapes) {
    hwy::SetSupportedTargetsForTest(target);
    SCOPED_TRACE(shape_str({sh.c, sh.o, sh.h, sh.w, sh.k}) + " Highway target " + hwy::TargetName(target));
    const Tensor x = randn({1, sh.c, sh.h, sh.w}), other = randn({1, sh.c, sh.h, sh.w}) * 100;
    const Tensor w = randn({sh.o, sh.c, sh.k, sh.k}), b = randn({sh.o});
    NoGradGuard no_grad;
    const Tensor reference = F::conv2d(x, w, b, 1, sh.pad, 1, 1, true);
    Tensor first, first_relu;
    for (int threads : {1, 2, 3, 4}) {
      set_num_threads(threads);
      F::conv2d(other, w, b, 1, sh.pad);
      const Tensor y = F::conv2d(x, w, b, 1, sh.pad);
      F::conv2d_relu(other, w, b, 1, sh.pad);
      const Tensor y_relu = F::conv2d_relu(x, w, b, 1, sh.pad);
      EXPECT_TRUE(allclose(y, reference, kAtol, kRtol)) << threads << " threads";
      EXPECT_TRUE(allclose(y_relu, F::relu(reference), kAtol, kRtol)) << threads << " threads";
      if (threads == 1) first = y, first_relu = y_relu;
      EXPECT_TRUE(y.equal(first) && y_relu.equal(first_relu)) << threads << " threads";
    }
  }
  hwy::SetSupportedTargetsForTest(0);
  set_num_threads(2);
}

// conv2d_relu_max_pool2d, pooled as the rows are written where nothing goes backward, gives the bits
// of the three ops one after the other at any thread count (NaN included) under every Highway
// target, and the reference path's values; with gradients recorded it is the three ops and goes
// backward through them.
TEST(ConvolutionThreads, ReluMaxPoolFusedAsTheThreeOps) {
  struct Shape { int64_t n, c, o, h, w, k; nn::Size2 pad; };
  const std::vector<Shape> shapes = {{1, 1, 10, 28, 28, 3, {1, 1}}, {1, 10, 10, 14, 14, 3, {1, 1}},
                                     {2, 3, 7, 5, 3, 3, {1, 1}},    {1, 2, 4, 9, 6, 5, {2, 1}},
                                     {3, 4, 6, 3, 17, 3, {0, 1}},   {1, 3, 5, 40, 11, 3, {0, 0}},
                                     {1, 3, 5, 16, 16, 3, {1, 1}},  {2, 2, 3, 1, 9, 3, {1, 1}},
                                     {2, 8, 9, 13, 19, 3, {1, 1}},  {1, 12, 8, 6, 37, 3, {0, 1}},
                                     {1, 16, 10, 14, 30, 3, {1, 1}}};
  manual_seed(4);
  for (int64_t target : hwy::SupportedAndGeneratedTargets())
  for (const Shape& sh : shapes) {
    hwy::SetSupportedTargetsForTest(target);
    SCOPED_TRACE(shape_str({sh.n, sh.c, sh.o, sh.h, sh.w, sh.k}) + " Highway target " + hwy::TargetName(target));
    Tensor x = randn({sh.n, sh.c, sh.h, sh.w});
    x.data<float>()[x.numel() / 3] = std::nanf("");
    const Tensor other = randn({sh.n, sh.c, sh.h, sh.w}) * 100, w = randn({sh.o, sh.c, sh.k, sh.k}), b = randn({sh.o});
    NoGradGuard no_grad;
    if (sh.h + 2 * sh.pad.h - sh.k + 1 < 2) {  // nothing to pool: max_pool2d's error, as torch
      EXPECT_THROW(F::conv2d_relu_max_pool2d(x, w, b, 1, sh.pad), Error);
      continue;
    }
    const Tensor reference = F::max_pool2d(F::relu(F::conv2d(x, w, b, 1, sh.pad, 1, 1, true)), 2);
    for (int threads : {1, 2, 3, 4}) {
      set_num_threads(threads);
      const Tensor unfused = F::max_pool2d(F::conv2d_relu(x, w, b, 1, sh.pad), 2);
      F::conv2d_relu_max_pool2d(other, w, b, 1, sh.pad);
      const Tensor fused = F::conv2d_relu_max_pool2d(x, w, b, 1, sh.pad);
      EXPECT_TRUE(allclose(fused, unfused, 0, 0)) << threads << " threads";
      EXPECT_TRUE(allclose(fused, reference, kAtol, kRtol)) << threads << " threads";
    }
  }
  hwy::SetSupportedTargetsForTest(0);
  set_num_threads(2);
}

// Going backward, conv2d_relu_max_pool2d with "same" padding is one node that keeps the pooled
// result and each maximum's position (never the full-size activation) and scatters the pooled
// gradient straight into the padded grad_output; every gradient must have the bits of the three
// ops one after the other, at any thread count, under every Highway target, NaN and ties included,
// for each subset of gradients asked for. Other paddings go through the three ops.
TEST(ConvolutionThreads, ReluMaxPoolGradientsAsTheThreeOps) {
  struct Shape { int64_t n, c, o, h, w, k, pad; };
  const std::vector<Shape> shapes = {{5, 1, 10, 28, 28, 3, 1}, {3, 10, 10, 14, 14, 3, 1}, {2, 3, 4, 9, 7, 3, 1},
                                     {2, 2, 3, 6, 11, 5, 2},   {4, 3, 5, 8, 8, 3, 0},     {1, 2, 6, 2, 3, 3, 1},
                                     {2, 8, 9, 13, 19, 3, 1},  {2, 12, 8, 6, 30, 3, 1}};
  manual_seed(6);
  for (int64_t target : hwy::SupportedAndGeneratedTargets())
    for (const Shape& sh : shapes)
      for (int threads : {1, 2, 3}) {
        hwy::SetSupportedTargetsForTest(target);
        set_num_threads(threads);
        SCOPED_TRACE(shape_str({sh.n, sh.c, sh.o, sh.h, sh.w, sh.k, sh.pad}) + " " + std::to_string(threads) +
                     " threads, Highway target " + hwy::TargetName(target));
        Tensor x = round(randn({sh.n, sh.c, sh.h, sh.w}));  // integers: ties within windows
        x.data<float>()[x.numel() / 3] = std::nanf("");
        const Tensor w = round(randn({sh.o, sh.c, sh.k, sh.k})), b = round(randn({sh.o}));
        for (int subset = 0; subset < 3; ++subset) {  // all three gradients; weight and bias; input alone
          Tensor xs[2], ws[2], bs[2], ys[2];
          for (int fused = 0; fused < 2; ++fused) {
            xs[fused] = x.clone(), ws[fused] = w.clone(), bs[fused] = b.clone();
            if (subset != 1) xs[fused].requires_grad_();
            if (subset != 2) ws[fused].requires_grad_(), bs[fused].requires_grad_();
            ys[fused] = fused ? F::conv2d_relu_max_pool2d(xs[1], ws[1], bs[1], 1, sh.pad)
                              : F::max_pool2d(F::relu(F::conv2d(xs[0], ws[0], bs[0], 1, sh.pad)), 2);
          }
          EXPECT_EQ(ys[1].grad_fn_name(), "MaxPool2DWithIndicesBackward0");
          EXPECT_TRUE(allclose(ys[1], ys[0], 0, 0));
          const Tensor gout = randn(ys[0].shape());
          for (Tensor& y : ys) y.backward(gout);
          if (subset != 1) {
            EXPECT_TRUE(allclose(xs[1].grad(), xs[0].grad(), 0, 0)) << "input gradient";
          }
          if (subset != 2) {
            EXPECT_TRUE(allclose(ws[1].grad(), ws[0].grad(), 0, 0)) << "weight gradient";
            EXPECT_TRUE(allclose(bs[1].grad(), bs[0].grad(), 0, 0)) << "bias gradient";
          }
        }
      }
  hwy::SetSupportedTargetsForTest(0);
  set_num_threads(2);
}

// conv2d_relu_block (each thread computing its rows from the input alone, the first layer's rows
// two threads share computed by both) gives the bits of the separate calls at any thread count, NaN
// included, under every Highway target, and the reference path's values; with gradients recorded
// it is the separate calls.
TEST(ConvolutionThreads, ReluBlockAsTheSeparateOps) {
  struct Shape { int64_t n, c, m, o, h, w, k1, p1, k2, p2; };
  const std::vector<Shape> shapes = {{1, 1, 10, 10, 28, 28, 3, 1, 3, 1}, {1, 10, 10, 10, 14, 14, 3, 1, 3, 1},
                                     {2, 3, 4, 5, 9, 7, 3, 1, 3, 0},      {1, 2, 3, 4, 12, 10, 5, 2, 3, 1},
                                     {3, 2, 3, 2, 5, 5, 3, 0, 3, 1},      {1, 3, 4, 2, 40, 11, 3, 1, 5, 2},
                                     {1, 1, 2, 2, 4, 3, 3, 1, 3, 1},      {5, 1, 3, 3, 6, 6, 3, 1, 3, 1},
                                     {1, 8, 9, 8, 13, 19, 3, 1, 3, 1},    {1, 3, 8, 10, 10, 30, 3, 1, 3, 1},
                                     // one image, first layer Winograd (narrow rows through the
                                     // direct kernels), no or wide padding, few rows per thread
                                     {1, 8, 8, 8, 9, 9, 3, 1, 3, 1},      {1, 9, 8, 8, 17, 23, 3, 0, 5, 2},
                                     {1, 8, 10, 8, 31, 16, 3, 1, 3, 0},   {1, 10, 8, 9, 4, 20, 3, 1, 3, 1}};
  manual_seed(5);
  for (int64_t target : hwy::SupportedAndGeneratedTargets())
  for (const Shape& sh : shapes)
    for (bool pool : {false, true}) {
      hwy::SetSupportedTargetsForTest(target);
      SCOPED_TRACE(shape_str({sh.n, sh.c, sh.m, sh.o, sh.h, sh.w, sh.k1, sh.p1, sh.k2, sh.p2}) + (pool ? " pooled" : "") +
                   " Highway target " + hwy::TargetName(target));
      Tensor x = randn({sh.n, sh.c, sh.h, sh.w});
      x.data<float>()[x.numel() / 2] = std::nanf("");
      const Tensor other = randn({sh.n, sh.c, sh.h, sh.w}) * 100;
      // Leaves data where this shape's padding lies in the reused buffers.
      const Tensor larger = randn({sh.n, sh.c, sh.h + 7, sh.w + 5}) * 100;
      const Tensor w1 = randn({sh.m, sh.c, sh.k1, sh.k1}), b1 = randn({sh.m});
      const Tensor w2 = randn({sh.o, sh.m, sh.k2, sh.k2}), b2 = randn({sh.o});
      NoGradGuard no_grad;
      const auto separate = [&](const Tensor& in, bool reference) {
        const Tensor a = F::relu(F::conv2d(in, w1, b1, 1, sh.p1, 1, 1, reference));
        const Tensor y = F::relu(F::conv2d(a, w2, b2, 1, sh.p2, 1, 1, reference));
        return pool ? F::max_pool2d(y, 2, std::nullopt, 0, 1, false, reference) : y;
      };
      const int64_t oh = sh.h + 2 * sh.p1 - sh.k1 + 1 + 2 * sh.p2 - sh.k2 + 1;
      if (pool && oh < 2) {  // nothing to pool: max_pool2d's error, as torch
        EXPECT_THROW(F::conv2d_relu_block(x, w1, b1, sh.p1, w2, b2, sh.p2, pool), Error);
        continue;
      }
      const Tensor reference = separate(x, true);
      for (int threads : {1, 2, 3, 4}) {
        set_num_threads(threads);
        const Tensor expected = separate(x, false);
        F::conv2d_relu_block(larger, w1, b1, sh.p1, w2, b2, sh.p2, pool);
        F::conv2d_relu_block(other, w1, b1, sh.p1, w2, b2, sh.p2, pool);
        const Tensor y = F::conv2d_relu_block(x, w1, b1, sh.p1, w2, b2, sh.p2, pool);
        EXPECT_TRUE(allclose(y, expected, 0, 0)) << threads << " threads";
        // Two layers of 90-term sums of randn products (terms up to ~10 cancelling to ~0.1): the
        // reference path's other summation order moves results by up to ~2e-5.
        EXPECT_TRUE(allclose(y, reference, 1e-4, 1e-4)) << threads << " threads";
      }
    }
  hwy::SetSupportedTargetsForTest(0);
  set_num_threads(2);
  Tensor x = randn({1, 2, 6, 6}), w = randn({3, 2, 3, 3});
  x.requires_grad_();
  EXPECT_EQ(F::conv2d_relu_block(x, w, Tensor(), 1, randn({2, 3, 3, 3}), Tensor(), 1, true).grad_fn_name(),
            "MaxPool2DWithIndicesBackward0");
}

// conv2d_relu_blocks (a block's parts waiting in the same parallel region for the previous
// block's parts of their image, or each sample through every block at once) gives the bits of
// conv2d_relu_block called block after block, at any thread count; a block that the direct path
// does not take, and gradients, make it the separate calls; a block whose channels do not follow
// the one before is conv2d's error.
TEST(ConvolutionThreads, ReluBlocksInOneCallAsBlockAfterBlock) {
  struct Block { int64_t m, o, k1, p1, k2, p2; bool pool; };
  struct Chain { int64_t n, c, h, w; std::vector<Block> blocks; };
  const std::vector<Chain> chains = {
      {1, 1, 28, 28, {{10, 10, 3, 1, 3, 1, true}, {10, 10, 3, 1, 3, 1, true}}},  // TinyVGG
      // parts long enough that a block starting before the previous one's parts end would read
      // rows not yet written
      {1, 8, 120, 120, {{16, 16, 3, 1, 3, 1, true}, {16, 8, 3, 1, 3, 1, true}}},
      {3, 1, 28, 28, {{10, 10, 3, 1, 3, 1, true}, {10, 10, 3, 1, 3, 1, true}}},
      {1, 3, 17, 23, {{8, 9, 3, 1, 3, 1, false}, {8, 8, 3, 0, 5, 2, true}, {4, 3, 3, 1, 3, 1, false}}},
      {2, 2, 12, 10, {{3, 4, 5, 2, 3, 1, true}, {5, 2, 3, 1, 3, 1, false}}},
      {1, 2, 9, 9, {{3, 4, 3, 1, 3, 1, true}, {2, 2, 3, 3, 3, 1, false}}},  // padding 3: not direct
      {1, 1, 6, 6, {{2, 2, 3, 1, 3, 1, true}, {2, 2, 3, 1, 3, 1, true}, {2, 2, 3, 1, 3, 1, false}}},
      // at 8 threads two parts per image and more blocks × images than conv_blocks_forward's
      // counters on the stack
      {4, 1, 6, 6, std::vector<Block>(5, {2, 2, 3, 1, 3, 1, false})}};
  manual_seed(6);
  for (const Chain& ch : chains) {
    NoGradGuard no_grad;
    SCOPED_TRACE(shape_str({ch.n, ch.c, ch.h, ch.w}) + " through " + std::to_string(ch.blocks.size()) + " blocks");
    Tensor x = randn({ch.n, ch.c, ch.h, ch.w});
    x.data<float>()[x.numel() / 3] = std::nanf("");
    const Tensor other = randn({ch.n, ch.c, ch.h, ch.w}) * 10;
    std::vector<Tensor> params;  // w1, b1, w2, b2 of each block
    for (int64_t in = ch.c; const Block& b : ch.blocks) {
      params.push_back(randn({b.m, in, b.k1, b.k1})), params.push_back(randn({b.m}));
      params.push_back(randn({b.o, b.m, b.k2, b.k2})), params.push_back(randn({b.o}));
      in = b.o;
    }
    std::vector<F::ConvReluBlock> blocks;
    for (size_t i = 0; i < ch.blocks.size(); ++i) {
      const Block& b = ch.blocks[i];
      blocks.push_back({params[4 * i], params[4 * i + 1], b.p1, params[4 * i + 2], params[4 * i + 3], b.p2, b.pool});
    }
    // The plain reference paths, block after block: the values every thread count must give.
    Tensor reference = x;
    for (const F::ConvReluBlock& b : blocks) {
      const Tensor a = F::relu(F::conv2d(reference, b.w1, b.b1, 1, b.padding1, 1, 1, true));
      reference = F::relu(F::conv2d(a, b.w2, b.b2, 1, b.padding2, 1, 1, true));
      if (b.pool) reference = F::max_pool2d(reference, 2, std::nullopt, 0, 1, false, true);
    }
    // randn weights make each layer's sums ~10× larger and cancel: other summation orders move
    // the results by a few parts in 1e6 of the largest.
    double scale = 0;
    for (int64_t i = 0; i < reference.numel(); ++i)
      if (std::isfinite(reference.data<float>()[i])) scale = std::max<double>(scale, std::fabs(reference.data<float>()[i]));
    for (int threads : {1, 2, 3, 8}) {
      set_num_threads(threads);
      Tensor expected = x;
      for (const F::ConvReluBlock& b : blocks)
        expected = F::conv2d_relu_block(expected, b.w1, b.b1, b.padding1, b.w2, b.b2, b.padding2, b.pool);
      EXPECT_TRUE(allclose(expected, reference, 1e-4 * scale, 1e-4)) << threads << " threads";
      // Repeated: with more threads than CPUs, one is descheduled in the middle of a part at times.
      // Another input first leaves other values where the blocks' results will be written.
      for (int repeat = 0; repeat < (ch.h >= 100 ? 20 : 1); ++repeat) {
        F::conv2d_relu_blocks(other, blocks);
        const Tensor y = F::conv2d_relu_blocks(x, blocks);
        ASSERT_EQ(y.shape(), expected.shape());
        ASSERT_TRUE(allclose(y, expected, 0, 0)) << threads << " threads";
      }
      // With a classifier after them: linear on the flattened result, the same bits.
      const int64_t features = expected.numel() / ch.n;
      const Tensor head_w = randn({5, features}), head_b = randn({5}), none;
      for (const Tensor* bias : {&head_b, &none}) {
        const F::LinearHead head{head_w, *bias};
        const Tensor logits = F::conv2d_relu_blocks(x, blocks, &head);
        EXPECT_TRUE(allclose(logits, F::linear(expected.flatten(1), head_w, *bias), 0, 0))
            << threads << " threads, " << (bias->defined() ? "bias" : "no bias");
      }
    }
  }
  set_num_threads(2);
  const Tensor x = randn({1, 2, 8, 8}), w1 = randn({3, 2, 3, 3}), w2 = randn({4, 3, 3, 3}), none;
  const F::ConvReluBlock mismatched[2] = {{w1, none, 1, w2, none, 1, true}, {w1, none, 1, w2, none, 1, true}};
  EXPECT_THROW(F::conv2d_relu_blocks(x, mismatched), Error);  // the second block gets 4 channels, not 2
  const F::ConvReluBlock block[1] = {{w1, none, 1, w2, none, 1, true}};
  const Tensor wrong_w = randn({3, 65}), wrong_b = randn({4});
  const Tensor right_w = randn({3, 64});
  const F::LinearHead wrong_features{wrong_w, none}, wrong_bias{right_w, wrong_b};
  EXPECT_THROW(F::conv2d_relu_blocks(x, block, &wrong_features), Error);  // 4·4·4 = 64 features, not 65
  EXPECT_THROW(F::conv2d_relu_blocks(x, block, &wrong_bias), Error);      // bias of 4 for 3 outputs
  Tensor leaf = x.detach().requires_grad_();
  const F::ConvReluBlock one[1] = {{w1, none, 1, w2, none, 1, true}};
  EXPECT_EQ(F::conv2d_relu_blocks(leaf, one).grad_fn_name(), "MaxPool2DWithIndicesBackward0");
}

// An empty batch (as torch: {0, C, H, W} in, {0, O, OH, OW} out) goes forward and backward on every
// path: the weight and bias gradients are sums over no samples, zero.
TEST(ConvolutionThreads, EmptyBatchForwardAndBackward) {
  for (bool reference : {false, true})
    for (int64_t stride : {1, 2}) {
      SCOPED_TRACE(std::string(reference ? "reference" : "fast") + " path, stride " + std::to_string(stride));
      Tensor x = randn({0, 3, 8, 8}), w = randn({4, 3, 3, 3}), b = randn({4});
      x.requires_grad_(), w.requires_grad_(), b.requires_grad_();
      const Tensor y = F::conv2d_relu(x, w, b, stride, 1, 1, 1, reference);
      EXPECT_EQ(y.shape(), (Shape{0, 4, 8 / stride, 8 / stride}));
      y.sum().backward();
      EXPECT_TRUE(w.grad().equal(zeros({4, 3, 3, 3})) && b.grad().equal(zeros({4})));
      EXPECT_EQ(x.grad().shape(), x.shape());
      NoGradGuard no_grad;
      EXPECT_EQ(F::conv2d(x, w, b, stride, 1, 1, 1, reference).shape(), y.shape());
    }
}

// ---------------------------------------------------------------- printing

std::shared_ptr<nn::Module> repr_case(const std::string& name) {
  using namespace nn;
  if (name == "linear") return std::make_shared<Linear>(2, 5);
  if (name == "linear_nobias") return std::make_shared<Linear>(10, 1, false);
  if (name == "conv_tinyvgg") return std::make_shared<Conv2d>(1, 10, 3, Conv2dOptions{.stride = 1, .padding = 1});
  if (name == "conv_plain") return std::make_shared<Conv2d>(3, 32, 3);
  if (name == "conv_same") return std::make_shared<Conv2d>(3, 32, 3, Conv2dOptions{.padding = "same"});
  if (name == "conv_valid") return std::make_shared<Conv2d>(3, 32, 3, Conv2dOptions{.padding = "valid"});
  if (name == "conv_all")
    return std::make_shared<Conv2d>(
        4, 8, Size2{3, 5},
        Conv2dOptions{.stride = {2, 1}, .padding = Size2{1, 2}, .dilation = 2, .groups = 2, .bias = false});
  if (name == "maxpool") return std::make_shared<MaxPool2d>(2);
  if (name == "maxpool_stride") return std::make_shared<MaxPool2d>(3, MaxPool2dOptions{.stride = 2});
  if (name == "maxpool_tuple")
    return std::make_shared<MaxPool2d>(
        Size2{2, 3}, MaxPool2dOptions{.stride = Size2{1, 2}, .padding = Size2{1, 0}, .dilation = 1, .ceil_mode = true});
  if (name == "avgpool") return std::make_shared<AvgPool2d>(2);
  if (name == "avgpool_pad") return std::make_shared<AvgPool2d>(3, AvgPool2dOptions{.stride = 2, .padding = 1});
  if (name == "adaptive") return std::make_shared<AdaptiveAvgPool2d>(Size2{6, 6});
  if (name == "adaptive_int") return std::make_shared<AdaptiveAvgPool2d>(1);
  if (name == "flatten") return std::make_shared<Flatten>();
  if (name == "flatten_dims") return std::make_shared<Flatten>(0, 2);
  if (name == "relu") return std::make_shared<ReLU>();
  if (name == "sigmoid") return std::make_shared<Sigmoid>();
  if (name == "tanh") return std::make_shared<Tanh>();
  if (name == "softmax") return std::make_shared<Softmax>(1);
  if (name == "log_softmax") return std::make_shared<LogSoftmax>(-1);
  if (name == "dropout") return std::make_shared<Dropout>();
  if (name == "dropout_p") return std::make_shared<Dropout>(0.25);
  if (name == "bn2d") return std::make_shared<BatchNorm2d>(32);
  if (name == "bn1d_options")
    return std::make_shared<BatchNorm1d>(
        10, BatchNormOptions{.eps = 1e-3, .momentum = 0.01, .affine = false, .track_running_stats = false});
  if (name == "identity") return std::make_shared<Identity>();
  if (name == "sequential")
    return sequential({std::make_shared<Linear>(2, 2), std::make_shared<ReLU>(), std::make_shared<Linear>(2, 1)});
  if (name == "sequential_nested")
    return sequential({
        sequential({std::make_shared<Conv2d>(1, 10, 3, Conv2dOptions{.padding = 1}), std::make_shared<ReLU>()}),
        std::make_shared<Flatten>(), std::make_shared<Linear>(10, 3)});
  if (name == "sequential_empty") return std::make_shared<Sequential>();
  return nullptr;
}

TEST(LayersPrinting, SameAsTorchRepr) {
  std::ifstream in(data_dir() + "reprs.json");
  ASSERT_TRUE(in) << "missing reprs.json";
  const json reprs = json::parse(in);
  ASSERT_GT(reprs.size(), 20u);
  for (const auto& [name, expected] : reprs.items()) {
    auto m = repr_case(name);
    ASSERT_NE(m, nullptr) << "no ojo module for repr case " << name;
    EXPECT_EQ(m->repr(), expected.get<std::string>()) << name;
  }
}

}  // namespace
}  // namespace ojo::test
