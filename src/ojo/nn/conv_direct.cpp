// Direct convolution kernels (see conv_direct.hpp for the flat padded layout).
//
// Forward: a register tile of OB output channels × XB vectors of positions; each input vector
// loaded is multiplied by OB broadcast weights, so loads stay below the FMA count.
// Grad weight: a tile of OB output channels × KB taps (c, i, j), accumulated over all samples and
// positions in vector lanes and reduced once at the end.
#include <algorithm>
#include <cstddef>
#include <type_traits>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "../src/ojo/nn/conv_direct.cpp"  // found through include/
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "conv_direct.hpp"
#include "conv_winograd.hpp"
#include "kept_packing.hpp"
#include "pool_fast.hpp"

HWY_BEFORE_NAMESPACE();
namespace ojo::nn::direct::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// At most 256-bit vectors, AVX-512 targets included: TinyVGG's rows are 14 and 28 wide, and
// 16-lane vectors leave the 14-wide ones to the scalar and clipped paths; on Zen 4 a 512-bit FMA
// also does no more per cycle than two 256-bit ones.
template <class T>
using Tag = hn::CappedTag<T, 32 / sizeof(T)>;

// Zeroes dst[0, n) with whole vectors, the last one overlapping; a short run with one vector
// when `room` (≥ n) elements may be written (what follows is written after), else a masked store.
template <class D, class T = hn::TFromD<D>>
HWY_INLINE void ZeroRun(D d, T* dst, int64_t n, int64_t room) {
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  const auto zero = hn::Zero(d);
  if (n <= 0) return;
  if (n <= kShortRun) return zero_short_run(dst, n);
  if (n < N) {
    if (room >= N) return hn::StoreU(zero, d, dst);
    return hn::SafeFillN(static_cast<size_t>(n), T(0), d, dst);
  }
  int64_t i = 0;
  for (; i + N <= n; i += N) hn::StoreU(zero, d, dst + i);
  if (i < n) hn::StoreU(zero, d, dst + n - N);
}

// Zeroes row[from, cols) with whole vectors that end by cols (cols ≥ N): they may reach back
// before `from`, into elements written after.
template <class D, class T = hn::TFromD<D>>
HWY_INLINE void ZeroTail(D d, T* row, int64_t from, int64_t cols) {
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  if (cols - from <= kShortRun) return zero_short_run(row + from, cols - from);
  for (int64_t i = from; i < cols; i += N) hn::StoreU(hn::Zero(d), d, row + std::min(i, cols - N));
}

// dst[0, n) = src[0, n), zero where relu_result (if kMask) is ≤ 0; whole vectors, the last one
// overlapping (dst and src are distinct).
template <bool kMask, class D, class T = hn::TFromD<D>>
HWY_INLINE void CopyRun(D d, const T* src, int64_t n, T* dst, const T* relu_result) {
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  if (n < N) {
    if (!kMask) return hn::SafeCopyN(static_cast<size_t>(n), d, src, dst);
    for (int64_t i = 0; i < n; ++i) dst[i] = relu_result[i] <= T(0) ? T(0) : src[i];
    return;
  }
  const auto put = [&](int64_t i) {
    auto v = hn::LoadU(d, src + i);
    if (kMask) v = hn::IfThenZeroElse(hn::Le(hn::LoadU(d, relu_result + i), hn::Zero(d)), v);
    hn::StoreU(v, d, dst + i);
  };
  int64_t i = 0;
  for (; i + N <= n; i += N) put(i);
  if (i < n) put(n - N);
}

// One plane's [from, to): runs of zeros and data clipped to it, from data row r (one that starts
// at or before `from`; an earlier one only costs empty rounds).
template <bool kMask, class T>
void PadClipped(const T* src, T* dst, const PaddedPlanes& p, int64_t from, int64_t to, int64_t r,
                const T* relu_result) {
  const Tag<T> d;
  int64_t at = from;
  for (; r < p.h; ++r) {  // data row r lies at [d0, d0 + w)
    const int64_t d0 = (p.top + r) * p.cols + p.left, lo = std::max(d0, from), hi = std::min(d0 + p.w, to);
    if (d0 >= to) break;
    if (hi <= lo) continue;
    const int64_t s = r * p.w + (lo - d0);
    ZeroRun(d, dst + at, lo - at, to - at);
    CopyRun<kMask>(d, src + s, hi - lo, dst + lo, kMask ? relu_result + s : nullptr);
    at = hi;
  }
  ZeroRun(d, dst + at, to - at, to - at);
}

