// filter2D's integer taps on uint8 rows in one pass (Highway, runtime dispatch): each vector of
// 16-bit sums takes every tap from the source rows while it stays in a register, and goes out
// once (the plain loop in filter2d.cpp adds one tap at a time over the whole row).
#include <cstdint>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "../src/ojo/imgproc/filter2d_fast.cpp"  // found through include/
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "filter2d_kernels.hpp"

HWY_BEFORE_NAMESPACE();
namespace ojo::filter2d_detail::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET != HWY_SCALAR

// The sums of the vector of outputs from x (16-bit lanes, wrapping as the plain loop's int16).
template <class D>
HWY_INLINE hn::Vec<D> SumsAt(D d, const uint8_t* const* rows, const int16_t* coef, const int64_t* row,
                             const int64_t* offset, int64_t taps, int16_t init, int64_t x) {
  const hn::Rebind<uint8_t, D> d8;
  auto acc = hn::Set(d, init);
  for (int64_t t = 0; t < taps; ++t) {
    const auto v = hn::BitCast(d, hn::PromoteTo(hn::RebindToUnsigned<D>(), hn::LoadU(d8, rows[row[t]] + offset[t] + x)));
    acc = hn::Add(acc, hn::Mul(hn::Set(d, coef[t]), v));
  }
  return acc;
}

// Whole vectors, the last one ending at the row's end (it recomputes a few outputs, the same).
template <class Put>
HWY_INLINE int64_t Taps(const uint8_t* const* rows, const int16_t* coef, const int64_t* row, const int64_t* offset,
                        int64_t taps, int16_t init, int64_t n, const Put& put) {
  const hn::ScalableTag<int16_t> d;
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  if (n < N) return 0;
  for (int64_t x = 0;; x += N) {
    x = x + N > n ? n - N : x;
    put(d, SumsAt(d, rows, coef, row, offset, taps, init, x), x);
    if (x + N == n) return n;
  }
}

int64_t TapsToI16(const uint8_t* const* rows, const int16_t* coef, const int64_t* row, const int64_t* offset,
                  int64_t taps, int16_t init, int16_t* out, int64_t n) {
  return Taps(rows, coef, row, offset, taps, init, n, [&](auto d, auto sums, int64_t x) { hn::StoreU(sums, d, out + x); });
}

int64_t TapsToU8(const uint8_t* const* rows, const int16_t* coef, const int64_t* row, const int64_t* offset,
                 int64_t taps, int16_t init, uint8_t* out, int64_t n) {
  return Taps(rows, coef, row, offset, taps, init, n, [&](auto d, auto sums, int64_t x) {
    const hn::Rebind<uint8_t, decltype(d)> d8;
    hn::StoreU(hn::DemoteTo(d8, sums), d8, out + x);  // saturating: below 0 → 0, above 255 → 255
  });
}

#else

int64_t TapsToI16(const uint8_t* const*, const int16_t*, const int64_t*, const int64_t*, int64_t, int16_t, int16_t*,
                  int64_t) {
  return 0;
}
int64_t TapsToU8(const uint8_t* const*, const int16_t*, const int64_t*, const int64_t*, int64_t, int16_t, uint8_t*,
                 int64_t) {
  return 0;
}

#endif

}  // namespace ojo::filter2d_detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace ojo::filter2d_detail {
HWY_EXPORT(TapsToI16);
HWY_EXPORT(TapsToU8);

int64_t taps_to_i16(const uint8_t* const* rows, const int16_t* coef, const int64_t* row, const int64_t* offset,
                    int64_t taps, int16_t init, int16_t* out, int64_t n) {
  return HWY_DYNAMIC_DISPATCH(TapsToI16)(rows, coef, row, offset, taps, init, out, n);
}
int64_t taps_to_u8(const uint8_t* const* rows, const int16_t* coef, const int64_t* row, const int64_t* offset,
                   int64_t taps, int16_t init, uint8_t* out, int64_t n) {
  return HWY_DYNAMIC_DISPATCH(TapsToU8)(rows, coef, row, offset, taps, init, out, n);
}
}  // namespace ojo::filter2d_detail
#endif
