// resize's vectorised passes (Highway, runtime dispatch); resize.cpp finishes the tails with its
// plain loops and holds the reference.
//
// LINEAR horizontal pass, 1, 3 or 4 channels: both taps of a destination pixel are adjacent source
// pixels, so one 8-byte load holds them (one 16-byte load, four gray pixels' taps); a byte shuffle
// lays the pairs (tap 0, tap 1) of each channel out as 16-bit words and a pairwise multiply-add
// with the weight pairs gives the exact int32 sums of the scalar loop.
// AREA (integer factors): the rows of a block are summed in u16 lanes (exact for up to 257 rows).
#include <cstdint>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "../src/ojo/imgproc/resize_fast.cpp"  // found through include/
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "resize_kernels.hpp"

HWY_BEFORE_NAMESPACE();
namespace ojo::resize_detail::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Byte shuffle indices; 0x80 makes a zero byte (the high byte of each 16-bit word).
constexpr uint8_t Z = 0x80;
alignas(16) constexpr uint8_t kC3First[16] = {0, Z, 3, Z, 1, Z, 4, Z, 2, Z, 5, Z, 8, Z, 11, Z};
alignas(16) constexpr uint8_t kC3MidLo[16] = {9, Z, 12, Z, 10, Z, 13, Z, Z, Z, Z, Z, Z, Z, Z, Z};
alignas(16) constexpr uint8_t kC3MidHi[16] = {Z, Z, Z, Z, Z, Z, Z, Z, 0, Z, 3, Z, 1, Z, 4, Z};
alignas(16) constexpr uint8_t kC3Last[16] = {2, Z, 5, Z, 8, Z, 11, Z, 9, Z, 12, Z, 10, Z, 13, Z};
alignas(16) constexpr uint8_t kC4[16] = {0, Z, 4, Z, 1, Z, 5, Z, 2, Z, 6, Z, 3, Z, 7, Z};

// Pairwise multiply-add of 16-bit words: lane i = a[2i] * b[2i] + a[2i+1] * b[2i+1].
template <class D32, class V16>
HWY_INLINE hn::Vec<D32> PairDot(D32 d32, V16 a, V16 b) {
  auto odd = hn::Zero(d32);
  const auto even = hn::ReorderWidenMulAccumulate(d32, a, b, hn::Zero(d32), odd);
  return hn::RearrangeToOddPlusEven(even, odd);
}

#if HWY_TARGET == HWY_SCALAR  // single lanes: no byte shuffles; the plain loop does it all
int64_t HResizeLinear(const uint8_t*, int32_t*, const int32_t*, const int16_t*, int64_t, int64_t, int64_t) {
  return 0;
}
#else
int64_t HResizeLinear(const uint8_t* S, int32_t* D, const int32_t* xofs, const int16_t* alpha, int64_t n,
                         int64_t cn, int64_t swidth) {
  const hn::Full128<uint8_t> d8;
  const hn::Full64<uint8_t> d8h;
  const hn::Full128<int16_t> d16;
  const hn::Full128<int32_t> d32;
  int64_t dx = 0;
  auto madd = [&](hn::Vec<decltype(d8)> pairs, int64_t at) {
    hn::StoreU(PairDot(d32, hn::BitCast(d16, pairs), hn::LoadU(d16, alpha + 2 * at)), d32, D + at);
  };
  if (cn == 1) {
    // Four destination pixels from one 16-byte window at xofs[dx]: their taps lie inside it while
    // xofs[dx + 3] - xofs[dx] <= 14 (upscaling, or shrinking by up to ~4.6x). The shuffle index of
    // pixel j is (o, Z, o + 1, Z) with o = xofs[dx + j] - xofs[dx], made in its 32-bit lane.
    const auto spread = hn::Set(d32, static_cast<int32_t>(0x80018000u));
#if HWY_TARGET == HWY_AVX2  // eight at a time: a window per 128-bit half
    const hn::Full256<uint8_t> d8w;
    const hn::Full256<int16_t> d16w;
    const hn::Full256<int32_t> d32w;
    const auto spread_w = hn::Set(d32w, static_cast<int32_t>(0x80018000u));
    for (; dx + 8 <= n && xofs[dx + 4] + 16 <= swidth && xofs[dx + 3] - xofs[dx] <= 14 &&
           xofs[dx + 7] - xofs[dx + 4] <= 14;
         dx += 8) {
      const auto x = hn::LoadU(d32w, xofs + dx);
      const auto off = hn::Sub(x, hn::Broadcast<0>(x));  // per half: minus its first offset
      const auto idx = hn::BitCast(d8w, hn::Add(hn::Or(off, hn::ShiftLeft<16>(off)), spread_w));
      const auto window = hn::Combine(d8w, hn::LoadU(d8, S + xofs[dx + 4]), hn::LoadU(d8, S + xofs[dx]));
      hn::StoreU(PairDot(d32w, hn::BitCast(d16w, hn::TableLookupBytesOr0(window, idx)), hn::LoadU(d16w, alpha + 2 * dx)),
                 d32w, D + dx);
    }
#endif
    for (; dx + 4 <= n && xofs[dx] + 16 <= swidth && xofs[dx + 3] - xofs[dx] <= 14; dx += 4) {
      const auto off = hn::Sub(hn::LoadU(d32, xofs + dx), hn::Set(d32, xofs[dx]));
      const auto idx = hn::BitCast(d8, hn::Add(hn::Or(off, hn::ShiftLeft<16>(off)), spread));
      madd(hn::TableLookupBytesOr0(hn::LoadU(d8, S + xofs[dx]), idx), dx);
    }
  } else if (cn == 4) {
    const auto idx = hn::Load(d8, kC4);
    for (; dx + 4 <= n && xofs[dx] + 8 <= swidth; dx += 4)
      madd(hn::TableLookupBytesOr0(hn::Combine(d8, hn::Zero(d8h), hn::LoadU(d8h, S + xofs[dx])), idx), dx);
  } else if (cn == 3) {
    const auto first = hn::Load(d8, kC3First), mid_lo = hn::Load(d8, kC3MidLo), mid_hi = hn::Load(d8, kC3MidHi),
               last = hn::Load(d8, kC3Last);
    for (; dx + 12 <= n && xofs[dx + 9] + 8 <= swidth; dx += 12) {
      const auto x = hn::Combine(d8, hn::LoadU(d8h, S + xofs[dx + 3]), hn::LoadU(d8h, S + xofs[dx]));
      const auto y = hn::Combine(d8, hn::LoadU(d8h, S + xofs[dx + 9]), hn::LoadU(d8h, S + xofs[dx + 6]));
      madd(hn::TableLookupBytesOr0(x, first), dx);
      madd(hn::Or(hn::TableLookupBytesOr0(x, mid_lo), hn::TableLookupBytesOr0(y, mid_hi)), dx + 4);
      madd(hn::TableLookupBytesOr0(y, last), dx + 8);
    }
  }
  return dx;
}
#endif

