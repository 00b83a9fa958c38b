// Internal machinery shared by the linear filters (filter2D, sepFilter2D, GaussianBlur, boxFilter,
// Sobel, Laplacian): border maps, padded rows and a row-streaming driver. Not a public header.
//
// The driver walks each thread's band of output rows once, keeping the kh input rows an output
// row needs in a small ring of row buffers (made by `make_row`, e.g. a horizontal filter pass),
// so every intermediate row stays in cache and each thread computes at most kh-1 extra rows.
// Rows outside the image come from borderInterpolate (BORDER_CONSTANT rows are zeros).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

#include "ojo/core/parallel.hpp"
#include "ojo/core/saturate.hpp"
#include "ojo/core/tensor.hpp"
#include "ojo/imgproc/border.hpp"

// Hot loops are compiled twice (AVX2 and baseline SSE2) and picked at run time by the loader
// (GCC function multi-versioning), the same idea as OpenCV's own dispatch; never -march=native.
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
#define OJO_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define OJO_CLONES
#endif

namespace ojo::filter_detail {

// Source index for each padded position -before .. len+after-1 (-1: constant border, reads 0).
inline std::vector<int64_t> border_map(int64_t len, int64_t before, int64_t after, int border) {
  std::vector<int64_t> map(static_cast<size_t>(before + len + after));
  for (int64_t i = 0; i < static_cast<int64_t>(map.size()); ++i) map[i] = borderInterpolate(i - before, len, border);
  return map;
}

// Writes the row `row` (W pixels of C channels, contiguous) padded by the column map into `out`
// ((map.size()) * C elements), converting to B. -1 entries become 0.
template <class T, class B>
inline void pad_row(const T* row, int64_t W, int64_t C, const std::vector<int64_t>& xmap, int64_t left, B* out) {
  const int64_t n = static_cast<int64_t>(xmap.size());
  for (int64_t i = 0; i < left; ++i) {
    const int64_t s = xmap[i];
    for (int64_t c = 0; c < C; ++c) out[i * C + c] = s < 0 ? B(0) : static_cast<B>(row[s * C + c]);
  }
  B* mid = out + left * C;
  if constexpr (std::is_same_v<T, B>) {
    std::memcpy(mid, row, static_cast<size_t>(W * C) * sizeof(T));
  } else {
    const int64_t len = W * C;
    for (int64_t i = 0; i < len; ++i) mid[i] = static_cast<B>(row[i]);
  }
  for (int64_t i = left + W; i < n; ++i) {
    const int64_t s = xmap[i];
    for (int64_t c = 0; c < C; ++c) out[i * C + c] = s < 0 ? B(0) : static_cast<B>(row[s * C + c]);
  }
}

// Runs a horizontal pass over one row without copying it whole: pass(p, first, count) must write
// the `count` output elements from element `first` on, reading tap j of output i at p[i + j*C].
// Pixels whose kw taps (anchor ax) lie inside the row read it in place; the few at each end read a
// small padded copy made by the column map (as pad_row would make it).
template <class T, class Pass>
void row_pass_in_place(const T* row, int64_t W, int64_t C, const std::vector<int64_t>& xmap, int64_t ax, int64_t kw,
                       std::vector<T>& pad, const Pass& pass) {
  const int64_t lo = ax, hi = W - (kw - 1 - ax);  // outputs [lo, hi) read only the row
  auto padded = [&](int64_t first, int64_t count) {  // padded pixels [first, first + count)
    pad.resize(static_cast<size_t>(count * C));
    for (int64_t i = 0; i < count; ++i) {
      const int64_t s = xmap[first + i];
      for (int64_t c = 0; c < C; ++c) pad[i * C + c] = s < 0 ? T(0) : row[s * C + c];
    }
    return pad.data();
  };
  if (hi - lo < kw) {  // narrow row: pad it whole
    pass(padded(0, W + kw - 1), 0, W * C);
    return;
  }
  pass(row, lo * C, (hi - lo) * C);
  pass(padded(0, lo + kw - 1), 0, lo * C);
  pass(padded(hi, W + kw - 1 - hi), hi * C, (W - hi) * C);
}

// Streams rows: for each output row y in [0, H) calls emit(y, rows) where rows[i] (i < kh) is the
// buffer made by make_row(src_y, buffer) for source row y - ay + i (src_y = -1 for a constant
// border row). Buffers hold `rowlen` elements of Buf. Runs bands of rows on parallel_for; an emit
// taking a third argument gets `first`, true for the first row of each band (for running sums).
template <class Buf, class MakeRow, class Emit>
void stream_rows(int64_t H, int64_t rowlen, int64_t kh, int64_t ay, int border, const MakeRow& make_row,
                 const Emit& emit) {
  const std::vector<int64_t> ymap = border_map(H, ay, kh - 1 - ay, border);
  const int64_t grain = std::max<int64_t>(16, 4 * kh);
  parallel_for(0, H, grain, [&](int64_t lo, int64_t hi) {
    std::vector<Buf> storage(static_cast<size_t>(kh * rowlen));
    std::vector<Buf*> ring(kh);
    for (int64_t i = 0; i < kh; ++i) ring[i] = storage.data() + i * rowlen;
    for (int64_t i = 0; i + 1 < kh; ++i) make_row(ymap[lo + i], ring[i]);
    for (int64_t y = lo; y < hi; ++y) {
      make_row(ymap[y + kh - 1], ring[kh - 1]);
      if constexpr (std::is_invocable_v<const Emit&, int64_t, const Buf* const*, bool>)
        emit(y, static_cast<const Buf* const*>(ring.data()), y == lo);
      else
        emit(y, static_cast<const Buf* const*>(ring.data()));
      std::rotate(ring.begin(), ring.begin() + 1, ring.end());
    }
  });
}

// OpenCV's getKernelType flags.
enum KernelType : int { KERNEL_GENERAL = 0, KERNEL_SYMMETRICAL = 1, KERNEL_ASYMMETRICAL = 2, KERNEL_SMOOTH = 4, KERNEL_INTEGER = 8 };
int kernel_type(const std::vector<double>& k, bool one_dim_centred);

// Kernel (f32/f64, 2-d) as doubles in row-major order, after checks. `op` names the caller.
std::vector<double> kernel_values(const Tensor& kernel, const char* op, const char* what);

// The output dtype for `ddepth` given the source, checked against OpenCV's accepted pairs.
DType output_dtype(DType src, int ddepth, const char* op);

// Contiguous copy of an image as {H, W, C} metadata: returns the tensor and fills H, W, C.
Tensor image_rows(const Tensor& src, const char* op, int64_t& H, int64_t& W, int64_t& C);

// Checks the border type (CONSTANT, REPLICATE, REFLECT, WRAP, REFLECT_101, optionally | ISOLATED)
// and returns it without the ISOLATED flag.
int check_border(int border, const char* op);

// Generic separable filter (the reference path and the fallback of every fast path):
//   out = cast(delta + sum_i ky[i] * sum_j kx[j] * src[y-ay+i][x-ax+j])
// with rows computed in Acc (float or double). `src` contiguous, dst allocated by the caller.
void sep_filter_float(const Tensor& src, Tensor& dst, int64_t H, int64_t W, int64_t C, const std::vector<double>& kx,
                      const std::vector<double>& ky, int64_t ax, int64_t ay, double delta, int border, bool use_double);

// Generic 2-d correlation (reference path): out = cast(delta + sum k[i][j] * src[y-ay+i][x-ax+j]).
void filter2d_float(const Tensor& src, Tensor& dst, int64_t H, int64_t W, int64_t C, const std::vector<double>& k,
                    int64_t kh, int64_t kw, int64_t ax, int64_t ay, double delta, int border, bool use_double);

// Integer separable filter for u8 sources with integer kernels: exact int32 arithmetic,
//   out = saturate(sum_i ky[i] * sum_j kx[j] * src + idelta) for integer outputs, or converted
// exactly for float outputs (acc + delta). Used by Sobel/Scharr/sepFilter2D/boxFilter.
// Returns false if the sums could overflow int32 (the caller then uses sep_filter_float).
// With shift > 0 (OpenCV's 8-bit fixed-point sepFilter2D) integer outputs are
// saturate((acc + round(delta * 2^shift) + 2^(shift-1)) >> shift).
bool sep_filter_int(const Tensor& src, Tensor& dst, int64_t H, int64_t W, int64_t C, const std::vector<int32_t>& kx,
                    const std::vector<int32_t>& ky, int64_t ax, int64_t ay, double delta, int border, int shift = 0);

// The whole sepFilter2D decision (OpenCV's createSeparableLinearFilter): exact integer paths for
// uint8 sources where OpenCV's arithmetic is exact, the float path otherwise. kx/ky hold the
// kernel values as OpenCV sees them (already rounded to float where it uses float kernels).
Tensor sep_filter(const Tensor& contiguous_src, int64_t H, int64_t W, int64_t C, DType out, const std::vector<double>& kx,
                  const std::vector<double>& ky, int64_t ax, int64_t ay, double delta, int border);

// GaussianBlur(src.to(f32), ksize, 0, 0, border).to(u8) for a u8 image and a positive odd ksize
// (adaptiveThreshold's GAUSSIAN_C mean), without the two float images: the float filter reads the
// bytes and rounds its float sums straight to u8 — the same floats and the same rounding.
Tensor gaussian_f32_rounded_u8(const Tensor& src, Size ksize, int border);

}  // namespace ojo::filter_detail
