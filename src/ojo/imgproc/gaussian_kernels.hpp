// Internal to gaussian_blur.cpp: the vectorised 8-bit fixed-point passes (Highway, runtime
// dispatch) in gaussian_fast.cpp. Each returns how many elements it did (a multiple of the vector
// width, from the start); the caller finishes the rest with the plain loop.
#pragma once

#include <cstdint>

namespace ojo::gauss_detail {

// Horizontal pass: out[x] = sum_j k[j] * p[x + j * step] for x < n, k symmetric with kw (odd)
// taps summing to 256; p points at tap 0 of the first output element.
int64_t gauss_row_u8_fast(const uint8_t* p, uint16_t* out, int64_t n, const uint16_t* k, int64_t kw, int64_t step);

// Vertical pass: out[x] = (sum_i k[i] * rows[i][x] + 2^15) >> 16 for x < n, k symmetric with kh
// (odd) taps summing to 256, rows[i][x] <= 255 * 256.
int64_t gauss_col_u8_fast(const uint16_t* const* rows, const uint16_t* k, int64_t kh, uint8_t* out, int64_t n);

}  // namespace ojo::gauss_detail
