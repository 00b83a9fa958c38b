// The differentiable functions: each computes its forward with a kernel (src/ojo/tensor) and,
// when an input requires grad, records one short backward rule (PyTorch's derivatives.yaml).
// Rules are written with the same differentiable functions, on detached saved tensors.
// Composite functions (matmul, stack, index, masked_select, sum_to) record nothing themselves:
// their parts do.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <numeric>

#include "../tensor/math_f32.hpp"
#include "../tensor/kernels.hpp"
#include "ojo/autograd/autograd.hpp"
#include "relu_backward.hpp"
#include "ojo/core/parallel.hpp"
#include "ojo/tensor/ops.hpp"

namespace ojo {

namespace {
using kernels::binary_map;
using kernels::float_of;
using kernels::promote;
using kernels::unary_map;
using Grads = std::vector<Tensor>;

// What a rule needs to know about an input to hand back a gradient of the right shape and dtype.
struct Like {
  Shape shape;
  DType dtype;
  explicit Like(const Tensor& t) : shape(t.shape()), dtype(t.dtype()) {}
};
// Gradient `g` of the broadcast result, reduced and cast to the input described by `like`.
Tensor fit(const Tensor& g, const Like& like) {
  Tensor r = sum_to(g, like.shape);
  return r.dtype() == like.dtype ? r : r.to(like.dtype);
}

Tensor zeros_scalar(const Tensor& like) { return scalar_like(like, 0.0, false); }

// Element-wise arithmetic in the promoted dtype (f is a generic lambda on two values).
template <class F>
Tensor arith(const Tensor& a, const Tensor& b, F f) {
  check(a.defined() && b.defined(), "tensor op", "tensor is undefined");
  const DType dt = promote(a.dtype(), b.dtype());
  return binary_map(a, b, dt, dt, f);
}
template <class F>
Tensor compare(const Tensor& a, const Tensor& b, F f) {
  check(a.defined() && b.defined(), "comparison", "tensor is undefined");
  return binary_map(a, b, promote(a.dtype(), b.dtype()), DType::boolean, f);
}
// Unary math that is only defined for floats: integer inputs become f32 first (as torch).
template <class F>
Tensor float_unary(const Tensor& x, F f) {
  check(x.defined(), "tensor op", "tensor is undefined");
  const DType dt = float_of(x.dtype());
  return unary_map<true>(x, dt, dt, f);
}
template <class F>
Tensor same_unary(const Tensor& x, F f) {
  check(x.defined(), "tensor op", "tensor is undefined");
  return unary_map(x, x.dtype(), x.dtype(), f);
}
Tensor sign(const Tensor& x) {
  return same_unary(x, [](auto v) {
    if constexpr (std::is_same_v<decltype(v), bool>) return v;
    else return static_cast<decltype(v)>((v > 0) - (v < 0));
  });
}
}  // namespace

// ---------------------------------------------------------------- arithmetic

Tensor add(const Tensor& a, const Tensor& b) {
  Tensor y = arith(a, b, [](auto x, auto z) { return x + z; });
  if (!any_requires_grad({a, b})) return y;
  return record("AddBackward0", y, {a, b}, [la = Like(a), lb = Like(b)](const Tensor& g) -> Grads {
    return {fit(g, la), fit(g, lb)};
  });
}

Tensor sub(const Tensor& a, const Tensor& b) {
  Tensor y = arith(a, b, [](auto x, auto z) { return x - z; });
  if (!any_requires_grad({a, b})) return y;
  return record("SubBackward0", y, {a, b}, [la = Like(a), lb = Like(b)](const Tensor& g) -> Grads {
    return {fit(g, la), fit(-g, lb)};
  });
}

Tensor mul(const Tensor& a, const Tensor& b) {
  Tensor y = arith(a, b, [](auto x, auto z) { return x * z; });
  if (!any_requires_grad({a, b})) return y;
  return record("MulBackward0", y, {a, b}, [a = a.detach(), b = b.detach()](const Tensor& g) -> Grads {
    return {fit(g * b, Like(a)), fit(g * a, Like(b))};
  });
}

Tensor div(const Tensor& a, const Tensor& b) {
  check(a.defined() && b.defined(), "div", "tensor is undefined");
  const DType dt = float_of(promote(a.dtype(), b.dtype()));
  Tensor y = binary_map(a, b, dt, dt, [](auto x, auto z) { return x / z; });
  if (!any_requires_grad({a, b})) return y;
  return record("DivBackward0", y, {a, b}, [a = a.detach(), b = b.detach()](const Tensor& g) -> Grads {
    return {fit(g / b, Like(a)), fit(-g * a / (b * b), Like(b))};
  });
}

Tensor maximum(const Tensor& a, const Tensor& b) {
  Tensor y = arith(a, b, [](auto x, auto z) { return (x != x || x > z) ? x : z; });  // NaN propagates
  if (!any_requires_grad({a, b})) return y;
  return record("MaximumBackward0", y, {a, b}, [a = a.detach(), b = b.detach()](const Tensor& g) -> Grads {
    const Tensor shared = where(eq(a, b), g / 2, g);
    return {fit(masked_fill(shared, lt(a, b), 0), Like(a)), fit(masked_fill(shared, gt(a, b), 0), Like(b))};
  });
}

Tensor minimum(const Tensor& a, const Tensor& b) {
  Tensor y = arith(a, b, [](auto x, auto z) { return (x != x || x < z) ? x : z; });
  if (!any_requires_grad({a, b})) return y;
  return record("MinimumBackward0", y, {a, b}, [a = a.detach(), b = b.detach()](const Tensor& g) -> Grads {
    const Tensor shared = where(eq(a, b), g / 2, g);
    return {fit(masked_fill(shared, gt(a, b), 0), Like(a)), fit(masked_fill(shared, lt(a, b), 0), Like(b))};
  });
}

Tensor pow(const Tensor& base, const Tensor& exponent) {
  check(base.defined() && exponent.defined(), "pow", "tensor is undefined");
  const DType dt = promote(base.dtype(), exponent.dtype());
  Tensor y = binary_map(base, exponent, dt, dt, [](auto x, auto e) {
    return static_cast<decltype(x)>(std::pow(x, e));
  });
  if (!any_requires_grad({base, exponent})) return y;
  return record("PowBackward1", y, {base, exponent},
                [x = base.detach(), e = exponent.detach(), y = y.detach()](const Tensor& g) -> Grads {
                  const Tensor gx = g * (e * pow(x, e - 1));
                  const Tensor gexp = g * where(mul(eq(x, 0), ge(e, 0)), zeros_scalar(y), y * log(x));
                  return {fit(gx, Like(x)), fit(gexp, Like(e))};
                });
}

namespace {
// torch's own cases of a float power with a scalar exponent: products, square roots and
// reciprocals in the tensor's precision (x·x·x rounds twice, as torch; std::pow would round once).
Tensor float_pow(const Tensor& base, double e) {
  if (e == 2) return float_unary(base, [](auto x) { return x * x; });
  if (e == 3) return float_unary(base, [](auto x) { return x * x * x; });
  if (e == 0.5) return float_unary(base, [](auto x) { return std::sqrt(x); });
  if (e == -0.5) return float_unary(base, [](auto x) { return 1 / std::sqrt(x); });
  if (e == -1) return float_unary(base, [](auto x) { return 1 / x; });
  if (e == -2) return float_unary(base, [](auto x) { return 1 / (x * x); });
  return float_unary(base, [e](auto x) { return static_cast<decltype(x)>(std::pow(x, e)); });
}
}  // namespace

Tensor pow(const Tensor& base, double exponent) {
  Tensor y;
  if (!is_floating(base.dtype()) && exponent == std::round(exponent) && exponent >= 0)
    y = same_unary(base, [exponent](auto x) { return static_cast<decltype(x)>(std::pow(x, exponent)); });
  else
    y = float_pow(base, exponent);
  if (!any_requires_grad({base})) return y;
  return record("PowBackward0", y, {base}, [x = base.detach(), exponent](const Tensor& g) -> Grads {
    if (exponent == 0) return {zeros_like(x)};
    return {g * (exponent * pow(x, exponent - 1))};
  });
}

// ---------------------------------------------------------------- unary

Tensor neg(const Tensor& x) {
  check(x.dtype() != DType::boolean, "neg", "negation, the `-` operator, on a bool tensor is not supported");
  Tensor y = same_unary(x, [](auto v) { return static_cast<decltype(v)>(-v); });
  if (!any_requires_grad({x})) return y;
  return record("NegBackward0", y, {x}, [](const Tensor& g) -> Grads { return {-g}; });
}

namespace {
// A float unary op whose float32 form is a row kernel (math_f32.cpp): integers become float32
// first, as torch; float64 goes through `f`. Rows are cut across the threads in chunks of
// kernels::kElementwiseGrain.
template <class Rows>
Tensor on_float32_rows(const Tensor& x_f32, const Rows& rows) {
  const Tensor in = x_f32.detach().contiguous();
  Tensor out = Tensor::empty(in.shape(), DType::f32);
  const float* src = in.data<float>();
  float* dst = out.data<float>();
  const int64_t n = in.numel(), grain = kernels::kElementwiseGrain;
  parallel_for(0, (n + grain - 1) / grain, 1, [&](int64_t lo, int64_t hi) {
    for (int64_t c = lo; c < hi; ++c) rows(src + c * grain, dst + c * grain, std::min(grain, n - c * grain));
  });
  return out;
}
template <class F>
Tensor float32_rows(const Tensor& x, void (*rows)(const float*, float*, int64_t), F f) {
  check(x.defined(), "tensor op", "tensor is undefined");
  if (x.dtype() == DType::f64) return float_unary(x, f);
  return on_float32_rows(x.dtype() == DType::f32 ? x : x.detach().to(DType::f32), rows);
}
}  // namespace

Tensor exp(const Tensor& x) {
  Tensor y = float32_rows(x, kernels::exp_f32, [](auto v) { return std::exp(v); });
  if (!any_requires_grad({x})) return y;
  return record("ExpBackward0", y, {x}, [y = y.detach()](const Tensor& g) -> Grads { return {g * y}; });
}

Tensor log(const Tensor& x) {
  Tensor y = float32_rows(x, kernels::log_f32, [](auto v) { return std::log(v); });
  if (!any_requires_grad({x})) return y;
  return record("LogBackward0", y, {x}, [x = x.detach()](const Tensor& g) -> Grads { return {g / x}; });
}

Tensor sqrt(const Tensor& x) {
  Tensor y = float_unary(x, [](auto v) { return std::sqrt(v); });
  if (!any_requires_grad({x})) return y;
  return record("SqrtBackward0", y, {x}, [y = y.detach()](const Tensor& g) -> Grads { return {g / (2 * y)}; });
}

Tensor abs(const Tensor& x) {
  Tensor y = same_unary(x, [](auto v) {
    if constexpr (std::is_unsigned_v<decltype(v)>) return v;
    else return v < 0 ? static_cast<decltype(v)>(-v) : v;
  });
  if (!any_requires_grad({x})) return y;
  return record("AbsBackward0", y, {x}, [x = x.detach()](const Tensor& g) -> Grads { return {g * sign(x)}; });
}

Tensor sigmoid(const Tensor& x) {
  Tensor y = float32_rows(x, kernels::sigmoid_f32,
                          [](auto v) { return static_cast<decltype(v)>(1) / (1 + std::exp(-v)); });
  if (!any_requires_grad({x})) return y;
  return record("SigmoidBackward0", y, {x}, [y = y.detach()](const Tensor& g) -> Grads {
    return {g * (1 - y) * y};
  });
}

Tensor tanh(const Tensor& x) {
  Tensor y = float32_rows(x, kernels::tanh_f32, [](auto v) { return std::tanh(v); });
  if (!any_requires_grad({x})) return y;
  return record("TanhBackward0", y, {x}, [y = y.detach()](const Tensor& g) -> Grads { return {g * (1 - y * y)}; });
}

// Element-wise passes split across threads only above this many elements (below, the hand-off
// costs more than the pass).
constexpr int64_t kElementwiseGrain = 1 << 16;

Tensor detail::relu_backward(const Tensor& g, const Tensor& y) {
  // Fast path, one pass: the composed rule's masked_fill(g, y <= 0, 0) on contiguous floats.
  if (!(g.is_contiguous() && y.is_contiguous() && g.shape() == y.shape() && g.dtype() == y.dtype() &&
        is_floating(g.dtype())))
    return masked_fill(g, le(y, 0), 0);
  Tensor r = Tensor::empty(g.shape(), g.dtype());
  kernels::visit_float(g.dtype(), "relu backward", [&](auto tag) {
    using T = decltype(tag);
    const T *pg = g.data<T>(), *py = y.data<T>();
    T* pr = r.data<T>();
    parallel_for(0, g.numel(), kElementwiseGrain, [&](int64_t lo, int64_t hi) {
      for (int64_t i = lo; i < hi; ++i) {
        const T gv = pg[i];  // loaded unconditionally: the select vectorises (a branch mispredicts)
        pr[i] = py[i] <= T(0) ? T(0) : gv;
      }
    });
  });
  return r;
}

Tensor relu(const Tensor& x) {
  // torch.relu keeps NaN and -0.0: only values below zero become zero.
  auto rule = [](auto v) {
    using T = decltype(v);
    if constexpr (std::is_signed_v<T> || std::is_floating_point_v<T>) return v < T(0) ? T(0) : v;
    else return v;  // bool and unsigned: nothing is below zero
  };
  Tensor y;
  if (x.defined() && x.is_contiguous() && is_floating(x.dtype())) {  // one vectorisable pass
    y = Tensor::empty(x.shape(), x.dtype());
    kernels::visit_float(x.dtype(), "relu", [&](auto tag) {
      using T = decltype(tag);
      const T* px = x.data<T>();
      T* py = y.data<T>();
      parallel_for(0, x.numel(), kElementwiseGrain, [&](int64_t lo, int64_t hi) {
        kernels::unary_run(py + lo, px + lo, hi - lo, rule);
      });
    });
  } else {
    y = same_unary(x, rule);
  }
  if (!any_requires_grad({x})) return y;
  return record("ReluBackward0", y, {x},
                [y = y.detach()](const Tensor& g) -> Grads { return {detail::relu_backward(g, y)}; });
}

Tensor round(const Tensor& x) {
  const auto generic = [](auto v) {
    if constexpr (std::is_floating_point_v<decltype(v)>) return kernels::round_half_even(v);
    else return v;
  };
  Tensor y = x.defined() && x.dtype() == DType::f32 ? on_float32_rows(x, kernels::round_f32) : same_unary(x, generic);
  if (!any_requires_grad({x})) return y;
  return record("RoundBackward0", y, {x}, [](const Tensor& g) -> Grads { return {zeros_like(g)}; });
}

Tensor clamp(const Tensor& x, std::optional<double> lo, std::optional<double> hi) {
  check(lo || hi, "clamp", "At least one of 'min' or 'max' must not be None");
  const double a = lo.value_or(-INFINITY), b = hi.value_or(INFINITY);
  const auto generic = [a, b](auto v) {
    using T = decltype(v);
    if constexpr (std::is_floating_point_v<T>) {  // bounds in the tensor's dtype, as torch
      return kernels::clamp_to(v, static_cast<T>(a), static_cast<T>(b));
    } else {
      return static_cast<double>(v) < a ? static_cast<T>(a) : static_cast<double>(v) > b ? static_cast<T>(b) : v;
    }
  };
  const auto rows = [lo_f = static_cast<float>(a), hi_f = static_cast<float>(b)](const float* src, float* dst, int64_t n) {
    kernels::clamp_f32(src, dst, n, lo_f, hi_f);
  };
  Tensor y = x.defined() && x.dtype() == DType::f32 ? on_float32_rows(x, rows) : same_unary(x, generic);
  if (lo && hi && *lo > *hi)  // torch: min > max gives max everywhere
    y = same_unary(x, [b](auto v) { return static_cast<decltype(v)>(b); });
  if (!any_requires_grad({x})) return y;
  return record("ClampBackward1", y, {x}, [x = x.detach(), a, b](const Tensor& g) -> Grads {
    return {where(ge(x, a) * le(x, b), g, zeros_scalar(g))};
  });
}

// ---------------------------------------------------------------- comparisons

Tensor eq(const Tensor& a, const Tensor& b) { return compare(a, b, [](auto x, auto y) { return x == y; }); }
Tensor ne(const Tensor& a, const Tensor& b) { return compare(a, b, [](auto x, auto y) { return x != y; }); }
Tensor gt(const Tensor& a, const Tensor& b) { return compare(a, b, [](auto x, auto y) { return x > y; }); }
Tensor lt(const Tensor& a, const Tensor& b) { return compare(a, b, [](auto x, auto y) { return x < y; }); }
Tensor ge(const Tensor& a, const Tensor& b) { return compare(a, b, [](auto x, auto y) { return x >= y; }); }
Tensor le(const Tensor& a, const Tensor& b) { return compare(a, b, [](auto x, auto y) { return x <= y; }); }

// ---------------------------------------------------------------- reductions (Tensor members)

Tensor sum_to(const Tensor& x, const Shape& shape) {
  if (x.shape() == shape) return x;
  const int64_t lead = x.dim() - static_cast<int64_t>(shape.size());
  if (!(lead >= 0)) fail("sum_to", "shape ", shape_str(x.shape()), " cannot be summed to ", shape_str(shape));
  std::vector<int64_t> dims;
  for (int64_t d = 0; d < x.dim(); ++d)
    if (d < lead || (shape[d - lead] == 1 && x.size(d) != 1)) dims.push_back(d);
    else if (!(shape[d - lead] == x.size(d))) fail("sum_to", "shape ", shape_str(x.shape()), " cannot be summed to ",
               shape_str(shape));
  Tensor s = dims.empty() ? x : x.sum(dims, true);
  return s.reshape(shape);
}

// ---------------------------------------------------------------- gather

namespace {
// Calls f(i, offset) for every element i of the contiguous i64 `idx`, where `offset` is the
// element of a contiguous tensor shaped `shape` that idx[i] points at along `dim`.
template <class F>
void for_each_gather(const Shape& shape, const Tensor& idx, int64_t dim, F f) {
  const Strides cs = contiguous_strides(shape);
  const int64_t nd = idx.dim();
  std::vector<int64_t> coord(nd, 0);
  const int64_t* ix = idx.data<int64_t>();
  for (int64_t i = 0; i < idx.numel(); ++i) {
    int64_t j = ix[i];
    if (j < -shape[dim] || j >= shape[dim])
      fail("gather", "index ", j, " is out of bounds for dimension ", dim, " with size ", shape[dim]);
    if (j < 0) j += shape[dim];
    int64_t off = 0;
    for (int64_t d = 0; d < nd; ++d) off += (d == dim ? j : coord[d]) * cs[d];
    f(i, off);
    for (int64_t d = nd; d-- > 0;) {
      if (++coord[d] < idx.size(d)) break;
      coord[d] = 0;
    }
  }
}

void check_gather(const Shape& shape, const Tensor& index, int64_t dim) {
  if (index.dim() != static_cast<int64_t>(shape.size()))
    fail("gather", "Index tensor must have the same number of dimensions as input tensor (index shape ",
         shape_str(index.shape()), ", input shape ", shape_str(shape), ")");
  for (int64_t d = 0; d < index.dim(); ++d)
    if (d != dim && index.size(d) > shape[d])
      fail("gather", "Size does not match at dimension ", d, " expected index ", shape_str(index.shape()),
           " to be smaller than self ", shape_str(shape), " apart from dimension ", dim);
}

// Sums g into a zero tensor shaped `shape` at the positions `index` selects (scatter_add).
Tensor gather_backward(const Tensor& g, int64_t dim, const Tensor& index, const Shape& shape) {
  Tensor z = zeros(shape, g.dtype());
  const Tensor gc = g.contiguous(), idx = index.to(DType::i64).contiguous();
  kernels::visit_float(g.dtype(), "gather", [&](auto tag) {
    using T = decltype(tag);
    T* out = z.data<T>();
    const T* src = gc.data<T>();
    for_each_gather(shape, idx, dim, [&](int64_t i, int64_t off) { out[off] += src[i]; });
  });
  return z;
}
}  // namespace

Tensor gather(const Tensor& x, int64_t dim, const Tensor& index) {
  check(x.defined() && index.defined(), "gather", "tensor is undefined");
  check(index.dtype() == DType::i64, "gather", "Expected dtype int64 for index, got ", dtype_name(index.dtype()));
  dim = kernels::wrap_dim(dim, x.dim(), "gather");
  check_gather(x.shape(), index, dim);
  const Tensor xc = x.detach().contiguous(), idx = index.contiguous();
  Tensor y = Tensor::empty(index.shape(), x.dtype());
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    T* out = y.data<T>();
    const T* src = xc.data<T>();
    for_each_gather(x.shape(), idx, dim, [&](int64_t i, int64_t off) { out[i] = src[off]; });
  });
  if (!any_requires_grad({x})) return y;
  return record("GatherBackward0", y, {x}, [shape = x.shape(), dim, idx](const Tensor& g) -> Grads {
    return {gather_backward(g, dim, idx, shape)};
  });
}

