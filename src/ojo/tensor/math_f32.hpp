// Internal: exp, sigmoid, tanh and log of float32 rows (math_f32.cpp), called by the
// differentiable functions.
#pragma once

#include <cmath>
#include <cstdint>

namespace ojo::kernels {

// y[i] = f(x[i]) for i < n; the same bits on every CPU. Errors against the exact function
// (tests/autograd/autograd_test.cpp measures them against double): exp ≤ 1 ULP, sigmoid
// (1 / (1 + exp(-x)) in float32) ≤ 2.5, tanh ≤ 2, log ≤ 1. NaN stays NaN; exp and sigmoid
// overflow to inf and underflow through the subnormals to 0; log of 0 is -inf and of a negative
// number NaN.
void exp_f32(const float* x, float* y, int64_t n);
// y[i] = exp_f32 of (x[i] - shift), the difference rounded to float first: softmax's step.
void exp_shifted_f32(const float* x, float* y, int64_t n, float shift);
void sigmoid_f32(const float* x, float* y, int64_t n);
void tanh_f32(const float* x, float* y, int64_t n);
void log_f32(const float* x, float* y, int64_t n);

// Round half to even, as nearbyint, in plain arithmetic that vectorises: below 2^23 (2^52)
// adding it leaves no fraction, the addition rounding to even; larger values, inf and NaN stay.
template <class T>
inline T round_half_even(T v) {
  constexpr T big = sizeof(T) == 4 ? T(8388608) : T(4503599627370496.0);
  const T a = std::fabs(v);
  return a < big ? std::copysign((a + big) - big, v) : v;
}

// torch's clamp of a float with bounds in its own type: NaN stays.
template <class T>
inline T clamp_to(T v, T lo, T hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

// y[i] = round_half_even(x[i]) and clamp_to(x[i], lo, hi) for i < n (AVX-512 and AVX2 clones:
// the selects are several instructions each in baseline SSE2).
void round_f32(const float* x, float* y, int64_t n);
void clamp_f32(const float* x, float* y, int64_t n, float lo, float hi);

}  // namespace ojo::kernels
