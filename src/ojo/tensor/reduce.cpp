// Forward kernels of reductions and softmax: the reduced dimensions are moved last and copied
// into a contiguous {outer, inner} matrix, so every kernel is a loop over plain rows.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "extreme.hpp"
#include "math_f32.hpp"
#include "kernels.hpp"
#include "ojo/core/parallel.hpp"

namespace ojo::kernels {

int64_t wrap_dim(int64_t d, int64_t ndim, const char* op) {
  const int64_t n = std::max<int64_t>(ndim, 1);  // a 0-d tensor accepts dim 0 / -1, as torch
  if (d < -n || d >= n)
    fail(op, "Dimension out of range (expected to be in range of [", -n, ", ", n - 1, "], but got ", d, ")");
  return d < 0 ? d + n : d;
}

Rows rows_over(const Tensor& x_in, std::vector<int64_t> dims, const char* op) {
  Tensor x = x_in.detach();
  if (x.dim() == 0) x = x.reshape({1});
  const int64_t nd = x.dim();
  std::vector<bool> reduced(nd, false);
  for (int64_t& d : dims) {
    d = wrap_dim(d, nd, op);
    if (reduced[d]) fail(op, "dim ", d, " appears multiple times in the list of dims");
    reduced[d] = true;
  }
  std::vector<int64_t> order;
  Rows r;
  r.keepdim = x.shape();
  int64_t inner = 1;
  for (int64_t d = 0; d < nd; ++d)
    if (!reduced[d]) {
      order.push_back(d);
      r.kept.push_back(x.size(d));
    }
  for (int64_t d = 0; d < nd; ++d)
    if (reduced[d]) {
      order.push_back(d);
      inner *= x.size(d);
      r.keepdim[d] = 1;
    }
  if (x_in.dim() == 0) r.keepdim = {}, r.kept = {};
  r.rows = x.permute(order).reshape({shape_numel(r.kept), inner}).contiguous();
  return r;
}

namespace {
// The float sums' fixed order: a row in chunks of kSumChunk elements, each chunk's elements in
// kSumLanes running double sums (element j into sum j mod kSumLanes, so the compiler keeps them in
// vector lanes at any vector width: every CPU gives the same bits; float32 adds 8 of a lane's
// elements in float before each widening, below) added pairwise at the end, then the chunks' sums
// in order. A long row's chunks run on all threads; the result does not depend on how many.
constexpr int64_t kSumChunk = 16384, kSumLanes = 32;

// float32 first adds each lane's next 8 elements in float, as a balanced tree, and widens only
// that: one conversion per 8 elements (a conversion per element bounded the loop at half of
// PyTorch's speed), each partial sum within 3 roundings of its 8 floats.
constexpr int64_t kSumPairs = 8;

template <class T>
[[gnu::always_inline]] inline double chunk_sum(const T* x, int64_t n) {  // inlined into each clone below
  double acc[kSumLanes] = {};
  int64_t j = 0;
  if constexpr (std::is_same_v<T, float>)
    for (; j + kSumPairs * kSumLanes <= n; j += kSumPairs * kSumLanes)
      for (int k = 0; k < kSumLanes; ++k) {
        const float* e = x + j + k;
        constexpr int64_t L = kSumLanes;
        const float s = ((e[0] + e[L]) + (e[2 * L] + e[3 * L])) + ((e[4 * L] + e[5 * L]) + (e[6 * L] + e[7 * L]));
        acc[k] += static_cast<double>(s);
      }
  for (; j + kSumLanes <= n; j += kSumLanes)
    for (int k = 0; k < kSumLanes; ++k) acc[k] += static_cast<double>(x[j + k]);
  for (int k = 0; j + k < n; ++k) acc[k] += static_cast<double>(x[j + k]);
  for (int width = kSumLanes / 2; width >= 1; width /= 2)
    for (int k = 0; k < width; ++k) acc[k] += acc[k + width];
  return acc[0];
}
OJO_TENSOR_CLONES double chunk_sum_f32(const float* x, int64_t n) { return chunk_sum(x, n); }
OJO_TENSOR_CLONES double chunk_sum_f64(const double* x, int64_t n) { return chunk_sum(x, n); }

// acc[j] += row[j] for j < n (column_sums' step), widened to double.
OJO_TENSOR_CLONES void add_row(const float* __restrict row, double* __restrict acc, int64_t n) {
  for (int64_t j = 0; j < n; ++j) acc[j] += static_cast<double>(row[j]);
}
OJO_TENSOR_CLONES void add_row(const double* __restrict row, double* __restrict acc, int64_t n) {
  for (int64_t j = 0; j < n; ++j) acc[j] += row[j];
}
// acc[j] += the sum of x[j], x[K + j], ..., x[7K + j] (8 rows) in float as chunk_sum's trees, widened.
OJO_TENSOR_CLONES void add_8_rows(const float* __restrict x, int64_t K, double* __restrict acc, int64_t n) {
  for (int64_t j = 0; j < n; ++j) {
    const float* e = x + j;
    const float s = ((e[0] + e[K]) + (e[2 * K] + e[3 * K])) + ((e[4 * K] + e[5 * K]) + (e[6 * K] + e[7 * K]));
    acc[j] += static_cast<double>(s);
  }
}
template <class T, class A>
void add_row(const T* row, A* acc, int64_t n) {
  for (int64_t j = 0; j < n; ++j) acc[j] += static_cast<A>(row[j]);
}

// out[i] = Σ row i of the {outer, inner} rows, in the order above.
template <class T>
void float_row_sums(const T* in, int64_t outer, int64_t inner, T* out) {
  const int64_t chunks = std::max<int64_t>(1, (inner + kSumChunk - 1) / kSumChunk);
  std::vector<double> partial(static_cast<size_t>(outer * chunks));
  parallel_for(0, outer * chunks, std::max<int64_t>(1, kSumChunk / std::max<int64_t>(inner, 1)),
               [&](int64_t lo, int64_t hi) {
                 for (int64_t t = lo; t < hi; ++t) {
                   const int64_t i = t / chunks, c = t % chunks, at = c * kSumChunk;
                   const T* x = in + i * inner + at;
                   const int64_t n = std::min(kSumChunk, inner - at);
                   if constexpr (std::is_same_v<T, float>) partial[static_cast<size_t>(t)] = chunk_sum_f32(x, n);
                   else partial[static_cast<size_t>(t)] = chunk_sum_f64(x, n);
                 }
               });
  for (int64_t i = 0; i < outer; ++i) {
    double total = partial[static_cast<size_t>(i * chunks)];
    for (int64_t c = 1; c < chunks; ++c) total += partial[static_cast<size_t>(i * chunks + c)];
    out[i] = static_cast<T>(total);
  }
}
}  // namespace

// Number of leading dimensions that `dims` names when they are exactly the first few of a
// contiguous tensor with some dimensions left after them (x.sum(0) of a matrix), else 0.
int64_t leading_dims(const Tensor& x, const std::vector<int64_t>& dims) {
  if (!x.is_contiguous() || dims.empty() || static_cast<int64_t>(dims.size()) >= x.dim()) return 0;
  std::vector<bool> named(static_cast<size_t>(x.dim()), false);
  for (int64_t d : dims) named[static_cast<size_t>(wrap_dim(d, x.dim(), "sum"))] = true;
  const auto m = static_cast<int64_t>(dims.size());
  for (int64_t d = 0; d < m; ++d)
    if (!named[static_cast<size_t>(d)]) return 0;
  return m;
}

// out[k] = Σ_r x[r][k] of a contiguous {R, K} matrix, r in order, in A (double for floats; float32
// rows 8 at a time, as add_8_rows): columns
// in blocks across the threads, each block's running sums in vector lanes as the rows stream by —
// no transposed copy (rows_over's) and the same bits at any thread count.
template <class T, class A, class O>
void column_sums(const T* x, int64_t R, int64_t K, O* out) {
  constexpr int64_t kBlock = 512;
  parallel_for(0, (K + kBlock - 1) / kBlock, std::max<int64_t>(1, 65536 / std::max<int64_t>(R * kBlock, 1)),
               [&](int64_t lo, int64_t hi) {
                 A acc[kBlock];
                 for (int64_t b = lo; b < hi; ++b) {
                   const int64_t k0 = b * kBlock, n = std::min(kBlock, K - k0);
                   std::fill(acc, acc + n, A(0));
                   int64_t r = 0;
                   if constexpr (std::is_same_v<T, float>)
                     for (; r + kSumPairs <= R; r += kSumPairs) add_8_rows(x + r * K + k0, K, acc, n);
                   for (; r < R; ++r) add_row(x + r * K + k0, acc, n);
                   for (int64_t j = 0; j < n; ++j) out[k0 + j] = static_cast<O>(acc[j]);
                 }
               });
}

Tensor sum(const Tensor& x, const std::vector<int64_t>& dims_in, bool keepdim) {
  std::vector<int64_t> dims = dims_in;
  if (dims.empty())  // all dimensions
    for (int64_t d = 0; d < x.dim(); ++d) dims.push_back(d);
  if (const int64_t m = leading_dims(x, dims); m > 0) {
    Shape kept(x.shape().begin() + m, x.shape().end()), kd = x.shape();
    std::fill(kd.begin(), kd.begin() + m, 1);
    const int64_t K = shape_numel(kept), R = K ? x.numel() / K : 0;
    Tensor out = Tensor::empty(kept, is_floating(x.dtype()) ? x.dtype() : DType::i64);
    visit_dtype(x.dtype(), [&](auto tag) {
      using T = decltype(tag);
      if constexpr (std::is_floating_point_v<T>) column_sums<T, double>(x.data<T>(), R, K, out.data<T>());
      else column_sums<T, int64_t>(x.data<T>(), R, K, out.data<int64_t>());
    });
    return keepdim ? out.reshape(kd) : out;
  }
  const Rows r = rows_over(x, dims, "sum");
  const DType out_dtype = is_floating(x.dtype()) ? x.dtype() : DType::i64;
  Tensor out = Tensor::empty(r.kept, out_dtype);
  const int64_t outer = r.rows.size(0), inner = r.rows.size(1);
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* in = r.rows.data<T>();
    if constexpr (std::is_floating_point_v<T>) {
      float_row_sums(in, outer, inner, out.data<T>());
    } else {
      parallel_for(0, outer, std::max<int64_t>(1, 32768 / std::max<int64_t>(inner, 1)), [&](int64_t lo, int64_t hi) {
        for (int64_t i = lo; i < hi; ++i) {
          const T* row = in + i * inner;
          int64_t acc = 0;
          for (int64_t j = 0; j < inner; ++j) acc += static_cast<int64_t>(row[j]);
          out.data<int64_t>()[i] = acc;
        }
      });
    }
  });
  return keepdim ? out.reshape(r.keepdim) : out;
}