// ---------------------------------------------------------------- reductions (Tensor members)

namespace {
std::vector<int64_t> all_dims(const Tensor& t) {
  std::vector<int64_t> d(t.dim());
  std::iota(d.begin(), d.end(), 0);
  return d;
}
// x's shape with the dimensions `dims` (already checked by the reduction) set to 1: the shape of
// sum(x, dims, keepdim=true).
Shape keepdim_shape(const Tensor& x, const std::vector<int64_t>& dims) {
  Shape kd = x.shape();
  for (int64_t d : dims)
    if (x.dim() > 0) kd[static_cast<size_t>(kernels::wrap_dim(d, x.dim(), "sum"))] = 1;
  return kd;
}
// The reduced gradient `g` spread back over the input's shape (sum's backward).
Tensor spread(const Tensor& g, const Shape& keepdim_shape, const Shape& input_shape) {
  return g.reshape(keepdim_shape).expand(input_shape);
}
}  // namespace

Tensor Tensor::sum() const { return sum(std::vector<int64_t>{}, false); }
Tensor Tensor::sum(int64_t dim, bool keepdim) const { return sum(std::vector<int64_t>{dim}, keepdim); }
Tensor Tensor::sum(const std::vector<int64_t>& dims_in, bool keepdim) const {
  check_defined("sum");
  const std::vector<int64_t> dims = dims_in.empty() ? all_dims(*this) : dims_in;
  Tensor y = kernels::sum(*this, dims, keepdim);
  if (!any_requires_grad({*this})) return y;
  const Shape kd = keepdim_shape(*this, dims);
  return record(dims_in.empty() ? "SumBackward0" : "SumBackward1", y, {*this}, [kd, in = shape_](const Tensor& g) -> Grads {
    return {spread(g, kd, in)};
  });
}

