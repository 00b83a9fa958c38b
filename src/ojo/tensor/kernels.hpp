// Forward kernels of the tensor math (no autograd): the differentiable functions in
// src/ojo/autograd/functions.cpp call these and record their backward rules.
// Kernels read their inputs through detach()ed handles, so nothing here records a graph.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

#include "ojo/core/parallel.hpp"
#include "ojo/core/strided.hpp"
#include "ojo/core/tensor.hpp"
#include "ojo/tensor/ops.hpp"

// Loops compiled three times, for AVX-512, AVX2 and the baseline, and picked at run time (GCC's
// target_clones); code built with -ffp-contract=off, or free of multiply-adds, gives the same bits
// in each.
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
#define OJO_TENSOR_CLONES __attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
#else
#define OJO_TENSOR_CLONES
#endif

namespace ojo::kernels {

// Result dtype of combining two tensors (see ops.hpp).
DType promote(DType a, DType b);
// f32 for integer/bool dtypes, the dtype itself for floats.
inline DType float_of(DType t) { return is_floating(t) ? t : DType::f32; }
int64_t wrap_dim(int64_t d, int64_t ndim, const char* op);

template <class T>
T* base_of(const Tensor& t) {
  return static_cast<T*>(t.raw_data()) - t.offset();
}

// `t` itself when it is contiguous or undefined, else a contiguous copy held in `keep`: an operand
// read in place, where t.detach().contiguous() would copy its shape and strides (two allocations,
// a measurable share of a small layer such as one-image inference's).
inline const Tensor& contiguous_in(const Tensor& t, Tensor& keep) {
  if (!t.defined() || t.is_contiguous()) return t;
  keep = t.contiguous();
  return keep;
}

// Calls f(T{}) for the two float dtypes; throws for others.
template <class F>
decltype(auto) visit_float(DType t, const char* op, F&& f) {
  if (t == DType::f32) return f(float{});
  if (t == DType::f64) return f(double{});
  fail(op, "expected a floating point tensor, got ", dtype_name(t));
}

// for_each_row for element-wise work: a long run whose operands are each contiguous or one value
// broadcast (x + y, x / 255) is cut into chunks of kElementwiseGrain elements on all threads, as
// torch's grain; results do not depend on how it is cut. Anything else goes row by row.
constexpr int64_t kElementwiseGrain = 32768;
template <size_t N, class Row>
void for_each_elementwise_row(const Shape& shape, const std::array<const Strides*, N>& strides,
                              const std::array<int64_t, N>& offsets, const Row& row) {
  const int64_t total = shape_numel(shape);
  if (total > kElementwiseGrain && get_num_threads() > 1) {
    const Strides dense = contiguous_strides(shape);
    std::array<int64_t, N> step{};
    bool flat = true;
    for (size_t k = 0; k < N && flat; ++k) {
      if (*strides[k] == dense) step[k] = 1;
      else flat = std::all_of(strides[k]->begin(), strides[k]->end(), [](int64_t s) { return s == 0; });
    }
    if (flat) {
      parallel_for(0, (total + kElementwiseGrain - 1) / kElementwiseGrain, 1, [&](int64_t lo, int64_t hi) {
        for (int64_t c = lo; c < hi; ++c) {
          const int64_t first = c * kElementwiseGrain;
          std::array<int64_t, N> at = offsets;
          for (size_t k = 0; k < N; ++k) at[k] += step[k] * first;
          row(at, std::min(kElementwiseGrain, total - first), step);
        }
      });
      return;
    }
  }
  for_each_row<N>(shape, strides, offsets, row);
}

// The contiguous runs of binary_map and unary_map. For float32 they are compiled for AVX-512, AVX2
// and the baseline (OJO_TENSOR_CLONES: the baseline's 4-lane SSE2 loops ran slower than memory on
// 1M elements); the one file that instantiates them (autograd/functions.cpp) is built with
// -ffp-contract=off, so each clone gives the same bits.
enum class Run { dense, scalar_right, scalar_left };
template <class O, class T, class F>
[[gnu::always_inline]] inline void binary_loop(O* __restrict o, const T* __restrict x, const T* __restrict y, int64_t n,
                                               Run run, F f) {
  if (run == Run::dense) {
    for (int64_t i = 0; i < n; ++i) o[i] = static_cast<O>(f(x[i], y[i]));
  } else if (run == Run::scalar_right) {
    const T z = y[0];
    for (int64_t i = 0; i < n; ++i) o[i] = static_cast<O>(f(x[i], z));
  } else {
    const T z = x[0];
    for (int64_t i = 0; i < n; ++i) o[i] = static_cast<O>(f(z, y[i]));
  }
}
template <class O, class F>
OJO_TENSOR_CLONES void binary_loop_f32(O* o, const float* x, const float* y, int64_t n, Run run, F f) {
  binary_loop(o, x, y, n, run, f);
}
template <class O, class T, class F>
void binary_run(O* o, const T* x, const T* y, int64_t n, Run run, F f) {
  if constexpr (std::is_same_v<T, float>) binary_loop_f32(o, x, y, n, run, f);
  else binary_loop(o, x, y, n, run, f);
}
template <class O, class T, class F>
[[gnu::always_inline]] inline void unary_loop(O* __restrict o, const T* __restrict x, int64_t n, F f) {
  for (int64_t i = 0; i < n; ++i) o[i] = static_cast<O>(f(x[i]));
}
template <class O, class F>
OJO_TENSOR_CLONES void unary_loop_f32(O* o, const float* x, int64_t n, F f) {
  unary_loop(o, x, n, f);
}
template <class O, class T, class F>
void unary_run(O* o, const T* x, int64_t n, F f) {
  if constexpr (std::is_same_v<T, float>) unary_loop_f32(o, x, n, f);
  else unary_loop(o, x, n, f);
}

// o[i] = c[i] ? a[i] : b[i], a or b one value where a_one / b_one.
template <class T>
[[gnu::always_inline]] inline void where_loop(T* __restrict o, const uint8_t* __restrict c, const T* __restrict a,
                                              const T* __restrict b, int64_t n, bool a_one, bool b_one) {
  // A select on the bits, the condition read as bytes: the form GCC 12 vectorises for every CPU
  // (a branch per element before, mispredicted on every other one of a random mask).
  const auto pick = [](bool take, T x, T y) {
    using U = std::conditional_t<sizeof(T) == 1, uint8_t, std::conditional_t<sizeof(T) == 2, uint16_t,
              std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>>>;
    const U mask = U(0) - U(take);
    return std::bit_cast<T>(static_cast<U>((std::bit_cast<U>(x) & mask) | (std::bit_cast<U>(y) & static_cast<U>(~mask))));
  };
  if (!a_one && !b_one) {
    for (int64_t i = 0; i < n; ++i) o[i] = pick(c[i] != 0, a[i], b[i]);
  } else if (!a_one) {
    const T z = b[0];
    for (int64_t i = 0; i < n; ++i) o[i] = pick(c[i] != 0, a[i], z);
  } else if (!b_one) {
    const T z = a[0];
    for (int64_t i = 0; i < n; ++i) o[i] = pick(c[i] != 0, z, b[i]);
  } else {
    const T za = a[0], zb = b[0];
    for (int64_t i = 0; i < n; ++i) o[i] = pick(c[i] != 0, za, zb);
  }
}
OJO_TENSOR_CLONES inline void where_loop_f32(float* o, const uint8_t* c, const float* a, const float* b, int64_t n,
                                             bool a_one, bool b_one) {
  where_loop(o, c, a, b, n, a_one, b_one);
}
template <class T>
void where_run(T* o, const bool* c, const T* a, const T* b, int64_t n, bool a_one, bool b_one) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(c);  // bool tensors hold 0 or 1 per byte
  if constexpr (std::is_same_v<T, float>) where_loop_f32(o, bytes, a, b, n, a_one, b_one);
  else where_loop(o, bytes, a, b, n, a_one, b_one);
}