namespace {
// True if v should replace the current extreme `best` (NaN wins and stays, as torch).
template <class T>
bool better(T v, T best, bool is_max) {
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(best)) return false;
    if (std::isnan(v)) return true;
  }
  return is_max ? v > best : v < best;
}
}  // namespace

Tensor::ValuesIndices max_min(const Tensor& x, int64_t dim, bool keepdim, bool is_max) {
  const char* op = is_max ? "max" : "min";
  const Rows r = rows_over(x, {dim}, op);
  const int64_t outer = r.rows.size(0), inner = r.rows.size(1);
  if (inner == 0)
    fail(op, "Expected reduction dim ", dim, " to have non-zero size (shape ", shape_str(x.shape()), ")");
  Tensor values = Tensor::empty(r.kept, x.dtype()), indices = Tensor::empty(r.kept, DType::i64);
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* in = r.rows.data<T>();
    T* v = values.data<T>();
    int64_t* idx = indices.data<int64_t>();
    parallel_for(0, outer, std::max<int64_t>(1, 32768 / inner), [&](int64_t lo, int64_t hi) {
      for (int64_t i = lo; i < hi; ++i) {
        const T* row = in + i * inner;
        int64_t best = 0;
        if constexpr (std::is_floating_point_v<T>) {  // the extreme, then where it first is
          const Extreme<T> e = extreme(row, inner, is_max);
          best = first_match(row, inner, e.value, e.any_nan);
        } else {
          for (int64_t j = 1; j < inner; ++j)
            if (better(row[j], row[best], is_max)) best = j;
        }
        v[i] = row[best];
        idx[i] = best;
      }
    });
  });
  if (keepdim) return {values.reshape(r.keepdim), indices.reshape(r.keepdim)};
  return {values, indices};
}

