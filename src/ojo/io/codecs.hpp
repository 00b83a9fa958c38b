// Internal interface between image.cpp (dispatch, limits, EXIF orientation) and the per-format
// codecs png.cpp, jpeg.cpp, bmp.cpp, pnm.cpp. Not installed; not part of the public API.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "ojo/core/error.hpp"
#include "ojo/core/tensor.hpp"
#include "ojo/io/image.hpp"

namespace ojo::io_detail {

// Who is asking and about which file: errors read "<op>: <what>: <problem>".
struct Where {
  std::string op;    // "imread", "imdecode", "imwrite", "imencode"
  std::string what;  // the path, or "<memory>"
};

template <class... Args>
[[noreturn]] void fail_at(const Where& at, Args&&... parts) {
  fail(at.op, at.what, ": ", std::forward<Args>(parts)...);
}

// Refuses images above kMaxImageSide / kMaxImagePixels (call before allocating).
void check_image_size(const Where& at, const char* format, int64_t width, int64_t height);

// What a decoder returns besides pixels: the EXIF orientation (1..8, 1 = as stored, 0 = none).
struct Decoded {
  Tensor image;
  int orientation = 0;
};

// Decoders follow OpenCV 4.6's imread for each mode (see image.hpp); RGB(A) channel order.
Decoded decode_png(const std::string& bytes, ImreadMode mode, const Where& at);
Decoded decode_jpeg(const std::string& bytes, ImreadMode mode, const Where& at);
Decoded decode_bmp(const std::string& bytes, ImreadMode mode, const Where& at);
Decoded decode_pnm(const std::string& bytes, ImreadMode mode, const Where& at);

// Encoders take a tensor already checked by image.cpp: u8/u16, {H, W} or {H, W, C}, with each
// row contiguous (strides {W*C, C, 1} up to the row stride).
std::string encode_png(const Tensor& img, const ImwriteOptions& options, const Where& at);
std::string encode_jpeg(const Tensor& img, const ImwriteOptions& options, const Where& at);
std::string encode_bmp(const Tensor& img, const Where& at);
// ext ".pgm" takes 1 channel (P5), ".ppm" 3 channels (P6), ".pnm" either.
std::string encode_pnm(const Tensor& img, const std::string& ext, const Where& at);

// The orientation tag (0x0112) of a TIFF-structured EXIF block ("II*\0..." or "MM\0*..."),
// or 0 when absent or unreadable.
int exif_orientation(const unsigned char* tiff, size_t size);

// OpenCV's fixed-point RGB -> gray (imgcodecs' icvCvt_BGR2Gray: 0.299 R + 0.587 G + 0.114 B with
// 14-bit coefficients 4899, 9617, 1868, rounded), used by the BMP and PNM decoders.
inline uint8_t cv_gray(int r, int g, int b) {
  return static_cast<uint8_t>((r * 4899 + g * 9617 + b * 1868 + (1 << 13)) >> 14);
}

// Number of channels and rows of an image tensor: {H, W} -> 1, {H, W, C} -> C.
inline int64_t channels_of(const Tensor& img) { return img.dim() == 2 ? 1 : img.size(2); }

}  // namespace ojo::io_detail
