// max_pool2d with 2×2 windows and stride 2 on float planes (Highway): even and odd columns are
// split apart, the four window elements are compared in the definition's order (row by row, a
// strictly greater value or a NaN takes over), and the winner's position 0..3 is kept per lane.
#include <cmath>
#include <cstdint>
#include <vector>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "../src/ojo/nn/pool_fast.cpp"  // found through include/
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "pool_fast.hpp"

HWY_BEFORE_NAMESPACE();
namespace ojo::nn::pool_detail::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET != HWY_SCALAR  // no even/odd split there: the caller's element loop does it all
// Outputs [ox, ox + Lanes(d)) of one output row.
template <class D, class DI>
HWY_INLINE void MaxPoolVector(D d, DI di, const float* r0, const float* r1, float* y, int32_t* position, int64_t ox,
                              bool relu) {
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  const auto load = [&](const float* p) {
    const auto v = hn::LoadU(d, p);
    return relu ? hn::IfThenZeroElse(hn::Lt(v, hn::Zero(d)), v) : v;  // NaN is not below zero: it stays
  };
  const auto a0 = load(r0 + 2 * ox), a1 = load(r0 + 2 * ox + N);
  const auto b0 = load(r1 + 2 * ox), b1 = load(r1 + 2 * ox + N);
  const decltype(a0) candidates[3] = {hn::ConcatOdd(d, a1, a0), hn::ConcatEven(d, b1, b0), hn::ConcatOdd(d, b1, b0)};
  auto best = hn::ConcatEven(d, a1, a0);
  auto at = hn::Zero(di);
  for (int k = 0; k < 3; ++k) {
    const auto wins = hn::Or(hn::Gt(candidates[k], best), hn::IsNaN(candidates[k]));
    best = hn::IfThenElse(wins, candidates[k], best);
    at = hn::IfThenElse(hn::RebindMask(di, wins), hn::Set(di, k + 1), at);
  }
  hn::StoreU(best, d, y + ox);
  if (position) hn::StoreU(at, di, position + ox);
}

// Outputs [0, done) of one output row with vectors of tag d; the last vector overlaps the one
// before it instead of leaving a tail (outputs computed twice are the same). Returns done.
template <class D>
HWY_INLINE int64_t MaxPoolRowWith(D d, const float* r0, const float* r1, float* y, int32_t* position, int64_t ow,
                                  bool relu) {
  const hn::RebindToSigned<D> di;
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  if (ow < N) return 0;
  int64_t ox = 0;
  for (; ox + N <= ow; ox += N) MaxPoolVector(d, di, r0, r1, y, position, ox, relu);
  if (ox < ow) MaxPoolVector(d, di, r0, r1, y, position, ow - N, relu);
  return ow;
}
#endif

// Outputs [0, done) of one output row (`position` may be null); returns done.
int64_t MaxPoolRow(const float* r0, const float* r1, float* y, int32_t* position, int64_t ow, bool relu) {
#if HWY_TARGET == HWY_SCALAR  // no even/odd split there: the caller's element loop does it all
  (void)r0, (void)r1, (void)y, (void)position, (void)ow, (void)relu;
  return 0;
#else
  // The widest vectors the row holds (TinyVGG's pooled rows are 14 and 7 wide).
  if (const int64_t done = MaxPoolRowWith(hn::ScalableTag<float>(), r0, r1, y, position, ow, relu)) return done;
  if (const int64_t done = MaxPoolRowWith(hn::CappedTag<float, 8>(), r0, r1, y, position, ow, relu)) return done;
  return MaxPoolRowWith(hn::CappedTag<float, 4>(), r0, r1, y, position, ow, relu);
#endif
}

// Outputs [0, done) of rows [0, oh) without positions (rows of x `w` apart, of y `ow` apart): one
// dispatched call for a block of rows; returns done.
int64_t MaxPoolRows(const float* x, int64_t w, int64_t oh, float* y, int64_t ow, bool relu) {
  int64_t done = 0;
  for (int64_t oy = 0; oy < oh; ++oy)
    done = MaxPoolRow(x + 2 * oy * w, x + (2 * oy + 1) * w, y + oy * ow, nullptr, ow, relu);
  return done;
}

}  // namespace ojo::nn::pool_detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace ojo::nn::pool_detail {
HWY_EXPORT(MaxPoolRow);
HWY_EXPORT(MaxPoolRows);

void max_pool_2x2(const float* x, int64_t w, int64_t oh, int64_t ow, float* y, int64_t* idx, bool relu) {
  thread_local std::vector<int32_t> position;
  if (static_cast<int64_t>(position.size()) < ow) position.resize(static_cast<size_t>(ow));
  // Outputs [from, ow) of output row oy, element by element in the vectors' order (rows too short
  // for a vector, or the scalar target).
  const auto by_element = [&](int64_t oy, int64_t from) {
    const float *r0 = x + 2 * oy * w, *r1 = r0 + w;
    for (int64_t ox = from; ox < ow; ++ox) {
      float v[4] = {r0[2 * ox], r0[2 * ox + 1], r1[2 * ox], r1[2 * ox + 1]};
      for (float& e : v) e = relu && e < 0.0f ? 0.0f : e;
      int32_t k = 0;
      for (int32_t c = 1; c < 4; ++c)
        if (v[c] > v[k] || std::isnan(v[c])) k = c;
      y[oy * ow + ox] = v[k];
      position[ox] = k;
    }
  };
  if (!idx) {
    const int64_t done = oh > 0 ? HWY_DYNAMIC_DISPATCH(MaxPoolRows)(x, w, oh, y, ow, relu) : ow;
    for (int64_t oy = 0; done < ow && oy < oh; ++oy) by_element(oy, done);
    return;
  }
  for (int64_t oy = 0; oy < oh; ++oy, idx += ow) {
    const int64_t row = 2 * oy * w;
    by_element(oy, HWY_DYNAMIC_DISPATCH(MaxPoolRow)(x + row, x + row + w, y + oy * ow, position.data(), ow, relu));
    for (int64_t i = 0; i < ow; ++i) idx[i] = row + 2 * i + (position[i] & 1) + (position[i] >> 1) * w;
  }
}
}  // namespace ojo::nn::pool_detail
#endif
