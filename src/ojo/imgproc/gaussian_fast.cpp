// GaussianBlur's 8-bit fixed-point passes (Highway, runtime dispatch); gaussian_blur.cpp finishes
// the tails with the plain loops and holds the reference.
//
// Row pass: out = kc * p[c] + sum_{j<c} k[j] * (p[j] + p[kw-1-j]) in u16 lanes, exact because the
// kernel sums to 256 so every partial sum is <= 255 * 256.
// Column pass: the exact value is (sum_i k[i] * r[i] + 2^15) >> 16 with r[i] <= 65280, a 32-bit
// sum. Splitting each row value as r = 256 * hi + lo keeps it in u16 lanes: A = sum k * hi and
// B = sum k * lo are each <= 65280, and (256 A + B + 2^15) >> 16 == (A + (B >> 8) + 128) >> 8,
// where A + (B >> 8) <= sum k * r / 256 <= 65280, so nothing overflows. The kernel is symmetric,
// so mirrored taps are added before the multiply (hi + hi' <= 510, likewise lo).
#include <cstdint>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "../src/ojo/imgproc/gaussian_fast.cpp"  // found through include/
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "gaussian_kernels.hpp"

HWY_BEFORE_NAMESPACE();
namespace ojo::gauss_detail::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

int64_t GaussRowU8(const uint8_t* p, uint16_t* out, int64_t n, const uint16_t* k, int64_t kw, int64_t step) {
  const hn::ScalableTag<uint16_t> d;
  const hn::Rebind<uint8_t, decltype(d)> d8;
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  const int64_t c = kw / 2;
  const uint8_t* pc = p + c * step;
  const auto kc = hn::Set(d, k[c]);
  int64_t x = 0;
  for (; x + N <= n; x += N) {
    auto acc = hn::Mul(hn::PromoteTo(d, hn::LoadU(d8, pc + x)), kc);
    for (int64_t j = 0; j < c; ++j) {
      const auto a = hn::PromoteTo(d, hn::LoadU(d8, p + j * step + x));
      const auto b = hn::PromoteTo(d, hn::LoadU(d8, p + (kw - 1 - j) * step + x));
      acc = hn::Add(acc, hn::Mul(hn::Add(a, b), hn::Set(d, k[j])));
    }
    hn::StoreU(acc, d, out + x);
  }
  return x;
}

int64_t GaussColU8(const uint16_t* const* rows, const uint16_t* k, int64_t kh, uint8_t* out, int64_t n) {
  const hn::ScalableTag<uint16_t> d;
  const hn::RebindToSigned<decltype(d)> di;
  const hn::Rebind<uint8_t, decltype(d)> d8;
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  const int64_t c = kh / 2;
  const auto low = hn::Set(d, 0xFF), half = hn::Set(d, 128), kc = hn::Set(d, k[c]);
  const uint16_t* rc = rows[c];
  int64_t x = 0;
  for (; x + N <= n; x += N) {
    const auto r = hn::LoadU(d, rc + x);
    auto hi = hn::Mul(hn::ShiftRight<8>(r), kc);
    auto lo = hn::Mul(hn::And(r, low), kc);
    for (int64_t j = 0; j < c; ++j) {
      const auto a = hn::LoadU(d, rows[j] + x), b = hn::LoadU(d, rows[kh - 1 - j] + x);
      const auto kj = hn::Set(d, k[j]);
      hi = hn::Add(hi, hn::Mul(hn::Add(hn::ShiftRight<8>(a), hn::ShiftRight<8>(b)), kj));
      lo = hn::Add(lo, hn::Mul(hn::Add(hn::And(a, low), hn::And(b, low)), kj));
    }
    const auto v = hn::ShiftRight<8>(hn::Add(hn::Add(hi, hn::ShiftRight<8>(lo)), half));
    hn::StoreU(hn::DemoteTo(d8, hn::BitCast(di, v)), d8, out + x);
  }
  return x;
}

}  // namespace ojo::gauss_detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace ojo::gauss_detail {
HWY_EXPORT(GaussRowU8);
HWY_EXPORT(GaussColU8);
int64_t gauss_row_u8_fast(const uint8_t* p, uint16_t* out, int64_t n, const uint16_t* k, int64_t kw, int64_t step) {
  return HWY_DYNAMIC_DISPATCH(GaussRowU8)(p, out, n, k, kw, step);
}
int64_t gauss_col_u8_fast(const uint16_t* const* rows, const uint16_t* k, int64_t kh, uint8_t* out, int64_t n) {
  return HWY_DYNAMIC_DISPATCH(GaussColU8)(rows, k, kh, out, n);
}
}  // namespace ojo::gauss_detail
#endif
