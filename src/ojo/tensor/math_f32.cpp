// exp, sigmoid, tanh and log of float32 without the C library, in plain arithmetic the compiler
// vectorises: the C library is one call per element (3–7× PyTorch's vectorised functions on 10^6
// elements). Cephes' single-precision algorithms. Built with -ffp-contract=off
// (src/CMakeLists.txt): no fused multiply-add, so the AVX-512, AVX2 and baseline clones give the
// same bits.
#include "math_f32.hpp"

#include "kernels.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>


namespace ojo::kernels {
namespace {

// exp(x) = 2^n · e^r with n = round(x / ln 2) and r = x − n·ln 2 (ln 2 in two parts, so n times the
// first is exact), |r| ≤ ln 2 / 2; e^r by Cephes' expf polynomial. 2^n is applied as two factors,
// each a normal float, so results below FLT_MIN round once into the subnormals. Arguments are
// clamped to [-104, 89] first (beyond them exp is 0 or inf anyway); NaN passes the clamp.
inline float exp_one(float x) {
  const float v = std::min(std::max(x, -104.0f), 89.0f);
  constexpr float kRound = 12582912.0f;  // 1.5 · 2^23: adding it leaves the nearest integer
  const float n = (v * 1.44269504088896341f + kRound) - kRound;
  const float r = (v - n * 0.693359375f) - n * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * (r * r) + r + 1.0f;
  const int32_t k = static_cast<int32_t>(n), half = k / 2;
  const float scale1 = std::bit_cast<float>((half + 127) << 23), scale2 = std::bit_cast<float>((k - half + 127) << 23);
  return p * scale1 * scale2;
}

// tanh, odd: of |x| < 0.625 Cephes' polynomial a + a³·P(a²); above, 1 − 2 / (e^{2a} + 1) (a
// clamped to 44, where tanh is 1 in float32); then the sign of x (-0 stays -0). NaN takes the
// polynomial.
inline float tanh_one(float x) {
  const float a = std::min(std::fabs(x), 44.0f), z = a * a;
  float p = -5.70498872745e-3f;
  p = p * z + 2.06390887954e-2f;
  p = p * z - 5.37397155531e-2f;
  p = p * z + 1.33314422036e-1f;
  p = p * z - 3.33332819422e-1f;
  const float small = p * z * a + a, large = 1.0f - 2.0f / (exp_one(a + a) + 1.0f);
  return std::copysign(a >= 0.625f ? large : small, x);
}

// log: x = m · 2^e with m in [√½, √2), log x = e·ln 2 + log m, log m = f − f²/2 + f³·P(f) with
// f = m − 1 (Cephes' logf); ln 2 in two parts. Subnormals are scaled by 2^25 first. 0 → -inf,
// negatives → NaN, inf → inf, NaN → NaN.
inline float log_one(float x) {
  const bool tiny = x < std::numeric_limits<float>::min();
  const float v = tiny ? x * 33554432.0f : x;  // 2^25
  const int32_t bits = std::bit_cast<int32_t>(v);
  int32_t e = ((bits >> 23) & 0xff) - 126 - (tiny ? 25 : 0);
  float m = std::bit_cast<float>((bits & 0x007fffff) | 0x3f000000);  // in [0.5, 1)
  const bool low = m < 0.707106781186547524f;
  e -= low ? 1 : 0;
  const float f = (low ? m + m : m) - 1.0f, z = f * f;
  float p = 7.0376836292e-2f;
  p = p * f - 1.1514610310e-1f;
  p = p * f + 1.1676998740e-1f;
  p = p * f - 1.2420140846e-1f;
  p = p * f + 1.4249322787e-1f;
  p = p * f - 1.6668057665e-1f;
  p = p * f + 2.0000714765e-1f;
  p = p * f - 2.4999993993e-1f;
  p = p * f + 3.3333331174e-1f;
  const float ef = static_cast<float>(e);
  float y = p * f * z + ef * -2.12194440e-4f - 0.5f * z;
  y = (f + y) + ef * 0.693359375f;
  constexpr float inf = std::numeric_limits<float>::infinity();
  return x > 0 && x < inf ? y : x == 0 ? -inf : x == inf ? inf : std::numeric_limits<float>::quiet_NaN();
}

}  // namespace

OJO_TENSOR_CLONES void exp_f32(const float* __restrict x, float* __restrict y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = exp_one(x[i]);
}

OJO_TENSOR_CLONES void exp_shifted_f32(const float* __restrict x, float* __restrict y, int64_t n, float shift) {
  for (int64_t i = 0; i < n; ++i) y[i] = exp_one(x[i] - shift);
}

OJO_TENSOR_CLONES void sigmoid_f32(const float* __restrict x, float* __restrict y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = 1.0f / (1.0f + exp_one(-x[i]));
}

}  // namespace ojo::kernels

namespace ojo::kernels {

OJO_TENSOR_CLONES void tanh_f32(const float* __restrict x, float* __restrict y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = tanh_one(x[i]);
}

OJO_TENSOR_CLONES void log_f32(const float* __restrict x, float* __restrict y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = log_one(x[i]);
}

}  // namespace ojo::kernels

namespace ojo::kernels {

OJO_TENSOR_CLONES void round_f32(const float* __restrict x, float* __restrict y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = round_half_even(x[i]);
}

OJO_TENSOR_CLONES void clamp_f32(const float* __restrict x, float* __restrict y, int64_t n, float lo, float hi) {
  for (int64_t i = 0; i < n; ++i) y[i] = clamp_to(x[i], lo, hi);
}

}  // namespace ojo::kernels
