// Vectorised cvtColor rows (Highway, runtime dispatch to the best of SSSE3/SSE4/AVX2/AVX-512).
//
// RGB/BGR(A) -> gray, u8: the 15-bit fixed-point sum c0·x0 + c1·x1 + c2·x2 + 2^14 is formed with
// 16-bit multiply-add pairs (x0, x1)·(c0, c1) + (x2, 2^14)·(c2, 1) into 32-bit lanes, shifted by 15
// and packed back to bytes: the same integers as the reference loop, so the result is identical.
// The pair trick works per 128-bit block (interleave lower/upper halves, then pack), so the lane
// order comes out right on every target.
//
// HSV -> RGB, RGB -> HLS, HLS -> RGB, u8: the "simd" models of color_hsv.cpp (OpenCV's AVX2 FMA
// blocks), one lane per pixel, with the same operations in the same order: FMA where the model
// has std::fma, separate multiply and add elsewhere (this file is built with -ffp-contract=off so
// the compiler fuses nothing of its own). Each IEEE operation rounds the same in a lane as in the
// scalar model, so the bytes are identical. Targets without hardware FMA (SSE2/SSSE3/SSE4) would
// need an exact FMA emulation; they return 0 and the reference rows do the work. The kernels stop
// at the end of the row's SIMD blocks (32 pixels for HSV -> RGB, 8 for HLS); the reference row
// finishes from there, tail model included. On AVX2 the four HSV/HLS conversions read and write
// the interleaved pixels eight at a time with byte shuffles per 128-bit half (MapPixelsU8; 25-40%
// faster than deinterleaving 32 pixels through stack arrays).
#include <cfloat>
#include <cstdint>
#include <cstring>
#include <utility>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "../src/ojo/imgproc/color_fast.cpp"  // found through include/
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/cache_control.h>
#include <hwy/highway.h>

#include "color_kernels.hpp"
#include "pixel_groups-inl.h"

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

#if HWY_TARGET != HWY_SCALAR
// RGB <-> BGR, gray -> RGB and RGB -> RGBA/BGRA in 16-pixel groups (pixel_groups-inl.h); -1 for
// the other combinations.
template <bool kStream>
int64_t ShuffleGroups(const uint8_t* src, uint8_t* dst, int64_t n, int scn, int dcn, bool swap) {
  namespace pg = pixel_groups::HWY_NAMESPACE;
  constexpr int64_t G = pg::kGroupLanes;
  int64_t i = 0;
  if (scn == 3 && dcn == 3 && swap) {
    for (; i + G <= n; i += G) pg::Swap3<kStream>(src + 3 * i, dst + 3 * i);
  } else if (scn == 1 && dcn == 3) {
    for (; i + G <= n; i += G) pg::Gray3<kStream>(hn::LoadU(pg::GroupTag(), src + i), dst + 3 * i);
  } else if (scn == 3 && dcn == 4) {
    const auto order = pg::Table(pixel_groups::kTables.widen[swap ? 1 : 0]);
    const auto opaque = pg::Table(pixel_groups::kTables.alpha);
    for (; 3 * (i + G / 4) + 4 <= 3 * n; i += G / 4) pg::Widen3To4<kStream>(src + 3 * i, dst + 4 * i, order, opaque);
  } else {
    return -1;
  }
  if (kStream) hwy::FlushStream();
  return i;
}
#endif

