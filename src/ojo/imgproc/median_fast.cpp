// medianBlur rows for ksize 3 and 5 (Highway, runtime dispatch): one vector of output elements at a
// time, the ksize^2 window values loaded into registers as shifted rows and the selection network
// of median_network.hpp applied with element-wise min/max. Medians are exact, so any order of
// comparisons that selects the middle value gives the same result as OpenCV.
#include <cstdint>
#include <utility>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "../src/ojo/imgproc/median_fast.cpp"  // found through include/
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "median_network.hpp"

HWY_BEFORE_NAMESPACE();
namespace ojo::median_detail::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Lo = a < b ? a : b, Hi = a < b ? b : a, as the reference loop (for floats this fixes what
// happens with NaN and signed zeros; for integers it is min/max).
template <class V>
HWY_INLINE V Lo(V a, V b) {
  if constexpr (hwy::IsFloat<hn::TFromV<V>>()) return hn::IfThenElse(hn::Lt(a, b), a, b);
  else return hn::Min(a, b);
}
template <class V>
HWY_INLINE V Hi(V a, V b) {
  if constexpr (hwy::IsFloat<hn::TFromV<V>>()) return hn::IfThenElse(hn::Lt(a, b), b, a);
  else return hn::Max(a, b);
}
template <class V>
HWY_INLINE void Sort2(V& a, V& b) {
  const V t = a;
  a = Lo(t, b), b = Hi(t, b);
}
template <class V>
HWY_INLINE V Median3(V a, V b, V c) {
  return Hi(Lo(a, b), Lo(Hi(a, b), c));
}

template <Comparator c, class V>
HWY_INLINE void Exchange(V* w) {
  const V a = w[c.lo], b = w[c.hi];
  if constexpr (c.keep_lo) w[c.lo] = Lo(a, b);
  if constexpr (c.keep_hi) w[c.hi] = Hi(a, b);
}

template <const Network& net, class V, size_t... I>
HWY_INLINE void RunNetwork(V* w, std::index_sequence<I...>) {
  (Exchange<net.cmp[I]>(w), ...);
}

// Runs vector(x) for x = 0, N, 2N, ... and, when n is not a multiple of N, once more at n - N
// (outputs never alias the rows read, so recomputing a few is harmless). Returns the elements done:
// n, or 0 when n < N.
template <class F>
HWY_INLINE int64_t WholeVectors(int64_t n, int64_t N, const F& vector) {
  if (n < N) return 0;
  int64_t x = 0;
  for (; x + N <= n; x += N) vector(x);
  if (x < n) vector(n - N);
  return n;
}

template <int K, class T>
int64_t MedianRowK(const T* const* rows, T* out, int64_t n, int64_t C) {
  static constexpr const Network& net = K == 3 ? kMedian9 : kMedian25;
  const hn::ScalableTag<T> d;
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  auto medians = [&](int64_t x) {
    hn::Vec<decltype(d)> w[K * K];
    for (int i = 0; i < K; ++i)
      for (int j = 0; j < K; ++j) w[i * K + j] = hn::LoadU(d, rows[i] + j * C + x);
    RunNetwork<net>(w, std::make_index_sequence<net.size>{});
    hn::StoreU(w[K * K / 2], d, out + x);
  };
  return WholeVectors(n, N, medians);
}

// 3x3: sort each of the three columns (lo <= mid <= hi); the median of the window is the median of
// (largest lo, median of the mids, smallest hi) — 19 compare-exchanges, where the 9-wire network
// above needs 24.
template <class T>
int64_t MedianRow3(const T* const* rows, T* out, int64_t n, int64_t C) {
  const hn::ScalableTag<T> d;
  using V = hn::Vec<decltype(d)>;
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  auto medians = [&](int64_t x) {
    V lo[3], mid[3], hi[3];
    for (int j = 0; j < 3; ++j) {
      lo[j] = hn::LoadU(d, rows[0] + j * C + x), mid[j] = hn::LoadU(d, rows[1] + j * C + x);
      hi[j] = hn::LoadU(d, rows[2] + j * C + x);
      Sort2(lo[j], mid[j]), Sort2(mid[j], hi[j]), Sort2(lo[j], mid[j]);
    }
    const V lo_max = Hi(Hi(lo[0], lo[1]), lo[2]), hi_min = Lo(Lo(hi[0], hi[1]), hi[2]);
    hn::StoreU(Median3(lo_max, Median3(mid[0], mid[1], mid[2]), hi_min), d, out + x);
  };
  return WholeVectors(n, N, medians);
}

template <class T>
int64_t MedianRow(const T* const* rows, T* out, int64_t n, int64_t C, int ksize) {
  return ksize == 3 ? MedianRow3(rows, out, n, C) : MedianRowK<5>(rows, out, n, C);
}
int64_t MedianRowU8(const uint8_t* const* r, uint8_t* o, int64_t n, int64_t C, int k) { return MedianRow(r, o, n, C, k); }
int64_t MedianRowU16(const uint16_t* const* r, uint16_t* o, int64_t n, int64_t C, int k) { return MedianRow(r, o, n, C, k); }
int64_t MedianRowI16(const int16_t* const* r, int16_t* o, int64_t n, int64_t C, int k) { return MedianRow(r, o, n, C, k); }
int64_t MedianRowF32(const float* const* r, float* o, int64_t n, int64_t C, int k) { return MedianRow(r, o, n, C, k); }

}  // namespace ojo::median_detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace ojo::median_detail {

HWY_EXPORT(MedianRowU8);
HWY_EXPORT(MedianRowU16);
HWY_EXPORT(MedianRowI16);
HWY_EXPORT(MedianRowF32);

int64_t median_row_fast(const uint8_t* const* rows, uint8_t* out, int64_t n, int64_t C, int ksize) {
  return HWY_DYNAMIC_DISPATCH(MedianRowU8)(rows, out, n, C, ksize);
}
int64_t median_row_fast(const uint16_t* const* rows, uint16_t* out, int64_t n, int64_t C, int ksize) {
  return HWY_DYNAMIC_DISPATCH(MedianRowU16)(rows, out, n, C, ksize);
}
int64_t median_row_fast(const int16_t* const* rows, int16_t* out, int64_t n, int64_t C, int ksize) {
  return HWY_DYNAMIC_DISPATCH(MedianRowI16)(rows, out, n, C, ksize);
}
int64_t median_row_fast(const float* const* rows, float* out, int64_t n, int64_t C, int ksize) {
  return HWY_DYNAMIC_DISPATCH(MedianRowF32)(rows, out, n, C, ksize);
}

}  // namespace ojo::median_detail
#endif