namespace {
// The largest (smallest) of x[0, n), n > 0, NaN if any is NaN (as torch): chunks on all threads.
template <class T>
T float_extreme(const T* x, int64_t n, bool is_max) {
  constexpr int64_t kChunk = 32768;
  const int64_t chunks = (n + kChunk - 1) / kChunk;
  std::vector<Extreme<T>> part(static_cast<size_t>(chunks));
  parallel_for(0, chunks, 1, [&](int64_t lo, int64_t hi) {
    for (int64_t c = lo; c < hi; ++c) part[static_cast<size_t>(c)] = extreme(x + c * kChunk, std::min(kChunk, n - c * kChunk), is_max);
  });
  T best = part[0].value;
  for (const Extreme<T>& p : part) {
    if (p.any_nan) return std::numeric_limits<T>::quiet_NaN();
    best = (is_max ? best < p.value : p.value < best) ? p.value : best;
  }
  return best;
}
}  // namespace

Tensor max_min_all(const Tensor& x, bool is_max) {
  const char* op = is_max ? "max" : "min";
  if (x.numel() == 0)
    fail(op, "Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the "
             "'dim' argument.");
  if (!is_floating(x.dtype())) return max_min(x.reshape({-1}), 0, false, is_max).values;
  const Tensor in = x.detach().contiguous();
  Tensor out = Tensor::empty({}, x.dtype());
  visit_float(x.dtype(), op, [&](auto tag) {
    using T = decltype(tag);
    const T* data = in.data<T>();
    out.data<T>()[0] = float_extreme(data, in.numel(), is_max);
  });
  return out;
}