Tensor Tensor::mean() const { return mean(std::vector<int64_t>{}, false); }
Tensor Tensor::mean(int64_t dim, bool keepdim) const { return mean(std::vector<int64_t>{dim}, keepdim); }
Tensor Tensor::mean(const std::vector<int64_t>& dims_in, bool keepdim) const {
  check_defined("mean");
  if (!is_floating(dtype_))
    fail("mean", "mean(): could not infer output dtype. Input dtype must be either a floating point or complex "
                 "dtype. Got: ", dtype_name(dtype_));
  const std::vector<int64_t> dims = dims_in.empty() ? all_dims(*this) : dims_in;
  const Tensor total = kernels::sum(*this, dims, keepdim);
  const int64_t count = numel() / std::max<int64_t>(total.numel(), 1);
  Tensor y = kernels::unary_map(total, dtype_, dtype_, [count](auto v) { return v / static_cast<decltype(v)>(count); });
  if (total.numel() == 0 || count == 0) y = full(total.shape(), NAN, dtype_);
  if (!any_requires_grad({*this})) return y;
  const Shape kd = keepdim_shape(*this, dims);
  return record(dims_in.empty() ? "MeanBackward0" : "MeanBackward1", y, {*this}, [kd, in = shape_, count](const Tensor& g) -> Grads {
    return {spread(g, kd, in) / static_cast<double>(count)};
  });
}

