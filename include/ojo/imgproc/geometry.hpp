// Geometry: resize, flip, crop and warpAffine (OpenCV's cv::resize, cv::flip, cv::warpAffine),
// bit-exact with OpenCV 4.6 for u8.
//
//   Tensor small = ojo::resize(img, {640, 360});                          // width, height
//   Tensor half = ojo::resize(img, {}, 0.5, 0.5, ojo::INTER_AREA);          // by factors
//   Tensor mirror = ojo::flip(img, 1);                                      // left-right
//   Tensor face = ojo::crop(img, 100, 50, 64, 64);                           // a view, no copy
//   Tensor M = ojo::getRotationMatrix2D({w / 2.0, h / 2.0}, 30, 1.0);        // 30 degrees
//   Tensor rotated = ojo::warpAffine(img, M, {w, h});                       // bilinear, black border
//
// Images are {H, W} or {H, W, C} with 1 <= C <= 4; views (ROIs, negative steps) are accepted.
// Results are new contiguous tensors of the input's dtype (crop returns a view).
#pragma once

#include "ojo/core/tensor.hpp"
#include "ojo/imgproc/border.hpp"

namespace ojo {

// cv::InterpolationFlags (the subset resize implements; the others are rejected by name).
enum InterpolationFlags : int {
  INTER_NEAREST = 0,  // dst(x) = src(floor(x * src_w / dst_w)), clamped — OpenCV's (shifted) nearest
  INTER_LINEAR = 1,   // bilinear, 11-bit fixed point coefficients (u8) exactly as OpenCV's resize
  INTER_CUBIC = 2,    // bicubic (a = -0.75), 11-bit fixed point coefficients
  INTER_AREA = 3,     // pixel-area averaging when shrinking; bilinear-like when enlarging
  INTER_LANCZOS4 = 4,
  INTER_LINEAR_EXACT = 5,
  INTER_NEAREST_EXACT = 6,
  // Flags combined with an interpolation in warpAffine's `flags` (same enum as OpenCV, so
  // `INTER_CUBIC | WARP_INVERSE_MAP` is one type):
  WARP_FILL_OUTLIERS = 8,  // accepted and ignored, as cv::warpAffine does
  WARP_INVERSE_MAP = 16,   // M maps destination to source (else it is inverted first)
};

// cv::resize. Either dsize (width, height) is non-zero, or both fx and fy are > 0 and the size is
// (round(W*fx), round(H*fy)) (round half to even, as OpenCV). With dsize given, fx and fy are
// ignored and become dsize.width/W and dsize.height/H. A result the size of the input is a copy.
//   INTER_NEAREST: any dtype.  INTER_LINEAR, INTER_AREA, INTER_CUBIC: u8 (bit-exact with OpenCV 4.6,
//   including the places where OpenCV's SIMD rows and scalar tails round differently).
// Throws on an empty image, dsize and fx/fy both missing or negative, a zero-sized result, an
// unknown or unsupported interpolation, or an unsupported dtype.
Tensor resize(const Tensor& src, Size dsize, double fx = 0, double fy = 0, int interpolation = INTER_LINEAR);

// cv::flip: flipCode 0 flips vertically (around the x axis), > 0 horizontally (around the y
// axis), < 0 both. Any dtype. (OpenCV accepts any integer; ojo too, by sign.)
Tensor flip(const Tensor& src, int flipCode);

// The rectangle x, y, w, h of an image as a view sharing its memory — the same as
// `img.index({Slice(y, y + h), Slice(x, x + w)})` (NumPy's img[y:y+h, x:x+w]). Throws if the
// rectangle is empty or leaves the image.
Tensor crop(const Tensor& img, int64_t x, int64_t y, int64_t w, int64_t h);

// cv::getRotationMatrix2D: the f64 {2, 3} affine matrix that rotates by `angle` degrees
// (counter-clockwise, with y pointing down as in images) around `center` and scales by `scale`:
//   [ a  b  (1-a)*cx - b*cy ]      a = scale*cos(angle), b = scale*sin(angle)
//   [-b  a  b*cx + (1-a)*cy ]
// warpAffine applies it.
struct Point2d {
  double x = 0, y = 0;
};
Tensor getRotationMatrix2D(Point2d center, double angle, double scale);

// cv::warpAffine: dst(x, y) = src(M11 x + M12 y + M13, M21 x + M22 y + M23) where M is the inverse
// of the given f64 or f32 {2, 3} matrix (or M itself with WARP_INVERSE_MAP; a singular M inverts
// to zeros, as OpenCV). dsize is (width, height) of the result, (0, 0) for the source's size.
// flags: INTER_NEAREST, INTER_LINEAR (default), INTER_CUBIC or INTER_AREA (= LINEAR, as OpenCV),
// optionally | WARP_INVERSE_MAP. Source positions are quantised to 1/32 pixel and interpolated with
// OpenCV's 15-bit fixed-point weights, so u8 results are bit-exact with OpenCV 4.6.
// borderMode: BORDER_CONSTANT (borderValue per channel, missing channels 0; footprints partly
// outside blend it in), BORDER_REPLICATE, BORDER_REFLECT, BORDER_WRAP, BORDER_REFLECT_101, or
// BORDER_TRANSPARENT: the result starts as a copy of `dst` (required, u8, the result's shape) and
// pixels whose footprint leaves the source keep dst's value (for INTER_CUBIC: whose centre
// leaves it; the others reflect), as OpenCV does when it is given dst.
// u8 images {H, W} or {H, W, C}, 1 <= C <= 4, views accepted. Throws on an empty image, another
// dtype, M not {2, 3} f32/f64, unknown flags or border, INTER_LANCZOS4 (not implemented), a
// negative or half-zero dsize, and BORDER_TRANSPARENT without a matching dst.
Tensor warpAffine(const Tensor& src, const Tensor& M, Size dsize, int flags = INTER_LINEAR,
                  int borderMode = BORDER_CONSTANT, const std::vector<double>& borderValue = {},
                  const Tensor& dst = Tensor());

namespace ref {
Tensor resize(const Tensor& src, Size dsize, double fx = 0, double fy = 0, int interpolation = INTER_LINEAR);
Tensor flip(const Tensor& src, int flipCode);
Tensor warpAffine(const Tensor& src, const Tensor& M, Size dsize, int flags = INTER_LINEAR,
                  int borderMode = BORDER_CONSTANT, const std::vector<double>& borderValue = {},
                  const Tensor& dst = Tensor());
}  // namespace ref

}  // namespace ojo
