// Batched matrix product C[b] = A[b]·B[b] — the kernel under matmul. matmul_reference is the
// plain triple loop (the algorithmic reference); the fast path is gemm_parallel (gemm.hpp).
#include <algorithm>

#include "kernels.hpp"
#include "gemm.hpp"

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

}  // namespace

Tensor bmm_kernel(const Tensor& a_in, const Tensor& b_in, bool reference) {
  if (!(a_in.dim() == 3 && b_in.dim() == 3)) fail("bmm", "expected 3-D tensors, got shapes ", shape_str(a_in.shape()),
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
      else kernels::gemm_parallel<T>(false, false, m, n, k, pa, k, pb, n, T(0), pc, n);
    }
  });
  return c;
}

}  // namespace ojo
