// Histograms, equalization and lookup tables (OpenCV's cv::calcHist, cv::equalizeHist, cv::LUT,
// bit-exact with OpenCV 4.6), plus the guide's manual equalization (§39) and its colour recipes
// (§37–38).
//
//   Tensor h = ojo::calcHist({gray}, {0}, Tensor(), {256}, {0, 256});          // f32 {256, 1}
//   Tensor h3 = ojo::calcHist({rgb}, {0, 1, 2}, mask, {8, 8, 8}, {0, 256, 0, 256, 0, 256});
//   Tensor eq = ojo::equalizeHist(gray);                                       // OpenCV's formula
//   Tensor eq39 = ojo::equalizeHistManual(gray);                               // §39, NumPy's result
//   Tensor v_eq = ojo::equalizeHistHSV(rgb);                                   // §38: equalize V
//
// calcHist(images, channels, mask, histSize, ranges, uniform = true, accumulate = false, hist = {})
//   Counts pixels into a dims-dimensional histogram, dims = histSize.size() (1 to 3).
//   images: one or more {H, W} / {H, W, C} tensors of the same H, W and dtype (u8, u16 or f32);
//     their channels are numbered one after the other (image 0's channels first, ...).
//   channels: dims channel numbers, one per histogram dimension; empty means "channel 0 of each
//     image" (then images.size() must be dims and each image one-channel), as OpenCV.
//   mask: undefined, or u8/bool {H, W}; only pixels where it is nonzero are counted.
//   ranges (as floats, like OpenCV): uniform: 2 numbers per dimension, [low, high) split into
//     histSize[i] equal bins — a value v is counted if low <= v < high, in bin
//     floor(v * histSize/(high - low) - low * histSize/(high - low)) clamped to [0, histSize-1]
//     (OpenCV's double arithmetic; for u8 ranges may be empty, meaning [0, 256)).
//     Non-uniform (uniform = false): histSize[i] + 1 increasing bin edges per dimension, all
//     dimensions one after the other; bin k holds edge[k] <= v < edge[k+1].
//   accumulate: add to `hist` (f32, the shape below) instead of starting from zero; `hist` is not
//     modified, the sum is returned (OpenCV rounds hist to integers first, and so does ojo).
//   Returns f32 counts shaped as OpenCV's Mat: {histSize[0], 1} for one dimension,
//   {histSize[0], histSize[1]} or {histSize[0], histSize[1], histSize[2]} otherwise.
//   NaN pixels of f32 images land in bin 0, as in OpenCV.
//
// equalizeHist(src): u8 {H, W}. OpenCV's formula: with N pixels and i0 the lowest value present,
//   lut[i0] = 0 and, for i > i0, lut[i] = saturate_u8(round(float(hist[i0+1] + ... + hist[i]) *
//   (255.f / (N - hist[i0])))) in float arithmetic; dst = lut[src]. An image with a single value
//   becomes all that value.
// equalizeHistManual(src): u8 {H, W} or {H, W, C} (one histogram over all values, as the guide's
//   NumPy code): p = hist / N, cdf = cumsum(p) (float64, in order), lut = uint8(255 * cdf) with
//   truncation. This is NOT OpenCV's formula (no shift of the lowest bin to 0; truncation instead
//   of rounding), so results differ from equalizeHist; it matches NumPy exactly.
// equalizeHistPerChannel(img): equalizeHist on each channel of {H, W, C} (§37), any C.
// equalizeHistHSV(rgb, channel = 2): RGB -> HSV (H 0..179), equalizeHist of channel 0 (H),
//   1 (S) or 2 (V), back to RGB (§38). u8 {H, W, 3}.
//
// LUT(src, lut): dst[i] = lut[src[i]] for a u8 image of any channel count. lut has 256 entries
//   (shape {256}, {256, 1}, {1, 256}), or 256 per channel (shape {256, C} or {1, 256, C} with C
//   = src's channels, lut[v, c]); any dtype — dst takes lut's dtype and src's shape (cv::LUT).
//
// Errors (ojo::Error naming the operation): not an image or empty, unsupported dtype, images of
// different sizes or dtypes, a channel number out of range, histSize/channels/ranges counts that
// do not match, histSize < 1, ranges not increasing, mask of the wrong size or type, accumulate
// without a matching hist, equalizeHist on anything but one-channel u8, LUT without 256 entries.
#pragma once

#include <vector>

#include "ojo/core/tensor.hpp"

namespace ojo {

// cv::calcHist (the C++ overload with `uniform`; cv2.calcHist is uniform = true).
Tensor calcHist(const std::vector<Tensor>& images, const std::vector<int>& channels, const Tensor& mask,
                const std::vector<int>& histSize, const std::vector<float>& ranges, bool uniform = true,
                bool accumulate = false, const Tensor& hist = Tensor());

// cv::equalizeHist.
Tensor equalizeHist(const Tensor& src);
// The guide's §39 algorithm (NumPy semantics; not OpenCV's formula).
Tensor equalizeHistManual(const Tensor& src);
// §37: equalizeHist on every channel.
Tensor equalizeHistPerChannel(const Tensor& img);
// §38: equalize one HSV channel (0 = H, 1 = S, 2 = V) of an RGB image.
Tensor equalizeHistHSV(const Tensor& rgb, int channel = 2);

// cv::LUT.
Tensor LUT(const Tensor& src, const Tensor& lut);

// Plain reference loops (same contracts), kept beside the fast paths and tested against OpenCV.
namespace ref {
Tensor calcHist(const std::vector<Tensor>& images, const std::vector<int>& channels, const Tensor& mask,
                const std::vector<int>& histSize, const std::vector<float>& ranges, bool uniform = true,
                bool accumulate = false, const Tensor& hist = Tensor());
Tensor equalizeHist(const Tensor& src);
Tensor LUT(const Tensor& src, const Tensor& lut);
}  // namespace ref

}  // namespace ojo
