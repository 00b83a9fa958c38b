// imread / imdecode / imwrite / imencode: format dispatch, size limits and EXIF orientation.
// The codecs live in png.cpp, jpeg.cpp, bmp.cpp and pnm.cpp.
#include "ojo/io/image.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>

#include "codecs.hpp"
#include "ojo/io/file.hpp"

namespace ojo {
namespace io_detail {

void check_image_size(const Where& at, const char* format, int64_t width, int64_t height) {
  if (width > kMaxImageSide || height > kMaxImageSide || width * height > kMaxImagePixels)
    fail_at(at, format, " header claims ", width, "x", height, " pixels, above the limit of ", kMaxImageSide,
            " per side and ", kMaxImagePixels, " pixels (refused before allocating)");
}

int exif_orientation(const unsigned char* tiff, size_t size) {
  if (size < 8) return 0;
  const bool little = tiff[0] == 'I' && tiff[1] == 'I';
  if (!little && !(tiff[0] == 'M' && tiff[1] == 'M')) return 0;
  auto u16 = [&](size_t at) -> uint32_t {
    return little ? tiff[at] | tiff[at + 1] << 8 : tiff[at] << 8 | tiff[at + 1];
  };
  auto u32 = [&](size_t at) -> uint32_t {
    return little ? u16(at) | u16(at + 2) << 16 : u16(at) << 16 | u16(at + 2);
  };
  if (u16(2) != 42) return 0;
  const size_t ifd = u32(4);
  if (ifd > size - 2) return 0;
  const size_t entries = u16(ifd);
  for (size_t i = 0; i < entries; ++i) {
    const size_t e = ifd + 2 + 12 * i;
    if (e > size - 12) return 0;
    if (u16(e) == 0x0112) return static_cast<int>(u16(e + 8));  // SHORT value, stored inline
  }
  return 0;
}

namespace {

// As OpenCV's ApplyExifOrientation: 2 mirror, 3 rotate 180, 4 flip, 5 transpose, 6 rotate 90 cw,
// 7 transverse, 8 rotate 90 ccw. Only u8 images reach here.
Tensor apply_orientation(const Tensor& in, int orientation) {
  if (orientation < 2 || orientation > 8) return in;
  const bool transpose = orientation >= 5;
  const bool flip_x = orientation == 2 || orientation == 3 || orientation == 6 || orientation == 7;
  const bool flip_y = orientation == 3 || orientation == 4 || orientation == 7 || orientation == 8;
  const int64_t h = in.size(0), w = in.size(1), c = in.dim() == 3 ? in.size(2) : 1;
  const int64_t oh = transpose ? w : h, ow = transpose ? h : w;
  Shape shape = in.shape();
  shape[0] = oh;
  shape[1] = ow;
  Tensor out = Tensor::empty(shape, DType::u8);
  const auto* s = static_cast<const uint8_t*>(in.raw_data());
  auto* d = static_cast<uint8_t*>(out.raw_data());
  for (int64_t y = 0; y < oh; ++y) {
    const int64_t ty = flip_y ? oh - 1 - y : y;
    for (int64_t x = 0; x < ow; ++x) {
      const int64_t tx = flip_x ? ow - 1 - x : x;
      const int64_t sy = transpose ? tx : ty, sx = transpose ? ty : tx;
      std::memcpy(d + (y * ow + x) * c, s + (sy * w + sx) * c, static_cast<size_t>(c));
    }
  }
  return out;
}

bool starts_with(const std::string& bytes, const char* magic, size_t n) {
  return bytes.size() >= n && std::memcmp(bytes.data(), magic, n) == 0;
}

Tensor decode(const std::string& bytes, ImreadMode mode, const Where& at) {
  if (bytes.empty()) fail_at(at, "empty file, not an image");
  Decoded d;
  if (starts_with(bytes, "\x89PNG\r\n\x1a\n", 8)) {
    d = decode_png(bytes, mode, at);
  } else if (starts_with(bytes, "\xff\xd8\xff", 3)) {
    d = decode_jpeg(bytes, mode, at);
  } else if (starts_with(bytes, "BM", 2)) {
    d = decode_bmp(bytes, mode, at);
  } else if (bytes.size() >= 3 && bytes[0] == 'P' && bytes[1] >= '1' && bytes[1] <= '6' &&
             std::isspace(static_cast<unsigned char>(bytes[2]))) {
    d = decode_pnm(bytes, mode, at);
  } else {
    char first[40];
    const size_t n = std::min<size_t>(bytes.size(), 8);
    size_t k = 0;
    for (size_t i = 0; i < n; ++i)
      k += std::snprintf(first + k, sizeof first - k, "%02x", static_cast<unsigned char>(bytes[i]));
    fail_at(at, "unknown image format (first bytes ", first,
            "); ojo reads PNG, JPEG, BMP and PNM (P1..P6)");
  }
  // As cv::imread: EXIF orientation is applied except in IMREAD_UNCHANGED.
  if (mode != ImreadMode::unchanged) return apply_orientation(d.image, d.orientation);
  return d.image;
}

std::string encode(const std::string& ext, const Tensor& img_in, const ImwriteOptions& options, const Where& at) {
  const bool png = ext == ".png", jpeg = ext == ".jpg" || ext == ".jpeg" || ext == ".jpe",
             bmp = ext == ".bmp" || ext == ".dib", pnm = ext == ".pgm" || ext == ".ppm" || ext == ".pnm";
  if (!png && !jpeg && !bmp && !pnm)
    fail_at(at, "unknown image extension '", ext, "' (expected .png, .jpg, .jpeg, .bmp, .pgm, .ppm or .pnm)");
  check(img_in.defined(), at.op, at.what, ": image is undefined");
  check(img_in.dim() == 2 || img_in.dim() == 3, at.op, at.what, ": expected an image {H, W} or {H, W, C}, got shape ",
        shape_str(img_in.shape()));
  check(img_in.size(0) > 0 && img_in.size(1) > 0 && (img_in.dim() == 2 || img_in.size(2) > 0), at.op, at.what,
        ": cannot write an empty image (shape ", shape_str(img_in.shape()), ")");
  check(img_in.dtype() == DType::u8 || img_in.dtype() == DType::u16, at.op, at.what,
        ": expected a uint8 (or uint16 for PNG/PNM) image, got ", dtype_name(img_in.dtype()),
        "; convert with .to(DType::u8)");
  check(img_in.size(0) <= kMaxImageSide && img_in.size(1) <= kMaxImageSide, at.op, at.what, ": image of shape ",
        shape_str(img_in.shape()), " exceeds ", kMaxImageSide, " per side");
  // Encoders walk rows by strides()[0]; each row itself must be packed.
  const int64_t c = img_in.dim() == 3 ? img_in.size(2) : 1;
  const bool rows_packed = img_in.strides()[1] == c && (img_in.dim() == 2 || img_in.strides()[2] == 1);
  const Tensor img = rows_packed ? img_in : img_in.contiguous();
  if (png) return encode_png(img, options, at);
  if (jpeg) return encode_jpeg(img, options, at);
  if (bmp) return encode_bmp(img, at);
  return encode_pnm(img, ext, at);
}

}  // namespace
}  // namespace io_detail

Tensor imread(const std::string& path, ImreadMode mode) {
  return io_detail::decode(read_file(path, "imread"), mode, {"imread", path});
}

Tensor imdecode(const std::string& bytes, ImreadMode mode, const std::string& what) {
  return io_detail::decode(bytes, mode, {"imdecode", what});
}

void imwrite(const std::string& path, const Tensor& img, const ImwriteOptions& options) {
  const std::string bytes = io_detail::encode(file_extension(path), img, options, {"imwrite", path});
  write_file_atomic(path, bytes, "imwrite");
}

std::string imencode(const std::string& ext, const Tensor& img, const ImwriteOptions& options) {
  std::string e = ext;
  if (!e.empty() && e[0] != '.') e = "." + e;
  for (char& ch : e) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return io_detail::encode(e, img, options, {"imencode", e});
}

}  // namespace ojo
