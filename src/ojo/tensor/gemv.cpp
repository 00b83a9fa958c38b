// gemv_rows (see gemv.hpp): rows in groups of up to four, two vectors of each row per step (eight
// independent sums hide the FMA latency), the last elements that fill no vector one by one
// (Highway's masked loads read past the end on SSE4).
#include "gemv.hpp"

#include <cstddef>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "../src/ojo/tensor/gemv.cpp"  // found through include/
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace ojo::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Rows [0, R) of w from `w` (ldw apart): their sums with x into y.
template <int R>
HWY_INLINE void RowGroup(int64_t k, const float* w, int64_t ldw, const float* x, float beta, float* y) {
  const hn::CappedTag<float, 8> d;  // 256-bit vectors: measured a little faster on Zen 4
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  using V = hn::Vec<decltype(d)>;
  V a[R], b[R];
#pragma GCC unroll 4
  for (int r = 0; r < R; ++r) a[r] = b[r] = hn::Zero(d);
  int64_t p = 0;
  for (; p + 2 * N <= k; p += 2 * N) {
    const V x0 = hn::LoadU(d, x + p), x1 = hn::LoadU(d, x + p + N);
#pragma GCC unroll 4  // the sums stay in registers only if the rows' loop is unrolled
    for (int r = 0; r < R; ++r) {
      a[r] = hn::MulAdd(hn::LoadU(d, w + r * ldw + p), x0, a[r]);
      b[r] = hn::MulAdd(hn::LoadU(d, w + r * ldw + p + N), x1, b[r]);
    }
  }
  if (p + N <= k) {
    const V xv = hn::LoadU(d, x + p);
#pragma GCC unroll 4
    for (int r = 0; r < R; ++r) a[r] = hn::MulAdd(hn::LoadU(d, w + r * ldw + p), xv, a[r]);
    p += N;
  }
  for (int r = 0; r < R; ++r) {
    float sum = hn::GetLane(hn::SumOfLanes(d, hn::Add(a[r], b[r])));
    for (int64_t q = p; q < k; ++q) sum += w[r * ldw + q] * x[q];  // the last few, past the vectors
    y[r] = beta == 0.0f ? sum : sum + beta * y[r];
  }
}

void GemvRows(int64_t n, int64_t k, const float* w, int64_t ldw, const float* x, float beta, float* y) {
  int64_t j = 0;
  for (; j + 4 <= n; j += 4) RowGroup<4>(k, w + j * ldw, ldw, x, beta, y + j);
  switch (n - j) {
    case 3: return RowGroup<3>(k, w + j * ldw, ldw, x, beta, y + j);
    case 2: return RowGroup<2>(k, w + j * ldw, ldw, x, beta, y + j);
    case 1: return RowGroup<1>(k, w + j * ldw, ldw, x, beta, y + j);
    default: return;
  }
}

}  // namespace ojo::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace ojo::kernels {
HWY_EXPORT(GemvRows);

void gemv_rows(int64_t n, int64_t k, const float* w, int64_t ldw, const float* x, float beta, float* y) {
  HWY_DYNAMIC_DISPATCH(GemvRows)(n, k, w, ldw, x, beta, y);
}

void gemv_rows_reference(int64_t n, int64_t k, const float* w, int64_t ldw, const float* x, float beta, float* y) {
  for (int64_t j = 0; j < n; ++j) {
    float sum = 0;
    for (int64_t p = 0; p < k; ++p) sum += w[j * ldw + p] * x[p];
    y[j] = beta == 0.0f ? sum : sum + beta * y[j];
  }
}
}  // namespace ojo::kernels
#endif
