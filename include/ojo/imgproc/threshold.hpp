// Thresholds: fixed, automatic (Otsu, triangle) and adaptive (OpenCV's cv::threshold and
// cv::adaptiveThreshold), bit-exact with OpenCV 4.6.
//
//   auto [t, binary] = ojo::threshold(gray, 10, 255, ojo::THRESH_BINARY);              // §17
//   auto [otsu, mask] = ojo::threshold(gray, 0, 255, ojo::THRESH_BINARY | ojo::THRESH_OTSU);
//   Tensor local = ojo::adaptiveThreshold(gray, 255, ojo::ADAPTIVE_THRESH_GAUSSIAN_C,
//                                         ojo::THRESH_BINARY, 11, 2);
//
// threshold(src, thresh, maxval, type) -> {retval, dst}
//   Every element (every channel) of src is compared with thresh:
//     THRESH_BINARY      dst = src > thresh ? maxval : 0
//     THRESH_BINARY_INV  dst = src > thresh ? 0 : maxval
//     THRESH_TRUNC       dst = src > thresh ? thresh : src
//     THRESH_TOZERO      dst = src > thresh ? src : 0
//     THRESH_TOZERO_INV  dst = src > thresh ? 0 : src
//   One of these may be or-ed with THRESH_OTSU or THRESH_TRIANGLE: the threshold is then computed
//   from the image's histogram and `thresh` is ignored (Otsu: u8 or u16, one channel — as OpenCV
//   4.6; triangle: u8, one channel).
//   dtypes: u8, u16, i16 (integer thresholds: thresh is floored and maxval rounded and saturated,
//   as OpenCV — so thresh 127.9 on u8 means "> 127"), f32 (thresh and maxval rounded to float),
//   f64. dst has src's shape and dtype. retval is the threshold used (floored for integer dtypes,
//   the computed one for OTSU/TRIANGLE). NaN pixels in float images: unspecified (OpenCV's own
//   result depends on the pixel's position in its SIMD loop).
//
// adaptiveThreshold(src, maxValue, adaptiveMethod, thresholdType, blockSize, C) -> dst
//   u8 {H, W} only. Each pixel is compared with a local mean minus C:
//     ADAPTIVE_THRESH_MEAN_C      mean = boxFilter(src, blockSize x blockSize), normalised, u8
//     ADAPTIVE_THRESH_GAUSSIAN_C  mean = GaussianBlur(f32(src), blockSize, sigma 0) rounded to u8
//   both with BORDER_REPLICATE (a ROI is a whole image). With THRESH_BINARY,
//   dst = src - mean > -ceil(C) ? maxValue : 0; THRESH_BINARY_INV uses src - mean <= -floor(C).
//   maxValue is saturated to u8; maxValue < 0 gives an all-zero image (as OpenCV).
//
// Errors (ojo::Error naming the operation): not an image or empty, unsupported dtype, unknown
// type, OTSU together with TRIANGLE, OTSU/TRIANGLE on a dtype or channel count OpenCV rejects;
// adaptiveThreshold: not u8 single-channel, blockSize even or < 3, unknown method or type.
#pragma once

#include <utility>

#include "ojo/core/tensor.hpp"

namespace ojo {

// cv::ThresholdTypes (same values: THRESH_BINARY | THRESH_OTSU works).
enum ThresholdTypes : int {
  THRESH_BINARY = 0,
  THRESH_BINARY_INV = 1,
  THRESH_TRUNC = 2,
  THRESH_TOZERO = 3,
  THRESH_TOZERO_INV = 4,
  THRESH_MASK = 7,
  THRESH_OTSU = 8,       // flag: Otsu's threshold (maximises the between-class variance)
  THRESH_TRIANGLE = 16,  // flag: the triangle method (Zack et al.)
};

// cv::AdaptiveThresholdTypes
enum AdaptiveThresholdTypes : int {
  ADAPTIVE_THRESH_MEAN_C = 0,
  ADAPTIVE_THRESH_GAUSSIAN_C = 1,
};

// cv::threshold. Returns {retval, dst}.
std::pair<double, Tensor> threshold(const Tensor& src, double thresh, double maxval, int type);

// cv::adaptiveThreshold.
Tensor adaptiveThreshold(const Tensor& src, double maxValue, int adaptiveMethod, int thresholdType, int blockSize,
                         double C);

// Plain reference loops (same contracts), kept beside the fast paths and tested against OpenCV.
namespace ref {
std::pair<double, Tensor> threshold(const Tensor& src, double thresh, double maxval, int type);
Tensor adaptiveThreshold(const Tensor& src, double maxValue, int adaptiveMethod, int thresholdType, int blockSize,
                         double C);
}  // namespace ref

}  // namespace ojo
