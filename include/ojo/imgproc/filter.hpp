// Linear and median filters (the guide's §12–22): OpenCV's names, parameters and results.
//
//   Tensor blurred = ojo::GaussianBlur(gray, {5, 5}, 0);                  // cv2.GaussianBlur(gray, (5, 5), 0)
//   Tensor gx      = ojo::Sobel(gray, CV_16S, 1, 0);                      // cv2.Sobel(gray, cv2.CV_16S, 1, 0)
//   Tensor sharp   = ojo::filter2D(img, -1, ojo::namedKernel("sharpen")); // cv2.filter2D(img, -1, sharpen_filter)
//   Tensor med     = ojo::medianBlur(img, 5);                             // cv2.medianBlur(img, 5)
//
// Images: Tensors {H, W} or {H, W, C} (1 to 4 channels, filtered independently), any strides
// (ROI views, negative steps). Source dtypes: uint8, uint16, int16, float32, float64.
//
// ddepth (the output depth, OpenCV's constants from types.hpp): -1 = same as the source;
// otherwise, as OpenCV accepts: uint8 -> CV_8U/CV_16S/CV_32F/CV_64F, uint16 -> CV_16U/CV_32F/CV_64F,
// int16 -> CV_16S/CV_32F/CV_64F, float32 -> CV_32F/CV_64F, float64 -> CV_64F. Anything else throws.
//
// Borders (border.hpp): BORDER_REFLECT_101 (= BORDER_DEFAULT), BORDER_REFLECT, BORDER_REPLICATE,
// BORDER_CONSTANT (zeros), each optionally | BORDER_ISOLATED. BORDER_WRAP throws, as in OpenCV
// (GaussianBlur accepts it for uint8, like OpenCV). Kernels larger than the image are fine.
//
// ROI views: ojo treats every input as a whole image (OpenCV's BORDER_ISOLATED behaviour) and
// never reads pixels outside the view; OpenCV without BORDER_ISOLATED reads the parent image
// around a submatrix. Results equal OpenCV's on a copy of the ROI.
//
// Fidelity with OpenCV 4.6 (tests/imgproc/filter*_opencv_test.cpp):
//   - uint8 -> uint8 / int16 results are bit-exact for GaussianBlur (OpenCV's fixed-point
//     algorithm), blur/boxFilter, Sobel/Scharr (any ksize, integral scale/delta), Laplacian,
//     medianBlur, and filter2D/sepFilter2D with integer-valued kernels or the guide's kernels.
//   - filter2D with a kernel of area >= 130 (uint8 -> CV_8U/CV_16S, float32 -> CV_32F) or >= 50
//     (other pairs): OpenCV switches to a DFT whose float rounding ojo does not reproduce; ojo
//     computes the direct sum; 8-bit results may differ by 1 (tests allow 1, stated per test).
//   - Float outputs: computed in float (double for CV_64F); they agree with OpenCV to
//     1e-5 * max(1, |value|) (summation order differs).
//   - Fractional scale/delta with integer outputs, or fractional kernels, may rarely differ by
//     1 where OpenCV's float sum lands within a float rounding of .5.
//
// Errors (ojo::Error, naming the function): empty or non-image input, unsupported dtype or
// ddepth, even/negative/too-large ksize where OpenCV requires odd, dx/dy invalid for ksize,
// kernel not a non-empty 2-d f32/f64 matrix, anchor outside the kernel, unknown border type.
#pragma once

#include <string>
#include <utility>

#include "ojo/core/tensor.hpp"
#include "ojo/imgproc/border.hpp"
#include "ojo/imgproc/types.hpp"