namespace {
Tensor extreme_all(const Tensor& x, bool is_max) {
  Tensor y = kernels::max_min_all(x, is_max);
  if (!any_requires_grad({x})) return y;
  return record(is_max ? "MaxBackward1" : "MinBackward1", y, {x}, [x = x.detach(), y = y.detach()](const Tensor& g) -> Grads {
    const Tensor mask = eq(x, y);  // ties share the gradient evenly, as torch's evenly_distribute_backward
    return {where(mask, g / mask.sum(), zeros_scalar(g))};
  });
}

Tensor::ValuesIndices extreme_dim(const Tensor& x, int64_t dim, bool keepdim, bool is_max) {
  auto [values, indices] = kernels::max_min(x, dim, keepdim, is_max);
  if (!any_requires_grad({x})) return {values, indices};
  const int64_t d = kernels::wrap_dim(dim, x.dim(), is_max ? "max" : "min");
  values = record(is_max ? "MaxBackward0" : "MinBackward0", values, {x},
                  [in = Like(x), idx = indices, d, keepdim](const Tensor& g) -> Grads {
                    if (in.shape.empty()) return {g.reshape({})};
                    const Tensor i = keepdim ? idx : idx.unsqueeze(d);
                    const Tensor gk = keepdim ? g : g.unsqueeze(d);
                    return {gather_backward(gk, d, i, in.shape)};
                  });
  return {values, indices};
}
}  // namespace

