// Image files: imread / imwrite for PNG, JPEG, BMP and PGM/PPM (PNM), through libpng and
// libjpeg-turbo (the libraries OpenCV uses on Debian, so decoded pixels are identical).
//
// Channel order is RGB (ojo's default; cv2.imread returns BGR — convert with cvtColor if you
// port OpenCV code that indexes channels).
//
//   imread(path)                      u8 {H, W, 3} RGB            == cv2.cvtColor(cv2.imread(path), BGR2RGB)
//   imread(path, ImreadMode::gray)    u8 {H, W}                   == cv2.imread(path, 0)
//   imread(path, ImreadMode::unchanged)  as cv::IMREAD_UNCHANGED: {H, W} gray, {H, W, 3} RGB,
//                                     {H, W, 4} RGBA; u8 or u16 (16-bit PNG / PNM). As OpenCV, a PNG
//                                     gray+alpha reads as RGBA (4 channels), a palette PNG with tRNS
//                                     as RGBA, a gray PNG's tRNS is ignored, a 32-bit BI_RGB BMP drops
//                                     its alpha byte, and JPEG is 1 or 3 channels.
//   imwrite(path, img, {.jpeg_quality = 90})   format from the extension (.png .jpg .jpeg .bmp .pgm .ppm .pnm)
//
// Fidelity: every mode gives exactly cv::imread's pixels (then BGR->RGB): the same libpng and
// libjpeg-turbo transforms as OpenCV 4.6's decoders (PNG gray through png_set_rgb_to_gray with
// 0.299/0.587, 16-bit stripped to the high byte, JPEG gray converted by libjpeg), OpenCV's
// fixed-point RGB->gray for BMP/PNM, and OpenCV's PNM maxval handling (see pnm.cpp). The EXIF
// orientation of JPEG (APP1) and PNG (eXIf) is applied in color and gray modes, not in unchanged,
// as cv::imread and cv::imdecode do. imwrite produces the same bytes as cv::imwrite for PNG (with
// the default png_compression = 1: SUB filter, Z_RLE, level 1 — OpenCV's defaults), JPEG (same
// quality/progressive) and BMP.
// Deliberate differences: a truncated or corrupt file throws (OpenCV returns an empty Mat, or for
// truncated JPEG a gray-padded image); an OS/2 BMP reports its real channel count in unchanged
// mode (OpenCV 4.6 says 1); a 32-bit BMP with unusual channel masks is refused; png_compression
// values other than 1 use libpng's adaptive filters, as OpenCV does when the level is given.
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
  int png_compression = 1;    // 0..9, as cv::IMWRITE_PNG_COMPRESSION (1 = OpenCV's default settings)
  bool jpeg_progressive = false;
};

Tensor imread(const std::string& path, ImreadMode mode = ImreadMode::color);
// Decodes an image held in memory (cv::imdecode); `what` names it in error messages.
Tensor imdecode(const std::string& bytes, ImreadMode mode = ImreadMode::color,
                const std::string& what = "<memory>");

// img: u8 {H, W}, {H, W, 1}, {H, W, 2} (PNG gray+alpha), {H, W, 3} RGB, {H, W, 4} RGBA (PNG; BMP
// writes it as 32-bit BGRA like OpenCV); u16 for PNG and PNM. Any strides (views are fine).
// Extensions: .png; .jpg .jpeg .jpe (1 or 3 channels); .bmp .dib; .pgm (1 channel), .ppm (3), .pnm.
// Throws ojo::Error for an unknown extension, a wrong dtype/shape, options out of range, or an
// unwritable path (then no file is created and an existing one is left untouched).
void imwrite(const std::string& path, const Tensor& img, const ImwriteOptions& options = {});
// Encodes to the format named by `ext` (".png", ".jpg", ...), as cv::imencode.
std::string imencode(const std::string& ext, const Tensor& img, const ImwriteOptions& options = {});

}  // namespace ojo