// Channel reorder / alpha add-drop (scn, dcn in {3, 4}), or gray -> 3/4 channels when scn == 1.
// `stream`: non-temporal stores where the group kernels run (dst aligned to 32 bytes).
int64_t ShuffleU8(const uint8_t* src, uint8_t* dst, int64_t n, int scn, int dcn, bool swap, bool stream) {
#if HWY_TARGET == HWY_SCALAR
  (void)src, (void)dst, (void)n, (void)scn, (void)dcn, (void)swap, (void)stream;
  return 0;
#else
  const int64_t grouped = stream ? ShuffleGroups<true>(src, dst, n, scn, dcn, swap)
                                 : ShuffleGroups<false>(src, dst, n, scn, dcn, swap);
  if (grouped >= 0) return grouped;
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

#if HWY_TARGET == HWY_AVX2
// u8 pixels with three (of scn) channels in, three (+ opaque alpha when dcn == 4) out, computed in
// i32 lanes by `f(in0, in1, in2, out0, out1, out2)`; the outputs saturate to u8.
// AVX2: eight pixels per step straight from and to the interleaved rows. Each 128-bit half of a
// vector holds four pixels: one byte shuffle per half widens a channel to 32-bit lanes, and two
// packs (saturating) and one shuffle per half turn three channels back into four pixels.
template <class F>
int64_t MapPixelsU8(const uint8_t* src, int scn, uint8_t* dst, int dcn, int64_t limit, F f) {
  const hn::Full256<uint8_t> d8;
  const hn::Full128<uint8_t> d16b;  // one 128-bit half
  const hn::Full64<uint8_t> d8b;
  const hn::Full256<int32_t> di;
  constexpr uint8_t Z = 0x80;
  // Three channels: half 0 reads pixels 0-3 from bytes 0-11 of a 16-byte load at the first pixel,
  // half 1 pixels 4-7 from bytes 4-15 of one 8 bytes on (so that it ends with the eighth pixel).
  alignas(32) static constexpr uint8_t kWiden3[3][32] = {
      {0, Z, Z, Z, 3, Z, Z, Z, 6, Z, Z, Z, 9, Z, Z, Z, 4, Z, Z, Z, 7, Z, Z, Z, 10, Z, Z, Z, 13, Z, Z, Z},
      {1, Z, Z, Z, 4, Z, Z, Z, 7, Z, Z, Z, 10, Z, Z, Z, 5, Z, Z, Z, 8, Z, Z, Z, 11, Z, Z, Z, 14, Z, Z, Z},
      {2, Z, Z, Z, 5, Z, Z, Z, 8, Z, Z, Z, 11, Z, Z, Z, 6, Z, Z, Z, 9, Z, Z, Z, 12, Z, Z, Z, 15, Z, Z, Z}};
  alignas(16) static constexpr uint8_t kWiden4[3][16] = {{0, Z, Z, Z, 4, Z, Z, Z, 8, Z, Z, Z, 12, Z, Z, Z},
                                                         {1, Z, Z, Z, 5, Z, Z, Z, 9, Z, Z, Z, 13, Z, Z, Z},
                                                         {2, Z, Z, Z, 6, Z, Z, Z, 10, Z, Z, Z, 14, Z, Z, Z}};
  // After the packs a half holds out0 0-3, out1 0-3, out2 0-3, out2 0-3: per pixel, three bytes
  // (four channels: a zero fourth byte, OR-ed with 255).
  alignas(16) static constexpr uint8_t kPixels3[16] = {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11, Z, Z, Z, Z};
  alignas(16) static constexpr uint8_t kPixels4[16] = {0, 4, 8, Z, 1, 5, 9, Z, 2, 6, 10, Z, 3, 7, 11, Z};
  hn::Vec<decltype(d8)> widen[3];
  for (int c = 0; c < 3; ++c) widen[c] = scn == 3 ? hn::Load(d8, kWiden3[c]) : hn::LoadDup128(d8, kWiden4[c]);
  const auto gather = hn::LoadDup128(d8, dcn == 3 ? kPixels3 : kPixels4);
  const auto alpha = hn::BitCast(d8, hn::Set(hn::Full256<uint32_t>(), 0xff000000u));
  int64_t i = 0;
  for (; i + 8 <= limit; i += 8) {
    const uint8_t* S = src + i * scn;
    const auto raw = scn == 3 ? hn::Combine(d8, hn::LoadU(d16b, S + 8), hn::LoadU(d16b, S)) : hn::LoadU(d8, S);
    auto channel = [&](int c) { return hn::BitCast(di, hn::TableLookupBytesOr0(raw, widen[c])); };
    hn::Vec<decltype(di)> o0, o1, o2;
    f(channel(0), channel(1), channel(2), o0, o1, o2);
    const __m256i packed = _mm256_packus_epi16(_mm256_packs_epi32(o0.raw, o1.raw), _mm256_packs_epi32(o2.raw, o2.raw));
    const auto px = hn::TableLookupBytesOr0(hn::Vec<decltype(d8)>{packed}, gather);
    uint8_t* D = dst + i * dcn;
    if (dcn == 4) {
      hn::StoreU(hn::Or(px, alpha), d8, D);
    } else {  // 12 bytes per half: 16 + 8 + 4, each store rewriting what the one before wrote past 12
      hn::StoreU(hn::LowerHalf(d16b, px), d16b, D);
      const auto upper = hn::UpperHalf(d16b, px);
      hn::StoreU(hn::LowerHalf(d8b, upper), d8b, D + 12);
      const uint32_t last = hn::GetLane(hn::BitCast(hn::Full128<uint32_t>(), hn::ShiftRightBytes<8>(d16b, upper)));
      std::memcpy(D + 20, &last, 4);
    }
  }
  return i;
}
#elif HWY_TARGET != HWY_SCALAR
// u8 pixels with three (of scn) channels in, three (+ opaque alpha when dcn == 4) out, computed in
// i32 lanes by `f(in0, in1, in2, out0, out1, out2)`; the outputs saturate to u8.
template <class F>
int64_t MapPixelsU8(const uint8_t* src, int scn, uint8_t* dst, int dcn, int64_t limit, F f) {
  const hn::ScalableTag<uint8_t> d8;
  const hn::Half<decltype(d8)> dh;
  const hn::Half<decltype(dh)> dq;
  const hn::Rebind<int32_t, decltype(dq)> di;
  const int64_t N = static_cast<int64_t>(hn::Lanes(d8));
  const auto opaque = hn::Set(d8, uint8_t{255});
  auto to_i = [&](auto q) { return hn::PromoteTo(di, q); };
  int64_t i = 0;
  for (; i + N <= limit; i += N) {
    hn::Vec<decltype(d8)> a, b, c, alpha;
    if (scn == 3) hn::LoadInterleaved3(d8, src + i * 3, a, b, c);
    else hn::LoadInterleaved4(d8, src + i * 4, a, b, c, alpha);
    hn::Vec<decltype(dq)> out[3][4];
    auto quarter = [&](hn::Vec<decltype(d8)> v, int k) {
      const auto h = (k < 2) ? hn::LowerHalf(dh, v) : hn::UpperHalf(dh, v);
      return (k % 2 == 0) ? hn::LowerHalf(dq, h) : hn::UpperHalf(dq, h);
    };
    for (int k = 0; k < 4; ++k) {
      hn::Vec<decltype(di)> o0, o1, o2;
      f(to_i(quarter(a, k)), to_i(quarter(b, k)), to_i(quarter(c, k)), o0, o1, o2);
      out[0][k] = hn::DemoteTo(dq, o0), out[1][k] = hn::DemoteTo(dq, o1), out[2][k] = hn::DemoteTo(dq, o2);
    }
    auto join = [&](const hn::Vec<decltype(dq)>* q) {
      return hn::Combine(d8, hn::Combine(dh, q[3], q[2]), hn::Combine(dh, q[1], q[0]));
    };
    if (dcn == 3) hn::StoreInterleaved3(join(out[0]), join(out[1]), join(out[2]), d8, dst + i * 3);
    else hn::StoreInterleaved4(join(out[0]), join(out[1]), join(out[2]), opaque, d8, dst + i * 4);
  }
  return i;
}
#endif

// RGB -> HSV, integers as hsv_row_u8: S = (diff·sdiv[V] + 2^11) >> 12 and H from the sector
// formula times hdiv[diff]. The table entries round(255·2^12 / V) and round(hrange·2^12 / (6·diff))
// are recomputed per lane as a float division rounded to nearest: for every V and diff in 1..255
// that gives the same integers as the tables' double division (checked for all 3 x 255 entries;
// the all-colours test covers them too), and it is cheaper than two gathers. V = 0 or diff = 0
// divide by 1 instead; their products are 0 either way (diff = 0, and H's sector term is 0).
int64_t Rgb2HsvU8(const uint8_t* src, uint8_t* dst, int64_t n, int scn, int blue, int hrange) {
#if HWY_TARGET == HWY_SCALAR
  (void)src, (void)dst, (void)n, (void)scn, (void)blue, (void)hrange;
  return 0;
#else
  const hn::ScalableTag<int32_t> di;
  const hn::RebindToFloat<decltype(di)> df;
  const auto round = hn::Set(di, 1 << 11), hr = hn::Set(di, hrange), zero = hn::Zero(di);
  const auto one = hn::Set(di, 1);
  const auto six = hn::Set(df, 6.f);
  const auto snum = hn::Set(df, static_cast<float>(255 << 12)), hnum = hn::Set(df, static_cast<float>(hrange << 12));
  return MapPixelsU8(src, scn, dst, 3, n, [&](auto x0, auto x1, auto x2, auto& o0, auto& o1, auto& o2) {
    const auto b = blue == 0 ? x0 : x2, g = x1, r = blue == 0 ? x2 : x0;
    const auto v = hn::Max(hn::Max(b, g), r), diff = hn::Sub(v, hn::Min(hn::Min(b, g), r));
    const auto sdiv = hn::NearestInt(hn::Div(snum, hn::ConvertTo(df, hn::Max(v, one))));
    const auto hdiv = hn::NearestInt(hn::Div(hnum, hn::Mul(six, hn::ConvertTo(df, hn::Max(diff, one)))));
    const auto s = hn::ShiftRight<12>(hn::Add(hn::Mul(diff, sdiv), round));
    const auto diff2 = hn::Add(diff, diff);
    auto h = hn::IfThenElse(v == r, hn::Sub(g, b),
                            hn::IfThenElse(v == g, hn::Add(hn::Sub(b, r), diff2), hn::Add(hn::Sub(r, g), hn::Add(diff2, diff2))));
    h = hn::ShiftRight<12>(hn::Add(hn::Mul(h, hdiv), round));
    o0 = hn::Add(h, hn::IfThenElse(h < zero, hr, zero)), o1 = s, o2 = v;
  });
#endif
}

#if HWY_TARGET != HWY_SCALAR
// The HSV -> RGB "simd" model on float lanes: h in [0, hrange), s and v in 0..1 in; b, g, r in
// 0..1 out (t1 = v(1 - s), t2 = v·fma(-s, h', 1), t3 = v·fma(-s, 1 - h', 1), picked by sector).
template <class DF, class V>
HWY_INLINE void HsvToBgr(DF df, V h, V s, V v, float hscale, V& b, V& g, V& r) {
  const auto one = hn::Set(df, 1.f), c2 = hn::Set(df, 2.f), c3 = hn::Set(df, 3.f), c4 = hn::Set(df, 4.f);
  h = hn::Mul(h, hn::Set(df, hscale));
  const auto pre = hn::Trunc(h);
  h = hn::Sub(h, pre);
  const auto t0 = v, t1 = hn::Mul(v, hn::Sub(one, s));
  const auto t2 = hn::Mul(v, hn::NegMulAdd(s, h, one)), t3 = hn::Mul(v, hn::NegMulAdd(s, hn::Sub(one, h), one));
  const auto sector = hn::Sub(pre, hn::Mul(hn::Trunc(hn::Mul(pre, hn::Set(df, 1.f / 6.f))), hn::Set(df, 6.f)));
  b = hn::IfThenElse(sector < c2, t1, hn::IfThenElse(sector == c2, t3, hn::IfThenElse(sector <= c4, t0, t2)));
  g = hn::IfThenElse(sector < one, t3, hn::IfThenElse(sector <= c2, t0, hn::IfThenElse(sector == c3, t2, t1)));
  r = hn::IfThenElse(sector < one, t0,
                     hn::IfThenElse(sector == one, t2,
                                    hn::IfThenElse(sector <= c3, t1, hn::IfThenElse(sector == c4, t3, t0))));
}
#endif

#if HWY_TARGET == HWY_AVX2
// HSV -> RGB on AVX2 through MapPixelsU8 (eight pixels per step, no stack arrays); truncation is
// cvttps2dq, exact here since the values lie in [0, 255].
int64_t Hsv2RgbU8Avx2(const uint8_t* src, uint8_t* dst, int64_t limit, int dcn, int blue, float hscale) {
  const hn::Full256<float> df;
  const auto k255inv = hn::Set(df, 1.f / 255.f), k255 = hn::Set(df, 255.f);
  auto trunc_i = [&](auto x) { return hn::Vec256<int32_t>{_mm256_cvttps_epi32(hn::Mul(x, k255).raw)}; };
  return MapPixelsU8(src, 3, dst, dcn, limit, [&](auto hi, auto si, auto vi, auto& o0, auto& o1, auto& o2) {
    hn::Vec<decltype(df)> b, g, r;
    HsvToBgr(df, hn::ConvertTo(df, hi), hn::Mul(hn::ConvertTo(df, si), k255inv), hn::Mul(hn::ConvertTo(df, vi), k255inv),
             hscale, b, g, r);
    o0 = trunc_i(blue == 0 ? b : r), o1 = trunc_i(g), o2 = trunc_i(blue == 0 ? r : b);
  });
}
#endif

// HSV -> RGB blocks: t1 = v(1 - s), t2 = v·fma(-s, h, 1), t3 = v·fma(-s, 1 - h, 1), truncated ×255.
int64_t Hsv2RgbU8(const uint8_t* src, uint8_t* dst, int64_t limit, int dcn, int blue, float hscale) {
#if HWY_TARGET == HWY_SCALAR || !HWY_NATIVE_FMA
  (void)src, (void)dst, (void)limit, (void)dcn, (void)blue, (void)hscale;
  return 0;
#elif HWY_TARGET == HWY_AVX2
  return Hsv2RgbU8Avx2(src, dst, limit, dcn, blue, hscale);
#else
  // Three passes over blocks of pixels through small stack arrays (deinterleave and widen; the
  // arithmetic; narrow and interleave), which keeps the arithmetic's constants in registers.
  const hn::ScalableTag<float> df;
  const hn::RebindToSigned<decltype(df)> di;
  const hn::ScalableTag<uint8_t> d8;
  const hn::Rebind<uint8_t, decltype(df)> dq;  // a quarter of d8's lanes, one per float lane
  const int64_t N8 = static_cast<int64_t>(hn::Lanes(d8)), NF = static_cast<int64_t>(hn::Lanes(df));
  const auto k255inv = hn::Set(df, 1.f / 255.f), k255 = hn::Set(df, 255.f);
  const auto opaque = hn::Set(d8, uint8_t{255});
  const auto magic = hn::Set(df, 8388608.f);  // 2^23
  const auto imagic = hn::BitCast(di, magic);
  HWY_ALIGN uint8_t in[3][hn::MaxLanes(d8)], out[3][hn::MaxLanes(d8)];
  int64_t i = 0;
  for (; i + N8 <= limit; i += N8) {
    hn::Vec<decltype(d8)> hv, sv, vv;
    hn::LoadInterleaved3(d8, src + i * 3, hv, sv, vv);
    hn::Store(hv, d8, in[0]), hn::Store(sv, d8, in[1]), hn::Store(vv, d8, in[2]);
    for (int64_t k = 0; k < N8; k += NF) {
      const auto h = hn::ConvertTo(df, hn::PromoteTo(di, hn::Load(dq, in[0] + k)));
      const auto s = hn::Mul(hn::ConvertTo(df, hn::PromoteTo(di, hn::Load(dq, in[1] + k))), k255inv);
      const auto v = hn::Mul(hn::ConvertTo(df, hn::PromoteTo(di, hn::Load(dq, in[2] + k))), k255inv);
      hn::Vec<decltype(df)> b, g, r;
      HsvToBgr(df, h, s, v, hscale, b, g, r);
      // Truncation toward zero. The values lie in [0, 255]: 2^23 + trunc(x) holds the integer in
      // its low mantissa bits (cheaper than a checked float -> int conversion).
      auto to_u8 = [&](auto x) {
        return hn::DemoteTo(dq, hn::Sub(hn::BitCast(di, hn::Add(hn::Trunc(x), magic)), imagic));
      };
      const auto ob = to_u8(hn::Mul(b, k255)), og = to_u8(hn::Mul(g, k255)), orr = to_u8(hn::Mul(r, k255));
      hn::Store(blue == 0 ? ob : orr, dq, out[0] + k), hn::Store(og, dq, out[1] + k);
      hn::Store(blue == 0 ? orr : ob, dq, out[2] + k);
    }
    const auto o0 = hn::Load(d8, out[0]), o1 = hn::Load(d8, out[1]), o2 = hn::Load(d8, out[2]);
    if (dcn == 3) hn::StoreInterleaved3(o0, o1, o2, d8, dst + i * 3);
    else hn::StoreInterleaved4(o0, o1, o2, opaque, d8, dst + i * 4);
  }
  return i;
#endif
}

// RGB -> HLS blocks: H = fma(delta, 60/diff, sector base)·hscale; gray pixels get H = S = 0.
int64_t Rgb2HlsU8(const uint8_t* src, uint8_t* dst, int64_t limit, int scn, int blue, float hscale) {
#if HWY_TARGET == HWY_SCALAR || !HWY_NATIVE_FMA
  (void)src, (void)dst, (void)limit, (void)scn, (void)blue, (void)hscale;
  return 0;
#else
  const hn::ScalableTag<float> df;
  const auto k255inv = hn::Set(df, 1.f / 255.f), k255 = hn::Set(df, 255.f), half = hn::Set(df, 0.5f);
  const auto two = hn::Set(df, 2.f), eps = hn::Set(df, FLT_EPSILON), k60 = hn::Set(df, 60.f);
  const auto zero = hn::Zero(df), k120 = hn::Set(df, 120.f), k240 = hn::Set(df, 240.f), k360 = hn::Set(df, 360.f);
  const auto kscale = hn::Set(df, hscale);
  return MapPixelsU8(src, scn, dst, 3, limit, [&](auto x0, auto x1, auto x2, auto& o0, auto& o1, auto& o2) {
    const auto b = hn::Mul(hn::ConvertTo(df, blue == 0 ? x0 : x2), k255inv), g = hn::Mul(hn::ConvertTo(df, x1), k255inv),
               r = hn::Mul(hn::ConvertTo(df, blue == 0 ? x2 : x0), k255inv);
    const auto mx = hn::Max(hn::Max(r, g), b), mn = hn::Min(hn::Min(r, g), b);
    const auto diff = hn::Sub(mx, mn), sum = hn::Add(mx, mn), l = hn::Mul(sum, half);
    const auto colour = diff > eps;
    const auto s = hn::Div(diff, hn::IfThenElse(l < half, sum, hn::Sub(two, sum)));
    const auto rmax = mx == r, gmax = mx == g;
    const auto delta = hn::IfThenElse(rmax, hn::Sub(g, b), hn::IfThenElse(gmax, hn::Sub(b, r), hn::Sub(r, g)));
    const auto base = hn::IfThenElse(rmax, hn::IfThenElse(g < b, k360, zero), hn::IfThenElse(gmax, k120, k240));
    const auto h = hn::Mul(hn::MulAdd(delta, hn::Div(k60, diff), base), kscale);
    o0 = hn::NearestInt(hn::IfThenElseZero(colour, h));
    o1 = hn::NearestInt(hn::Mul(l, k255));
    o2 = hn::NearestInt(hn::Mul(hn::IfThenElseZero(colour, s), k255));
  });
#endif
}

// HLS -> RGB blocks: e0 = l·s or s - l·s, the two interpolated values with FMA, rounded ×255.
int64_t Hls2RgbU8(const uint8_t* src, uint8_t* dst, int64_t limit, int dcn, int blue, float hscale) {
#if HWY_TARGET == HWY_SCALAR || !HWY_NATIVE_FMA
  (void)src, (void)dst, (void)limit, (void)dcn, (void)blue, (void)hscale;
  return 0;
#else
  const hn::ScalableTag<float> df;
  const auto k255inv = hn::Set(df, 1.f / 255.f), k255 = hn::Set(df, 255.f), half = hn::Set(df, 0.5f);
  const auto ksixth = hn::Set(df, 1.f / 6.f), k6 = hn::Set(df, 6.f), kscale = hn::Set(df, hscale);
  const auto c1 = hn::Set(df, 1.f), c2 = hn::Set(df, 2.f), c4 = hn::Set(df, 4.f);
  return MapPixelsU8(src, 3, dst, dcn, limit, [&](auto hi, auto li, auto si, auto& o0, auto& o1, auto& o2) {
    const auto h = hn::ConvertTo(df, hi);
    const auto l = hn::Mul(hn::ConvertTo(df, li), k255inv), s = hn::Mul(hn::ConvertTo(df, si), k255inv);
    const auto ls = hn::Mul(l, s);
    const auto e0 = hn::IfThenElse(l <= half, ls, hn::Sub(s, ls));
    const auto raw = hn::Mul(h, kscale), pre = hn::Trunc(raw), hs = hn::Sub(raw, pre);
    const auto sector = hn::Sub(pre, hn::Mul(k6, hn::Trunc(hn::Mul(raw, ksixth))));
    const auto e1 = hn::Add(hs, hs);
    const auto t0 = hn::Add(l, e0), t1 = hn::Sub(l, e0);
    const auto t2 = hn::NegMulAdd(e0, e1, t0), t3 = hn::MulAdd(e0, e1, t1);
    const auto b = hn::IfThenElse(sector < c2, t1, hn::IfThenElse(sector <= c2, t3, hn::IfThenElse(sector <= c4, t0, t2)));
    const auto g = hn::IfThenElse(sector < c1, t3, hn::IfThenElse(sector <= c2, t0, hn::IfThenElse(sector < c4, t2, t1)));
    const auto r = hn::IfThenElse(
        sector < c1, t0,
        hn::IfThenElse(sector < c2, t2, hn::IfThenElse(sector < c4, t1, hn::IfThenElse(sector <= c4, t3, t0))));
    const auto ob = hn::NearestInt(hn::Mul(b, k255)), og = hn::NearestInt(hn::Mul(g, k255)),
               orr = hn::NearestInt(hn::Mul(r, k255));
    o0 = blue == 0 ? ob : orr, o1 = og, o2 = blue == 0 ? orr : ob;
  });
#endif
}

}  // namespace ojo::color_detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace ojo::color_detail {