// The data rows [first, last) whose whole padded rows lie in the window, if at least a vector
// wide, are written row by row, pad columns first (their vectors may overlap the data written
// after); PadClipped writes the rest of the window before and after them.
template <bool kMask, class T>
void PadPlanes(const T* src, T* dst, const PaddedPlanes& p, int64_t from, int64_t to, const T* relu_result) {
  const Tag<T> d;
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  int64_t first = p.h, last = p.h;
  if (p.w >= N) {
    first = std::clamp<int64_t>((from + p.cols - 1) / p.cols - p.top, 0, p.h);
    last = std::clamp<int64_t>(to / p.cols - p.top, first, p.h);
  }
  const int64_t head_end = first < last ? (p.top + first) * p.cols : to;
  const int64_t head_row = std::clamp<int64_t>((from - p.left - p.w) / p.cols - p.top, 0, p.h);
  for (int64_t q = 0; q < p.count; ++q) {
    const T* s = src + q * p.h * p.w;
    const T* m = kMask ? relu_result + q * p.h * p.w : nullptr;
    T* o = dst + q * p.plane;
    PadClipped<kMask>(s, o, p, from, head_end, head_row, m);
    if (first == last) continue;
    for (int64_t r = first; r < last; ++r) {
      T* row = o + (p.top + r) * p.cols;
      ZeroRun(d, row, p.left, p.cols);
      ZeroTail(d, row, p.left + p.w, p.cols);
      CopyRun<kMask>(d, s + r * p.w, p.w, row + p.left, kMask ? m + r * p.w : nullptr);
    }
    PadClipped<kMask>(s, o, p, (p.top + last) * p.cols, to, last, m);
  }
}

template <class T>
void PadWindow(const T* src, T* dst, const PaddedPlanes& p, int64_t from, int64_t to, const T* relu_result) {
  if (relu_result) return PadPlanes<true>(src, dst, p, from, to, relu_result);
  PadPlanes<false>(src, dst, p, from, to, relu_result);
}

// torch.relu's rule: zero below zero, NaN and −0 as they are. With x86 vectors one maxps (it
// returns its second operand where the first is not greater: −0 and NaN stay).
template <class D, class V = hn::Vec<D>>
HWY_INLINE V Rectified(D d, V v) {
#if HWY_ARCH_X86 && HWY_TARGET != HWY_SCALAR
  return hn::Max(hn::Zero(d), v);
#else
  return hn::IfThenZeroElse(hn::Lt(v, hn::Zero(d)), v);
#endif
}

// The bias of a convolution without one (ForwardTile reads one per output channel of a block).
template <class T>
inline constexpr T zero_bias[8] = {};

// Output channels [o, o + OB) at XB vectors of positions, the first at flat position p, the
// others `apart` after each other: sums from the bias, handed to put(ob, xb, sums). `packed` holds
// the channels' weights tap by tap ({k, OB}: the OB weights broadcast together are adjacent).
// KW > 0 fixes the kernel at KW × KW at compile time (the guide's 3×3), 0 reads it from f. `bias`
// is never null (zero_bias stands in): a test per tile measurably slows a first layer's rows.
template <int OB, int XB, int KW, class D, class Put, class T = hn::TFromD<D>>
HWY_INLINE void ForwardTile(D d, const T* xp, const T* packed, const T* bias, const FlatConv& f, int64_t p,
                            int64_t apart, const Put& put) {
  using V = hn::Vec<D>;
  const int64_t kw = KW > 0 ? KW : f.kw, kh = KW > 0 ? KW : f.kh;
  V acc[OB][XB];
  for (int ob = 0; ob < OB; ++ob)
    for (int xb = 0; xb < XB; ++xb) acc[ob][xb] = hn::Set(d, bias[ob]);
  for (int64_t c = 0; c < f.channels; ++c)
    for (int64_t i = 0; i < kh; ++i) {
      const T* row = xp + c * f.in_plane + i * f.wp + p;
      const T* wr = packed + (c * kh + i) * kw * OB;
      for (int64_t j = 0; j < kw; ++j) {
        V v[XB];
        for (int xb = 0; xb < XB; ++xb) v[xb] = hn::LoadU(d, row + j + xb * apart);
        for (int ob = 0; ob < OB; ++ob) {
          const V wv = hn::Set(d, wr[j * OB + ob]);
          for (int xb = 0; xb < XB; ++xb) acc[ob][xb] = hn::MulAdd(wv, v[xb], acc[ob][xb]);
        }
      }
    }
  for (int ob = 0; ob < OB; ++ob)
    for (int xb = 0; xb < XB; ++xb) put(ob, xb, acc[ob][xb]);
}

