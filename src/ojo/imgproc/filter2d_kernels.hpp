// Internal to filter2D: the vectorised integer correlation of uint8 rows (filter2d_fast.cpp).
#pragma once

#include <cstdint>

namespace ojo::filter2d_detail {

// One output row of an integer kernel's taps: out[x] = init + Σ_t coef[t] · rows[row[t]][offset[t] + x]
// for x < n, in 16-bit lanes — exact when no partial sum leaves int16 (the caller's bound). The
// uint8 output saturates as OpenCV's saturate_cast. Returns n, or 0 (nothing written) for rows
// narrower than a vector and on targets without vectors: the caller's plain loop does those.
int64_t taps_to_i16(const uint8_t* const* rows, const int16_t* coef, const int64_t* row, const int64_t* offset,
                    int64_t taps, int16_t init, int16_t* out, int64_t n);
int64_t taps_to_u8(const uint8_t* const* rows, const int16_t* coef, const int64_t* row, const int64_t* offset,
                   int64_t taps, int16_t init, uint8_t* out, int64_t n);

}  // namespace ojo::filter2d_detail
