// Internal to gaussian_blur.cpp: the vectorised 8-bit fixed-point passes (Highway, runtime
// dispatch) in gaussian_fast.cpp. Each returns how many elements it did (a multiple of the vector
// width, from the start); the caller finishes the rest with the plain loop.
#pragma once

#include <cstdint>

namespace ojo::gauss_detail {

// 8-bit pass: out[x] = sum_t k[t] * src[t][x] for x < n, k symmetric with `taps` (odd) values
// summing to 256 (so the sums fit u16).
int64_t gauss_sum_u8_fast(const uint8_t* const* src, const uint16_t* k, int64_t taps, uint16_t* out, int64_t n);

// 16-bit pass: out[x] = (sum_t k[t] * r[x + t * step] + 2^15) >> 16 for x < n, k as above,
// r values <= 255 * 256.
int64_t gauss_round_u16_fast(const uint16_t* r, int64_t step, const uint16_t* k, int64_t taps, uint8_t* out, int64_t n);

// 16-bit pass for small sums: out[x] = (sum_t k[t] * r[x + t * step] + 2^(shift-1)) >> shift
// (no bias for shift 0), k symmetric, every partial sum <= 65280, shift <= 8.
int64_t gauss_shift_u16_fast(const uint16_t* r, int64_t step, const uint16_t* k, int64_t taps, int shift, uint8_t* out,
                             int64_t n);

}  // namespace ojo::gauss_detail
