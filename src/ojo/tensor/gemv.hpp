// One row times the rows of a matrix — the one-sample linear layer:
//
//   y[j] = Σ_p w[j·ldw + p]·x[p] + beta·y[j],   j < n, p < k
//
// gemv_rows() is the fast path (Highway: a few rows at a time, each x vector loaded once for
// them, lanes summed at the end); gemv_rows_reference() is the plain double loop beside it. For
// TinyVGG's classifier (k = 490, n = 10) OpenBLAS's sgemv took ~0.3 µs, three times its FMAs' time,
// on one-image inference's serial tail.
#pragma once

#include <cstdint>

namespace ojo::kernels {

void gemv_rows(int64_t n, int64_t k, const float* w, int64_t ldw, const float* x, float beta, float* y);
void gemv_rows_reference(int64_t n, int64_t k, const float* w, int64_t ldw, const float* x, float beta, float* y);

}  // namespace ojo::kernels
