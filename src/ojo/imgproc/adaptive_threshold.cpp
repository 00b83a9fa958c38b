// adaptiveThreshold: OpenCV 4.6's cv::adaptiveThreshold, bit-exact.
//
// OpenCV (modules/imgproc/src/thresh.cpp): the local mean is boxFilter (u8 -> u8, normalised) or
// GaussianBlur of the image as float32 (sigma from the block size) rounded back to u8, both with
// BORDER_REPLICATE | BORDER_ISOLATED; then dst = table[src - mean + 255] where the 768-entry
// table compares src - mean with -ceil(C) (BINARY: >) or -floor(C) (BINARY_INV: <=). The local
// means come from ojo's filters (filter.hpp); only the comparison lives here.
#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>

#include "ojo/core/parallel.hpp"
#include "ojo/core/saturate.hpp"
#include "ojo/imgproc/border.hpp"
#include "ojo/imgproc/filter.hpp"
#include "ojo/imgproc/threshold.hpp"
#include "filter_engine.hpp"
#include "pixel_rows.hpp"

namespace ojo {
namespace {

using pixel_detail::PixelRows;
using pixel_detail::pixel_rows;

constexpr const char* kOp = "adaptiveThreshold";

// cvCeil / cvFloor of OpenCV on x86-64 (NaN and out-of-int-range values become INT_MIN first).
int cv_floor(double v) {
  const int i = (v > -2147483649.0 && v < 2147483648.0) ? static_cast<int>(v) : INT_MIN;
  return i - (i > v);
}
int cv_ceil(double v) {
  const int i = (v > -2147483649.0 && v < 2147483648.0) ? static_cast<int>(v) : INT_MIN;
  return i + (i < v);
}

void check_args(const Tensor& src, int method, int type, int blockSize) {
  const int64_t C = check_image(src, kOp);
  check(src.dtype() == DType::u8 && C == 1, kOp, "expected a one-channel uint8 image, got ", dtype_name(src.dtype()),
        " ", shape_str(src.shape()));
  check(blockSize % 2 == 1 && blockSize > 1, kOp, "blockSize must be odd and > 1 (3, 5, 7, ...), got ", blockSize);
  check(method == ADAPTIVE_THRESH_MEAN_C || method == ADAPTIVE_THRESH_GAUSSIAN_C, kOp, "unknown adaptiveMethod ",
        method, " (expected ADAPTIVE_THRESH_MEAN_C or ADAPTIVE_THRESH_GAUSSIAN_C)");
  check(type == THRESH_BINARY || type == THRESH_BINARY_INV, kOp, "unknown thresholdType ", type,
        " (expected THRESH_BINARY or THRESH_BINARY_INV)");
}

// The level the difference src - mean is compared with, clamped to where it can matter
// ([-256, 256]); OpenCV negates in 32-bit arithmetic (wrapping), so do the same.
int compare_level(int type, double C) {
  const int idelta = type == THRESH_BINARY ? cv_ceil(C) : cv_floor(C);
  const int neg = static_cast<int>(0u - static_cast<unsigned>(idelta));
  return std::clamp(neg, -256, 256);
}

// dst = (src - mean > level) ? maxval : 0 (BINARY) or the opposite (BINARY_INV), one row.
void compare_row(const uint8_t* src, const uint8_t* mean, uint8_t* dst, int64_t n, int16_t level, uint8_t on,
                 uint8_t off) {
  for (int64_t i = 0; i < n; ++i) {
    const int16_t d = static_cast<int16_t>(static_cast<int16_t>(src[i]) - static_cast<int16_t>(mean[i]));
    dst[i] = d > level ? on : off;
  }
}

Tensor adaptive_impl(const Tensor& src, double maxValue, int method, int type, int blockSize, double C,
                     bool reference) {
  check_args(src, method, type, blockSize);
  const Tensor img = src.dim() == 3 ? src.select(2, 0) : src;
  if (maxValue < 0) return zeros(img.shape(), DType::u8);
  const Size k{blockSize, blockSize};
  Tensor mean;
  if (method == ADAPTIVE_THRESH_MEAN_C)
    mean = reference ? ref::boxFilter(img, -1, k, {-1, -1}, true, BORDER_REPLICATE)
                     : boxFilter(img, -1, k, {-1, -1}, true, BORDER_REPLICATE);
  else if (reference)
    mean = ref::GaussianBlur(img.to(DType::f32), k, 0, 0, BORDER_REPLICATE).to(DType::u8);
  else
    mean = filter_detail::gaussian_f32_rounded_u8(img, k, BORDER_REPLICATE);
  const uint8_t imax = saturate_cast<uint8_t>(maxValue);
  const int level = compare_level(type, C);
  const uint8_t on = type == THRESH_BINARY ? imax : 0, off = type == THRESH_BINARY ? 0 : imax;
  Tensor dst = Tensor::empty(img.shape(), DType::u8);
  uint8_t* out = dst.data<uint8_t>();
  const int64_t H = img.size(0), W = img.size(1);
  if (reference) {  // OpenCV's 768-entry table, indexed by src - mean + 255
    uint8_t tab[768];
    for (int i = 0; i < 768; ++i) tab[i] = (i - 255 > level) ? on : off;
    const Tensor s = img.contiguous(), m = mean.contiguous();
    const uint8_t* ps = s.data<uint8_t>();
    const uint8_t* pm = m.data<uint8_t>();
    for (int64_t i = 0; i < H * W; ++i) out[i] = tab[ps[i] - pm[i] + 255];
    return dst;
  }
  Tensor keep, mkeep;
  const PixelRows<const uint8_t> s = pixel_rows<const uint8_t>(img, keep);
  const PixelRows<const uint8_t> m = pixel_rows<const uint8_t>(mean, mkeep);
  parallel_for(0, H, std::max<int64_t>(1, 32768 / W), [&](int64_t y0, int64_t y1) {
    for (int64_t y = y0; y < y1; ++y) compare_row(s.row(y), m.row(y), out + y * W, W, static_cast<int16_t>(level), on, off);
  });
  return dst;
}

}  // namespace

Tensor adaptiveThreshold(const Tensor& src, double maxValue, int adaptiveMethod, int thresholdType, int blockSize,
                         double C) {
  return adaptive_impl(src, maxValue, adaptiveMethod, thresholdType, blockSize, C, false);
}

namespace ref {
Tensor adaptiveThreshold(const Tensor& src, double maxValue, int adaptiveMethod, int thresholdType, int blockSize,
                         double C) {
  return adaptive_impl(src, maxValue, adaptiveMethod, thresholdType, blockSize, C, true);
}
}  // namespace ref

}  // namespace ojo