// Positions [p, end) of output channels [o, o + OB) into the staging planes y: pairs of vectors,
// the last one single where one vector reaches the end.
template <int OB, int KW, class D, class T = hn::TFromD<D>>
HWY_INLINE void ForwardChannels(D d, const T* xp, const T* packed, const T* bias, T* y, const FlatConv& f, int64_t p,
                                int64_t end) {
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  for (; p < end; p += 2 * N) {
    const auto put = [&](int ob, int xb, hn::Vec<D> sums) { hn::StoreU(sums, d, y + ob * f.out_plane + p + xb * N); };
    if (p + N < end) ForwardTile<OB, 2, KW>(d, xp, packed, bias, f, p, N, put);
    else ForwardTile<OB, 1, KW>(d, xp, packed, bias, f, p, N, put);
  }
}

// Row r of output channels [o, o + OB) straight into the result rows `dst` (channel o's, planes
// out.plane apart), through ReLU when asked: vectors of columns in pairs, the last one ending at
// the row's end and overlapping the one before (its elements get the same sums). Needs cols ≥ N.
template <int OB, int KW, class D, class T = hn::TFromD<D>>
HWY_INLINE void ForwardRow(D d, const T* xp, const T* packed, const T* bias, const FlatConv& f, const DenseRows<T>& out,
                           int64_t r, T* dst) {
  const int64_t N = static_cast<int64_t>(hn::Lanes(d)), cols = out.cols, plane = out.plane;
  const bool relu = out.relu;
  for (int64_t x = 0; x < cols; x += 2 * N) {
    const bool pair = x + N < cols;
    const int64_t first = pair ? x : cols - N;         // a single vector ends at the row's end
    const int64_t second = std::min(x + N, cols - N);  // the pair's second vector
    const auto put = [&](int ob, int xb, hn::Vec<D> sums) {
      if (relu) sums = Rectified(d, sums);
      hn::StoreU(sums, d, dst + ob * plane + (xb ? second : first));
    };
    if (pair) ForwardTile<OB, 2, KW>(d, xp, packed, bias, f, r * f.wp + x, second - x, put);
    else ForwardTile<OB, 1, KW>(d, xp, packed, bias, f, r * f.wp + first, 0, put);
  }
}

// AVX-512 has 32 vector registers (at any width), AVX2 16: bounds the register tiles.
#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX3
constexpr int kVectorRegisters = 32;
#else
constexpr int kVectorRegisters = 16;
#endif

// Calls body(std::integral_constant<int, OB>) for a block of ob output channels (1 to 5).
template <class Body>
HWY_INLINE void WithChannelBlock(int64_t ob, const Body& body) {
  switch (ob) {
    case 5: return body(std::integral_constant<int, 5>());
    case 4: return body(std::integral_constant<int, 4>());
    case 3: return body(std::integral_constant<int, 3>());
    case 2: return body(std::integral_constant<int, 2>());
    default: return body(std::integral_constant<int, 1>());
  }
}

