// Masks: colour thresholds, bitwise operations, masked assignment and copies (guide §9, §11).
//
// A mask is a u8 {H, W} (or {H, W, 1}) tensor: non-zero means "selected". Masks made here hold 0 and
// 255, as OpenCV's. Where OpenCV takes a mask (bitwise_*, setTo, copyTo) ojo also accepts int8 and
// bool masks (ojo's comparisons return bool); any other dtype or a different H×W throws.
//
//   Tensor mask   = ojo::inRange(rgb, {0, 0, 180}, {70, 70, 255});        // cv2.inRange
//   Tensor object = ojo::bitwise_and(rgb, rgb, ojo::bitwise_not(mask));    // cv2.bitwise_and(.., mask=)
//   ojo::setTo(rgb, {0, 0, 0}, mask);                                      // rgb[mask != 0] = [0, 0, 0]
//   Tensor magenta = ojo::colorMask(seg, {255, 0, 255});                   // np.all(seg == c, axis=-1)
//   Tensor out = ojo::chromaKey(scene, background, {.lowerb = {0, 0, 180}, .upperb = {70, 70, 255}});
//
// Inputs may be any view (ROI, negative steps). Results are new contiguous tensors, except setTo and
// the three-argument copyTo, which write into their argument (through views, as OpenCV does on ROIs).
#pragma once

#include <vector>

#include "ojo/core/tensor.hpp"
#include "ojo/imgproc/border.hpp"

namespace ojo {

// cv::inRange: 255 where lowerb[c] <= src[y, x, c] <= upperb[c] for every channel c, else 0.
// src: {H, W} or {H, W, C} (C <= 4), any dtype but bool and int64. Output u8 {H, W}.
// Bounds have one value per channel, or one value for all channels. For integer images they are
// rounded half to even (cvRound) and a range that is empty or outside the dtype selects nothing,
// as OpenCV; for float images they are compared as float.
// Throws if a bound has another length (e.g. 3 bounds for a gray image), or lowerb and upperb differ
// in length.
Tensor inRange(const Tensor& src, const std::vector<double>& lowerb, const std::vector<double>& upperb);
Tensor inRange(const Tensor& src, double lowerb, double upperb);

// cv::bitwise_not/and/or/xor on the bytes of the elements (any dtype, as OpenCV; bool tensors are
// treated as logical values, so bitwise_not of a bool mask is its logical negation). a and b must have
// the same shape and dtype, and be images ({H, W} or {H, W, C}, C <= 4). With a mask, pixels where the
// mask is 0 are 0 in the result (what Python's cv2.bitwise_and(a, b, mask=m) returns).
Tensor bitwise_not(const Tensor& src, const Tensor& mask = {});
Tensor bitwise_and(const Tensor& a, const Tensor& b, const Tensor& mask = {});
Tensor bitwise_or(const Tensor& a, const Tensor& b, const Tensor& mask = {});
Tensor bitwise_xor(const Tensor& a, const Tensor& b, const Tensor& mask = {});

// Mat::setTo: img[mask != 0] = value, in place (every pixel if mask is undefined). `value` has one
// entry per channel or a single entry for all; it is saturated to the dtype (rounded half to even
// for integer dtypes). Returns img (the same view) for chaining.
Tensor setTo(const Tensor& img, const std::vector<double>& value, const Tensor& mask = {});

// Mat::copyTo with a mask: dst[mask != 0] = src[mask != 0]; other dst pixels are kept. dst must have
// src's shape and dtype. The mask is {H, W} (applies to all channels) or {H, W, C} (per channel).
void copyTo(const Tensor& src, const Tensor& dst, const Tensor& mask);
// The Python form `dst = src.copyTo(mask)`: a new tensor, 0 where the mask is 0 (OpenCV zero-fills a
// freshly allocated destination).
Tensor copyTo(const Tensor& src, const Tensor& mask);

// np.all(img == colour, axis=-1) as a u8 {H, W} mask (255 where every channel equals colour).
// img: u8 {H, W} or {H, W, C}; colour has C entries. Values outside 0..255 match nothing.
Tensor colorMask(const Tensor& img, const std::vector<double>& colour);

// How chromaKey compares the screen colour.
enum class KeySpace { RGB, HSV };

struct ChromaKeyOptions {
  std::vector<double> lowerb, upperb;  // inRange bounds of the screen colour (in `space`)
  KeySpace space = KeySpace::RGB;      // HSV: bounds are OpenCV HSV (H 0..179), scene converted RGB2HSV
  Point origin{0, 0};                  // top-left corner of the crop taken from the background
};

// Blue/green-screen replacement (guide §9 "Cambio de Fondo", §11 "Green Screen"):
//   mask   = inRange(space == HSV ? cvtColor(scene, COLOR_RGB2HSV) : scene, lowerb, upperb)
//   crop   = background[origin.y : origin.y + H, origin.x : origin.x + W]
//   result = scene where mask == 0, crop where mask != 0       (= object + masked crop, as §9 adds them)
// scene and background: u8 with the same channel count (3 for HSV). Throws if the background is
// smaller than the scene (from `origin`), if origin is negative, or on bad bounds.
Tensor chromaKey(const Tensor& scene, const Tensor& background, const ChromaKeyOptions& options);

namespace ref {
// Plain per-element references (same contracts).
Tensor inRange(const Tensor& src, const std::vector<double>& lowerb, const std::vector<double>& upperb);
Tensor bitwise_not(const Tensor& src, const Tensor& mask = {});
Tensor bitwise_and(const Tensor& a, const Tensor& b, const Tensor& mask = {});
Tensor bitwise_or(const Tensor& a, const Tensor& b, const Tensor& mask = {});
Tensor bitwise_xor(const Tensor& a, const Tensor& b, const Tensor& mask = {});
Tensor setTo(const Tensor& img, const std::vector<double>& value, const Tensor& mask = {});
void copyTo(const Tensor& src, const Tensor& dst, const Tensor& mask);
}  // namespace ref

}  // namespace ojo
