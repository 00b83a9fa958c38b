// Internal: exp and sigmoid of float32 rows (exp.cpp), called by the differentiable functions.
#pragma once

#include <cstdint>

namespace ojo::kernels {

// y[i] = exp(x[i]) and y[i] = 1 / (1 + exp(-x[i])) for i < n, within 1 ULP of the exact exp
// (0.95 ULP measured over 2·10^6 arguments), NaN kept, overflow to inf, underflow through the
// subnormals to 0; the same bits on every CPU.
void exp_f32(const float* x, float* y, int64_t n);
void sigmoid_f32(const float* x, float* y, int64_t n);

}  // namespace ojo::kernels