// out[i] = f(a[i], b[i]) over the broadcast shape. Operands are converted to `compute` first;
// f gets two `compute`-typed values and its result is cast to `out_dtype`.
template <class F>
Tensor binary_map(const Tensor& a_in, const Tensor& b_in, DType compute, DType out_dtype, F f) {
  Tensor a = a_in.detach(), b = b_in.detach();
  if (a.dtype() != compute) a = a.to(compute);
  if (b.dtype() != compute) b = b.to(compute);
  const Shape shape = broadcast_shapes(a.shape(), b.shape());
  if (a.shape() != shape) a = a.expand(shape);
  if (b.shape() != shape) b = b.expand(shape);
  Tensor out = Tensor::empty(shape, out_dtype);
  check(out_dtype == compute || out_dtype == DType::boolean, "binary_map", "unsupported output dtype ",
        dtype_name(out_dtype));
  visit_dtype(compute, [&](auto ctag) {
    using T = decltype(ctag);
    auto run = [&](auto otag) {  // instantiated for O = T and O = bool only (keeps the build small)
      using O = decltype(otag);
      check(out.dtype() == dtype_of<O>, "tensor op", "internal: result dtype ", dtype_name(out.dtype()),
            " does not match the computed ", dtype_name(dtype_of<O>));
      O* po = base_of<O>(out);
      const T* pa = base_of<T>(a);
      const T* pb = base_of<T>(b);
      for_each_elementwise_row<3>(shape, {&out.strides(), &a.strides(), &b.strides()}, {out.offset(), a.offset(), b.offset()},
                      [&](auto off, int64_t n, auto st) {
                        O* o = po + off[0];
                        const T* x = pa + off[1];
                        const T* y = pb + off[2];
                        if (st[1] == 1 && st[2] == 1) binary_run(o, x, y, n, Run::dense, f);
                        else if (st[1] == 1 && st[2] == 0) binary_run(o, x, y, n, Run::scalar_right, f);  // x / 255
                        else if (st[1] == 0 && st[2] == 1) binary_run(o, x, y, n, Run::scalar_left, f);   // 1 - x
                        else
                          for (int64_t i = 0; i < n; ++i) o[i] = static_cast<O>(f(x[i * st[1]], y[i * st[2]]));
                      });
    };
    // Only one output type per op is instantiated: bool for predicates, else the compute type.
    if constexpr (std::is_same_v<decltype(f(T{}, T{})), bool>) run(bool{});
    else run(T{});
  });
  return out;
}