Tensor Tensor::max() const { check_defined("max"); return extreme_all(*this, true); }
Tensor Tensor::min() const { check_defined("min"); return extreme_all(*this, false); }
Tensor::ValuesIndices Tensor::max(int64_t dim, bool keepdim) const {
  check_defined("max");
  return extreme_dim(*this, dim, keepdim, true);
}
Tensor::ValuesIndices Tensor::min(int64_t dim, bool keepdim) const {
  check_defined("min");
  return extreme_dim(*this, dim, keepdim, false);
}
Tensor Tensor::argmax() const { check_defined("argmax"); return kernels::max_min(detach().reshape({-1}), 0, false, true).indices; }
Tensor Tensor::argmin() const { check_defined("argmin"); return kernels::max_min(detach().reshape({-1}), 0, false, false).indices; }
Tensor Tensor::argmax(int64_t dim, bool keepdim) const {
  check_defined("argmax");
  return kernels::max_min(*this, dim, keepdim, true).indices;
}
Tensor Tensor::argmin(int64_t dim, bool keepdim) const {
  check_defined("argmin");
  return kernels::max_min(*this, dim, keepdim, false).indices;
}

// ---------------------------------------------------------------- softmax

Tensor softmax(const Tensor& x, int64_t dim) {
  check(x.defined(), "softmax", "tensor is undefined");
  Tensor y = kernels::softmax(x, dim, false);
  if (!any_requires_grad({x})) return y;
  return record("SoftmaxBackward0", y, {x}, [y = y.detach(), dim](const Tensor& g) -> Grads {
    return {y * (g - (g * y).sum(dim, true))};
  });
}

