// PNG through libpng, with the same transforms OpenCV 4.6's PngDecoder/PngEncoder ask libpng for,
// so decoded pixels (including gray conversion and 16 -> 8 bit stripping) are identical.
//
// libpng reports errors by longjmp. Each function that calls setjmp below holds only plain data
// (no C++ objects with destructors), and every C++ object lives in the caller's frame, which the
// longjmp never crosses.
#include <png.h>
#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <vector>

#include "codecs.hpp"

namespace ojo::io_detail {
namespace {

// Shared with the libpng callbacks: the input bytes and the first error message.
struct PngIo {
  const unsigned char* data;
  size_t size;
  size_t pos;
  std::string* out;  // encoder output
  char message[200];
};

void on_error(png_structp png, png_const_charp msg) {
  auto* io = static_cast<PngIo*>(png_get_error_ptr(png));
  std::snprintf(io->message, sizeof io->message, "%s", msg);
  png_longjmp(png, 1);
}

void on_warning(png_structp, png_const_charp) {}

void on_read(png_structp png, png_bytep out, size_t n) {
  auto* io = static_cast<PngIo*>(png_get_io_ptr(png));
  if (io->size - io->pos < n) png_error(png, "truncated PNG data (file ends early)");
  std::memcpy(out, io->data + io->pos, n);
  io->pos += n;
}

void on_write(png_structp png, png_bytep data, size_t n) {
  auto* io = static_cast<PngIo*>(png_get_io_ptr(png));
  bool ok = true;
  try {
    io->out->append(reinterpret_cast<const char*>(data), n);
  } catch (...) {
    ok = false;
  }
  if (!ok) png_error(png, "out of memory while encoding");
}

void on_flush(png_structp) {}

struct PngHeader {
  png_uint_32 width, height;
  int bit_depth, color_type, interlace;
  int num_trans;
  png_bytep exif;
  png_uint_32 exif_size;
};

// --- setjmp frames: plain data only ---

bool read_header(png_structp png, png_infop info, PngHeader* h) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_read_info(png, info);
  int compression = 0, filter = 0;
  png_get_IHDR(png, info, &h->width, &h->height, &h->bit_depth, &h->color_type, &h->interlace,
               &compression, &filter);
  h->num_trans = 0;
  if (png_get_valid(png, info, PNG_INFO_tRNS)) {
    png_bytep trans = nullptr;
    png_color_16p values = nullptr;
    png_get_tRNS(png, info, &trans, &h->num_trans, &values);
  }
  h->exif = nullptr;
  h->exif_size = 0;
#ifdef PNG_eXIf_SUPPORTED
  if (png_get_valid(png, info, PNG_INFO_eXIf)) png_get_eXIf_1(png, info, &h->exif_size, &h->exif);
#endif
  return true;
}

// The transforms of OpenCV's PngDecoder::readData for an output of `channels` x `depth` bits.
bool read_pixels(png_structp png, png_infop info, const PngHeader* h, int channels, int depth,
                 png_bytepp rows) {
  if (setjmp(png_jmpbuf(png))) return false;
  if (depth == 8 && h->bit_depth == 16)
    png_set_strip_16(png);
  else
    png_set_swap(png);  // 16-bit samples to native (little-endian) order
  if (channels < 4)
    png_set_strip_alpha(png);
  else
    png_set_tRNS_to_alpha(png);
  if (h->color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if ((h->color_type & PNG_COLOR_MASK_COLOR) == 0 && h->bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
  if ((h->color_type & PNG_COLOR_MASK_COLOR) == 0 && channels > 1)
    png_set_gray_to_rgb(png);
  else if (channels == 1)
    png_set_rgb_to_gray(png, PNG_ERROR_ACTION_NONE, 0.299, 0.587);  // OpenCV's coefficients
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  if (png_get_rowbytes(png, info) != size_t{h->width} * channels * (depth / 8))
    png_error(png, "internal error: unexpected decoded row size");
  png_read_image(png, rows);
  png_read_end(png, nullptr);
  return true;
}

struct PngWrite {
  png_uint_32 width, height;
  int bit_depth, color_type, level;
};

bool write_image(png_structp png, png_infop info, const PngWrite* w, png_bytepp rows) {
  if (setjmp(png_jmpbuf(png))) return false;
  if (w->level == 1) {
    // OpenCV's default (no IMWRITE_PNG_COMPRESSION given): tuned for speed.
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
  }
  png_set_compression_level(png, w->level);
  png_set_compression_strategy(png, Z_RLE);  // OpenCV's IMWRITE_PNG_STRATEGY_RLE default
  png_set_IHDR(png, info, w->width, w->height, w->bit_depth, w->color_type, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  if (w->bit_depth == 16) png_set_swap(png);
  png_write_image(png, rows);
  png_write_end(png, info);
  return true;
}

struct ReadStruct {
  png_structp png = nullptr;
  png_infop info = nullptr;
  ~ReadStruct() { png_destroy_read_struct(&png, info ? &info : nullptr, nullptr); }
};

struct WriteStruct {
  png_structp png = nullptr;
  png_infop info = nullptr;
  ~WriteStruct() { png_destroy_write_struct(&png, info ? &info : nullptr); }
};

}  // namespace

Decoded decode_png(const std::string& bytes, ImreadMode mode, const Where& at) {
  PngIo io{reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), 0, nullptr, {}};
  ReadStruct s;
  s.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &io, on_error, on_warning);
  if (!s.png) fail_at(at, "cannot create a PNG decoder");
  s.info = png_create_info_struct(s.png);
  if (!s.info) fail_at(at, "cannot create a PNG decoder");
  png_set_read_fn(s.png, &io, on_read);
  // Our own limits (check_image_size) apply instead of libpng's 1,000,000 default.
  png_set_user_limits(s.png, 0x7fffffff, 0x7fffffff);

  PngHeader h{};
  if (!read_header(s.png, s.info, &h)) fail_at(at, "invalid PNG header: ", io.message);
  check_image_size(at, "PNG", h.width, h.height);

  // Output layout as OpenCV's PngDecoder::readHeader + imread's mode handling.
  int stored_channels = 1;
  switch (h.color_type) {
    case PNG_COLOR_TYPE_RGB:
    case PNG_COLOR_TYPE_PALETTE: stored_channels = h.num_trans > 0 ? 4 : 3; break;
    case PNG_COLOR_TYPE_GRAY_ALPHA:
    case PNG_COLOR_TYPE_RGB_ALPHA: stored_channels = 4; break;
    default: stored_channels = 1;
  }
  const int channels = mode == ImreadMode::color ? 3 : mode == ImreadMode::gray ? 1 : stored_channels;
  const int depth = (mode == ImreadMode::unchanged && h.bit_depth == 16) ? 16 : 8;

  Shape shape = channels == 1 ? Shape{h.height, h.width} : Shape{h.height, h.width, channels};
  Decoded result;
  result.image = Tensor::empty(shape, depth == 16 ? DType::u16 : DType::u8);
  auto* base = static_cast<png_bytep>(result.image.raw_data());
  const size_t row_bytes = size_t{h.width} * channels * (depth / 8);
  std::vector<png_bytep> rows(h.height);
  for (png_uint_32 y = 0; y < h.height; ++y) rows[y] = base + y * row_bytes;

  if (!read_pixels(s.png, s.info, &h, channels, depth, rows.data()))
    fail_at(at, "invalid PNG data: ", io.message);
  if (h.exif) result.orientation = exif_orientation(h.exif, h.exif_size);
  return result;
}

std::string encode_png(const Tensor& img, const ImwriteOptions& options, const Where& at) {
  const int64_t channels = channels_of(img);
  check(channels >= 1 && channels <= 4, at.op, at.what, ": PNG stores 1 to 4 channels, got ", channels,
        " (shape ", shape_str(img.shape()), ")");
  check(img.dtype() == DType::u8 || img.dtype() == DType::u16, at.op, at.what,
        ": PNG stores uint8 or uint16, got ", dtype_name(img.dtype()));
  check(options.png_compression >= 0 && options.png_compression <= 9, at.op, at.what,
        ": png_compression must be 0..9, got ", options.png_compression);
  static const int kColorType[] = {PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA, PNG_COLOR_TYPE_RGB,
                                   PNG_COLOR_TYPE_RGB_ALPHA};
  PngWrite w{static_cast<png_uint_32>(img.size(1)), static_cast<png_uint_32>(img.size(0)),
             img.dtype() == DType::u16 ? 16 : 8, kColorType[channels - 1], options.png_compression};

  std::string out;
  out.reserve(static_cast<size_t>(img.numel()) * img.element_size() / 2 + 1024);
  PngIo io{nullptr, 0, 0, &out, {}};
  WriteStruct s;
  s.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &io, on_error, on_warning);
  if (!s.png) fail_at(at, "cannot create a PNG encoder");
  s.info = png_create_info_struct(s.png);
  if (!s.info) fail_at(at, "cannot create a PNG encoder");
  png_set_write_fn(s.png, &io, on_write, on_flush);

  auto* base = static_cast<png_bytep>(img.raw_data());
  const int64_t row_stride = img.strides()[0] * static_cast<int64_t>(img.element_size());
  std::vector<png_bytep> rows(w.height);
  for (png_uint_32 y = 0; y < w.height; ++y) rows[y] = base + y * row_stride;
  if (!write_image(s.png, s.info, &w, rows.data())) fail_at(at, "PNG encoding failed: ", io.message);
  return out;
}

}  // namespace ojo::io_detail
