// nn::functional — the layers as functions (torch.nn.functional), differentiable.
//
//   namespace F = ojo::nn::functional;
//   Tensor y = F::conv2d(x, w, b, /*stride=*/1, /*padding=*/"same");   // x {N, C, H, W}, w {O, C/groups, kH, kW}
//   Tensor p = F::max_pool2d(F::relu(y), 2);                           // kernel 2, stride = kernel
//   Tensor z = F::linear(F::flatten(p, 1), w2, b2);                    // x·wᵀ + b
//
// Output sizes follow PyTorch: floor((I + 2P − D·(K−1) − 1) / S) + 1 (ceil with ceil_mode for
// pooling, where a window must start inside the input or its left padding). Inputs may be batched
// {N, C, H, W} or unbatched {C, H, W}. Shape errors name the operation and both shapes, e.g.
//   "conv2d: input has 3 channels, weight expects 1 (input shape [32, 3, 28, 28], weight shape [10, 1, 3, 3])".
//
// conv2d and the pools keep a plain reference implementation (the `reference` flag) beside the
// fast path (im2col + GEMM; tests compare both with PyTorch). Results do not depend on the number
// of threads.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include "ojo/core/random.hpp"
#include "ojo/core/tensor.hpp"
#include "ojo/tensor/ops.hpp"

namespace ojo::nn {

// A (height, width) pair given as one number or two: `3` or `{3, 5}` (PyTorch's int or tuple).
struct Size2 {
  int64_t h = 0, w = 0;
  bool given_as_pair = false;  // printing shows `2` or `(2, 2)` as the user wrote it, like PyTorch
  Size2(int64_t v) : h(v), w(v) {}  // NOLINT: implicit, as PyTorch accepts an int
  Size2(int64_t h_, int64_t w_) : h(h_), w(w_), given_as_pair(true) {}
  bool operator==(const Size2& o) const { return h == o.h && w == o.w; }
};
// "2" or "(2, 2)", as Python prints the argument.
std::string size2_repr(const Size2& s);

// Conv2d's padding: a number, a pair, or the strings "same" / "valid" (PyTorch's padding argument).
struct Padding2d {
  enum class Mode { explicit_size, same, valid };
  Mode mode = Mode::explicit_size;
  Size2 size = 0;
  Padding2d(int64_t v) : size(v) {}  // NOLINT
  Padding2d(Size2 v) : size(v) {}    // NOLINT
  Padding2d(int64_t h, int64_t w) : size(h, w) {}
  // "same" or "valid" (any string type); anything else throws. A template so that the literal 0
  // stays a number instead of becoming a null string.
  template <class S>
    requires std::is_convertible_v<const S&, std::string_view>
  Padding2d(const S& mode_name) : mode(parse_mode(std::string_view(mode_name))) {}  // NOLINT

 private:
  static Mode parse_mode(std::string_view name);
};

namespace functional {

using ojo::log_softmax;
using ojo::relu;
using ojo::sigmoid;
using ojo::softmax;
using ojo::tanh;

// y = x·weightᵀ + bias; x {*, in_features}, weight {out_features, in_features}, bias {out} or undefined.
Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias = Tensor());

Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias = Tensor(), Size2 stride = 1,
              Padding2d padding = 0, Size2 dilation = 1, int64_t groups = 1, bool reference = false);
// relu(conv2d(...)) with the ReLU applied as the convolution's output is written, no separate pass:
// what Sequential runs for a Conv2d followed by a ReLU. Same values and gradients as the two ops;
// the result's grad_fn is ReluBackward0, whose rule masks the gradient and then runs conv2d's.
Tensor conv2d_relu(const Tensor& input, const Tensor& weight, const Tensor& bias = Tensor(), Size2 stride = 1,
                   Padding2d padding = 0, Size2 dilation = 1, int64_t groups = 1, bool reference = false);
// max_pool2d(relu(conv2d(...)), 2): what Sequential runs for Conv2d, ReLU, MaxPool2d(2). Where
// nothing will go backward (float, direct convolution path) each block of output rows is pooled as
// it is written, never stored whole; elsewhere it is the two calls. Same values either way.
Tensor conv2d_relu_max_pool2d(const Tensor& input, const Tensor& weight, const Tensor& bias = Tensor(),
                              Size2 stride = 1, Padding2d padding = 0, Size2 dilation = 1, int64_t groups = 1,
                              bool reference = false);
