// exp of float32 without the C library, in plain arithmetic the compiler vectorises: the C
// library's expf is one call per element (5× PyTorch's vectorised exp on 10^6 elements). Built
// with -ffp-contract=off (src/CMakeLists.txt): no fused multiply-add, so the AVX-512, AVX2 and
// baseline clones give the same bits.
#include "exp.hpp"

#include <algorithm>
#include <bit>

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
#define OJO_EXP_CLONES __attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
#else
#define OJO_EXP_CLONES
#endif

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

}  // namespace

OJO_EXP_CLONES void exp_f32(const float* __restrict x, float* __restrict y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = exp_one(x[i]);
}

OJO_EXP_CLONES void sigmoid_f32(const float* __restrict x, float* __restrict y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] = 1.0f / (1.0f + exp_one(-x[i]));
}

}  // namespace ojo::kernels