Tensor softmax(const Tensor& x_in, int64_t dim, bool log) {
  const char* op = log ? "log_softmax" : "softmax";
  Tensor x = x_in.detach();
  if (!is_floating(x.dtype())) x = x.to(DType::f32);
  dim = wrap_dim(dim, x.dim(), op);
  if (x.dim() == 0) x = x.reshape({1});
  // Move `dim` last, work on rows, move it back.
  std::vector<int64_t> order;
  for (int64_t d = 0; d < x.dim(); ++d)
    if (d != dim) order.push_back(d);
  order.push_back(dim);
  std::vector<int64_t> inverse(order.size());
  for (size_t i = 0; i < order.size(); ++i) inverse[order[i]] = static_cast<int64_t>(i);
  const Tensor moved = x.permute(order).contiguous();
  const int64_t inner = moved.dim() ? moved.size(-1) : 1, outer = inner ? moved.numel() / inner : 0;
  Tensor out = Tensor::empty(moved.shape(), x.dtype());
  visit_float(x.dtype(), op, [&](auto tag) {
    using T = decltype(tag);
    const T* in = moved.data<T>();
    T* o = out.data<T>();
    parallel_for(0, outer, std::max<int64_t>(1, 8192 / std::max<int64_t>(inner, 1)), [&](int64_t lo, int64_t hi) {
      std::vector<T> exps;  // float32 log_softmax: exp(x - max) (math_f32.cpp), only summed
      if constexpr (std::is_same_v<T, float>)
        if (log) exps.resize(static_cast<size_t>(inner));
      for (int64_t i = lo; i < hi; ++i) {
        const T* row = in + i * inner;
        T* res = o + i * inner;
        T mx = extreme(row, inner, true).value;  // the largest that is not NaN
        if (std::isinf(mx) && mx < 0) mx = 0;  // all -inf: avoid inf - inf
        double total = 0;
        if constexpr (std::is_same_v<T, float>) {  // the sum in float_row_sums' order
          float* e = log ? exps.data() : res;
          exp_shifted_f32(row, e, inner, mx);
          for (int64_t at = 0; at < inner; at += kSumChunk) total += chunk_sum_f32(e + at, std::min(kSumChunk, inner - at));
        } else {
          for (int64_t j = 0; j < inner; ++j) {
            const T e = std::exp(row[j] - mx);
            total += e;
            if (!log) res[j] = e;
          }
        }
        if (log) {
          const T lse = static_cast<T>(std::log(total));
          for (int64_t j = 0; j < inner; ++j) res[j] = row[j] - mx - lse;
        } else {
          const T denom = static_cast<T>(total);
          for (int64_t j = 0; j < inner; ++j) res[j] /= denom;
        }
      }
    });
  });
  Tensor result = out.permute(inverse);
  return x_in.dim() == 0 ? result.reshape({}) : result.contiguous();
}

}  // namespace ojo::kernels