Tensor log_softmax(const Tensor& x, int64_t dim) {
  check(x.defined(), "log_softmax", "tensor is undefined");
  Tensor y = kernels::softmax(x, dim, true);
  if (!any_requires_grad({x})) return y;
  return record("LogSoftmaxBackward0", y, {x}, [y = y.detach(), dim](const Tensor& g) -> Grads {
    return {g - exp(y) * g.sum(dim, true)};
  });
}

// ---------------------------------------------------------------- matmul

namespace {
Tensor bmm(const Tensor& a, const Tensor& b) {
  Tensor y = bmm_kernel(a, b);
  if (!any_requires_grad({a, b})) return y;
  return record("BmmBackward0", y, {a, b}, [a = a.detach(), b = b.detach()](const Tensor& g) -> Grads {
    return {bmm(g, b.transpose(1, 2)), bmm(a.transpose(1, 2), g)};
  });
}
}  // namespace

Tensor matmul(const Tensor& a_in, const Tensor& b_in) {
  check(a_in.defined() && b_in.defined(), "matmul", "tensor is undefined");
  check(a_in.dim() >= 1 && b_in.dim() >= 1, "matmul", "both arguments to matmul need to be at least 1D, but they are ",
        a_in.dim(), "D and ", b_in.dim(), "D");
  check(is_floating(a_in.dtype()) && a_in.dtype() == b_in.dtype(), "matmul",
        "expected both tensors to have the same floating point dtype, got ", dtype_name(a_in.dtype()), " and ",
        dtype_name(b_in.dtype()));
  if (a_in.dim() == 1 && b_in.dim() == 1 && a_in.size(0) != b_in.size(0))
    fail("matmul", "inconsistent tensor size, expected tensor [", a_in.size(0), "] and src [", b_in.size(0),
         "] to have the same number of elements, but got ", a_in.size(0), " and ", b_in.size(0),
         " elements respectively");
  // 1-D operands become a row (left) or a column (right) matrix; the added dimension is removed.
  const Tensor a = a_in.dim() == 1 ? a_in.unsqueeze(0) : a_in;
  const Tensor b = b_in.dim() == 1 ? b_in.unsqueeze(1) : b_in;
  const int64_t m = a.size(-2), k = a.size(-1), k2 = b.size(-2), n = b.size(-1);
  if (k != k2) fail("matmul", "mat1 and mat2 shapes cannot be multiplied (", m, "x", k, " and ", k2, "x", n, ")");
  const Shape batch_a(a.shape().begin(), a.shape().end() - 2), batch_b(b.shape().begin(), b.shape().end() - 2);
  const Shape batch = broadcast_shapes(batch_a, batch_b);
  const int64_t nb = shape_numel(batch);
  Shape sa = batch, sb = batch;
  sa.insert(sa.end(), {m, k});
  sb.insert(sb.end(), {k, n});
  const Tensor a3 = (a.shape() == sa ? a : a.expand(sa)).reshape({nb, m, k});
  const Tensor b3 = (b.shape() == sb ? b : b.expand(sb)).reshape({nb, k, n});
  Shape out_shape = batch;
  if (a_in.dim() > 1) out_shape.push_back(m);
  if (b_in.dim() > 1) out_shape.push_back(n);
  return bmm(a3, b3).reshape(out_shape);
}

// ---------------------------------------------------------------- joining

Tensor cat(const std::vector<Tensor>& tensors, int64_t dim) {
  check(!tensors.empty(), "cat", "expected a non-empty list of Tensors");
  const Tensor& first = tensors[0];
  for (const auto& t : tensors) check(t.defined(), "cat", "tensor is undefined");
  dim = kernels::wrap_dim(dim, first.dim(), "cat");
  check(first.dim() > 0, "cat", "zero-dimensional tensor (at position 0) cannot be concatenated");
  DType dt = first.dtype();
  int64_t total = 0;
  for (size_t i = 0; i < tensors.size(); ++i) {
    const Tensor& t = tensors[i];
    if (t.dim() != first.dim())
      fail("cat", "Tensors must have same number of dimensions: got ", first.dim(), " and ", t.dim());
    for (int64_t d = 0; d < t.dim(); ++d)
      if (d != dim && t.size(d) != first.size(d))
        fail("cat", "Sizes of tensors must match except in dimension ", dim, ". Expected size ", first.size(d),
             " but got size ", t.size(d), " for tensor number ", i, " in the list.");
    dt = promote(dt, t.dtype());
    total += t.size(dim);
  }
  Shape shape = first.shape();
  shape[dim] = total;
  Tensor y = Tensor::empty(shape, dt);
  std::vector<int64_t> sizes;
  int64_t at = 0;
  for (const auto& t : tensors) {
    y.slice(dim, at, at + t.size(dim)).copy_(t.detach());
    at += t.size(dim);
    sizes.push_back(t.size(dim));
  }
  if (!any_requires_grad(tensors)) return y;
  std::vector<DType> dtypes;
  for (const auto& t : tensors) dtypes.push_back(t.dtype());
  return record("CatBackward0", y, tensors, [dim, sizes, dtypes](const Tensor& g) -> Grads {
    Grads out;
    int64_t from = 0;
    for (size_t i = 0; i < sizes.size(); ++i) {
      const Tensor part = g.slice(dim, from, from + sizes[i]);
      out.push_back(part.dtype() == dtypes[i] ? part : part.to(dtypes[i]));
      from += sizes[i];
    }
    return out;
  });
}