template <int KW, class D, class T = hn::TFromD<D>>
HWY_INLINE void ForwardBlock(D d, int64_t ob, const T* xp, const T* packed, const T* bias, T* y, const FlatConv& f,
                             int64_t p, int64_t end) {
  WithChannelBlock(ob, [&](auto OB) { ForwardChannels<OB(), KW>(d, xp, packed, bias, y, f, p, end); });
}

// Rows [r0, r1) of every output plane, from the flat staging planes to the dense ones: whole
// vectors, the last one of a row overlapping the one before (its elements get their own values).
// A gap is zeroed before its row is written: the vectors that end at the gap's end may reach back
// into the row.
template <class D, class T = hn::TFromD<D>>
HWY_INLINE void CropRows(D d, const T* flat, const FlatConv& f, const DenseRows<T>& out, int64_t r0, int64_t r1) {
  const int64_t N = static_cast<int64_t>(hn::Lanes(d)), cols = out.cols, step = cols + out.gap;
  for (int64_t o = 0; o < f.outs; ++o)
    for (int64_t r = r0; r < r1; ++r) {
      const T* src = flat + o * f.out_plane + r * f.wp;
      T* dst = out.data + o * out.plane + r * step;
      if (step < N) std::fill(dst + cols, dst + step, T(0));
      else ZeroTail(d, dst, cols, step);
      if (cols < N) {
        for (int64_t i = 0; i < cols; ++i) dst[i] = out.relu && src[i] < T(0) ? T(0) : src[i];
        continue;
      }
      const auto put = [&](int64_t i) {
        auto v = hn::LoadU(d, src + i);
        if (out.relu) v = Rectified(d, v);
        hn::StoreU(v, d, dst + i);
      };
      int64_t i = 0;
      for (; i + N <= cols; i += N) put(i);
      if (i < cols) put(cols - N);
    }
}

// Rows [r0, r1) of every pooled output plane (out.pool == 2, float only: conv.cpp asks for no
// other), by max_pool2d's own kernel reading the flat rows in place.
template <class T>
void PoolRows(const T* flat, const FlatConv& f, const DenseRows<T>& out, int64_t r0, int64_t r1) {
  if constexpr (std::is_same_v<T, float>) {
    for (int64_t o = 0; o < f.outs; ++o) {
      const T* rows = flat + o * f.out_plane + 2 * r0 * f.wp;
      T* pooled = out.data + o * out.plane + r0 * out.cols;
      if (out.positions)
        pool_detail::max_pool_2x2(rows, f.wp, r1 - r0, out.cols, pooled,
                                  out.positions + o * out.plane + r0 * out.cols, 2 * r0 * f.wp, out.relu);
      else pool_detail::max_pool_2x2(rows, f.wp, r1 - r0, out.cols, pooled, static_cast<int64_t*>(nullptr), out.relu);
    }
  }
}

// The weights {outs, k} in the tiles' order: per block of output channels, tap by tap, the
// block's weights of one tap adjacent (kept between calls: kept_packing.hpp).
template <class T>
const T* PackWeights(const T* w, int64_t outs, int64_t k) {
  return kept_packing(w, outs, k, static_cast<size_t>(outs * k), [&](T* packed) {
    const int64_t block = channel_block(outs);
    for (int64_t o = 0; o < outs; o += block) {
      const int64_t ob = std::min(block, outs - o);
      for (int64_t t = 0; t < k; ++t)
        for (int64_t b = 0; b < ob; ++b) packed[o * k + t * ob + b] = w[(o + b) * k + t];
    }
  });
}

