// BMP (Windows bitmap): our own decoder and encoder, following OpenCV 4.6's grfmt_bmp.
//
// Reads: BITMAPCOREHEADER (OS/2, 12 bytes) and BITMAPINFOHEADER and later (40..124 bytes);
// 1/4/8-bit palette, RLE4, RLE8, 16-bit (5-5-5 and 5-6-5 masks), 24-bit, 32-bit (BI_RGB, or
// BI_BITFIELDS with the usual B-G-R-A byte masks); bottom-up and top-down rows.
// As OpenCV: a palette whose entries are all gray decodes to one channel in `unchanged` mode;
// 32-bit BI_BITFIELDS keeps its alpha byte in `unchanged` mode (4 channels) and BI_RGB drops it;
// pixels skipped by RLE deltas / end-of-line codes take palette entry 0; `gray` uses OpenCV's
// fixed-point formula (cv_gray). Differences: OS/2 bitmaps report their true channel count
// (OpenCV 4.6 reports 1 for all of them in `unchanged` mode); unusual 32-bit masks are refused.
//
// Writes: 8-bit gray with a gray palette, 24-bit BGR and 32-bit BGRA, bottom-up, BI_RGB, exactly
// like OpenCV's BmpEncoder.
#include <array>
#include <cstring>
#include <vector>

#include "codecs.hpp"

namespace ojo::io_detail {
namespace {

enum Compression : uint32_t { kRgb = 0, kRle8 = 1, kRle4 = 2, kBitfields = 3 };

uint32_t u32le(const unsigned char* p) { return p[0] | p[1] << 8 | p[2] << 16 | uint32_t{p[3]} << 24; }
uint16_t u16le(const unsigned char* p) { return static_cast<uint16_t>(p[0] | p[1] << 8); }

struct Rgba {
  uint8_t r, g, b, a;
};

// Expands RLE4/RLE8 data to one palette index per pixel, in file row order. Skipped pixels keep
// index 0, as OpenCV fills them with palette entry 0.
std::vector<uint8_t> expand_rle(const unsigned char* p, size_t size, int64_t width, int64_t height, int bpp,
                                const Where& at) {
  std::vector<uint8_t> idx(static_cast<size_t>(width * height), 0);
  int64_t x = 0, y = 0;
  size_t i = 0;
  auto need = [&](size_t n) {
    if (size - i < n) fail_at(at, "truncated BMP data (RLE stream ends at row ", y, " of ", height, ")");
  };
  while (y < height) {
    need(2);
    const int count = p[i], code = p[i + 1];
    i += 2;
    if (count > 0) {  // a run
      if (x + count > width) fail_at(at, "corrupt BMP RLE data (run crosses the end of row ", y, ")");
      for (int k = 0; k < count; ++k)
        idx[y * width + x++] = bpp == 8 ? code : (k % 2 == 0 ? code >> 4 : code & 15);
    } else if (code == 0) {  // end of line
      x = 0;
      ++y;
    } else if (code == 1) {  // end of bitmap
      break;
    } else if (code == 2) {  // delta
      need(2);
      x += p[i];
      y += p[i + 1];
      i += 2;
      if (x > width) fail_at(at, "corrupt BMP RLE data (delta moves past the end of row ", y, ")");
    } else {  // absolute run of `code` pixels, padded to 16 bits
      const size_t bytes = bpp == 8 ? code : (code + 1) / 2;
      need((bytes + 1) & ~size_t{1});
      if (x + code > width) fail_at(at, "corrupt BMP RLE data (run crosses the end of row ", y, ")");
      for (int k = 0; k < code; ++k)
        idx[y * width + x++] = bpp == 8 ? p[i + k] : (k % 2 == 0 ? p[i + k / 2] >> 4 : p[i + k / 2] & 15);
      i += (bytes + 1) & ~size_t{1};
    }
    if (x == width && count > 0 && bpp == 8) {
      // OpenCV moves to the next row when a run ends exactly at the row end; a following
      // end-of-line code is then ignored.
      x = 0;
      ++y;
      if (y < height && size - i >= 2 && p[i] == 0 && p[i + 1] == 0) i += 2;
    }
  }
  return idx;
}

}  // namespace

Decoded decode_bmp(const std::string& bytes, ImreadMode mode, const Where& at) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t size = bytes.size();
  if (size < 18) fail_at(at, "truncated BMP header (", size, " bytes)");
  const uint32_t offset = u32le(p + 10);
  const uint32_t header = u32le(p + 14);
  int64_t width = 0, height = 0;
  int bpp = 0;
  uint32_t compression = kRgb, colors_used = 0;
  size_t palette_at = 14 + static_cast<size_t>(header);
  int palette_entry = 4;
  if (header == 12) {
    if (size < 26) fail_at(at, "truncated BMP header");
    width = u16le(p + 18);
    height = static_cast<int16_t>(u16le(p + 20));
    bpp = u16le(p + 24);
    palette_entry = 3;
  } else if (header >= 40 && header <= 124) {
    if (size < 14 + 40) fail_at(at, "truncated BMP header");
    width = static_cast<int32_t>(u32le(p + 18));
    height = static_cast<int32_t>(u32le(p + 22));
    bpp = u16le(p + 28);
    compression = u32le(p + 30);
    colors_used = u32le(p + 46);
  } else {
    fail_at(at, "unsupported BMP header size ", header, " (expected 12 or 40..124)");
  }
  const bool ok = (compression == kRgb && (bpp == 1 || bpp == 4 || bpp == 8 || bpp == 16 || bpp == 24 || bpp == 32)) ||
                  (compression == kBitfields && (bpp == 16 || bpp == 32)) ||
                  (compression == kRle4 && bpp == 4) || (compression == kRle8 && bpp == 8);
  if (!ok) fail_at(at, "unsupported BMP: ", bpp, " bits per pixel with compression ", compression);
  if (width <= 0 || height == 0) fail_at(at, "invalid BMP size ", width, "x", height);
  const bool bottom_up = height > 0;
  height = height < 0 ? -height : height;
  check_image_size(at, "BMP", width, height);

