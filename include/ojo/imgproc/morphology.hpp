// Morphology: structuring elements, erosion, dilation and the compound operations (OpenCV's
// cv::getStructuringElement, cv::erode, cv::dilate, cv::morphologyEx), bit-exact with OpenCV 4.6.
//
//   Tensor k = ojo::getStructuringElement(ojo::MORPH_ELLIPSE, {5, 5});   // u8 {5, 5} of 0/1
//   Tensor thin = ojo::erode(mask, k);                                    // min over the element
//   Tensor thick = ojo::dilate(mask, Tensor(), {-1, -1}, 2);              // 3x3 rect, twice
//   Tensor edges = ojo::morphologyEx(gray, ojo::MORPH_GRADIENT, k);      // dilate - erode
//
// Images: {H, W} or {H, W, C} (C <= 4, each channel on its own), dtypes u8, u16, i16, f32, f64
// (as OpenCV). Views (ROIs, negative steps) are accepted; a ROI is treated as a whole image (as
// OpenCV's BORDER_ISOLATED: pixels outside the view are never read). The result is a new
// contiguous tensor of the same shape and dtype.
//
// The kernel is a 2-d tensor {kh, kw} of any dtype; its nonzero entries form the element. An
// undefined (default) Tensor means a 3x3 rectangle, as OpenCV's empty Mat. `anchor` {-1, -1}
// is the kernel centre (kw/2, kh/2).
//
//   erode:  dst(y, x) = min over nonzero k(i, j) of src(y + i - anchor.y, x + j - anchor.x)
//   dilate: dst(y, x) = max over the same points (the kernel is not mirrored, as in OpenCV)
//
// Borders: pixels outside the image come from `borderType` (BORDER_CONSTANT, BORDER_REPLICATE,
// BORDER_REFLECT, BORDER_REFLECT_101; OpenCV rejects BORDER_WRAP here, and so does ojo). With BORDER_CONSTANT and the default
// borderValue (morphologyDefaultBorderValue()), the border never wins: erosion sees the dtype's
// maximum and dilation its minimum. Any other borderValue is used per channel (saturated to the
// dtype; channels beyond the list are 0, as cv::Scalar).
//
// Iterations follow OpenCV exactly (it matters at the borders): iterations == 0 or a 1x1 kernel
// copies the input; an undefined kernel with n iterations is ONE pass of a (2n+1)x(2n+1) rectangle;
// an all-nonzero (rectangular) kernel of size kw x kh with n > 1 iterations is ONE pass of a
// (kw + (n-1)(kw-1)) x (kh + (n-1)(kh-1)) rectangle with anchor n*anchor; any other kernel is
// applied n times.
//
// Errors (ojo::Error naming the operation): not an image, empty image, unsupported dtype, kernel
// not 2-d or empty, anchor outside the kernel, iterations < 0, unknown border type or operation,
// a kernel without any nonzero entry.
#pragma once

#include <vector>

#include "ojo/core/tensor.hpp"
#include "ojo/imgproc/border.hpp"

namespace ojo {

// cv::MorphShapes
enum MorphShapes : int {
  MORPH_RECT = 0,     // all ones
  MORPH_CROSS = 1,    // the anchor's row and column
  MORPH_ELLIPSE = 2,  // the ellipse inscribed in the ksize rectangle (OpenCV's rasterisation)
};

// cv::MorphTypes
enum MorphTypes : int {
  MORPH_ERODE = 0,
  MORPH_DILATE = 1,
  MORPH_OPEN = 2,      // dilate(erode(src))
  MORPH_CLOSE = 3,     // erode(dilate(src))
  MORPH_GRADIENT = 4,  // dilate(src) - erode(src)
  MORPH_TOPHAT = 5,    // src - open(src)          (saturating subtraction)
  MORPH_BLACKHAT = 6,  // close(src) - src
  MORPH_HITMISS = 7,   // u8 {H, W} only; kernel entries 1 = foreground, -1 = background, 0 = ignored
};

// The structuring element of `shape` and size ksize (width, height >= 1; even sizes are allowed),
// as u8 {height, width} of 0/1 (cv::getStructuringElement). The anchor only matters for
// MORPH_CROSS (the cross passes through it); {-1, -1} is the centre. A 1x1 size is always RECT.
// Throws on an unknown shape, a size < 1 or an anchor outside the element.
Tensor getStructuringElement(int shape, Size ksize, Point anchor = {-1, -1});

// cv::morphologyDefaultBorderValue(): four DBL_MAX, meaning "the border never wins".
std::vector<double> morphologyDefaultBorderValue();

Tensor erode(const Tensor& src, const Tensor& kernel = Tensor(), Point anchor = {-1, -1}, int iterations = 1,
             int borderType = BORDER_CONSTANT,
             const std::vector<double>& borderValue = morphologyDefaultBorderValue());
Tensor dilate(const Tensor& src, const Tensor& kernel = Tensor(), Point anchor = {-1, -1}, int iterations = 1,
              int borderType = BORDER_CONSTANT,
              const std::vector<double>& borderValue = morphologyDefaultBorderValue());

// cv::morphologyEx: `op` is one of MorphTypes; each erode/dilate inside uses the given kernel,
// anchor, iterations and border. MORPH_HITMISS needs a u8 {H, W} image (as OpenCV) and a kernel
// with signed entries (any integer or float dtype; 1 hit, -1 miss, 0 don't care).
Tensor morphologyEx(const Tensor& src, int op, const Tensor& kernel = Tensor(), Point anchor = {-1, -1},
                    int iterations = 1, int borderType = BORDER_CONSTANT,
                    const std::vector<double>& borderValue = morphologyDefaultBorderValue());

// Plain reference loops with the same contract (tests compare both with OpenCV).
namespace ref {
Tensor erode(const Tensor& src, const Tensor& kernel = Tensor(), Point anchor = {-1, -1}, int iterations = 1,
             int borderType = BORDER_CONSTANT,
             const std::vector<double>& borderValue = morphologyDefaultBorderValue());
Tensor dilate(const Tensor& src, const Tensor& kernel = Tensor(), Point anchor = {-1, -1}, int iterations = 1,
              int borderType = BORDER_CONSTANT,
              const std::vector<double>& borderValue = morphologyDefaultBorderValue());
}  // namespace ref

}  // namespace ojo
