// Tensor math — PyTorch 1.13's torch.* functions on ojo::Tensor, differentiable (see
// ojo/autograd/autograd.hpp). Float32 is the main dtype; f64 works everywhere (gradient checks);
// int64 serves labels and indices, bool/u8 masks.
//
//   Tensor x = linspace(-1, 1, 6).reshape({2, 3}).requires_grad_();
//   Tensor y = relu(matmul(x, w) + b);          // broadcasting as NumPy / torch
//   Tensor p = softmax(y, 1);                    // numerically stable
//   Tensor loss = (p * p).sum();                 // reductions are Tensor members: sum mean max min argmax argmin
//   loss.backward();
//
// Dtypes (torch's promotion, simplified): a float tensor with an integer one gives the float dtype;
// f32 with f64 gives f64; two integer tensors give the wider (i64 beats everything); bool + bool
// stays bool only for comparisons. A C++ scalar keeps the tensor's dtype, except a floating scalar
// with an integer tensor, which gives f32 (torch: `arange(3) * 0.5` is float).
// exp log sqrt sigmoid tanh softmax log_softmax mean turn integer inputs into f32 first.
//
// Broadcasting follows NumPy: shapes are aligned on the right; sizes must match or be 1, else
//   "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1".
// Gradients flowing into a broadcast input are summed back to its shape (sum_to).
//
// Backward rules follow torch's derivatives.yaml, including its choices at kinks:
//   relu'(0) = 0; clamp passes the gradient where min <= x <= max (boundaries included);
//   abs'(0) = 0; maximum/minimum split the gradient in half on ties; max()/min() over the whole
//   tensor share it evenly between tied maxima, max(dim)/min(dim) send it to the returned index.
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <vector>

#include "ojo/autograd/autograd.hpp"
#include "ojo/core/random.hpp"
#include "ojo/core/tensor.hpp"

namespace ojo {

// --- element-wise, with broadcasting ---
Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);  // true division (integer inputs give f32)
Tensor maximum(const Tensor& a, const Tensor& b);
Tensor minimum(const Tensor& a, const Tensor& b);
Tensor pow(const Tensor& base, const Tensor& exponent);
Tensor pow(const Tensor& base, double exponent);

Tensor neg(const Tensor& x);
Tensor exp(const Tensor& x);
Tensor log(const Tensor& x);
Tensor sqrt(const Tensor& x);
Tensor abs(const Tensor& x);
Tensor sigmoid(const Tensor& x);
Tensor tanh(const Tensor& x);
Tensor relu(const Tensor& x);
Tensor round(const Tensor& x);  // half to even, as torch.round (gradient 0)
// torch.clamp: either bound may be omitted (not both).
Tensor clamp(const Tensor& x, std::optional<double> min, std::optional<double> max = std::nullopt);

// Comparisons give bool tensors (not differentiable).
Tensor eq(const Tensor& a, const Tensor& b);
Tensor ne(const Tensor& a, const Tensor& b);
Tensor gt(const Tensor& a, const Tensor& b);
Tensor lt(const Tensor& a, const Tensor& b);
Tensor ge(const Tensor& a, const Tensor& b);
Tensor le(const Tensor& a, const Tensor& b);

// A C++ number as a 0-d tensor ready to combine with `like` (dtype rule above).
Tensor scalar_like(const Tensor& like, double value, bool integral);
template <class S>
concept Scalar = std::is_arithmetic_v<S>;
template <Scalar S> Tensor scalar_like(const Tensor& like, S v) {
  return scalar_like(like, static_cast<double>(v), std::is_integral_v<S>);
}

inline Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
inline Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
inline Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
inline Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
inline Tensor operator-(const Tensor& x) { return neg(x); }
template <Scalar S> Tensor operator+(const Tensor& a, S s) { return add(a, scalar_like(a, s)); }
template <Scalar S> Tensor operator+(S s, const Tensor& a) { return add(scalar_like(a, s), a); }
template <Scalar S> Tensor operator-(const Tensor& a, S s) { return sub(a, scalar_like(a, s)); }
template <Scalar S> Tensor operator-(S s, const Tensor& a) { return sub(scalar_like(a, s), a); }
template <Scalar S> Tensor operator*(const Tensor& a, S s) { return mul(a, scalar_like(a, s)); }
template <Scalar S> Tensor operator*(S s, const Tensor& a) { return mul(scalar_like(a, s), a); }
template <Scalar S> Tensor operator/(const Tensor& a, S s) { return div(a, scalar_like(a, s)); }
template <Scalar S> Tensor operator/(S s, const Tensor& a) { return div(scalar_like(a, s), a); }
template <Scalar S> Tensor maximum(const Tensor& a, S s) { return maximum(a, scalar_like(a, s)); }
template <Scalar S> Tensor minimum(const Tensor& a, S s) { return minimum(a, scalar_like(a, s)); }
template <Scalar S> Tensor eq(const Tensor& a, S s) { return eq(a, scalar_like(a, s)); }
template <Scalar S> Tensor ne(const Tensor& a, S s) { return ne(a, scalar_like(a, s)); }
template <Scalar S> Tensor gt(const Tensor& a, S s) { return gt(a, scalar_like(a, s)); }
template <Scalar S> Tensor lt(const Tensor& a, S s) { return lt(a, scalar_like(a, s)); }
template <Scalar S> Tensor ge(const Tensor& a, S s) { return ge(a, scalar_like(a, s)); }
template <Scalar S> Tensor le(const Tensor& a, S s) { return le(a, scalar_like(a, s)); }

