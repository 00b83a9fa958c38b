// warpAffine's vectorised LINEAR and CUBIC pixels for 3 and 4 channels (Highway, runtime
// dispatch): one pixel per 128-bit vector. Each source row of its footprint (8 bytes for LINEAR:
// two taps of every channel; 16 for CUBIC: four taps) is shuffled into 16-bit pairs of
// neighbouring taps per channel and multiplied-added with the weight pairs (pmaddwd), which gives
// the scalar loop's exact 32-bit sums.
#include <cstdint>
#include <cstring>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "../src/ojo/imgproc/warp_affine_fast.cpp"  // found through include/
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "warp_kernels.hpp"

HWY_BEFORE_NAMESPACE();
namespace ojo::warp_detail::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Byte shuffles of (row 0 bytes 0-7, row 1 bytes 8-15) into 16-bit words (tap x, tap x+1) of
// channels 0-3 for row 0 ([0]) and row 1 ([1]); 0x80 gives the zero high bytes.
constexpr uint8_t Z = 0x80;
alignas(16) constexpr uint8_t kPairs3[2][16] = {{0, Z, 3, Z, 1, Z, 4, Z, 2, Z, 5, Z, Z, Z, Z, Z},
                                                {8, Z, 11, Z, 9, Z, 12, Z, 10, Z, 13, Z, Z, Z, Z, Z}};
alignas(16) constexpr uint8_t kPairs4[2][16] = {{0, Z, 4, Z, 1, Z, 5, Z, 2, Z, 6, Z, 3, Z, 7, Z},
                                                {8, Z, 12, Z, 9, Z, 13, Z, 10, Z, 14, Z, 11, Z, 15, Z}};

#if HWY_TARGET != HWY_SCALAR
// The run both kernels make: for x = x0, x0 + 1, ... while tap_at(x), D's pixel x gets
// (sums(x) + 2^14) >> 15 saturated to bytes (sums: one 32-bit lane per channel). Returns where
// the run stopped.
template <class TapAt, class Sums>
int64_t RunPixels(int64_t x0, int64_t n, int64_t cn, uint8_t* D, TapAt tap_at, Sums sums) {
  const hn::Full128<int32_t> d32;
  const hn::Rebind<uint8_t, decltype(d32)> d8q;  // 4 bytes
  const auto half = hn::Set(d32, 1 << 14);
  int64_t x = x0;
  bool tap = x < n && tap_at(x);  // pixel x's
  for (; tap; ++x) {
    const auto out = hn::DemoteTo(d8q, hn::ShiftRight<15>(hn::Add(sums(x), half)));
    tap = x + 1 < n && tap_at(x + 1);
    // A 4-byte store for 3 channels writes the next pixel's first byte: only when this kernel
    // writes that pixel too (BORDER_TRANSPARENT must leave the others as they are).
    if (cn == 4 || tap) {
      hn::StoreU(out, d8q, D + x * cn);
    } else {
      uint8_t last[4];
      hn::StoreU(out, d8q, last);
      std::memcpy(D + x * cn, last, 3);
    }
  }
  return x;
}
#endif

int64_t LinearRowC34(const uint8_t* S0, int64_t sw, int64_t sh, int64_t cn, const int* xs, const int* ys,
                     const int* as, const int16_t (*tab)[4], uint8_t* D, int64_t x0, int64_t n) {
#if HWY_TARGET == HWY_SCALAR
  (void)S0, (void)sw, (void)sh, (void)cn, (void)xs, (void)ys, (void)as, (void)tab, (void)D, (void)x0, (void)n;
  return -1;
#else
  const hn::Full128<uint8_t> d8;
  const hn::Full64<uint8_t> d8h;
  const hn::Full128<int16_t> d16;
  const hn::Full128<int32_t> d32;
  const int64_t step = sw * cn;
  const auto row0 = hn::Load(d8, cn == 3 ? kPairs3[0] : kPairs4[0]);
  const auto row1 = hn::Load(d8, cn == 3 ? kPairs3[1] : kPairs4[1]);
  auto tap_at = [&](int64_t x) { return linear_vector_tap(xs[x], ys[x], sw, sh, cn, step); };
  return RunPixels(x0, n, cn, D, tap_at, [&](int64_t x) {
    const uint8_t* S = S0 + ys[x] * step + xs[x] * cn;
    const auto taps = hn::Combine(d8, hn::LoadU(d8h, S + step), hn::LoadU(d8h, S));
    int32_t w01, w23;  // (w00, w01) and (w10, w11) as 16-bit pairs
    std::memcpy(&w01, tab[as[x]], 4);
    std::memcpy(&w23, tab[as[x]] + 2, 4);
    const auto p0 = hn::BitCast(d16, hn::TableLookupBytesOr0(taps, row0));
    const auto p1 = hn::BitCast(d16, hn::TableLookupBytesOr0(taps, row1));
    auto sum1 = hn::Zero(d32);
    auto sum = hn::ReorderWidenMulAccumulate(d32, p0, hn::BitCast(d16, hn::Set(d32, w01)), hn::Zero(d32), sum1);
    sum = hn::ReorderWidenMulAccumulate(d32, p1, hn::BitCast(d16, hn::Set(d32, w23)), sum, sum1);
    return hn::RearrangeToOddPlusEven(sum, sum1);
  });
#endif
}