  // Palette, or channel masks.
  std::array<Rgba, 256> palette{};
  bool gray_palette = false;
  bool rgb555 = bpp == 16;
  if (bpp <= 8) {
    const size_t n = colors_used == 0 ? size_t{1} << bpp : colors_used;
    if (n > 256) fail_at(at, "invalid BMP palette of ", n, " colours");
    if (palette_at + n * palette_entry > size) fail_at(at, "truncated BMP palette");
    for (size_t i = 0; i < n; ++i) {
      const unsigned char* e = p + palette_at + i * palette_entry;
      palette[i] = {e[2], e[1], e[0], 255};
    }
    gray_palette = true;
    for (size_t i = 0; i < (size_t{1} << bpp); ++i)
      gray_palette = gray_palette && palette[i].r == palette[i].g && palette[i].g == palette[i].b;
  } else if (compression == kBitfields) {
    const size_t masks_at = 14 + 40;  // after a 40-byte header, or inside a larger one
    if (masks_at + 12 > size) fail_at(at, "truncated BMP channel masks");
    const uint32_t r = u32le(p + masks_at), g = u32le(p + masks_at + 4), b = u32le(p + masks_at + 8);
    if (bpp == 16 && r == 0x7c00 && g == 0x3e0 && b == 0x1f) {
      rgb555 = true;
    } else if (bpp == 16 && r == 0xf800 && g == 0x7e0 && b == 0x1f) {
      rgb555 = false;
    } else if (!(bpp == 32 && r == 0xff0000 && g == 0xff00 && b == 0xff)) {
      fail_at(at, "unsupported BMP channel masks R=0x", std::hex, r, " G=0x", g, " B=0x", b, " for ", std::dec,
              bpp, "-bit pixels");
    }
  }

  const int stored_channels = bpp <= 8 ? (gray_palette ? 1 : 3) : (bpp == 32 && compression == kBitfields ? 4 : 3);
  const int channels = mode == ImreadMode::color ? 3 : mode == ImreadMode::gray ? 1 : stored_channels;

  // Pixel data: check it is all there before allocating.
  const size_t pitch = ((static_cast<size_t>(width) * bpp + 31) / 32) * 4;
  if (offset > size) fail_at(at, "truncated BMP data (pixel data offset ", offset, " beyond the file's ", size, " bytes)");
  std::vector<uint8_t> rle;
  if (compression == kRle4 || compression == kRle8) {
    rle = expand_rle(p + offset, size - offset, width, height, bpp, at);
  } else if (pitch * static_cast<size_t>(height) > size - offset) {
    fail_at(at, "truncated BMP data (expected ", pitch * height, " bytes of pixels, file has ", size - offset, ")");
  }