// The shape both operands broadcast to; throws the PyTorch message above.
Shape broadcast_shapes(const Shape& a, const Shape& b);
// Sums `x` down to `shape` (the reverse of broadcasting; torch.Tensor.sum_to_size).
Tensor sum_to(const Tensor& x, const Shape& shape);

// --- linear algebra ---
// torch.matmul: 1-D·1-D dot, 2-D·2-D matrix product, 1-D operands get a dimension added and
// removed, N-D operands are batches of matrices whose batch dimensions broadcast. Errors:
// "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)". Float dtypes only.
Tensor matmul(const Tensor& a, const Tensor& b);
// The kernel, exposed for tests and benchmarks: batched C[b] = A[b]·B[b] for contiguous
// {B, M, K} and {B, K, N} (same float dtype). `reference` selects the plain triple loop.
Tensor bmm_kernel(const Tensor& a, const Tensor& b, bool reference = false);

// --- softmax ---
Tensor softmax(const Tensor& x, int64_t dim);      // exp(x - max) / sum(exp(x - max))
Tensor log_softmax(const Tensor& x, int64_t dim);  // x - max - log(sum(exp(x - max)))

// --- joining and indexing ---
Tensor cat(const std::vector<Tensor>& tensors, int64_t dim = 0);
Tensor stack(const std::vector<Tensor>& tensors, int64_t dim = 0);
// x.index_select(dim, index): `index` is a 1-D integer tensor; negative entries count from the end.
Tensor index_select(const Tensor& x, int64_t dim, const Tensor& index);
// x[idx] with an integer tensor (any shape; result idx.shape + x.shape[1:]) or a bool/u8 mask
// shaped like x's leading dimensions (result 1 + remaining dims, as NumPy / torch).
Tensor index(const Tensor& x, const Tensor& idx);
// torch.gather(x, dim, index): out[i][j] = x[index[i][j]][j] for dim 0, etc.
Tensor gather(const Tensor& x, int64_t dim, const Tensor& index);
// Elements where `mask` (bool/u8, broadcast with x) is set, as a 1-D tensor.
Tensor masked_select(const Tensor& x, const Tensor& mask);
// x with `value` where `mask` is set (a copy; mask broadcasts to x).
Tensor masked_fill(const Tensor& x, const Tensor& mask, double value);
// torch.where(cond, a, b).
Tensor where(const Tensor& condition, const Tensor& a, const Tensor& b);

// --- factories (the default generator unless one is given; the draws are PyTorch's, see
// ojo/core/random.hpp: after manual_seed(s) they equal torch's after torch.manual_seed(s)) ---
// torch.empty(shape).uniform_(from, to) and .normal_(mean, std).
Tensor uniform(const Shape& shape, double from, double to, DType dtype = DType::f32, Generator* gen = nullptr);
Tensor normal(const Shape& shape, double mean, double std, DType dtype = DType::f32, Generator* gen = nullptr);
Tensor rand(const Shape& shape, DType dtype = DType::f32, Generator* gen = nullptr);   // U[0, 1)
Tensor randn(const Shape& shape, DType dtype = DType::f32, Generator* gen = nullptr);  // N(0, 1)
Tensor randint(int64_t low, int64_t high, const Shape& shape, DType dtype = DType::i64, Generator* gen = nullptr);
Tensor randperm(int64_t n, DType dtype = DType::i64, Generator* gen = nullptr);
// `steps` points from start to end inclusive, computed as torch.linspace (from both ends).
Tensor linspace(double start, double end, int64_t steps, DType dtype = DType::f32);
Tensor eye(int64_t n, std::optional<int64_t> m = std::nullopt, DType dtype = DType::f32);

}  // namespace ojo
