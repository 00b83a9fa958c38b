// Internal: exp, sigmoid, tanh and log of float32 rows (math_f32.cpp), called by the
// differentiable functions.
#pragma once

#include <cstdint>

namespace ojo::kernels {

// y[i] = f(x[i]) for i < n; the same bits on every CPU. Errors against the exact function
// (tests/autograd/autograd_test.cpp measures them against double): exp ≤ 1 ULP, sigmoid
// (1 / (1 + exp(-x)) in float32) ≤ 2.5, tanh ≤ 2, log ≤ 1. NaN stays NaN; exp and sigmoid
// overflow to inf and underflow through the subnormals to 0; log of 0 is -inf and of a negative
// number NaN.
void exp_f32(const float* x, float* y, int64_t n);
void sigmoid_f32(const float* x, float* y, int64_t n);
void tanh_f32(const float* x, float* y, int64_t n);
void log_f32(const float* x, float* y, int64_t n);

}  // namespace ojo::kernels
