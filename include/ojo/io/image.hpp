// Image files: imread / imwrite for PNG, JPEG, BMP and PGM/PPM (PNM), through libpng and
// libjpeg-turbo (the libraries OpenCV uses on Debian, so decoded pixels are identical).
//
// Channel order is RGB (ojo's default; cv2.imread returns BGR — convert with cvtColor if you
// port OpenCV code that indexes channels).
//
//   imread(path)                      u8 {H, W, 3} RGB            == cv2.cvtColor(cv2.imread(path), BGR2RGB)
//   imread(path, ImreadMode::gray)    u8 {H, W}                   == cv2.imread(path, 0)
//   imread(path, ImreadMode::unchanged)  as stored: {H, W} gray, {H, W, 2} gray+alpha, {H, W, 3} RGB,
//                                     {H, W, 4} RGBA; u8 or u16 (16-bit PNG / PNM)
//   imwrite(path, img, {.jpeg_quality = 90})   format from the extension (.png .jpg .jpeg .bmp .pgm .ppm .pnm)
//
// Safety: the whole file is validated before anything is returned; a header claiming more than
// kMaxImagePixels pixels (or a side above kMaxImageSide) is refused before any allocation, as
// OpenCV and Pillow do against decompression bombs. imwrite writes to a temporary file in the same
// folder and renames it, so a failed write never leaves a partial output.
// Every failure throws ojo::Error naming the operation, the file and what is wrong.
#pragma once

#include <cstdint>
#include <string>

#include "ojo/core/tensor.hpp"

namespace ojo {

enum class ImreadMode {
  color,     // 3-channel RGB u8 (cv::IMREAD_COLOR then BGR2RGB)
  gray,      // 1-channel u8, {H, W} (cv::IMREAD_GRAYSCALE, the guide's imread(path, 0))
  unchanged  // channels and depth as stored (cv::IMREAD_UNCHANGED, RGB(A) order)
};

inline constexpr int64_t kMaxImageSide = int64_t{1} << 20;    // as OpenCV's CV_IO_MAX_IMAGE_WIDTH/HEIGHT
inline constexpr int64_t kMaxImagePixels = int64_t{1} << 28;  // 268 MP; OpenCV allows 2^30

struct ImwriteOptions {
  int jpeg_quality = 95;      // 0..100, as cv::IMWRITE_JPEG_QUALITY
  int png_compression = 1;    // 0..9, as cv::IMWRITE_PNG_COMPRESSION (OpenCV's default is 1)
  bool jpeg_progressive = false;
};

Tensor imread(const std::string& path, ImreadMode mode = ImreadMode::color);
// Decodes an image held in memory (cv::imdecode); `what` names it in error messages.
Tensor imdecode(const std::string& bytes, ImreadMode mode = ImreadMode::color,
                const std::string& what = "<memory>");

// img: u8 {H, W}, {H, W, 1}, {H, W, 2} (PNG only), {H, W, 3} RGB, {H, W, 4} RGBA (PNG only);
// u16 for PNG and PNM. Any strides (views are fine).
void imwrite(const std::string& path, const Tensor& img, const ImwriteOptions& options = {});
// Encodes to the format named by `ext` (".png", ".jpg", ...), as cv::imencode.
std::string imencode(const std::string& ext, const Tensor& img, const ImwriteOptions& options = {});

}  // namespace ojo
