#include "gemm.hpp"

#include <cblas.h>

#include <algorithm>
#include <mutex>

#include "gemv.hpp"
#include "ojo/core/parallel.hpp"

namespace ojo::kernels {

namespace {
// OpenBLAS must not start its own thread pool: ojo's callers are already spread over the cores.
void single_threaded_blas() {
  static std::once_flag once;
  std::call_once(once, [] { openblas_set_num_threads(1); });
}

CBLAS_TRANSPOSE op(bool t) { return t ? CblasTrans : CblasNoTrans; }
}  // namespace

template <>
void gemm<float>(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b,
                 int64_t ldb, float beta, float* c, int64_t ldc) {
  if (m == 0 || n == 0) return;
  single_threaded_blas();
  if (m == 1 && k > 0) {  // one row (one-sample linear): a matrix-vector product, without GEMM's packing
    const int incx = ta ? int(lda) : 1;
    if (tb && incx == 1) gemv_rows(n, k, b, ldb, a, beta, c);
    else if (tb) cblas_sgemv(CblasRowMajor, CblasNoTrans, int(n), int(k), 1.0f, b, int(ldb), a, incx, beta, c, 1);
    else cblas_sgemv(CblasRowMajor, CblasTrans, int(k), int(n), 1.0f, b, int(ldb), a, incx, beta, c, 1);
    return;
  }
  cblas_sgemm(CblasRowMajor, op(ta), op(tb), int(m), int(n), int(k), 1.0f, a, int(lda), b, int(ldb), beta, c, int(ldc));
}

template <>
void gemm<double>(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const double* a, int64_t lda,
                  const double* b, int64_t ldb, double beta, double* c, int64_t ldc) {
  if (m == 0 || n == 0) return;
  single_threaded_blas();
  cblas_dgemm(CblasRowMajor, op(ta), op(tb), int(m), int(n), int(k), 1.0, a, int(lda), b, int(ldb), beta, c, int(ldc));
}

template <class T>
void gemm_reference(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const T* a, int64_t lda, const T* b,
                    int64_t ldb, T beta, T* c, int64_t ldc) {
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      T acc = 0;
      for (int64_t p = 0; p < k; ++p) acc += (ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
      c[i * ldc + j] = acc + (beta == T(0) ? T(0) : beta * c[i * ldc + j]);
    }
}

template <class T>
void gemm_parallel(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const T* a, int64_t lda, const T* b,
                   int64_t ldb, T beta, T* c, int64_t ldc) {
  // Fixed block sizes: a block's result is the same whichever thread computes it.
  constexpr int64_t kBlockM = 64, kBlockN = 256;
  const int64_t bm = (m + kBlockM - 1) / kBlockM, bn = (n + kBlockN - 1) / kBlockN;
  const int64_t work_per_block = std::min(m, kBlockM) * std::min(n, kBlockN) * std::max<int64_t>(k, 1);
  parallel_for(0, bm * bn, std::max<int64_t>(1, (1 << 18) / std::max<int64_t>(work_per_block, 1)),
               [&](int64_t lo, int64_t hi) {
                 for (int64_t blk = lo; blk < hi; ++blk) {
                   const int64_t i0 = (blk / bn) * kBlockM, j0 = (blk % bn) * kBlockN;
                   const int64_t mi = std::min(kBlockM, m - i0), nj = std::min(kBlockN, n - j0);
                   const T* ab = ta ? a + i0 : a + i0 * lda;
                   const T* bb = tb ? b + j0 * ldb : b + j0;
                   gemm<T>(ta, tb, mi, nj, k, ab, lda, bb, ldb, beta, c + i0 * ldc + j0, ldc);
                 }
               });
}

template <class T>
void affine_rows(int64_t m, int64_t n, int64_t k, const T* x, const T* w, const T* bias, T* y) {
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) y[i * n + j] = bias ? bias[j] : T(0);
  gemm_parallel<T>(false, true, m, n, k, x, k, w, k, T(1), y, n);
}

template void affine_rows<float>(int64_t, int64_t, int64_t, const float*, const float*, const float*, float*);
template void affine_rows<double>(int64_t, int64_t, int64_t, const double*, const double*, const double*, double*);
template void gemm_reference<float>(bool, bool, int64_t, int64_t, int64_t, const float*, int64_t, const float*,
                                    int64_t, float, float*, int64_t);
template void gemm_reference<double>(bool, bool, int64_t, int64_t, int64_t, const double*, int64_t, const double*,
                                     int64_t, double, double*, int64_t);
template void gemm_parallel<float>(bool, bool, int64_t, int64_t, int64_t, const float*, int64_t, const float*,
                                   int64_t, float, float*, int64_t);
template void gemm_parallel<double>(bool, bool, int64_t, int64_t, int64_t, const double*, int64_t, const double*,
                                    int64_t, double, double*, int64_t);

}  // namespace ojo::kernels
