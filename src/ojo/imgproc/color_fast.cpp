// Vectorised cvtColor rows (Highway, runtime dispatch to the best of SSSE3/SSE4/AVX2/AVX-512).
//
// RGB/BGR(A) -> gray, u8: the 15-bit fixed-point sum c0·x0 + c1·x1 + c2·x2 + 2^14 is formed with
// 16-bit multiply-add pairs (x0, x1)·(c0, c1) + (x2, 2^14)·(c2, 1) into 32-bit lanes, shifted by 15
// and packed back to bytes: the same integers as the reference loop, so the result is identical.
// The pair trick works per 128-bit block (interleave lower/upper halves, then pack), so the lane
// order comes out right on every target.
#include <cstdint>
#include <utility>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "../src/ojo/imgproc/color_fast.cpp"  // found through include/
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "color_kernels.hpp"

HWY_BEFORE_NAMESPACE();
namespace ojo::color_detail::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Returns how many pixels it converted (a multiple of the vector width); the caller finishes.
int64_t GrayRowU8(const uint8_t* src, uint8_t* dst, int64_t n, int scn, int c0, int c1, int c2) {
#if HWY_TARGET == HWY_SCALAR
  (void)src, (void)dst, (void)n, (void)scn, (void)c0, (void)c1, (void)c2;
  return 0;  // one lane: the caller's scalar loop does it all
#else
  const hn::ScalableTag<uint8_t> d8;
  const hn::Half<decltype(d8)> d8h;
  const hn::Repartition<int16_t, decltype(d8)> d16;  // N8/2 lanes
  const hn::Repartition<int32_t, decltype(d8)> d32;
  const hn::RebindToUnsigned<decltype(d16)> du16;
  const int64_t N = static_cast<int64_t>(hn::Lanes(d8));
  // (c0, c1) pairs and (c2, 1) pairs as i16 lanes.
  const auto k01 = hn::BitCast(d16, hn::Set(d32, static_cast<int32_t>((static_cast<uint32_t>(c1) << 16) | static_cast<uint32_t>(c0))));
  const auto k21 = hn::BitCast(d16, hn::Set(d32, static_cast<int32_t>((1u << 16) | static_cast<uint32_t>(c2))));
  const auto half = hn::Set(d16, static_cast<int16_t>(1 << 14));
  int64_t i = 0;
  for (; i + N <= n; i += N) {
    hn::Vec<decltype(d8)> x0, x1, x2, x3;
    if (scn == 3) hn::LoadInterleaved3(d8, src + i * 3, x0, x1, x2);
    else hn::LoadInterleaved4(d8, src + i * 4, x0, x1, x2, x3);
    auto convert_half = [&](auto a8, auto b8, auto c8) {  // N8/2 pixels from half vectors
      const auto a = hn::BitCast(d16, hn::PromoteTo(du16, a8));
      const auto b = hn::BitCast(d16, hn::PromoteTo(du16, b8));
      const auto c = hn::BitCast(d16, hn::PromoteTo(du16, c8));
      auto sum1 = hn::Zero(d32), sum1b = hn::Zero(d32);
      auto lo = hn::ReorderWidenMulAccumulate(d32, hn::InterleaveLower(d16, a, b), k01, hn::Zero(d32), sum1);
      lo = hn::ReorderWidenMulAccumulate(d32, hn::InterleaveLower(d16, c, half), k21, lo, sum1);
      lo = hn::RearrangeToOddPlusEven(lo, sum1);
      auto hi = hn::ReorderWidenMulAccumulate(d32, hn::InterleaveUpper(d16, a, b), k01, hn::Zero(d32), sum1b);
      hi = hn::ReorderWidenMulAccumulate(d32, hn::InterleaveUpper(d16, c, half), k21, hi, sum1b);
      hi = hn::RearrangeToOddPlusEven(hi, sum1b);
      const auto y16 = hn::ReorderDemote2To(d16, hn::ShiftRight<15>(lo), hn::ShiftRight<15>(hi));
      return hn::DemoteTo(d8h, y16);
    };
    hn::StoreU(convert_half(hn::LowerHalf(d8h, x0), hn::LowerHalf(d8h, x1), hn::LowerHalf(d8h, x2)), d8h, dst + i);
    hn::StoreU(convert_half(hn::UpperHalf(d8h, x0), hn::UpperHalf(d8h, x1), hn::UpperHalf(d8h, x2)), d8h,
               dst + i + N / 2);
  }
  return i;
#endif
}

// Channel reorder / alpha add-drop (scn, dcn in {3, 4}), or gray -> 3/4 channels when scn == 1.
int64_t ShuffleU8(const uint8_t* src, uint8_t* dst, int64_t n, int scn, int dcn, bool swap) {
#if HWY_TARGET == HWY_SCALAR
  (void)src, (void)dst, (void)n, (void)scn, (void)dcn, (void)swap;
  return 0;
#else
  const hn::ScalableTag<uint8_t> d;
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  const auto opaque = hn::Set(d, uint8_t{255});
  int64_t i = 0;
  for (; i + N <= n; i += N) {
    hn::Vec<decltype(d)> a, b, c, e = opaque;
    if (scn == 1) a = b = c = hn::LoadU(d, src + i);
    else if (scn == 3) hn::LoadInterleaved3(d, src + i * 3, a, b, c);
    else hn::LoadInterleaved4(d, src + i * 4, a, b, c, e);
    if (swap) std::swap(a, c);
    if (dcn == 3) hn::StoreInterleaved3(a, b, c, d, dst + i * 3);
    else hn::StoreInterleaved4(a, b, c, e, d, dst + i * 4);
  }
  return i;
#endif
}

}  // namespace ojo::color_detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace ojo::color_detail {

HWY_EXPORT(GrayRowU8);
HWY_EXPORT(ShuffleU8);

int64_t shuffle_row_u8_fast(const uint8_t* src, uint8_t* dst, int64_t n, int scn, int dcn, bool swap) {
  return HWY_DYNAMIC_DISPATCH(ShuffleU8)(src, dst, n, scn, dcn, swap);
}

void gray_row_u8_fast(const uint8_t* src, uint8_t* dst, int64_t n, int scn, int c0, int c1, int c2) {
  const int64_t done = HWY_DYNAMIC_DISPATCH(GrayRowU8)(src, dst, n, scn, c0, c1, c2);
  src += done * scn;
  for (int64_t i = done; i < n; ++i, src += scn)
    dst[i] = static_cast<uint8_t>((src[0] * c0 + src[1] * c1 + src[2] * c2 + (1 << 14)) >> 15);
}

void hsv_row_u8_fast(const uint8_t* src, uint8_t* dst, int64_t n, const Conversion& c) {
  hsv_row_u8(src, dst, n, c);
}

}  // namespace ojo::color_detail
#endif
