// Internal to warpAffine: vectorised interpolation kernels (Highway, runtime dispatch) in
// warp_affine_fast.cpp.
#pragma once

#include <cstdint>

namespace ojo::warp_detail {

// Whether LINEAR pixel (sx, sy) of a contiguous `cn`-channel source (sw x sh, step bytes per row)
// goes through linear_row_c34_fast: its 2x2 footprint is inside and an 8-byte load at each of its
// two rows stays inside the source.
inline bool linear_vector_tap(int sx, int sy, int64_t sw, int64_t sh, int64_t cn, int64_t step) {
  return static_cast<unsigned>(sx) < static_cast<unsigned>(sw - 1) &&
         static_cast<unsigned>(sy) < static_cast<unsigned>(sh - 1) && (sy + 1) * step + sx * cn + 8 <= sh * step;
}

// Whether CUBIC pixel (cx, cy) (its 4x4 footprint's corner: the mapped position - 1) goes through
// cubic_row_c34_fast: the footprint is inside and a 16-byte load at each of its rows stays inside.
inline bool cubic_vector_tap(int cx, int cy, int64_t sw, int64_t sh, int64_t cn, int64_t step) {
  return sw >= 4 && sh >= 4 && static_cast<unsigned>(cx) < static_cast<unsigned>(sw - 3) &&
         static_cast<unsigned>(cy) < static_cast<unsigned>(sh - 3) && (cy + 3) * step + cx * cn + 16 <= sh * step;
}

// LINEAR rows of 3 or 4 channels: D[x] for x = x0, x0 + 1, ... while (xs[x], ys[x]) passes
// linear_vector_tap, as (sum of tap * weight + 2^14) >> 15 with the weights tab[as[x]] (w00, w01,
// w10, w11) -- the scalar formula, exact in 32 bits. Returns the first x in [x0, n) that does not
// pass (n if all do), having written exactly the pixels before it; returns -1, having done
// nothing, on a target without vectors.
int64_t linear_row_c34_fast(const uint8_t* S0, int64_t sw, int64_t sh, int64_t cn, const int* xs, const int* ys,
                            const int* as, const int16_t (*tab)[4], uint8_t* D, int64_t x0, int64_t n);

// CUBIC rows of 3 or 4 channels, the same contract with cubic_vector_tap(xs[x] - 1, ys[x] - 1, ...)
// and the 16 weights tab[as[x]] (row by row), the result saturated to 0..255 like the scalar loop.
int64_t cubic_row_c34_fast(const uint8_t* S0, int64_t sw, int64_t sh, int64_t cn, const int* xs, const int* ys,
                           const int* as, const int16_t (*tab)[16], uint8_t* D, int64_t x0, int64_t n);

}  // namespace ojo::warp_detail