namespace ojo {

// ksize value selecting the 3x3 Scharr kernel in Sobel/getDerivKernels (cv::FILTER_SCHARR).
enum : int { FILTER_SCHARR = -1 };

// cv::filter2D: correlation with `kernel` (f32/f64 {kh, kw}, any size):
//   dst(y, x) = saturate(delta + sum_{i,j} kernel(i, j) * src(y + i - anchor.y, x + j - anchor.x)).
// anchor {-1, -1} = kernel centre (kw/2, kh/2). Not flipped (use flip for a true convolution).
Tensor filter2D(const Tensor& src, int ddepth, const Tensor& kernel, Point anchor = {-1, -1}, double delta = 0,
                int borderType = BORDER_DEFAULT);

// cv::sepFilter2D: rows filtered with kernelX, then columns with kernelY (each an f32/f64 vector,
// {n, 1} or {1, n}): the same as filter2D with the outer product kernelY * kernelX^T.
Tensor sepFilter2D(const Tensor& src, int ddepth, const Tensor& kernelX, const Tensor& kernelY, Point anchor = {-1, -1},
                   double delta = 0, int borderType = BORDER_DEFAULT);

// cv::getGaussianKernel: {ksize, 1} coefficients exp(-(i - (ksize-1)/2)^2 / (2 sigma^2)) normalised
// to sum 1; sigma <= 0 means 0.3 * ((ksize - 1) * 0.5 - 1) + 0.8, and ksize 1/3/5/7/9 with sigma <= 0
// give OpenCV's fixed tables (e.g. 1/4, 1/2, 1/4). ktype CV_32F or CV_64F.
Tensor getGaussianKernel(int ksize, double sigma, int ktype = CV_64F);

// cv::GaussianBlur. ksize (width, height) odd and positive, or 0 to derive it from sigma
// (round(sigma * 3 * 2 + 1) | 1 for uint8, * 4 for other dtypes); sigmaY 0 = sigmaX; both 0 =
// derived from ksize. Output: same shape and dtype. uint8 is bit-exact with OpenCV.
Tensor GaussianBlur(const Tensor& src, Size ksize, double sigmaX, double sigmaY = 0, int borderType = BORDER_DEFAULT);

// cv::boxFilter: sum over a ksize window (anchor {-1,-1} = centre), divided by its area when
// `normalize`. Any ksize >= 1 (even sizes too). ddepth as above.
Tensor boxFilter(const Tensor& src, int ddepth, Size ksize, Point anchor = {-1, -1}, bool normalize = true,
                 int borderType = BORDER_DEFAULT);
// cv::blur: boxFilter(src, -1, ksize, anchor, true, borderType).
Tensor blur(const Tensor& src, Size ksize, Point anchor = {-1, -1}, int borderType = BORDER_DEFAULT);

// cv::getDerivKernels: returns {kx, ky}, each {n, 1} of ktype (CV_32F/CV_64F). ksize 1, 3, ..., 31
// (Sobel; 1 means 3 for the differentiated direction and [1] for the other) or FILTER_SCHARR.
// normalize scales the smoothing taps to sum 1 (and Sobel derivative taps by 2^-(ksize-order-1)).
std::pair<Tensor, Tensor> getDerivKernels(int dx, int dy, int ksize, bool normalize = false, int ktype = CV_32F);

// cv::Sobel: derivative of order (dx, dy) with the ksize Sobel kernel (1, 3, 5, ..., 31, or
// FILTER_SCHARR), times scale, plus delta. dx, dy >= 0, dx + dy > 0, each < ksize (< 3 for
// ksize 1). For uint8 images use ddepth CV_16S (or CV_32F/CV_64F) to keep negative values.
Tensor Sobel(const Tensor& src, int ddepth, int dx, int dy, int ksize = 3, double scale = 1, double delta = 0,
             int borderType = BORDER_DEFAULT);
// cv::Scharr: the 3x3 Scharr derivative; (dx, dy) must be (1, 0) or (0, 1).
Tensor Scharr(const Tensor& src, int ddepth, int dx, int dy, double scale = 1, double delta = 0,
              int borderType = BORDER_DEFAULT);
// cv::Laplacian: d2/dx2 + d2/dy2. ksize 1 uses [[0,1,0],[1,-4,1],[0,1,0]], ksize 3
// [[2,0,2],[0,-8,0],[2,0,2]]; ksize 5..31 (odd) sums two Sobel second derivatives (for uint8 and
// ksize 5 through int16, as OpenCV). Then * scale + delta.
Tensor Laplacian(const Tensor& src, int ddepth, int ksize = 1, double scale = 1, double delta = 0,
                 int borderType = BORDER_DEFAULT);

// cv::medianBlur: median of the ksize x ksize window (BORDER_REPLICATE). ksize odd >= 1 (1 =
// copy); 3 and 5 for uint8, uint16, int16, float32; larger only for uint8 with 1, 3 or 4 channels.
Tensor medianBlur(const Tensor& src, int ksize);

// The guide's named 3x3 kernels as f32 {3, 3} matrices (§15, §16, §18, §21):
//   "sobel_x"  [[-1,0,1],[-2,0,2],[-1,0,1]]    "sobel_y" [[-1,-2,-1],[0,0,0],[1,2,1]]
//   "laplacian" [[0,-1,0],[-1,4,-1],[0,-1,0]]  "sharpen" [[0,-1,0],[-1,5,-1],[0,-1,0]]
//   "emboss"   [[-2,-1,0],[-1,1,1],[0,1,2]]    "outline" [[-1,-1,-1],[-1,8,-1],[-1,-1,-1]]
//   "average"  ones / 9
// Throws for any other name (the message lists these).
Tensor namedKernel(const std::string& name);

// Plain reference implementations (same contracts), kept beside the fast paths and tested
// against OpenCV too.
namespace ref {
Tensor filter2D(const Tensor& src, int ddepth, const Tensor& kernel, Point anchor = {-1, -1}, double delta = 0,
                int borderType = BORDER_DEFAULT);
Tensor GaussianBlur(const Tensor& src, Size ksize, double sigmaX, double sigmaY = 0, int borderType = BORDER_DEFAULT);
Tensor boxFilter(const Tensor& src, int ddepth, Size ksize, Point anchor = {-1, -1}, bool normalize = true,
                 int borderType = BORDER_DEFAULT);
Tensor Sobel(const Tensor& src, int ddepth, int dx, int dy, int ksize = 3, double scale = 1, double delta = 0,
             int borderType = BORDER_DEFAULT);
Tensor medianBlur(const Tensor& src, int ksize);
}  // namespace ref

}  // namespace ojo
