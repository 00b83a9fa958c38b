// Edges: the Canny detector (OpenCV's cv::Canny), bit-exact with OpenCV 4.6 (§20).
//
//   Tensor edges = ojo::Canny(gray, 50, 100);                 // cv2.Canny(gray, 50, 100)
//   Tensor fine  = ojo::Canny(rgb, 100, 200, 3, true);        // colour input, L2 gradient
//
// Canny(image, threshold1, threshold2, apertureSize = 3, L2gradient = false) -> u8 {H, W} of 0/255
//   image: u8 {H, W} or {H, W, C} (C <= 4). For colour images each pixel uses the channel with the
//   largest gradient magnitude (the first one on ties), as OpenCV does.
//   1. dx, dy = Sobel(image, CV_16S, 1, 0 / 0, 1, apertureSize, BORDER_REPLICATE) (ojo::Sobel);
//      apertureSize 7 uses scale 1/16 and divides both thresholds by 16 (OpenCV 4.x, to stay in
//      16 bits). (OpenCV 4.6 rejects -1/Scharr here, and so does ojo.)
//   2. magnitude m = |dx| + |dy|, or dx^2 + dy^2 with L2gradient (the thresholds are then squared
//      after being clamped to 32767); thresholds are ordered (low <= high) and floored to ints.
//   3. non-maximum suppression along the gradient direction, quantised with OpenCV's fixed-point
//      tangent test (tan 22.5 deg = 13573 / 2^15): a pixel with m > low survives if m beats its two
//      neighbours along that direction (> the one before, >= the one after; > both diagonally);
//      pixels outside the image have magnitude 0.
//   4. hysteresis: survivors with m > high are edges, and so is every survivor 8-connected to an
//      edge through survivors.
//   Views (ROIs, negative steps) are treated as whole images (OpenCV does the same for Canny).
//   Results do not depend on the thread count.
//
// Canny(dx, dy, threshold1, threshold2, L2gradient = false): the same from precomputed i16
// derivatives ({H, W} or {H, W, 3}, same shape), as cv::Canny's derivative overload (thresholds
// not divided by 16).
//
// Errors (ojo::Error naming Canny): not a u8 image or empty, apertureSize other than 3, 5 or 7;
// dx/dy not int16 of the same 1- or 3-channel shape.
#pragma once

#include "ojo/core/tensor.hpp"

namespace ojo {

// cv::Canny.
Tensor Canny(const Tensor& image, double threshold1, double threshold2, int apertureSize = 3, bool L2gradient = false);
// cv::Canny from derivatives.
Tensor Canny(const Tensor& dx, const Tensor& dy, double threshold1, double threshold2, bool L2gradient = false);

// Plain reference implementation (same contract), kept beside the fast path and tested against OpenCV.
namespace ref {
Tensor Canny(const Tensor& image, double threshold1, double threshold2, int apertureSize = 3, bool L2gradient = false);
}  // namespace ref

}  // namespace ojo