HWY_EXPORT(GrayRowU8);
HWY_EXPORT(ShuffleU8);
HWY_EXPORT(Rgb2HsvU8);
HWY_EXPORT(Hsv2RgbU8);
HWY_EXPORT(Rgb2HlsU8);
HWY_EXPORT(Hls2RgbU8);

int64_t shuffle_row_u8_fast(const uint8_t* src, uint8_t* dst, int64_t n, int scn, int dcn, bool swap, bool stream) {
  return HWY_DYNAMIC_DISPATCH(ShuffleU8)(src, dst, n, scn, dcn, swap, stream);
}

void gray_row_u8_fast(const uint8_t* src, uint8_t* dst, int64_t n, int scn, int c0, int c1, int c2) {
  const int64_t done = HWY_DYNAMIC_DISPATCH(GrayRowU8)(src, dst, n, scn, c0, c1, c2);
  src += done * scn;
  for (int64_t i = done; i < n; ++i, src += scn)
    dst[i] = static_cast<uint8_t>((src[0] * c0 + src[1] * c1 + src[2] * c2 + (1 << 14)) >> 15);
}

void hsv_row_u8_fast(const uint8_t* src, uint8_t* dst, int64_t n, const Conversion& c) {
  const int64_t done = HWY_DYNAMIC_DISPATCH(Rgb2HsvU8)(src, dst, n, c.scn, c.blue, c.hrange);
  hsv_row_u8(src + done * c.scn, dst + done * 3, n - done, c);
}

