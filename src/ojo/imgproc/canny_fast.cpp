// Canny's row kernels (Highway, runtime dispatch); canny.cpp's plain loops finish each row.
//
// Colour magnitude: per pixel, the magnitude of each of the three channels (|dx| + |dy| or
// dx^2 + dy^2 in 32 bits) and the derivatives of the strongest one, the first channel winning ties.
// Suppression: the scalar test's three direction cases are all evaluated per lane (the same int32
// arithmetic, wrapping alike) and the one that applies is selected; strong pixels are reported
// as indices.
#include <cstdint>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "../src/ojo/imgproc/canny_fast.cpp"  // found through include/
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "canny_kernels.hpp"

HWY_BEFORE_NAMESPACE();
namespace ojo::canny_detail::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

int64_t MagnitudeC3(const int16_t* dx, const int16_t* dy, int64_t W, bool l2, int32_t* mag, int16_t* sdx,
                    int16_t* sdy) {
  const hn::ScalableTag<int32_t> d;
  const hn::Rebind<int16_t, decltype(d)> d16;
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  int64_t j = 0;
  for (; j + N <= W; j += N) {
    hn::Vec<decltype(d16)> a0, a1, a2, b0, b1, b2;
    hn::LoadInterleaved3(d16, dx + 3 * j, a0, a1, a2);
    hn::LoadInterleaved3(d16, dy + 3 * j, b0, b1, b2);
    auto bx = hn::PromoteTo(d, a0), by = hn::PromoteTo(d, b0);
    auto norm = [&](hn::Vec<decltype(d)> x, hn::Vec<decltype(d)> y) {
      return l2 ? hn::Add(hn::Mul(x, x), hn::Mul(y, y)) : hn::Add(hn::Abs(x), hn::Abs(y));
    };
    auto best = norm(bx, by);
    auto take = [&](hn::Vec<decltype(d16)> a, hn::Vec<decltype(d16)> b) {
      const auto x = hn::PromoteTo(d, a), y = hn::PromoteTo(d, b);
      const auto m = norm(x, y);
      const auto gt = hn::Gt(m, best);
      best = hn::IfThenElse(gt, m, best);
      bx = hn::IfThenElse(gt, x, bx);
      by = hn::IfThenElse(gt, y, by);
    };
    take(a1, b1);
    take(a2, b2);
    hn::StoreU(best, d, mag + j);
    hn::StoreU(hn::DemoteTo(d16, bx), d16, sdx + j);
    hn::StoreU(hn::DemoteTo(d16, by), d16, sdy + j);
  }
  return j;
}

int64_t SuppressRow(const int32_t* mp, const int32_t* ma, const int32_t* mn, const int16_t* dx, const int16_t* dy,
                    int64_t W, int32_t low, int32_t high, uint8_t* map, int32_t* strong, int64_t* nstrong) {
  const hn::ScalableTag<int32_t> d;
  const hn::Rebind<int16_t, decltype(d)> d16;
  const hn::Rebind<uint8_t, decltype(d)> d8;
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  const auto vlow = hn::Set(d, low), vhigh = hn::Set(d, high), tg22 = hn::Set(d, 13573);
  const auto one = hn::Set(d, 1), two = hn::Set(d, 2), zero = hn::Zero(d);
  int64_t j = 0, ns = 0;
  for (; j + N <= W; j += N) {
    const auto m = hn::LoadU(d, ma + j);
    const auto above_low = hn::Gt(m, vlow);
    if (hn::AllFalse(d, above_low)) {  // most of an image: nothing to test
      hn::StoreU(hn::DemoteTo(d8, one), d8, map + j);
      continue;
    }
    const auto xs = hn::PromoteTo(d, hn::LoadU(d16, dx + j)), ys = hn::PromoteTo(d, hn::LoadU(d16, dy + j));
    const auto x = hn::Abs(xs), y = hn::ShiftLeft<15>(hn::Abs(ys));
    const auto tg22x = hn::Mul(x, tg22);
    const auto tg67x = hn::Add(tg22x, hn::ShiftLeft<16>(x));
    const auto horizontal = hn::Lt(y, tg22x), vertical = hn::Gt(y, tg67x);
    const auto keep_h = hn::And(hn::Gt(m, hn::LoadU(d, ma + j - 1)), hn::Not(hn::Lt(m, hn::LoadU(d, ma + j + 1))));
    const auto keep_v = hn::And(hn::Gt(m, hn::LoadU(d, mp + j)), hn::Not(hn::Lt(m, hn::LoadU(d, mn + j))));
    // Diagonal: signs differ (s = -1): above right and below left; else above left and below right.
    const auto differ = hn::Lt(hn::Xor(xs, ys), zero);
    const auto up = hn::IfThenElse(differ, hn::LoadU(d, mp + j + 1), hn::LoadU(d, mp + j - 1));
    const auto down = hn::IfThenElse(differ, hn::LoadU(d, mn + j - 1), hn::LoadU(d, mn + j + 1));
    const auto keep_d = hn::And(hn::Gt(m, up), hn::Gt(m, down));
    const auto keep_vd = hn::Or(hn::And(vertical, keep_v), hn::AndNot(vertical, keep_d));
    const auto keep = hn::And(above_low, hn::Or(hn::And(horizontal, keep_h), hn::AndNot(horizontal, keep_vd)));
    const auto is_strong = hn::And(keep, hn::Gt(m, vhigh));
    const auto value = hn::IfThenElse(keep, hn::IfThenElseZero(is_strong, two), one);
    hn::StoreU(hn::DemoteTo(d8, value), d8, map + j);
    if (!hn::AllFalse(d, is_strong))
      ns += static_cast<int64_t>(hn::CompressStore(hn::Iota(d, static_cast<int32_t>(j)), is_strong, d, strong + ns));
  }
  *nstrong = ns;
  return j;
}

}  // namespace ojo::canny_detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace ojo::canny_detail {
HWY_EXPORT(MagnitudeC3);
HWY_EXPORT(SuppressRow);
int64_t suppress_row_fast(const int32_t* mp, const int32_t* ma, const int32_t* mn, const int16_t* dx, const int16_t* dy,
                          int64_t W, int32_t low, int32_t high, uint8_t* map, int32_t* strong, int64_t* nstrong) {
  return HWY_DYNAMIC_DISPATCH(SuppressRow)(mp, ma, mn, dx, dy, W, low, high, map, strong, nstrong);
}
int64_t magnitude_c3_fast(const int16_t* dx, const int16_t* dy, int64_t W, bool l2, int32_t* mag, int16_t* sdx,
                          int16_t* sdy) {
  return HWY_DYNAMIC_DISPATCH(MagnitudeC3)(dx, dy, W, l2, mag, sdx, sdy);
}
}  // namespace ojo::canny_detail
#endif