  Decoded result;
  result.image = Tensor::empty(channels == 1 ? Shape{height, width} : Shape{height, width, channels}, DType::u8);
  auto* out = static_cast<uint8_t*>(result.image.raw_data());
  std::vector<Rgba> row(static_cast<size_t>(width));
  for (int64_t r = 0; r < height; ++r) {
    const unsigned char* src = p + offset + r * pitch;
    if (!rle.empty()) {
      const uint8_t* ix = rle.data() + r * width;
      for (int64_t x = 0; x < width; ++x) row[x] = palette[ix[x]];
    } else if (bpp <= 8) {
      const int per_byte = 8 / bpp, mask = (1 << bpp) - 1;
      for (int64_t x = 0; x < width; ++x) {
        const int shift = 8 - bpp * (1 + static_cast<int>(x % per_byte));
        row[x] = palette[(src[x / per_byte] >> shift) & mask];
      }
    } else if (bpp == 16) {
      for (int64_t x = 0; x < width; ++x) {
        const int t = u16le(src + 2 * x);
        row[x] = rgb555 ? Rgba{static_cast<uint8_t>((t >> 7) & 0xf8), static_cast<uint8_t>((t >> 2) & 0xf8),
                               static_cast<uint8_t>((t << 3) & 0xf8), 255}
                        : Rgba{static_cast<uint8_t>((t >> 8) & 0xf8), static_cast<uint8_t>((t >> 3) & 0xfc),
                               static_cast<uint8_t>((t << 3) & 0xf8), 255};
      }
    } else {
      const int step = bpp / 8;
      for (int64_t x = 0; x < width; ++x) {
        const unsigned char* s = src + step * x;
        row[x] = {s[2], s[1], s[0], step == 4 ? s[3] : uint8_t{255}};
      }
    }
    uint8_t* dst = out + (bottom_up ? height - 1 - r : r) * width * channels;
    for (int64_t x = 0; x < width; ++x) {
      const Rgba& c = row[x];
      if (channels == 1) {
        dst[x] = cv_gray(c.r, c.g, c.b);
      } else {
        dst[channels * x] = c.r;
        dst[channels * x + 1] = c.g;
        dst[channels * x + 2] = c.b;
        if (channels == 4) dst[4 * x + 3] = c.a;
      }
    }
  }
  return result;
}

std::string encode_bmp(const Tensor& img, const Where& at) {
  const int64_t channels = channels_of(img);
  check(channels == 1 || channels == 3 || channels == 4, at.op, at.what, ": BMP stores 1, 3 or 4 channels, got ",
        channels, " (shape ", shape_str(img.shape()), ")");
  check(img.dtype() == DType::u8, at.op, at.what, ": BMP stores uint8, got ", dtype_name(img.dtype()));
  const int64_t height = img.size(0), width = img.size(1);
  const int64_t file_step = (width * channels + 3) & ~int64_t{3};
  const int64_t palette_size = channels == 1 ? 1024 : 0;
  const int64_t header_size = 14 + 40 + palette_size;
  const int64_t file_size = header_size + file_step * height;
  check(file_size <= 0x7fffffff, at.op, at.what, ": image too large for BMP (", file_size, " bytes)");

  std::string out(static_cast<size_t>(file_size), '\0');
  auto* q = reinterpret_cast<unsigned char*>(out.data());
  auto put32 = [](unsigned char* d, uint32_t v) {
    d[0] = v & 255; d[1] = (v >> 8) & 255; d[2] = (v >> 16) & 255; d[3] = v >> 24;
  };
  q[0] = 'B';
  q[1] = 'M';
  put32(q + 2, static_cast<uint32_t>(file_size));
  put32(q + 10, static_cast<uint32_t>(header_size));
  put32(q + 14, 40);
  put32(q + 18, static_cast<uint32_t>(width));
  put32(q + 22, static_cast<uint32_t>(height));
  q[26] = 1;
  q[28] = static_cast<unsigned char>(channels * 8);
  if (channels == 1)
    for (int i = 0; i < 256; ++i) q[54 + 4 * i] = q[55 + 4 * i] = q[56 + 4 * i] = static_cast<unsigned char>(i);
  const auto* base = static_cast<const uint8_t*>(img.raw_data());
  const int64_t stride = img.strides()[0];
  for (int64_t y = 0; y < height; ++y) {
    const uint8_t* s = base + (height - 1 - y) * stride;
    unsigned char* d = q + header_size + y * file_step;
    if (channels == 1) {
      std::memcpy(d, s, static_cast<size_t>(width));
    } else {
      for (int64_t x = 0; x < width; ++x, s += channels, d += channels) {
        d[0] = s[2];
        d[1] = s[1];
        d[2] = s[0];
        if (channels == 4) d[3] = s[3];
      }
    }
  }
  return out;
}

}  // namespace ojo::io_detail