// Unpooled rows straight from the tiles, row by row (ForwardRow): with few taps per output (a
// first layer's one or three channels) staging and copying cost as much as the sums themselves.
// With the channel-block dispatch once per block (not per row), 3×3 kernels fixed at compile time
// and no bias test per tile, TinyVGG's first layer took 1.26 µs per 15 rows instead of 1.35–1.43
// (a hand-written loop of the same tiles: 0.87); fixing its one channel at compile time as well,
// or ReLU, or writing the 28-wide rows' two pairs out, measured within the runs' spread.
template <class T>
void ConvRows(const T* xp, const T* w, const T* bias, const FlatConv& f, const DenseRows<T>& out) {
  const Tag<T> d;
  const int64_t k = f.channels * f.kh * f.kw, block = channel_block(f.outs), step = out.cols + out.gap;
  const T* packed = PackWeights(w, f.outs, k);
  // Blocks of output channels outside, rows inside: one dispatch per block, not per row.
  for (int64_t o = 0; o < f.outs; o += block) {
    const T* bo = bias ? bias + o : zero_bias<T>;
    const auto rows = [&](auto OB, auto KW) {
      for (int64_t r = out.r0; r < out.r1; ++r) {
        T* dst = out.data + o * out.plane + r * step;
        for (int64_t ob = 0; ob < OB() && out.gap > 0; ++ob)  // before the row: see CropRows
          ZeroTail(d, dst + ob * out.plane, out.cols, step);
        ForwardRow<OB(), KW()>(d, xp, packed + o * k, bo, f, out, r, dst);
      }
    };
    WithChannelBlock(std::min(block, f.outs - o), [&](auto OB) {
      if (f.kw == 3 && f.kh == 3) rows(OB, std::integral_constant<int, 3>());
      else rows(OB, std::integral_constant<int, 0>());
    });
  }
}

// Blocks of positions outside, output-channel blocks inside: the block of input stays in cache
// while every output channel is computed from it, and the rows it completes are copied out.
template <class T>
void ConvFlat(const T* xp, const T* w, const T* bias, T* y, const FlatConv& f, const DenseRows<T>& out) {
  const Tag<T> d;
  constexpr int64_t kBlock = 256, kRowsMaxTaps = 27;
  const int64_t k = f.channels * f.kh * f.kw, block = channel_block(f.outs);
  if (out.pool == 1 && k <= kRowsMaxTaps && out.cols >= static_cast<int64_t>(hn::Lanes(d)) &&
      out.cols + out.gap >= static_cast<int64_t>(hn::Lanes(d)))
    return ConvRows(xp, w, bias, f, out);
  const T* packed = PackWeights(w, f.outs, k);
  const int64_t begin = out.r0 * out.pool * f.wp / kFlatPad * kFlatPad, end = out.r1 * out.pool * f.wp;
  // Output row r is complete once the flat positions below `ready(r)` are.
  const auto ready = [&](int64_t r) { return ((r + 1) * out.pool - 1) * f.wp + out.cols * out.pool; };
  int64_t row = out.r0;  // the next row to copy out
  for (int64_t p0 = begin; p0 < end; p0 += kBlock) {
    const int64_t p1 = std::min(end, p0 + kBlock);
    for (int64_t o = 0; o < f.outs; o += block) {
      const int64_t ob = std::min(block, f.outs - o);
      const T* bo = bias ? bias + o : zero_bias<T>;
      if (f.kw == 3 && f.kh == 3) ForwardBlock<3>(d, ob, xp, packed + o * k, bo, y + o * f.out_plane, f, p0, p1);
      else ForwardBlock<0>(d, ob, xp, packed + o * k, bo, y + o * f.out_plane, f, p0, p1);
    }
    int64_t last = row;
    while (last < out.r1 && ready(last) <= p1) ++last;
    if (out.pool == 2) PoolRows(y, f, out, row, last);
    else CropRows(d, y, f, out, row, last);
    row = last;
  }
}

// Keeps v in a register. GCC otherwise folds a vector that several FMAs use into each of them as
// a memory operand, loading it once per use: the loads, not the FMAs, then bound the loop.
template <class V>
HWY_INLINE void KeepInRegister(V& v) {
#if HWY_ARCH_X86 && HWY_TARGET <= HWY_SSSE3 && defined(__GNUC__)
  asm("" : "+x"(v.raw));
#else
  (void)v;
#endif
}