void hsv2rgb_row_u8_fast(const uint8_t* src, uint8_t* dst, int64_t n, const Conversion& c) {
  const float hscale = 6.0f / static_cast<float>(c.hrange);  // as hsv2rgb_row_u8
  hsv2rgb_row_u8(src, dst, n, c, HWY_DYNAMIC_DISPATCH(Hsv2RgbU8)(src, dst, n / 32 * 32, c.dcn, c.blue, hscale));
}

void hls_row_u8_fast(const uint8_t* src, uint8_t* dst, int64_t n, const Conversion& c) {
  const float hscale = static_cast<float>(c.hrange) / 360.f;  // as hls_row_u8
  hls_row_u8(src, dst, n, c, HWY_DYNAMIC_DISPATCH(Rgb2HlsU8)(src, dst, n / 8 * 8, c.scn, c.blue, hscale));
}

void hls2rgb_row_u8_fast(const uint8_t* src, uint8_t* dst, int64_t n, const Conversion& c) {
  const float hscale = 6.f / static_cast<float>(c.hrange);  // as hls2rgb_row_u8
  hls2rgb_row_u8(src, dst, n, c, HWY_DYNAMIC_DISPATCH(Hls2RgbU8)(src, dst, n / 8 * 8, c.dcn, c.blue, hscale));
}

}  // namespace ojo::color_detail
#endif