// One CUBIC row (taps 0-3 of each channel) into 16-bit words (tap 0, tap 1) and (tap 2, tap 3):
// the first are kPairs[0]'s; the second kPairs4[1] for 4 channels, and for 3 these (bytes 6-11).
alignas(16) constexpr uint8_t kCubic3Hi[16] = {6, Z, 9, Z, 7, Z, 10, Z, 8, Z, 11, Z, Z, Z, Z, Z};

int64_t CubicRowC34(const uint8_t* S0, int64_t sw, int64_t sh, int64_t cn, const int* xs, const int* ys,
                    const int* as, const int16_t (*tab)[16], uint8_t* D, int64_t x0, int64_t n) {
#if HWY_TARGET == HWY_SCALAR
  (void)S0, (void)sw, (void)sh, (void)cn, (void)xs, (void)ys, (void)as, (void)tab, (void)D, (void)x0, (void)n;
  return -1;
#else
  const hn::Full128<uint8_t> d8;
  const hn::Full128<int16_t> d16;
  const hn::Full128<int32_t> d32;
  const int64_t step = sw * cn;
  const auto lo = hn::Load(d8, cn == 3 ? kPairs3[0] : kPairs4[0]);
  const auto hi = hn::Load(d8, cn == 3 ? kCubic3Hi : kPairs4[1]);
  auto tap_at = [&](int64_t x) { return cubic_vector_tap(xs[x] - 1, ys[x] - 1, sw, sh, cn, step); };
  return RunPixels(x0, n, cn, D, tap_at, [&](int64_t x) {
    const uint8_t* S = S0 + (ys[x] - 1) * step + (xs[x] - 1) * cn;
    // Weight pairs as 32-bit lanes: rows 0-1 in w01, rows 2-3 in w23, (w0, w1) then (w2, w3) per row.
    const auto w01 = hn::BitCast(d32, hn::LoadU(d16, tab[as[x]]));
    const auto w23 = hn::BitCast(d32, hn::LoadU(d16, tab[as[x]] + 8));
    auto sum0 = hn::Zero(d32), sum1 = hn::Zero(d32);
    auto row = [&](const uint8_t* R, decltype(w01) wa, decltype(w01) wb) {
      const auto taps = hn::LoadU(d8, R);
      sum0 = hn::ReorderWidenMulAccumulate(d32, hn::BitCast(d16, hn::TableLookupBytesOr0(taps, lo)),
                                           hn::BitCast(d16, wa), sum0, sum1);
      sum0 = hn::ReorderWidenMulAccumulate(d32, hn::BitCast(d16, hn::TableLookupBytesOr0(taps, hi)),
                                           hn::BitCast(d16, wb), sum0, sum1);
    };
    row(S, hn::Broadcast<0>(w01), hn::Broadcast<1>(w01));
    row(S + step, hn::Broadcast<2>(w01), hn::Broadcast<3>(w01));
    row(S + 2 * step, hn::Broadcast<0>(w23), hn::Broadcast<1>(w23));
    row(S + 3 * step, hn::Broadcast<2>(w23), hn::Broadcast<3>(w23));
    return hn::RearrangeToOddPlusEven(sum0, sum1);
  });
#endif
}

}  // namespace ojo::warp_detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace ojo::warp_detail {
HWY_EXPORT(LinearRowC34);
int64_t linear_row_c34_fast(const uint8_t* S0, int64_t sw, int64_t sh, int64_t cn, const int* xs, const int* ys,
                            const int* as, const int16_t (*tab)[4], uint8_t* D, int64_t x0, int64_t n) {
  return HWY_DYNAMIC_DISPATCH(LinearRowC34)(S0, sw, sh, cn, xs, ys, as, tab, D, x0, n);
}
HWY_EXPORT(CubicRowC34);
int64_t cubic_row_c34_fast(const uint8_t* S0, int64_t sw, int64_t sh, int64_t cn, const int* xs, const int* ys,
                           const int* as, const int16_t (*tab)[16], uint8_t* D, int64_t x0, int64_t n) {
  return HWY_DYNAMIC_DISPATCH(CubicRowC34)(S0, sw, sh, cn, xs, ys, as, tab, D, x0, n);
}
}  // namespace ojo::warp_detail
#endif
