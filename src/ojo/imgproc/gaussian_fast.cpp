// GaussianBlur's 8-bit fixed-point passes (Highway, runtime dispatch); gaussian_blur.cpp finishes
// the tails with the plain loops and holds the reference.
//
// The result (sum_i sum_j ky[i] kx[j] p + 2^15) >> 16 is an exact integer sum, so the passes may run
// in either order; gaussian_blur.cpp runs the vertical one first (u8 rows in, one u16 row out).
// 8-bit pass: out = kc * p[c] + sum_{j<c} k[j] * (p[j] + p[kw-1-j]) in u16 lanes, exact because the
// kernel sums to 256 so every partial sum is <= 255 * 256.
// 16-bit pass: the exact value is (sum_i k[i] * r[i] + 2^15) >> 16 with r[i] <= 65280, a 32-bit
// sum. Splitting each value as r = 256 * hi + lo keeps it in u16 lanes: A = sum k * hi and
// B = sum k * lo are each <= 65280, and (256 A + B + 2^15) >> 16 == (A + (B >> 8) + 128) >> 8,
// where A + (B >> 8) <= sum k * r / 256 <= 65280, so nothing overflows. The kernel is symmetric,
// so mirrored taps are added before the multiply (hi + hi' <= 510, likewise lo).
// Kernels whose values share factors 2^sx and 2^sy with sx + sy >= 8 (3x3 and 5x5 with sigma 0):
// with the factors taken out, the whole sum T = S / 2^(sx+sy) <= 255 * 2^(16-sx-sy) fits u16, and
// the result is (T + 2^(shift-1)) >> shift, shift = 16 - sx - sy; no split is needed.
// Each pass reads its taps through an array of pointers (rows) or one pointer and a step (a row).
#include <cstdint>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "../src/ojo/imgproc/gaussian_fast.cpp"  // found through include/
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "gaussian_kernels.hpp"

HWY_BEFORE_NAMESPACE();
namespace ojo::gauss_detail::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Tap t of output x is src[t][x]; k symmetric with taps (odd) values.
int64_t GaussSumU8(const uint8_t* const* src, const uint16_t* k, int64_t taps, uint16_t* out, int64_t n) {
  const hn::ScalableTag<uint16_t> d;
  const hn::Rebind<uint8_t, decltype(d)> d8;
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  const int64_t c = taps / 2;
  const uint8_t* pc = src[c];
  const auto kc = hn::Set(d, k[c]);
  int64_t x = 0;
  for (; x + N <= n; x += N) {
    auto acc = hn::Mul(hn::PromoteTo(d, hn::LoadU(d8, pc + x)), kc);
    for (int64_t j = 0; j < c; ++j) {
      const auto a = hn::PromoteTo(d, hn::LoadU(d8, src[j] + x));
      const auto b = hn::PromoteTo(d, hn::LoadU(d8, src[taps - 1 - j] + x));
      acc = hn::Add(acc, hn::Mul(hn::Add(a, b), hn::Set(d, k[j])));
    }
    hn::StoreU(acc, d, out + x);
  }
  return x;
}

// Tap t of output x is r[x + t * step].
int64_t GaussRoundU16(const uint16_t* r, int64_t step, const uint16_t* k, int64_t taps, uint8_t* out, int64_t n) {
  const hn::ScalableTag<uint16_t> d;
  const hn::RebindToSigned<decltype(d)> di;
  const hn::Rebind<uint8_t, decltype(d)> d8;
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  const int64_t c = taps / 2;
  const auto low = hn::Set(d, 0xFF), half = hn::Set(d, 128), kc = hn::Set(d, k[c]);
  const uint16_t* rc = r + c * step;
  int64_t x = 0;
  for (; x + N <= n; x += N) {
    const auto v = hn::LoadU(d, rc + x);
    auto hi = hn::Mul(hn::ShiftRight<8>(v), kc);
    auto lo = hn::Mul(hn::And(v, low), kc);
    for (int64_t j = 0; j < c; ++j) {
      const auto a = hn::LoadU(d, r + j * step + x), b = hn::LoadU(d, r + (taps - 1 - j) * step + x);
      const auto kj = hn::Set(d, k[j]);
      hi = hn::Add(hi, hn::Mul(hn::Add(hn::ShiftRight<8>(a), hn::ShiftRight<8>(b)), kj));
      lo = hn::Add(lo, hn::Mul(hn::Add(hn::And(a, low), hn::And(b, low)), kj));
    }
    const auto res = hn::ShiftRight<8>(hn::Add(hn::Add(hi, hn::ShiftRight<8>(lo)), half));
    hn::StoreU(hn::DemoteTo(d8, hn::BitCast(di, res)), d8, out + x);
  }
  return x;
}

// Tap t of output x is r[x + t * step]; k already divided by its power-of-two factor.
int64_t GaussShiftU16(const uint16_t* r, int64_t step, const uint16_t* k, int64_t taps, int shift, uint8_t* out,
                      int64_t n) {
  const hn::ScalableTag<uint16_t> d;
  const hn::RebindToSigned<decltype(d)> di;
  const hn::Rebind<uint8_t, decltype(d)> d8;
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  const int64_t c = taps / 2;
  const auto bias = hn::Set(d, static_cast<uint16_t>(shift > 0 ? 1 << (shift - 1) : 0)), kc = hn::Set(d, k[c]);
  const uint16_t* rc = r + c * step;
  int64_t x = 0;
  for (; x + N <= n; x += N) {
    auto acc = hn::Mul(hn::LoadU(d, rc + x), kc);
    for (int64_t j = 0; j < c; ++j) {
      const auto a = hn::LoadU(d, r + j * step + x), b = hn::LoadU(d, r + (taps - 1 - j) * step + x);
      acc = hn::Add(acc, hn::Mul(hn::Add(a, b), hn::Set(d, k[j])));
    }
    const auto res = hn::ShiftRightSame(hn::Add(acc, bias), shift);
    hn::StoreU(hn::DemoteTo(d8, hn::BitCast(di, res)), d8, out + x);
  }
  return x;
}

}  // namespace ojo::gauss_detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace ojo::gauss_detail {
HWY_EXPORT(GaussSumU8);
HWY_EXPORT(GaussRoundU16);
HWY_EXPORT(GaussShiftU16);
int64_t gauss_shift_u16_fast(const uint16_t* r, int64_t step, const uint16_t* k, int64_t taps, int shift, uint8_t* out,
                             int64_t n) {
  return HWY_DYNAMIC_DISPATCH(GaussShiftU16)(r, step, k, taps, shift, out, n);
}
int64_t gauss_sum_u8_fast(const uint8_t* const* src, const uint16_t* k, int64_t taps, uint16_t* out, int64_t n) {
  return HWY_DYNAMIC_DISPATCH(GaussSumU8)(src, k, taps, out, n);
}
int64_t gauss_round_u16_fast(const uint16_t* r, int64_t step, const uint16_t* k, int64_t taps, uint8_t* out, int64_t n) {
  return HWY_DYNAMIC_DISPATCH(GaussRoundU16)(r, step, k, taps, out, n);
}
}  // namespace ojo::gauss_detail
#endif
