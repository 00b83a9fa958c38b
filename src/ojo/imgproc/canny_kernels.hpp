// Internal to canny.cpp: vectorised row kernels (Highway, runtime dispatch) in canny_fast.cpp.
#pragma once

#include <cstdint>

namespace ojo::canny_detail {

// For pixels j of a row of 3-channel derivatives: mag[j] = the largest channel magnitude
// (|dx| + |dy|, or dx^2 + dy^2 with l2), sdx[j] / sdy[j] = that channel's derivatives (the first
// channel on ties). Returns how many pixels it did, from the start; the caller does the rest.
int64_t magnitude_c3_fast(const int16_t* dx, const int16_t* dy, int64_t W, bool l2, int32_t* mag, int16_t* sdx,
                          int16_t* sdy);

// Non-maximum suppression of pixels [0, done) of a row, as canny.cpp's suppress_row: map[j] = 1 (not
// an edge), 0 (weak survivor) or 2 (strong). mp, ma, mn: magnitudes of the rows above, at and below,
// readable at -1 and W. Writes the indices of strong pixels to `strong` (room for W + 64) and
// their count to *nstrong; returns done.
int64_t suppress_row_fast(const int32_t* mp, const int32_t* ma, const int32_t* mn, const int16_t* dx, const int16_t* dy,
                          int64_t W, int32_t low, int32_t high, uint8_t* map, int32_t* strong, int64_t* nstrong);

}  // namespace ojo::canny_detail