// gw for output channels [o, o + OB) and taps [t, t + KB) (tap = (c·kh + i)·kw + j).
template <int OB, int KB, class D, class T = hn::TFromD<D>>
HWY_INLINE void GradWeightTile(D d, const T* xp, const T* gy, int64_t samples, T* gw, const FlatConv& f, int64_t o,
                               int64_t t) {
  using V = hn::Vec<D>;
  const int64_t N = static_cast<int64_t>(hn::Lanes(d)), k = f.channels * f.kh * f.kw;
  int64_t offset[KB];
  for (int kb = 0; kb < KB; ++kb) {
    const int64_t tap = t + kb, c = tap / (f.kh * f.kw), i = tap / f.kw % f.kh, j = tap % f.kw;
    offset[kb] = c * f.in_plane + i * f.wp + j;
  }
  V acc[OB][KB];
  for (int ob = 0; ob < OB; ++ob)
    for (int kb = 0; kb < KB; ++kb) acc[ob][kb] = hn::Zero(d);
  for (int64_t s = 0; s < samples; ++s) {
    const T* xs = xp + s * f.channels * f.in_plane;
    const T* gs = gy + (s * f.outs + o) * f.out_plane;
    for (int64_t p = 0; p < f.n; p += N) {
      V x[KB];
      for (int kb = 0; kb < KB; ++kb) x[kb] = hn::LoadU(d, xs + offset[kb] + p);
      for (int ob = 0; ob < OB; ++ob) {
        V g = hn::LoadU(d, gs + ob * f.out_plane + p);
        KeepInRegister(g);
        for (int kb = 0; kb < KB; ++kb) acc[ob][kb] = hn::MulAdd(g, x[kb], acc[ob][kb]);
      }
    }
  }
  for (int ob = 0; ob < OB; ++ob)
    for (int kb = 0; kb < KB; ++kb) gw[(o + ob) * k + t + kb] = hn::GetLane(hn::SumOfLanes(d, acc[ob][kb]));
}

template <int OB, class D, class T = hn::TFromD<D>>
HWY_INLINE void GradWeightChannels(D d, const T* xp, const T* gy, int64_t samples, T* gw, const FlatConv& f,
                                   int64_t o) {
  const int64_t k = f.channels * f.kh * f.kw;
  int64_t t = 0;
  if constexpr (OB * 4 + 5 <= kVectorRegisters) {  // OB × 4 accumulators, 4 + 1 operands
    for (; t + 4 <= k; t += 4) GradWeightTile<OB, 4>(d, xp, gy, samples, gw, f, o, t);
  }
  if constexpr (OB * 3 + 4 <= kVectorRegisters) {  // OB × 3 accumulators, 3 + 1 operands
    for (; t + 3 <= k; t += 3) GradWeightTile<OB, 3>(d, xp, gy, samples, gw, f, o, t);
  }
  for (; t + 2 <= k; t += 2) GradWeightTile<OB, 2>(d, xp, gy, samples, gw, f, o, t);
  if (t < k) GradWeightTile<OB, 1>(d, xp, gy, samples, gw, f, o, t);
}

template <class T>
void ConvFlatGradWeight(const T* xp, const T* gy, int64_t samples, T* gw, const FlatConv& f) {
  const Tag<T> d;
  const int64_t block = channel_block(f.outs);
  for (int64_t o = 0; o < f.outs; o += block) {
    switch (std::min<int64_t>(block, f.outs - o)) {
      case 5: GradWeightChannels<5>(d, xp, gy, samples, gw, f, o); break;
      case 4: GradWeightChannels<4>(d, xp, gy, samples, gw, f, o); break;
      case 3: GradWeightChannels<3>(d, xp, gy, samples, gw, f, o); break;
      case 2: GradWeightChannels<2>(d, xp, gy, samples, gw, f, o); break;
      default: GradWeightChannels<1>(d, xp, gy, samples, gw, f, o); break;
    }
  }
}

// Σ p[i] in double, in a fixed order (lanes, then their sum, then the tail).
double SumF32(const float* p, int64_t n) {
  double total = 0;
  int64_t i = 0;
#if HWY_TARGET != HWY_SCALAR
  const hn::ScalableTag<float> df;
  const hn::Half<decltype(df)> dh;
  const hn::Rebind<double, decltype(dh)> dd;
  const int64_t N = static_cast<int64_t>(hn::Lanes(df));
  auto lo = hn::Zero(dd), hi = hn::Zero(dd);
  for (; i + N <= n; i += N) {
    const auto v = hn::LoadU(df, p + i);
    lo = hn::Add(lo, hn::PromoteTo(dd, hn::LowerHalf(dh, v)));
    hi = hn::Add(hi, hn::PromoteTo(dd, hn::UpperHalf(dh, v)));
  }
  total = hn::GetLane(hn::SumOfLanes(dd, hn::Add(lo, hi)));
#endif
  for (; i < n; ++i) total += p[i];
  return total;
}

