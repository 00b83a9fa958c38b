// max_pool2d with 2×2 windows and stride 2 on float planes (Highway): even and odd columns are
// split apart, the four window elements are compared in the definition's order (row by row, a
// strictly greater value or a NaN takes over), and the winner's flat index is kept per lane.
#include <climits>
#include <cmath>
#include <cstdint>
#include <type_traits>
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
// Outputs [ox, ox + Lanes(d)) of one output row; with `index`, each maximum's flat index: `row`
// (that of the window row's first element) + its column.
template <class D, class DI>
HWY_INLINE void MaxPoolVector(D d, DI di, const float* r0, const float* r1, float* y, int32_t* index, int64_t ox,
                              bool relu, int32_t row, int32_t w) {
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  const auto load = [&](const float* p) {
    const auto v = hn::LoadU(d, p);
    return relu ? hn::IfThenZeroElse(hn::Lt(v, hn::Zero(d)), v) : v;  // NaN is not below zero: it stays
  };
  const auto a0 = load(r0 + 2 * ox), a1 = load(r0 + 2 * ox + N);
  const auto b0 = load(r1 + 2 * ox), b1 = load(r1 + 2 * ox + N);
  const decltype(a0) candidates[3] = {hn::ConcatOdd(d, a1, a0), hn::ConcatEven(d, b1, b0), hn::ConcatOdd(d, b1, b0)};
  const int32_t offset[3] = {1, w, w + 1};  // of each candidate in its window
  auto best = hn::ConcatEven(d, a1, a0);
  auto at = hn::Zero(di);
  for (int k = 0; k < 3; ++k) {
    const auto wins = hn::Or(hn::Gt(candidates[k], best), hn::IsNaN(candidates[k]));
    best = hn::IfThenElse(wins, candidates[k], best);
    at = hn::IfThenElse(hn::RebindMask(di, wins), hn::Set(di, offset[k]), at);
  }
  hn::StoreU(best, d, y + ox);
  if (index) {
    const auto column = hn::Add(hn::Set(di, static_cast<int32_t>(row + 2 * ox)), hn::ShiftLeft<1>(hn::Iota(di, 0)));
    hn::StoreU(hn::Add(column, at), di, index + ox);
  }
}

// Outputs [0, done) of one output row with vectors of tag d; the last vector overlaps the one
// before it instead of leaving a tail (outputs computed twice are the same). Returns done.
template <class D>
HWY_INLINE int64_t MaxPoolRowWith(D d, const float* r0, const float* r1, float* y, int32_t* index, int64_t ow,
                                  bool relu, int32_t row, int32_t w) {
  const hn::RebindToSigned<D> di;
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  if (ow < N) return 0;
  int64_t ox = 0;
  for (; ox + N <= ow; ox += N) MaxPoolVector(d, di, r0, r1, y, index, ox, relu, row, w);
  if (ox < ow) MaxPoolVector(d, di, r0, r1, y, index, ow - N, relu, row, w);
  return ow;
}
#endif

// Outputs [0, done) of one output row (`index` may be null; else the maxima's flat indices, the
// window row's first element's being `row`, rows `w` apart); returns done.
int64_t MaxPoolRow(const float* r0, const float* r1, float* y, int32_t* index, int64_t ow, bool relu, int32_t row,
                   int32_t w) {
#if HWY_TARGET == HWY_SCALAR  // no even/odd split there: the caller's element loop does it all
  (void)r0, (void)r1, (void)y, (void)index, (void)ow, (void)relu, (void)row, (void)w;
  return 0;
#else
  // The widest vectors the row holds (TinyVGG's pooled rows are 14 and 7 wide).
  if (const int64_t done = MaxPoolRowWith(hn::ScalableTag<float>(), r0, r1, y, index, ow, relu, row, w)) return done;
  if (const int64_t done = MaxPoolRowWith(hn::CappedTag<float, 8>(), r0, r1, y, index, ow, relu, row, w)) return done;
  return MaxPoolRowWith(hn::CappedTag<float, 4>(), r0, r1, y, index, ow, relu, row, w);
#endif
}

