// Internal: walk an image's pixel rows without copying views whose rows are contiguous.
// Used by threshold, histogram, LUT and Canny. Not a public header.
//
//   Tensor keep;
//   PixelRows<const uint8_t> in = pixel_rows<const uint8_t>(img, keep);
//   for (int64_t y = 0; y < in.rows; ++y) f(in.row(y), in.width);   // width = W * C elements
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "ojo/core/parallel.hpp"
#include "ojo/core/tensor.hpp"

namespace ojo::pixel_detail {

template <class T>
struct PixelRows {
  T* base = nullptr;
  int64_t rows = 0, width = 0, step = 0;  // width and step in elements
  bool contiguous = false;                // rows follow each other: the whole image is one run
  T* row(int64_t y) const { return base + y * step; }
};

// Rows of an {H, W} or {H, W, C} tensor. If each row's W*C elements are not adjacent in memory
// (e.g. a channel view, or a column step), `keep` receives a contiguous copy and the rows point
// into it. ROIs and negative row steps are walked in place.
template <class T>
PixelRows<T> pixel_rows(const Tensor& img, Tensor& keep) {
  const Tensor* t = &img;
  const int64_t H = img.size(0), W = img.size(1), C = img.dim() == 3 ? img.size(2) : 1;
  const auto& s = img.strides();
  const bool rows_dense = (W <= 1 || s[1] == C) && (C <= 1 || img.dim() < 3 || s[2] == 1);
  if (!rows_dense) {
    keep = img.contiguous();
    t = &keep;
  }
  PixelRows<T> r;
  r.base = static_cast<T*>(t->raw_data());
  r.rows = H;
  r.width = W * C;
  r.step = H > 1 ? t->strides()[0] : r.width;
  r.contiguous = r.step == r.width;
  return r;
}

// Splits rows [0, rows) into `parts` bands and calls f(part, y0, y1) for each on the thread pool
// (parts = thread count, at least one band per `min_rows` rows). Per-part partial results are
// merged by the caller in part order, so sums do not depend on the thread count.
template <class F>
int64_t for_each_band(int64_t rows, int64_t min_rows, F&& f) {
  const int64_t parts = std::max<int64_t>(1, std::min<int64_t>(get_num_threads(), rows / std::max<int64_t>(min_rows, 1)));
  parallel_for(0, parts, 1, [&](int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1; ++p) f(p, rows * p / parts, rows * (p + 1) / parts);
  });
  return parts;
}

// Adds the counts of the values at positions start, start+stride, ... (n of them) of rows
// [y0, y1) to hist[256]; with a mask (one byte per position, same row layout as `mask`), only
// where the mask is nonzero. Four interleaved tables keep consecutive equal values from stalling.
inline void count_u8(const PixelRows<const uint8_t>& in, int64_t y0, int64_t y1, int64_t start, int64_t stride,
                     int64_t n, const PixelRows<const uint8_t>* mask, uint32_t* hist) {
  uint32_t h[4][256] = {};
  for (int64_t y = y0; y < y1; ++y) {
    const uint8_t* p = in.row(y) + start;
    if (mask) {
      const uint8_t* m = mask->row(y);
      for (int64_t x = 0; x < n; ++x) h[0][p[x * stride]] += m[x] != 0;
      continue;
    }
    int64_t x = 0;
    if (stride == 1) {
      for (; x + 4 <= n; x += 4) {
        ++h[0][p[x]];
        ++h[1][p[x + 1]];
        ++h[2][p[x + 2]];
        ++h[3][p[x + 3]];
      }
    }
    for (; x < n; ++x) ++h[0][p[x * stride]];
  }
  for (int i = 0; i < 256; ++i) hist[i] += h[0][i] + h[1][i] + h[2][i] + h[3][i];
}

// Histogram of one channel of a u8 image (all rows, in parallel), optionally masked.
inline void histogram_u8(const PixelRows<const uint8_t>& in, int64_t channel, int64_t channels,
                         const PixelRows<const uint8_t>* mask, uint32_t* hist /*[256], zeroed*/) {
  const int64_t n = in.width / channels;
  std::vector<uint32_t> partial(static_cast<size_t>(get_num_threads()) * 256, 0);
  const int64_t parts = for_each_band(in.rows, std::max<int64_t>(1, 16384 / std::max<int64_t>(n, 1)),
                                      [&](int64_t p, int64_t y0, int64_t y1) {
                                        count_u8(in, y0, y1, channel, channels, n, mask, &partial[p * 256]);
                                      });
  for (int64_t p = 0; p < parts; ++p)
    for (int i = 0; i < 256; ++i) hist[i] += partial[p * 256 + i];
}

}  // namespace ojo::pixel_detail