// ((S0 >> 4) * b0 >> 16) + ((S1 >> 4) * b1 >> 16), (+2) >> 2, saturated, in i32 lanes: the
// products fit (S >> 4 <= 32640, |b| <= 2048) and the arithmetic shifts are the scalar ones.
int64_t VResizeLinearU8(const int32_t* S0, const int32_t* S1, int16_t b0, int16_t b1, uint8_t* D, int64_t n) {
  const hn::ScalableTag<int32_t> d;
  const hn::Rebind<uint8_t, decltype(d)> d8;
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  const auto vb0 = hn::Set(d, b0), vb1 = hn::Set(d, b1), two = hn::Set(d, 2);
  int64_t x = 0;
  for (; x + N <= n; x += N) {
    const auto m0 = hn::ShiftRight<16>(hn::Mul(hn::ShiftRight<4>(hn::LoadU(d, S0 + x)), vb0));
    const auto m1 = hn::ShiftRight<16>(hn::Mul(hn::ShiftRight<4>(hn::LoadU(d, S1 + x)), vb1));
    hn::StoreU(hn::DemoteTo(d8, hn::ShiftRight<2>(hn::Add(hn::Add(m0, m1), two))), d8, D + x);
  }
  return x;
}

int64_t SumRowsU8(const uint8_t* src, int64_t step, int64_t nrows, uint16_t* out, int64_t n) {
  const hn::ScalableTag<uint16_t> d;
  const hn::Rebind<uint8_t, decltype(d)> d8;
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  int64_t x = 0;
  for (; x + N <= n; x += N) {
    auto acc = hn::PromoteTo(d, hn::LoadU(d8, src + x));
    for (int64_t r = 1; r < nrows; ++r) acc = hn::Add(acc, hn::PromoteTo(d, hn::LoadU(d8, src + r * step + x)));
    hn::StoreU(acc, d, out + x);
  }
  return x;
}

}  // namespace ojo::resize_detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace ojo::resize_detail {
HWY_EXPORT(HResizeLinear);
HWY_EXPORT(SumRowsU8);
HWY_EXPORT(VResizeLinearU8);
int64_t vresize_linear_u8_fast(const int32_t* S0, const int32_t* S1, int16_t b0, int16_t b1, uint8_t* D, int64_t n) {
  return HWY_DYNAMIC_DISPATCH(VResizeLinearU8)(S0, S1, b0, b1, D, n);
}
int64_t hresize_linear_fast(const uint8_t* S, int32_t* D, const int32_t* xofs, const int16_t* alpha, int64_t n,
                                int64_t cn, int64_t swidth) {
  return HWY_DYNAMIC_DISPATCH(HResizeLinear)(S, D, xofs, alpha, n, cn, swidth);
}
int64_t sum_rows_u8_fast(const uint8_t* src, int64_t step, int64_t nrows, uint16_t* out, int64_t n) {
  return HWY_DYNAMIC_DISPATCH(SumRowsU8)(src, step, nrows, out, n);
}
}  // namespace ojo::resize_detail
#endif