void PadWindowF32(const float* src, float* dst, const PaddedPlanes& p, int64_t from, int64_t to,
                  const float* relu_result) {
  PadWindow(src, dst, p, from, to, relu_result);
}
void PadWindowF64(const double* src, double* dst, const PaddedPlanes& p, int64_t from, int64_t to,
                  const double* relu_result) {
  PadWindow(src, dst, p, from, to, relu_result);
}
void ConvFlatF32(const float* xp, const float* w, const float* bias, float* y, const FlatConv& f,
                 const DenseRows<float>& out) {
  ConvFlat(xp, w, bias, y, f, out);
}
void ConvFlatF64(const double* xp, const double* w, const double* bias, double* y, const FlatConv& f,
                 const DenseRows<double>& out) {
  ConvFlat(xp, w, bias, y, f, out);
}
void ConvFlatGradWeightF32(const float* xp, const float* gy, int64_t samples, float* gw, const FlatConv& f) {
  ConvFlatGradWeight(xp, gy, samples, gw, f);
}
void ConvFlatGradWeightF64(const double* xp, const double* gy, int64_t samples, double* gw, const FlatConv& f) {
  ConvFlatGradWeight(xp, gy, samples, gw, f);
}

}  // namespace ojo::nn::direct::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace ojo::nn::direct {
HWY_EXPORT(PadWindowF32);
HWY_EXPORT(PadWindowF64);
HWY_EXPORT(ConvFlatF32);
HWY_EXPORT(ConvFlatF64);
HWY_EXPORT(ConvFlatGradWeightF32);
HWY_EXPORT(ConvFlatGradWeightF64);
HWY_EXPORT(SumF32);

double sum_to_double(const float* p, int64_t n) { return HWY_DYNAMIC_DISPATCH(SumF32)(p, n); }
double sum_to_double(const double* p, int64_t n) {
  double total = 0;
  for (int64_t i = 0; i < n; ++i) total += p[i];
  return total;
}

void pad_window(const float* src, float* dst, const PaddedPlanes& p, int64_t from, int64_t to,
                const float* relu_result) {
  HWY_DYNAMIC_DISPATCH(PadWindowF32)(src, dst, p, from, to, relu_result);
}
void pad_window(const double* src, double* dst, const PaddedPlanes& p, int64_t from, int64_t to,
                const double* relu_result) {
  HWY_DYNAMIC_DISPATCH(PadWindowF64)(src, dst, p, from, to, relu_result);
}
void conv_flat(const float* xp, const float* w, const float* bias, float* flat, const FlatConv& f,
               const DenseRows<float>& out) {
  if (!winograd::conv_flat(xp, w, bias, f, out)) HWY_DYNAMIC_DISPATCH(ConvFlatF32)(xp, w, bias, flat, f, out);
}
void conv_flat(const double* xp, const double* w, const double* bias, double* flat, const FlatConv& f,
               const DenseRows<double>& out) {
  HWY_DYNAMIC_DISPATCH(ConvFlatF64)(xp, w, bias, flat, f, out);
}
void conv_flat_grad_weight(const float* xp, const float* gy, int64_t samples, float* gw, const FlatConv& f) {
  HWY_DYNAMIC_DISPATCH(ConvFlatGradWeightF32)(xp, gy, samples, gw, f);
}
void conv_flat_grad_weight(const double* xp, const double* gy, int64_t samples, double* gw, const FlatConv& f) {
  HWY_DYNAMIC_DISPATCH(ConvFlatGradWeightF64)(xp, gy, samples, gw, f);
}
}  // namespace ojo::nn::direct
#endif
