// Colour-space conversion: cv::cvtColor with OpenCV's ColorConversionCodes.
//
//   Tensor gray = ojo::cvtColor(rgb, ojo::COLOR_RGB2GRAY);     // {H, W, 3} u8 -> {H, W} u8
//   Tensor hsv  = ojo::cvtColor(rgb, ojo::COLOR_RGB2HSV);      // H 0..179, S and V 0..255
//   Tensor back = ojo::cvtColor(hsv, ojo::COLOR_HSV2RGB);
//
// ojo images are RGB (imread returns RGB), so the RGB* codes are the ones to use on them; the BGR*
// codes exist for data laid out the OpenCV way. A code names the layout of the array it is applied
// to: COLOR_BGR2HSV on an RGB array swaps red and blue, exactly as OpenCV would.
//
// Input: u8 or f32, {H, W} or {H, W, 1} for GRAY2*, {H, W, 3} or {H, W, 4} for the colour codes
// (alpha is ignored; *2BGRA/*2RGBA add it, 255 for u8 and 1.0 for f32). Any view (ROI, negative
// steps) is accepted. Output: a new contiguous tensor of the same dtype; one-channel results are
// {H, W}.
//
// Codes (OpenCV's numeric values):
//   channel order   BGR2BGRA/RGB2RGBA 0, BGRA2BGR/RGBA2RGB 1, BGR2RGBA/RGB2BGRA 2, RGBA2BGR/BGRA2RGB 3,
//                   BGR2RGB/RGB2BGR 4, BGRA2RGBA/RGBA2BGRA 5 (3- or 4-channel input for every one, as
//                   OpenCV: alpha is copied when both sides have it)
//   gray            BGR2GRAY 6, RGB2GRAY 7, BGRA2GRAY 10, RGBA2GRAY 11: Y = 0.299 R + 0.587 G + 0.114 B
//                   (u8: OpenCV's 15-bit fixed point, (9798 R + 19235 G + 3735 B + 2^14) >> 15);
//                   GRAY2BGR/GRAY2RGB 8, GRAY2BGRA/GRAY2RGBA 9
//   HSV             BGR2HSV 40, RGB2HSV 41, HSV2BGR 54, HSV2RGB 55 — u8: H in 0..179 (degrees / 2)
//                   BGR2HSV_FULL 66, RGB2HSV_FULL 67, HSV2BGR_FULL 70, HSV2RGB_FULL 71 — u8: H 0..255
//   HLS             BGR2HLS 52, RGB2HLS 53, HLS2BGR 60, HLS2RGB 61, and the _FULL variants 68, 69, 72, 73
//   u8 HSV/HLS: S, V, L are 0..255. f32 (both range variants): H in degrees 0..360, S, V, L in 0..1
//   (input RGB expected in 0..1).
//   `dstCn` (0 = automatic) may be 3 or 4 for HSV2*/HLS2* (4 adds alpha), as OpenCV; other codes
//   ignore it, as OpenCV does.
//
// Fidelity: u8 results are bit-exact with OpenCV 4.6 on an x86-64 machine with AVX2 (its dispatched
// code path). For HSV2*, RGB2HLS* and HLS2* OpenCV goes through float arithmetic whose rounding
// differs between its SIMD blocks and its scalar tail (e.g. HSV2RGB truncates in SIMD blocks of 32
// pixels and rounds in the tail of each row); ojo reproduces that, so results depend on the pixel's
// column the same way OpenCV's do. f32 results agree with OpenCV to 1e-5 absolute for values in
// 0..1 and 1e-3 degrees for hue (OpenCV mixes FMA and non-FMA paths).
//
// Errors (ojo::Error, message starts with "cvtColor:"): unknown or unsupported code (Lab, YUV, ...),
// wrong channel count for the code, dtype other than u8/f32, empty or non-image input, bad dstCn.
#pragma once

#include "ojo/core/tensor.hpp"

namespace ojo {

// cv::ColorConversionCodes (the subset ojo implements; values are OpenCV's).
enum ColorConversionCodes : int {
  COLOR_BGR2BGRA = 0,
  COLOR_RGB2RGBA = COLOR_BGR2BGRA,
  COLOR_BGRA2BGR = 1,
  COLOR_RGBA2RGB = COLOR_BGRA2BGR,
  COLOR_BGR2RGBA = 2,
  COLOR_RGB2BGRA = COLOR_BGR2RGBA,
  COLOR_RGBA2BGR = 3,
  COLOR_BGRA2RGB = COLOR_RGBA2BGR,
  COLOR_BGR2RGB = 4,
  COLOR_RGB2BGR = COLOR_BGR2RGB,
  COLOR_BGRA2RGBA = 5,
  COLOR_RGBA2BGRA = COLOR_BGRA2RGBA,
  COLOR_BGR2GRAY = 6,
  COLOR_RGB2GRAY = 7,
  COLOR_GRAY2BGR = 8,
  COLOR_GRAY2RGB = COLOR_GRAY2BGR,
  COLOR_GRAY2BGRA = 9,
  COLOR_GRAY2RGBA = COLOR_GRAY2BGRA,
  COLOR_BGRA2GRAY = 10,
  COLOR_RGBA2GRAY = 11,
  COLOR_BGR2HSV = 40,
  COLOR_RGB2HSV = 41,
  COLOR_BGR2HLS = 52,
  COLOR_RGB2HLS = 53,
  COLOR_HSV2BGR = 54,
  COLOR_HSV2RGB = 55,
  COLOR_HLS2BGR = 60,
  COLOR_HLS2RGB = 61,
  COLOR_BGR2HSV_FULL = 66,
  COLOR_RGB2HSV_FULL = 67,
  COLOR_BGR2HLS_FULL = 68,
  COLOR_RGB2HLS_FULL = 69,
  COLOR_HSV2BGR_FULL = 70,
  COLOR_HSV2RGB_FULL = 71,
  COLOR_HLS2BGR_FULL = 72,
  COLOR_HLS2RGB_FULL = 73,
};

// Converts `src` to another colour space (cv::cvtColor). See the top of this file.
Tensor cvtColor(const Tensor& src, int code, int dstCn = 0);

// The name of a code as OpenCV spells it ("COLOR_RGB2HSV"), or "" for a code ojo does not know.
const char* color_code_name(int code);

namespace ref {
// Plain per-pixel reference of cvtColor (same contract, single-threaded, no vector tricks).
Tensor cvtColor(const Tensor& src, int code, int dstCn = 0);
}  // namespace ref

}  // namespace ojo