// The guide's convolution block in one call: relu(conv2d(relu(conv2d(input, w1, b1, 1, padding1)),
// w2, b2, 1, padding2)), then max_pool2d(·, 2) when `pool`: what Sequential runs for Conv2d, ReLU,
// Conv2d, ReLU[, MaxPool2d(2)] with stride 1 and no dilation or groups. Where nothing goes backward
// (float, direct path) each thread computes its rows of the result from the input alone, so the
// first layer's activation never leaves its cache (a few of its rows are computed by two threads);
// elsewhere it is the separate calls. Same values either way.
Tensor conv2d_relu_block(const Tensor& input, const Tensor& w1, const Tensor& b1, Padding2d padding1,
                         const Tensor& w2, const Tensor& b2, Padding2d padding2, bool pool);
// One conv2d_relu_block's parameters, by reference (the tensors outlive the call, no copies).
struct ConvReluBlock {
  const Tensor &w1, &b1;
  Padding2d padding1;
  const Tensor &w2, &b2;
  Padding2d padding2;
  bool pool;
};
// conv2d_relu_block of each block in turn, on the previous one's result: what Sequential runs for
// such blocks one after another (nested Sequentials' too). Where the blocks' rows are computed in
// parts (one image), a block's parts start as soon as the previous block's are done, in the same
// parallel region; with whole samples as items, each sample goes through every block at once.
//
// With `head`, linear(flatten(result, 1), head->weight, head->bias) too (Sequential's Flatten,
// Linear after such blocks, TinyVGG's classifier): linear's own arithmetic, without the flattened
// view and the call around it (a few tenths of a microsecond of one image's latency).
struct LinearHead {
  const Tensor &weight, &bias;
};
Tensor conv2d_relu_blocks(const Tensor& input, std::span<const ConvReluBlock> blocks,
                          const LinearHead* head = nullptr);

// stride defaults to the kernel size (PyTorch's stride=None).
Tensor max_pool2d(const Tensor& input, Size2 kernel_size, std::optional<Size2> stride = std::nullopt,
                  Size2 padding = 0, Size2 dilation = 1, bool ceil_mode = false, bool reference = false);
// The same, also returning the flat index (h·W + w within each plane) of every maximum, as
// return_indices=True; NaN counts as the maximum, as PyTorch.
std::pair<Tensor, Tensor> max_pool2d_with_indices(const Tensor& input, Size2 kernel_size,
                                                  std::optional<Size2> stride = std::nullopt, Size2 padding = 0,
                                                  Size2 dilation = 1, bool ceil_mode = false, bool reference = false);
Tensor avg_pool2d(const Tensor& input, Size2 kernel_size, std::optional<Size2> stride = std::nullopt,
                  Size2 padding = 0, bool ceil_mode = false, bool count_include_pad = true,
                  std::optional<int64_t> divisor_override = std::nullopt);
Tensor adaptive_avg_pool2d(const Tensor& input, Size2 output_size);

// Batch normalisation over dim 1 of {N, C} / {N, C, L} / {N, C, H, W}. In training, normalises
// with the batch's biased variance and updates running_mean/var (unbiased variance) in place with
// `momentum`; otherwise uses the running statistics. running_* may be undefined (no tracking).
Tensor batch_norm(const Tensor& input, const Tensor& running_mean, const Tensor& running_var,
                  const Tensor& weight, const Tensor& bias, bool training, double momentum = 0.1,
                  double eps = 1e-5);

// Zeroes each element with probability p and scales the rest by 1/(1−p) when training.
Tensor dropout(const Tensor& input, double p = 0.5, bool training = true, Generator* gen = nullptr);

// Flattens dims start_dim..end_dim into one (torch.flatten).
Tensor flatten(const Tensor& input, int64_t start_dim = 0, int64_t end_dim = -1);

}  // namespace functional
}  // namespace ojo::nn