Tensor stack(const std::vector<Tensor>& tensors, int64_t dim) {
  check(!tensors.empty(), "stack", "expected a non-empty list of Tensors");
  for (size_t i = 0; i < tensors.size(); ++i)
    if (tensors[i].shape() != tensors[0].shape())
      fail("stack", "stack expects each tensor to be equal size, but got ", shape_str(tensors[0].shape()),
           " at entry 0 and ", shape_str(tensors[i].shape()), " at entry ", i);
  dim = kernels::wrap_dim(dim, tensors[0].dim() + 1, "stack");
  std::vector<Tensor> parts;
  for (const auto& t : tensors) parts.push_back(t.unsqueeze(dim));
  return cat(parts, dim);
}

// ---------------------------------------------------------------- indexing

Tensor index_select(const Tensor& x, int64_t dim, const Tensor& index) {
  check(x.defined() && index.defined(), "index_select", "tensor is undefined");
  check(index.dtype() == DType::i64 || index.dtype() == DType::i32, "index_select",
        "Expected dtype int32/int64 for index, got ", dtype_name(index.dtype()));
  if (!(index.dim() <= 1)) fail("index_select", "Index is supposed to be a vector (got shape ", shape_str(index.shape()),
        ")");
  dim = kernels::wrap_dim(dim, x.dim(), "index_select");
  const Tensor src = x.dim() == 0 ? x.detach().reshape({1}) : x.detach();
  const Tensor idx = index.to(DType::i64).reshape({-1});
  const int64_t n = src.size(dim);
  std::vector<int64_t> pos(idx.numel());
  for (int64_t i = 0; i < idx.numel(); ++i) {
    int64_t j = idx.data<int64_t>()[i];
    if (j < -n || j >= n)
      fail("index_select", "index out of range in self (index ", j, " for dimension ", dim, " with size ", n, ")");
    pos[i] = j < 0 ? j + n : j;
  }
  Shape shape = src.shape();
  shape[dim] = static_cast<int64_t>(pos.size());
  Tensor y = Tensor::empty(shape, x.dtype());
  if (src.is_contiguous()) {  // {outer, n, inner} blocks: one copy per selected block
    const int64_t inner = shape_numel(Shape(shape.begin() + dim + 1, shape.end())), m = static_cast<int64_t>(pos.size());
    const int64_t outer = m ? y.numel() / (m * inner) : 0;
    const size_t bytes = static_cast<size_t>(inner) * src.element_size();
    const auto* in = static_cast<const std::byte*>(src.raw_data());
    auto* out = static_cast<std::byte*>(y.raw_data());
    parallel_for(0, outer * m, std::max<int64_t>(1, 32768 / std::max<int64_t>(inner, 1)), [&](int64_t lo, int64_t hi) {
      for (int64_t t = lo; t < hi; ++t) {
        const int64_t o = t / std::max<int64_t>(m, 1), i = t % std::max<int64_t>(m, 1);
        std::memcpy(out + static_cast<size_t>(t) * bytes, in + static_cast<size_t>(o * n + pos[static_cast<size_t>(i)]) * bytes, bytes);
      }
    });
  } else {
    for (size_t i = 0; i < pos.size(); ++i) y.select(dim, static_cast<int64_t>(i)).copy_(src.select(dim, pos[i]));
  }
  if (x.dim() == 0) y = y.reshape(index.shape());
  if (!any_requires_grad({x})) return y;
  return record("IndexSelectBackward0", y, {x}, [in = Like(src), xs = x.shape(), dim, pos](const Tensor& g) -> Grads {
    Tensor z = zeros(in.shape, in.dtype);
    const Tensor gv = (g.dim() == 0 ? g.reshape({1}) : g).contiguous();
    // z[o, pos[i], :] += g[o, i, :], i in order (a position selected twice sums its gradients in that order)
    const int64_t inner = shape_numel(Shape(in.shape.begin() + dim + 1, in.shape.end())), m = static_cast<int64_t>(pos.size());
    const int64_t outer = m ? gv.numel() / (m * inner) : 0, n = in.shape[static_cast<size_t>(dim)];
    kernels::visit_float(in.dtype, "index_select backward", [&](auto tag) {
      using T = decltype(tag);
      T* zd = z.data<T>();
      const T* gd = gv.data<T>();
      parallel_for(0, outer, 1, [&](int64_t lo, int64_t hi) {
        for (int64_t o = lo; o < hi; ++o)
          for (int64_t i = 0; i < m; ++i) {
            T* dst = zd + (o * n + pos[static_cast<size_t>(i)]) * inner;
            const T* from = gd + (o * m + i) * inner;
            for (int64_t k = 0; k < inner; ++k) dst[k] += from[k];
          }
      });
    });
    return {z.reshape(xs)};
  });
}

