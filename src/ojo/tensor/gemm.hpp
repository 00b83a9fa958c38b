// General matrix product on raw row-major buffers — the arithmetic under matmul, linear and conv2d.
//
//   C{m,n} = op(A)·op(B) + beta·C      op(X) = X or Xᵀ (trans_a / trans_b), lda/ldb/ldc = row strides
//
// gemm() is the fast path: OpenBLAS (Debian's libopenblas, runtime-dispatched AVX2/AVX-512 kernels),
// always single-threaded so that ojo's own parallel_for owns the cores. gemm_reference() is the
// plain triple loop beside it. gemm_parallel() cuts C into blocks whose size does not depend on the
// thread count and runs gemm() on each, so every element is computed by the same code whatever the
// number of threads (results are identical for 1 and 2 threads).
#pragma once

#include <cstdint>

namespace ojo::kernels {

template <class T>
void gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const T* a, int64_t lda, const T* b,
          int64_t ldb, T beta, T* c, int64_t ldc);

template <class T>
void gemm_reference(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const T* a, int64_t lda,
                    const T* b, int64_t ldb, T beta, T* c, int64_t ldc);

template <class T>
void gemm_parallel(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const T* a, int64_t lda,
                   const T* b, int64_t ldb, T beta, T* c, int64_t ldc);

// The linear layer's rows: y{m, n} = x{m, k} · w{n, k}ᵀ + bias{n} (no bias: null), contiguous.
template <class T>
void affine_rows(int64_t m, int64_t n, int64_t k, const T* x, const T* w, const T* bias, T* y);

}  // namespace ojo::kernels
