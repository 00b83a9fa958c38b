// PBM/PGM/PPM (P1..P6) reading and P5/P6 writing, following OpenCV 4.6's grfmt_pxm.
//
// Header: numbers separated by whitespace, '#' comments anywhere between them, maxval 1..65535
// (above 255 the samples are 16-bit). Pixel values follow OpenCV exactly, which is not always the
// Netpbm meaning of maxval:
//   - binary P5/P6 samples are taken as stored (not rescaled to 0..255 when maxval < 255);
//   - ASCII P2/P3 8-bit samples are rescaled, v * 255 / maxval (integer division), and clamped to maxval first;
//   - 16-bit samples are kept in `unchanged` mode and reduced with v >> 8 otherwise (no rescale);
//   - P1/P4 bits: 1 is black (0), 0 is white (255);
//   - `gray` mode of P3/P6 uses OpenCV's fixed-point formula (cv_gray).
#include <cctype>
#include <climits>
#include <cstdio>
#include <vector>

#include "codecs.hpp"

namespace ojo::io_detail {
namespace {

// Reads numbers the way OpenCV's ReadNumber does, with bounds checks.
struct Reader {
  const unsigned char* p;
  size_t size;
  size_t pos;
  const Where& at;

  [[noreturn]] void truncated(const char* what) const { fail_at(at, "truncated PNM ", what); }

  // maxdigits 1 reads a single digit (P1 data, where "0110" is four pixels).
  int64_t number(const char* what, int maxdigits = 0) {
    for (;;) {
      if (pos >= size) truncated(what);
      const int c = p[pos];
      if (std::isdigit(c)) break;
      if (c == '#') {
        while (pos < size && p[pos] != '\n' && p[pos] != '\r') ++pos;
      } else if (std::isspace(c)) {
        ++pos;
      } else {
        fail_at(at, "invalid PNM ", what, ": unexpected character 0x", std::hex, c, " at byte ", std::dec, pos);
      }
    }
    int64_t value = 0;
    int digits = 0;
    while (pos < size && std::isdigit(p[pos])) {
      value = value * 10 + (p[pos++] - '0');
      if (value > INT_MAX) fail_at(at, "invalid PNM ", what, ": number too large");
      if (maxdigits && ++digits >= maxdigits) return value;
    }
    if (pos < size) ++pos;  // the single whitespace after the number
    return value;
  }
};

}  // namespace

Decoded decode_pnm(const std::string& bytes, ImreadMode mode, const Where& at) {
  Reader in{reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), 2, at};
  if (bytes.size() < 3 || bytes[0] != 'P' || bytes[1] < '1' || bytes[1] > '6')
    fail_at(at, "not a PNM file (expected P1..P6)");
  const int kind = bytes[1] - '0';
  const bool binary = kind >= 4;
  const bool bits = kind == 1 || kind == 4;
  const int stored_channels = (kind == 3 || kind == 6) ? 3 : 1;
  const int64_t width = in.number("header (width)");
  const int64_t height = in.number("header (height)");
  const int64_t maxval = bits ? 1 : in.number("header (maxval)");
  if (width <= 0 || height <= 0) fail_at(at, "invalid PNM size ", width, "x", height);
  if (maxval <= 0 || maxval > 65535) fail_at(at, "invalid PNM maxval ", maxval, " (expected 1..65535)");
  check_image_size(at, "PNM", width, height);
  const bool wide = maxval > 255;
  const int64_t samples = width * stored_channels;  // per row
  if (binary) {
    const int64_t pitch = bits ? (width + 7) / 8 : samples * (wide ? 2 : 1);
    if (static_cast<int64_t>(bytes.size() - in.pos) < pitch * height)
      fail_at(at, "truncated PNM data (expected ", pitch * height, " bytes of pixels, file has ",
              bytes.size() - in.pos, ")");
  }

