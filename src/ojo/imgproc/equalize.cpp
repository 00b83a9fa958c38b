// equalizeHist (OpenCV 4.6's formula, bit-exact), the guide's §39 manual equalization (NumPy's
// result, bit-exact) and §37's per-channel equalization.
#include <cstdint>
#include <vector>

#include "ojo/core/saturate.hpp"
#include "ojo/imgproc/border.hpp"
#include "ojo/imgproc/histogram.hpp"
#include "pixel_rows.hpp"

namespace ojo {
namespace {

using pixel_detail::PixelRows;
using pixel_detail::pixel_rows;

void check_gray_u8(const Tensor& src, const char* op) {
  const int64_t C = check_image(src, op);
  check(src.dtype() == DType::u8 && C == 1, op, "expected a one-channel uint8 image, got ", dtype_name(src.dtype()),
        " ", shape_str(src.shape()));
}

// OpenCV's table: the lowest present value maps to 0, the rest to the scaled cumulative count.
Tensor opencv_table(const uint32_t* hist, int64_t total, bool& constant, int& only) {
  Tensor lut = Tensor::empty({256}, DType::u8);
  uint8_t* t = lut.data<uint8_t>();
  int i = 0;
  while (!hist[i]) ++i;
  constant = hist[i] == static_cast<uint64_t>(total);
  only = i;
  const float scale = 255.f / static_cast<float>(total - hist[i]);
  for (int k = 0; k < i; ++k) t[k] = 0;  // values not present: never looked up
  int64_t sum = 0;
  t[i++] = 0;
  for (; i < 256; ++i) {
    sum += hist[i];
    t[i] = saturate_cast<uint8_t>(static_cast<int>(sum) * scale);
  }
  return lut;
}

Tensor equalize_impl(const Tensor& src, bool reference) {
  check_gray_u8(src, "equalizeHist");
  const Tensor img = src.dim() == 3 ? src.select(2, 0) : src;
  uint32_t hist[256] = {};
  if (reference) {
    const Tensor c = img.contiguous();
    const uint8_t* p = c.data<uint8_t>();
    for (int64_t i = 0; i < c.numel(); ++i) ++hist[p[i]];
  } else {
    Tensor keep;
    pixel_detail::histogram_u8(pixel_rows<const uint8_t>(img, keep), 0, 1, nullptr, hist);
  }
  bool constant = false;
  int only = 0;
  const Tensor lut = opencv_table(hist, img.numel(), constant, only);
  if (constant) return full(src.shape(), only, DType::u8);
  return reference ? ref::LUT(src, lut) : LUT(src, lut);
}

}  // namespace

Tensor equalizeHist(const Tensor& src) { return equalize_impl(src, false); }

namespace ref {
Tensor equalizeHist(const Tensor& src) { return equalize_impl(src, true); }
}  // namespace ref

Tensor equalizeHistManual(const Tensor& src) {
  check_image(src, "equalizeHistManual");
  check(src.dtype() == DType::u8, "equalizeHistManual", "expected a uint8 image, got ", dtype_name(src.dtype()));
  const int64_t C = src.dim() == 3 ? src.size(2) : 1;
  uint32_t hist[256] = {};
  Tensor keep;
  const PixelRows<const uint8_t> rows = pixel_rows<const uint8_t>(src, keep);
  // One histogram over every value of every channel, as np.histogram(image.flatten(), 256, [0, 256]).
  for (int64_t c = 0; c < C; ++c) pixel_detail::histogram_u8(rows, c, C, nullptr, hist);
  // hist / hist.sum(), then cumsum (float64, in order), then np.uint8(255 * cdf) (truncation).
  const double total = static_cast<double>(src.numel());
  Tensor lut = Tensor::empty({256}, DType::u8);
  uint8_t* t = lut.data<uint8_t>();
  double cdf = 0;
  for (int i = 0; i < 256; ++i) {
    cdf += static_cast<double>(hist[i]) / total;
    t[i] = static_cast<uint8_t>(static_cast<int>(255.0 * cdf));
  }
  return LUT(src, lut);
}

Tensor equalizeHistPerChannel(const Tensor& img) {
  const int64_t C = check_image(img, "equalizeHistPerChannel");
  check(img.dtype() == DType::u8, "equalizeHistPerChannel", "expected a uint8 image, got ", dtype_name(img.dtype()));
  if (img.dim() == 2) return equalizeHist(img);
  Tensor out = Tensor::empty(img.shape(), DType::u8);
  for (int64_t c = 0; c < C; ++c) out.select(2, c).copy_(equalizeHist(img.select(2, c)));
  return out;
}

}  // namespace ojo