// Outputs [0, done) of rows [0, oh) without indices (rows of x `w` apart, of y `ow` apart): one
// dispatched call for a block of rows; returns done.
int64_t MaxPoolRows(const float* x, int64_t w, int64_t oh, float* y, int64_t ow, bool relu) {
  int64_t done = 0;
  for (int64_t oy = 0; oy < oh; ++oy)
    done = MaxPoolRow(x + 2 * oy * w, x + (2 * oy + 1) * w, y + oy * ow, nullptr, ow, relu, 0, 0);
  return done;
}

}  // namespace ojo::nn::pool_detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace ojo::nn::pool_detail {
HWY_EXPORT(MaxPoolRow);
HWY_EXPORT(MaxPoolRows);

namespace {
// Rows [0, oh) with each maximum's flat index, from x, plus `base`, into idx (Index: int32_t or
// int64_t; null for none); the vector kernel's int32 indices are widened where idx is wider.
template <class Index>
void max_pool_2x2_indexed(const float* x, int64_t w, int64_t oh, int64_t ow, float* y, Index* idx, int64_t base,
                          bool relu) {
  constexpr bool kInt32 = std::is_same_v<Index, int32_t>;  // straight into idx
  thread_local std::vector<int32_t> index;                 // else the kernel's indices, widened into idx
  if (!kInt32 && static_cast<int64_t>(index.size()) < ow) index.resize(static_cast<size_t>(ow));
  // The vector kernel's int32 indices hold the plane's (scalar loop otherwise).
  const bool vectors = base + 2 * oh * w <= INT32_MAX;
  for (int64_t oy = 0; oy < oh; ++oy) {
    const int64_t row = 2 * oy * w;
    const float *r0 = x + row, *r1 = r0 + w;
    Index* at = idx ? idx + oy * ow : nullptr;
    int32_t* into = !at ? nullptr : kInt32 ? reinterpret_cast<int32_t*>(at) : index.data();
    const int64_t done = vectors ? HWY_DYNAMIC_DISPATCH(MaxPoolRow)(r0, r1, y + oy * ow, into, ow, relu,
                                                                    static_cast<int32_t>(base + row),
                                                                    static_cast<int32_t>(w))
                                 : 0;
    for (int64_t i = 0; !kInt32 && at && i < done; ++i) at[i] = static_cast<Index>(index[i]);
    // Outputs [done, ow) element by element in the vectors' order (rows too short for a vector,
    // or the scalar target).
    for (int64_t ox = done; ox < ow; ++ox) {
      float v[4] = {r0[2 * ox], r0[2 * ox + 1], r1[2 * ox], r1[2 * ox + 1]};
      for (float& e : v) e = relu && e < 0.0f ? 0.0f : e;
      int32_t k = 0;
      for (int32_t c = 1; c < 4; ++c)
        if (v[c] > v[k] || std::isnan(v[c])) k = c;
      y[oy * ow + ox] = v[k];
      if (at) at[ox] = static_cast<Index>(base + row + 2 * ox + (k & 1) + (k >> 1) * w);
    }
  }
}
}  // namespace

void max_pool_2x2(const float* x, int64_t w, int64_t oh, int64_t ow, float* y, int64_t* idx, bool relu) {
  if (idx) return max_pool_2x2_indexed(x, w, oh, ow, y, idx, 0, relu);
  // Without indices one dispatched call does every row; rows too short for it go element by element.
  const int64_t done = oh > 0 ? HWY_DYNAMIC_DISPATCH(MaxPoolRows)(x, w, oh, y, ow, relu) : ow;
  if (done < ow) max_pool_2x2_indexed(x, w, oh, ow, y, static_cast<int32_t*>(nullptr), 0, relu);
}

void max_pool_2x2(const float* x, int64_t w, int64_t oh, int64_t ow, float* y, int32_t* idx, int64_t base, bool relu) {
  max_pool_2x2_indexed(x, w, oh, ow, y, idx, base, relu);
}
}  // namespace ojo::nn::pool_detail
#endif