  const int channels = mode == ImreadMode::color ? 3 : mode == ImreadMode::gray ? 1 : stored_channels;
  const bool out16 = wide && mode == ImreadMode::unchanged;
  Decoded result;
  result.image = Tensor::empty(channels == 1 ? Shape{height, width} : Shape{height, width, channels},
                               out16 ? DType::u16 : DType::u8);
  std::vector<uint16_t> row(static_cast<size_t>(samples));  // one row of samples, as stored (or rescaled)
  auto* out8 = out16 ? nullptr : static_cast<uint8_t*>(result.image.raw_data());
  auto* out16p = out16 ? static_cast<uint16_t*>(result.image.raw_data()) : nullptr;
  for (int64_t y = 0; y < height; ++y) {
    if (bits) {
      for (int64_t x = 0; x < width; ++x) {
        const bool one = binary ? (in.p[in.pos + x / 8] >> (7 - x % 8)) & 1 : in.number("data", 1) != 0;
        row[x] = one ? 0 : 255;
      }
      if (binary) in.pos += (width + 7) / 8;
    } else if (binary) {
      const unsigned char* s = in.p + in.pos;
      for (int64_t i = 0; i < samples; ++i) row[i] = wide ? static_cast<uint16_t>(s[2 * i] << 8 | s[2 * i + 1]) : s[i];
      in.pos += samples * (wide ? 2 : 1);
    } else {
      for (int64_t i = 0; i < samples; ++i) {
        const int64_t v = std::min(in.number("data"), maxval);
        row[i] = static_cast<uint16_t>(wide ? v : v * 255 / maxval);
      }
    }
    if (!out16 && wide)
      for (auto& v : row) v >>= 8;
    const int64_t base = y * width * channels;
    for (int64_t x = 0; x < width; ++x) {
      const uint16_t* s = row.data() + x * stored_channels;
      if (out16) {
        for (int c = 0; c < channels; ++c) out16p[base + x * channels + c] = s[c];
      } else if (channels == stored_channels) {
        for (int c = 0; c < channels; ++c) out8[base + x * channels + c] = static_cast<uint8_t>(s[c]);
      } else if (channels == 3) {  // gray -> colour
        out8[base + 3 * x] = out8[base + 3 * x + 1] = out8[base + 3 * x + 2] = static_cast<uint8_t>(s[0]);
      } else {  // colour -> gray
        out8[base + x] = cv_gray(s[0], s[1], s[2]);
      }
    }
  }
  return result;
}

std::string encode_pnm(const Tensor& img, const std::string& ext, const Where& at) {
  const int64_t channels = channels_of(img);
  if (ext == ".pgm")
    check(channels == 1, at.op, at.what, ": PGM stores 1 channel, got ", channels, " (shape ", shape_str(img.shape()),
          "); use .ppm for colour");
  else if (ext == ".ppm")
    check(channels == 3, at.op, at.what, ": PPM stores 3 channels, got ", channels, " (shape ",
          shape_str(img.shape()), "); use .pgm for gray");
  else
    check(channels == 1 || channels == 3, at.op, at.what, ": PNM stores 1 or 3 channels, got ", channels,
          " (shape ", shape_str(img.shape()), ")");
  check(img.dtype() == DType::u8 || img.dtype() == DType::u16, at.op, at.what,
        ": PNM stores uint8 or uint16, got ", dtype_name(img.dtype()));
  const bool wide = img.dtype() == DType::u16;
  const int64_t height = img.size(0), width = img.size(1), samples = width * channels;
  char header[64];
  const int n = std::snprintf(header, sizeof header, "P%c\n%lld %lld\n%d\n", channels == 1 ? '5' : '6',
                              static_cast<long long>(width), static_cast<long long>(height), wide ? 65535 : 255);
  std::string out(header, static_cast<size_t>(n));
  const size_t start = out.size();
  out.resize(start + static_cast<size_t>(samples * height * (wide ? 2 : 1)));
  auto* q = reinterpret_cast<unsigned char*>(out.data()) + start;
  const int64_t stride = img.strides()[0];
  for (int64_t y = 0; y < height; ++y) {
    if (wide) {
      const uint16_t* s = static_cast<const uint16_t*>(img.raw_data()) + y * stride;
      for (int64_t i = 0; i < samples; ++i) {
        *q++ = static_cast<unsigned char>(s[i] >> 8);
        *q++ = static_cast<unsigned char>(s[i] & 255);
      }
    } else {
      const uint8_t* s = static_cast<const uint8_t*>(img.raw_data()) + y * stride;
      std::copy(s, s + samples, q);
      q += samples;
    }
  }
  return out;
}

}  // namespace ojo::io_detail
