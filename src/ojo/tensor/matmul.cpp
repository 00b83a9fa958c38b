// Batched matrix product C[b] = A[b]·B[b] — the kernel under matmul (and later linear/conv).
// matmul_reference is the plain triple loop (the algorithmic reference); matmul_blocked is the
// fast path: rows of C split across threads, K and N in cache-sized blocks, and an i-k-j inner
// loop (C row += a[i,k] * B row) that the compiler vectorises. Both accumulate in the dtype.
#include <algorithm>

#include "kernels.hpp"
#include "ojo/core/parallel.hpp"

namespace ojo {

namespace {
template <class T>
void matmul_reference(const T* a, const T* b, T* c, int64_t m, int64_t k, int64_t n) {
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      T acc = 0;
      for (int64_t p = 0; p < k; ++p) acc += a[i * k + p] * b[p * n + j];
      c[i * n + j] = acc;
    }
}

template <class T>
void matmul_blocked(const T* a, const T* b, T* c, int64_t m, int64_t k, int64_t n) {
  constexpr int64_t kBlockK = 256, kBlockN = 512;
  parallel_for(0, m, std::max<int64_t>(1, 16384 / std::max<int64_t>(k * n, 1)), [&](int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi; ++i) std::fill(c + i * n, c + (i + 1) * n, T(0));
    for (int64_t j0 = 0; j0 < n; j0 += kBlockN) {
      const int64_t j1 = std::min(n, j0 + kBlockN);
      for (int64_t p0 = 0; p0 < k; p0 += kBlockK) {
        const int64_t p1 = std::min(k, p0 + kBlockK);
        for (int64_t i = lo; i < hi; ++i) {
          T* crow = c + i * n;
          for (int64_t p = p0; p < p1; ++p) {
            const T av = a[i * k + p];
            const T* brow = b + p * n;
            for (int64_t j = j0; j < j1; ++j) crow[j] += av * brow[j];
          }
        }
      }
    }
  });
}
}  // namespace

Tensor bmm_kernel(const Tensor& a_in, const Tensor& b_in, bool reference) {
  check(a_in.dim() == 3 && b_in.dim() == 3, "bmm", "expected 3-D tensors, got shapes ", shape_str(a_in.shape()),
        " and ", shape_str(b_in.shape()));
  check(a_in.dtype() == b_in.dtype(), "bmm", "expected both tensors to have the same dtype, got ",
        dtype_name(a_in.dtype()), " and ", dtype_name(b_in.dtype()));
  const int64_t batch = a_in.size(0), m = a_in.size(1), k = a_in.size(2), n = b_in.size(2);
  if (b_in.size(0) != batch || b_in.size(1) != k)
    fail("bmm", "mat1 and mat2 shapes cannot be multiplied (", m, "x", k, " and ", b_in.size(1), "x", n,
         ") (batch shapes ", shape_str(a_in.shape()), " and ", shape_str(b_in.shape()), ")");
  const Tensor a = a_in.detach().contiguous(), b = b_in.detach().contiguous();
  Tensor c = Tensor::empty({batch, m, n}, a.dtype());
  kernels::visit_float(a.dtype(), "matmul", [&](auto tag) {
    using T = decltype(tag);
    for (int64_t s = 0; s < batch; ++s) {
      const T* pa = a.data<T>() + s * m * k;
      const T* pb = b.data<T>() + s * k * n;
      T* pc = c.data<T>() + s * m * n;
      if (reference) matmul_reference(pa, pb, pc, m, k, n);
      else matmul_blocked(pa, pb, pc, m, k, n);
    }
  });
  return c;
}

}  // namespace ojo
