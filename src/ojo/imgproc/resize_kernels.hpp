// Internal to resize.cpp: vectorised passes (Highway, runtime dispatch) in resize_fast.cpp. Each
// returns how many elements it did, from the start; the caller finishes the rest.
#pragma once

#include <cstdint>

namespace ojo::resize_detail {

// LINEAR horizontal pass for cn = 1, 3 or 4 (others return 0):
//   D[dx] = S[xofs[dx]] * alpha[2dx] + S[xofs[dx] + cn] * alpha[2dx + 1]
// for dx < n, where xofs of a pixel's channels are consecutive; reads only S[0, swidth).
int64_t hresize_linear_fast(const uint8_t* S, int32_t* D, const int32_t* xofs, const int16_t* alpha, int64_t n,
                                int64_t cn, int64_t swidth);

// LINEAR vertical pass (OpenCV's u8 formula): D[x] = saturate((((S0[x] >> 4) * b0 >> 16) +
// ((S1[x] >> 4) * b1 >> 16) + 2) >> 2) for x < n.
int64_t vresize_linear_u8_fast(const int32_t* S0, const int32_t* S1, int16_t b0, int16_t b1, uint8_t* D, int64_t n);

// out[x] = sum_{r < nrows} src[r * step + x] for x < n (nrows <= 257, so the sums fit u16).
int64_t sum_rows_u8_fast(const uint8_t* src, int64_t step, int64_t nrows, uint16_t* out, int64_t n);

}  // namespace ojo::resize_detail