// out[i] = f(x[i]) computed in `compute` (x converted first), result cast to `out_dtype`
// (which must be `compute` or bool).
template <bool kFloatOnly = false, class F>
Tensor unary_map(const Tensor& x_in, DType compute, DType out_dtype, F f) {
  Tensor x = x_in.detach();
  if (x.dtype() != compute) x = x.to(compute);
  Tensor out = Tensor::empty(x.shape(), out_dtype);
  check(out_dtype == compute || out_dtype == DType::boolean, "unary_map", "unsupported output dtype ",
        dtype_name(out_dtype));
  auto body = [&](auto ctag) {
    using T = decltype(ctag);
    auto run = [&](auto otag) {  // O = T or bool only
      using O = decltype(otag);
      check(out.dtype() == dtype_of<O>, "tensor op", "internal: result dtype ", dtype_name(out.dtype()),
            " does not match the computed ", dtype_name(dtype_of<O>));
      O* po = base_of<O>(out);
      const T* px = base_of<T>(x);
      for_each_elementwise_row<2>(x.shape(), {&out.strides(), &x.strides()}, {out.offset(), x.offset()},
                      [&](auto off, int64_t n, auto st) {
                        O* o = po + off[0];
                        const T* v = px + off[1];
                        if (st[1] == 1) {
                          unary_run(o, v, n, f);
                        } else {
                          for (int64_t i = 0; i < n; ++i) o[i] = static_cast<O>(f(v[i * st[1]]));
                        }
                      });
    };
    if constexpr (std::is_same_v<decltype(f(T{})), bool>) run(bool{});
    else run(T{});
  };
  // Float-only math (exp, log, ...) need not be compiled for the seven other dtypes.
  if constexpr (kFloatOnly) visit_float(compute, "unary_map", body);
  else visit_dtype(compute, body);
  return out;
}

// Moves `dims` of x last and returns a contiguous {outer, inner} matrix plus the kept shape.
struct Rows {
  Tensor rows;       // {outer, inner}, contiguous
  Shape kept;        // shape of the non-reduced dimensions, in order
  Shape keepdim;     // x's shape with reduced dimensions set to 1
};
Rows rows_over(const Tensor& x, std::vector<int64_t> dims, const char* op);

// Reductions (forward only). Sum: floats keep their dtype (accumulated in double), integers give i64.
Tensor sum(const Tensor& x, const std::vector<int64_t>& dims, bool keepdim);
// Max/min over one dimension: values and the first index of the extreme (NaN counts as extreme).
Tensor::ValuesIndices max_min(const Tensor& x, int64_t dim, bool keepdim, bool is_max);
Tensor max_min_all(const Tensor& x, bool is_max);
Tensor softmax(const Tensor& x, int64_t dim, bool log);

}  // namespace ojo::kernels