Tensor index(const Tensor& x, const Tensor& idx) {
  check(x.defined() && idx.defined(), "index", "tensor is undefined");
  if (idx.dtype() == DType::boolean || idx.dtype() == DType::u8) {
    if (!(idx.dim() >= 1 && idx.dim() <= x.dim())) fail("index", "too many indices for tensor of dimension ", x.dim(),
          " (mask shape ", shape_str(idx.shape()), ")");
    for (int64_t d = 0; d < idx.dim(); ++d)
      if (idx.size(d) != x.size(d))
        fail("index", "The shape of the mask ", shape_str(idx.shape()), " at index ", d,
             " does not match the shape of the indexed tensor ", shape_str(x.shape()), " at index ", d);
    Shape rest(x.shape().begin() + idx.dim(), x.shape().end());
    Shape flat = {-1};
    flat.insert(flat.end(), rest.begin(), rest.end());
    const Tensor m = idx.to(DType::boolean).reshape({-1}).contiguous();
    std::vector<int64_t> pos;
    for (int64_t i = 0; i < m.numel(); ++i)
      if (m.data<bool>()[i]) pos.push_back(i);
    return index_select(x.reshape(flat), 0, Tensor::from_vector(pos, {static_cast<int64_t>(pos.size())}));
  }
  check(!is_floating(idx.dtype()), "index", "tensors used as indices must be long, int, byte or bool tensors (got ",
        dtype_name(idx.dtype()), ")");
  check(x.dim() >= 1, "index", "invalid index of a 0-dim tensor");
  Shape shape = idx.shape();
  shape.insert(shape.end(), x.shape().begin() + 1, x.shape().end());
  return index_select(x, 0, idx.to(DType::i64).reshape({-1})).reshape(shape);
}

Tensor masked_select(const Tensor& x, const Tensor& mask) {
  check(x.defined() && mask.defined(), "masked_select", "tensor is undefined");
  check(mask.dtype() == DType::boolean || mask.dtype() == DType::u8, "masked_select",
        "expected a bool or uint8 mask, got ", dtype_name(mask.dtype()));
  const Shape shape = broadcast_shapes(x.shape(), mask.shape());
  const Tensor xe = x.shape() == shape ? x : x.expand(shape);
  const Tensor me = mask.shape() == shape ? mask : mask.expand(shape);
  if (shape.empty()) return index(xe.reshape({1}), me.reshape({1}));
  return index(xe, me);
}

Tensor where(const Tensor& condition, const Tensor& a, const Tensor& b) {
  check(condition.defined() && a.defined() && b.defined(), "where", "tensor is undefined");
  check(condition.dtype() == DType::boolean || condition.dtype() == DType::u8, "where",
        "expected condition to be a bool or uint8 tensor, got ", dtype_name(condition.dtype()));
  const DType dt = promote(a.dtype(), b.dtype());
  const Shape shape = broadcast_shapes(condition.shape(), broadcast_shapes(a.shape(), b.shape()));
  const Tensor c = condition.detach().to(DType::boolean).expand(shape);
  const Tensor av = (a.dtype() == dt ? a.detach() : a.detach().to(dt)).expand(shape);
  const Tensor bv = (b.dtype() == dt ? b.detach() : b.detach().to(dt)).expand(shape);
  Tensor y = Tensor::empty(shape, dt);
  visit_dtype(dt, [&](auto tag) {
    using T = decltype(tag);
    T* o = kernels::base_of<T>(y);
    const bool* pc = kernels::base_of<bool>(c);
    const T* pa = kernels::base_of<T>(av);
    const T* pb = kernels::base_of<T>(bv);
    kernels::for_each_elementwise_row<4>(
        shape, {&y.strides(), &c.strides(), &av.strides(), &bv.strides()}, {y.offset(), c.offset(), av.offset(), bv.offset()},
        [&](auto off, int64_t n, auto st) {
          if (st[0] == 1 && st[1] == 1 && st[2] <= 1 && st[3] <= 1)  // each of a and b a row or one value
            kernels::where_run(o + off[0], pc + off[1], pa + off[2], pb + off[3], n, st[2] == 0, st[3] == 0);
          else
            for (int64_t i = 0; i < n; ++i)
              o[off[0] + i * st[0]] = pc[off[1] + i * st[1]] ? pa[off[2] + i * st[2]] : pb[off[3] + i * st[3]];
        });
  });
  if (!any_requires_grad({a, b})) return y;
  return record("WhereBackward0", y, {a, b}, [c, la = Like(a), lb = Like(b)](const Tensor& g) -> Grads {
    const Tensor zero = zeros_scalar(g);
    return {fit(where(c, g, zero), la), fit(where(c, zero, g), lb)};
  });
}

Tensor masked_fill(const Tensor& x, const Tensor& mask, double value) {
  check(x.defined() && mask.defined(), "masked_fill", "tensor is undefined");
  check(mask.dtype() == DType::boolean || mask.dtype() == DType::u8, "masked_fill",
        "expected a bool or uint8 mask, got ", dtype_name(mask.dtype()));
  if (broadcast_shapes(x.shape(), mask.shape()) != x.shape())
    fail("masked_fill", "mask of shape ", shape_str(mask.shape()), " cannot be broadcast to the input shape ",
         shape_str(x.shape()));
  Tensor fill = Tensor::empty({}, x.dtype());
  fill.fill_(value);
  return where(mask, fill, x);
}

}  // namespace ojo
