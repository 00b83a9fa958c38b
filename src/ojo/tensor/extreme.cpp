// extreme() and first_match() (see extreme.hpp): Highway loops with four vectors of running
// extremes, NaN noted in a mask on the side, and a vector compare for the first match. GCC does
// not vectorise the plain loops (a compare-and-select per element is not a reduction it knows
// without -ffinite-math-only), so they ran one element at a time.
#include "extreme.hpp"

#include <cmath>
#include <limits>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "../src/ojo/tensor/extreme.cpp"  // found through include/
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace ojo::kernels::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// v replaces best where it is larger (kMax) or smaller; a NaN v never does.
template <bool kMax, class V>
HWY_INLINE V Keep(V best, V v) {
  if constexpr (kMax) return hn::IfThenElse(hn::Lt(best, v), v, best);
  else return hn::IfThenElse(hn::Lt(v, best), v, best);
}

template <bool kMax, class T>
HWY_INLINE Extreme<T> Scan(const T* x, int64_t n) {
  const hn::ScalableTag<T> d;
  using V = hn::Vec<decltype(d)>;
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  const T start = kMax ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::infinity();
  V best[4], nan[4];
  for (int k = 0; k < 4; ++k) best[k] = hn::Set(d, start), nan[k] = hn::Zero(d);
  int64_t j = 0;
  for (; j + 4 * N <= n; j += 4 * N)
    for (int k = 0; k < 4; ++k) {
      const V v = hn::LoadU(d, x + j + k * N);
      best[k] = Keep<kMax>(best[k], v);
      nan[k] = hn::Or(nan[k], hn::VecFromMask(d, hn::IsNaN(v)));
    }
  for (; j + N <= n; j += N) {
    const V v = hn::LoadU(d, x + j);
    best[0] = Keep<kMax>(best[0], v);
    nan[0] = hn::Or(nan[0], hn::VecFromMask(d, hn::IsNaN(v)));
  }
  for (int k = 1; k < 4; ++k) best[0] = Keep<kMax>(best[0], best[k]), nan[0] = hn::Or(nan[0], nan[k]);
  // No lane holds NaN (Keep never picks one), so the lanes' own maximum or minimum is exact.
  Extreme<T> r{hn::GetLane(kMax ? hn::MaxOfLanes(d, best[0]) : hn::MinOfLanes(d, best[0])),
               !hn::AllFalse(d, hn::MaskFromVec(nan[0]))};
  for (; j < n; ++j) {  // the last elements that fill no vector
    r.value = (kMax ? r.value < x[j] : x[j] < r.value) ? x[j] : r.value;
    r.any_nan = r.any_nan || x[j] != x[j];
  }
  return r;
}

template <class T>
HWY_INLINE int64_t FirstMatch(const T* x, int64_t n, T value, bool nan) {
  const hn::ScalableTag<T> d;
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  const auto wanted = hn::Set(d, value);
  int64_t j = 0;
  for (; j + N <= n; j += N) {
    const auto v = hn::LoadU(d, x + j);
    const intptr_t at = hn::FindFirstTrue(d, nan ? hn::IsNaN(v) : hn::Eq(v, wanted));
    if (at >= 0) return j + at;
  }
  for (; j < n; ++j)
    if (nan ? x[j] != x[j] : x[j] == value) return j;
  return -1;
}

Extreme<float> ExtremeF32(const float* x, int64_t n, bool is_max) {
  return is_max ? Scan<true>(x, n) : Scan<false>(x, n);
}
Extreme<double> ExtremeF64(const double* x, int64_t n, bool is_max) {
  return is_max ? Scan<true>(x, n) : Scan<false>(x, n);
}
int64_t FirstMatchF32(const float* x, int64_t n, float value, bool nan) { return FirstMatch(x, n, value, nan); }
int64_t FirstMatchF64(const double* x, int64_t n, double value, bool nan) { return FirstMatch(x, n, value, nan); }

}  // namespace ojo::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace ojo::kernels {
HWY_EXPORT(ExtremeF32);
HWY_EXPORT(ExtremeF64);
HWY_EXPORT(FirstMatchF32);
HWY_EXPORT(FirstMatchF64);

Extreme<float> extreme(const float* x, int64_t n, bool is_max) {
  return HWY_DYNAMIC_DISPATCH(ExtremeF32)(x, n, is_max);
}
Extreme<double> extreme(const double* x, int64_t n, bool is_max) {
  return HWY_DYNAMIC_DISPATCH(ExtremeF64)(x, n, is_max);
}
int64_t first_match(const float* x, int64_t n, float value, bool nan) {
  return HWY_DYNAMIC_DISPATCH(FirstMatchF32)(x, n, value, nan);
}
int64_t first_match(const double* x, int64_t n, double value, bool nan) {
  return HWY_DYNAMIC_DISPATCH(FirstMatchF64)(x, n, value, nan);
}

template <class T>
Extreme<T> extreme_reference(const T* x, int64_t n, bool is_max) {
  Extreme<T> r{is_max ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::infinity(), false};
  for (int64_t j = 0; j < n; ++j) {
    if (std::isnan(x[j])) r.any_nan = true;
    else if (is_max ? r.value < x[j] : x[j] < r.value) r.value = x[j];
  }
  return r;
}
template Extreme<float> extreme_reference(const float*, int64_t, bool);
template Extreme<double> extreme_reference(const double*, int64_t, bool);
}  // namespace ojo::kernels
#endif
