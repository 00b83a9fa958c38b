// Internal to cvtColor: what a colour code does, and the row kernels that do it.
// A row kernel converts `n` pixels of one image row (contiguous, `scn` channels in, `dcn` out).
// Kernels see the whole row because OpenCV's float-based u8 conversions round differently in
// their SIMD blocks and in the scalar tail of each row, and ojo reproduces that (color_hsv.cpp).
#pragma once

#include <cstdint>

namespace ojo::color_detail {

enum class Kind { shuffle, to_gray, from_gray, to_hsv, from_hsv, to_hls, from_hls };

struct Conversion {
  Kind kind;
  int scn, dcn;   // channels in and out (scn: the actual input's)
  int blue;       // index of blue in the colour side (0 for BGR codes, 2 for RGB codes)
  bool swap;      // shuffle: exchange channels 0 and 2
  int hrange;     // HSV/HLS: 180, 256 (forward _FULL) or 255 (inverse _FULL); f32 uses 360
};

// u8 rows (HSV/HLS: bit-exact models of OpenCV 4.6 on AVX2). The float-based ones convert pixels
// [start, n) of a row whose first pixel is at src/dst: which model a pixel gets depends on its
// position in the row, so a fast kernel that did the first pixels hands over with `start`.
void hsv_row_u8(const uint8_t* src, uint8_t* dst, int64_t n, const Conversion& c);
void hsv2rgb_row_u8(const uint8_t* src, uint8_t* dst, int64_t n, const Conversion& c, int64_t start = 0);
void hls_row_u8(const uint8_t* src, uint8_t* dst, int64_t n, const Conversion& c, int64_t start = 0);
void hls2rgb_row_u8(const uint8_t* src, uint8_t* dst, int64_t n, const Conversion& c, int64_t start = 0);
// f32 rows (OpenCV's scalar formulas).
void hsv_row_f32(const float* src, float* dst, int64_t n, const Conversion& c);
void hsv2rgb_row_f32(const float* src, float* dst, int64_t n, const Conversion& c);
void hls_row_f32(const float* src, float* dst, int64_t n, const Conversion& c);
void hls2rgb_row_f32(const float* src, float* dst, int64_t n, const Conversion& c);

// Fast RGB(A)/BGR(A) u8 -> gray rows (Highway, runtime dispatch). Coefficients are for channels
// 0, 1, 2 in 15-bit fixed point (sum 32768).
void gray_row_u8_fast(const uint8_t* src, uint8_t* dst, int64_t n, int scn, int c0, int c1, int c2);
// Fast u8 channel shuffles (scn 3/4 -> dcn 3/4, optional swap of channels 0 and 2) and gray ->
// colour (scn 1). Returns how many pixels it did; the caller finishes with the reference row.
// With `stream` (dst aligned to 64 bytes) the output goes out with non-temporal stores.
int64_t shuffle_row_u8_fast(const uint8_t* src, uint8_t* dst, int64_t n, int scn, int dcn, bool swap,
                            bool stream = false);
// Fast u8 HSV/HLS rows (any hrange); same results as the rows above. The float-based ones run
// Highway with hardware FMA (AVX2, AVX-512) and leave everything to the reference rows elsewhere.
void hsv_row_u8_fast(const uint8_t* src, uint8_t* dst, int64_t n, const Conversion& c);
void hsv2rgb_row_u8_fast(const uint8_t* src, uint8_t* dst, int64_t n, const Conversion& c);
void hls_row_u8_fast(const uint8_t* src, uint8_t* dst, int64_t n, const Conversion& c);
void hls2rgb_row_u8_fast(const uint8_t* src, uint8_t* dst, int64_t n, const Conversion& c);

}  // namespace ojo::color_detail
