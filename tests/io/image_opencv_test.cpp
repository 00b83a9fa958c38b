// ctest-labels: opencv
// ojo::imread / imwrite against OpenCV 4.6's cv::imread / cv::imwrite, pixel for pixel.
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <png.h>
#include <zlib.h>
#include <cstdio>
#include <jpeglib.h>

#include <filesystem>

#include "ojo/io/file.hpp"
#include "ojo/io/image.hpp"
#include "test_util.hpp"

using namespace ojo;
using namespace ojo::test;

namespace {

const ImreadMode kModes[] = {ImreadMode::color, ImreadMode::gray, ImreadMode::unchanged};
int cv_flag(ImreadMode m) { return m == ImreadMode::color ? cv::IMREAD_COLOR : m == ImreadMode::gray ? cv::IMREAD_GRAYSCALE : cv::IMREAD_UNCHANGED; }
const char* mode_name(ImreadMode m) { return m == ImreadMode::color ? "color" : m == ImreadMode::gray ? "gray" : "unchanged"; }

// ojo and OpenCV decode `bytes` identically in all three modes.
void expect_same_decode(const std::string& bytes, const std::string& label) {
  for (ImreadMode m : kModes) {
    SCOPED_TRACE(label + " mode " + mode_name(m));
    cv::Mat expected = cv_imdecode_rgb(bytes, cv_flag(m));
    ASSERT_FALSE(expected.empty()) << "OpenCV cannot read it";
    expect_equal_images(imdecode(bytes, m, label), expected);
  }
}

// Deterministic test image: a crop of a real photo (so codecs see natural content) at odd sizes.
Tensor photo(int64_t h, int64_t w, int channels) {
  cv::Mat m = cv::imread(skimage_dir() + "/astronaut.png", cv::IMREAD_COLOR);
  cv::resize(m, m, cv::Size(static_cast<int>(w), static_cast<int>(h)), 0, 0, cv::INTER_AREA);
  cv::cvtColor(m, m, cv::COLOR_BGR2RGB);
  if (channels == 1) cv::cvtColor(m, m, cv::COLOR_RGB2GRAY);
  if (channels == 4) {
    cv::cvtColor(m, m, cv::COLOR_RGB2RGBA);
    for (int y = 0; y < m.rows; ++y)
      for (int x = 0; x < m.cols; ++x) m.at<cv::Vec4b>(y, x)[3] = static_cast<uchar>((x * 7 + y * 3) & 255);
  }
  if (channels == 2) {
    cv::Mat g, a(m.rows, m.cols, CV_8U), ga;
    cv::cvtColor(m, g, cv::COLOR_RGB2GRAY);
    for (int y = 0; y < m.rows; ++y)
      for (int x = 0; x < m.cols; ++x) a.at<uchar>(y, x) = static_cast<uchar>((x * 5 + y) & 255);
    cv::merge(std::vector<cv::Mat>{g, a}, ga);
    m = ga;
  }
  return from_cv(m);
}

Tensor widen16(const Tensor& t8) {
  Tensor t = Tensor::empty(t8.shape(), DType::u16);
  const uint8_t* s = t8.data<uint8_t>();
  uint16_t* d = t.data<uint16_t>();
  for (int64_t i = 0; i < t8.numel(); ++i) d[i] = static_cast<uint16_t>(s[i] * 257 + (i % 251));
  return t;
}

std::string cv_encode(const std::string& ext, const cv::Mat& m, const std::vector<int>& params = {}) {
  std::vector<uchar> buf;
  EXPECT_TRUE(cv::imencode(ext, m, buf, params));
  return std::string(buf.begin(), buf.end());
}

// --- every photo shipped with scikit-image ---

class SkimagePhoto : public ::testing::TestWithParam<std::string> {};

TEST_P(SkimagePhoto, SameAsOpenCV) {
  const std::string path = skimage_dir() + "/" + GetParam();
  for (ImreadMode m : kModes) {
    SCOPED_TRACE(std::string("mode ") + mode_name(m));
    expect_equal_images(imread(path, m), cv_imread_rgb(path, cv_flag(m)), path);
  }
}

std::vector<std::string> skimage_photos() {
  std::vector<std::string> names;
  for (const auto& p : list_files(skimage_dir(), {".png", ".jpg"})) {
    const std::string name = std::filesystem::path(p).filename().string();
    if (name != "truncated.jpg") names.push_back(name);  // a bad-input case, see image_errors_test
  }
  return names;
}

INSTANTIATE_TEST_SUITE_P(Skimage, SkimagePhoto, ::testing::ValuesIn(skimage_photos()),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n) if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

TEST(ImageOpenCV, SkimageHasPhotos) { EXPECT_GE(skimage_photos().size(), 30u); }

TEST(ImageOpenCV, ImdecodeEqualsImread) {
  const std::string path = skimage_dir() + "/chelsea.png";
  EXPECT_TENSOR_EQ(imdecode(read_bytes(path)), imread(path));
}

// --- files written by OpenCV, read by ojo ---

TEST(ImageOpenCV, ReadsOpenCVPng) {
  for (int ch : {1, 3, 4}) {
    const Tensor t = photo(37, 53, ch);
    expect_same_decode(cv_encode(".png", to_cv_bgr(t)), "png8 c" + std::to_string(ch));
    expect_same_decode(cv_encode(".png", to_cv_bgr(widen16(t))), "png16 c" + std::to_string(ch));
    expect_same_decode(cv_encode(".png", to_cv_bgr(t), {cv::IMWRITE_PNG_COMPRESSION, 9}), "png8 z9");
  }
}

TEST(ImageOpenCV, ReadsOpenCVJpeg) {
  for (int ch : {1, 3})
    for (int progressive : {0, 1})
      for (int q : {50, 95}) {
        const Tensor t = photo(61, 83, ch);
        expect_same_decode(cv_encode(".jpg", to_cv_bgr(t), {cv::IMWRITE_JPEG_QUALITY, q,
                                                             cv::IMWRITE_JPEG_PROGRESSIVE, progressive}),
                           "jpg c" + std::to_string(ch) + " q" + std::to_string(q) + " p" + std::to_string(progressive));
      }
}

TEST(ImageOpenCV, ReadsOpenCVBmpAndPnm) {
  for (int ch : {1, 3, 4}) expect_same_decode(cv_encode(".bmp", to_cv_bgr(photo(29, 31, ch))), "bmp c" + std::to_string(ch));
  expect_same_decode(cv_encode(".pgm", to_cv_bgr(photo(29, 31, 1))), "pgm");
  expect_same_decode(cv_encode(".ppm", to_cv_bgr(photo(29, 31, 3))), "ppm");
  expect_same_decode(cv_encode(".pgm", to_cv_bgr(widen16(photo(29, 31, 1)))), "pgm16");
  expect_same_decode(cv_encode(".ppm", to_cv_bgr(widen16(photo(29, 31, 3)))), "ppm16");
  expect_same_decode(cv_encode(".pgm", to_cv_bgr(photo(9, 7, 1)), {cv::IMWRITE_PXM_BINARY, 0}), "pgm ascii");
  expect_same_decode(cv_encode(".ppm", to_cv_bgr(photo(9, 7, 3)), {cv::IMWRITE_PXM_BINARY, 0}), "ppm ascii");
}

// --- every PNG colour type, bit depth, tRNS and interlacing, written with libpng directly ---

struct RawPng {
  int width, height, bit_depth, color_type;
  bool interlace = false;
  std::vector<png_color> palette = {};
  std::vector<png_byte> trns_alpha = {};  // palette tRNS
  bool trns_color = false;           // gray / RGB tRNS of sample value 3
};

std::string make_png(const RawPng& spec) {
  std::string out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  png_set_write_fn(png, &out, [](png_structp p, png_bytep d, size_t n) {
    static_cast<std::string*>(png_get_io_ptr(p))->append(reinterpret_cast<char*>(d), n); }, nullptr);
  png_set_IHDR(png, info, spec.width, spec.height, spec.bit_depth, spec.color_type,
               spec.interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  if (!spec.palette.empty()) png_set_PLTE(png, info, spec.palette.data(), static_cast<int>(spec.palette.size()));
  if (!spec.trns_alpha.empty()) png_set_tRNS(png, info, spec.trns_alpha.data(), static_cast<int>(spec.trns_alpha.size()), nullptr);
  if (spec.trns_color) {
    png_color_16 c{};
    c.gray = c.red = c.green = c.blue = 3;
    png_set_tRNS(png, info, nullptr, 1, &c);
  }
  png_write_info(png, info);
  const int channels = spec.color_type == PNG_COLOR_TYPE_RGB ? 3 : spec.color_type == PNG_COLOR_TYPE_RGBA ? 4
                     : spec.color_type == PNG_COLOR_TYPE_GA ? 2 : 1;
  const size_t row_bytes = (size_t(spec.width) * channels * spec.bit_depth + 7) / 8;
  std::vector<png_byte> data(row_bytes * spec.height);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<png_byte>((i * 37 + (i / row_bytes) * 11) ^ (i >> 3));
  if (spec.color_type == PNG_COLOR_TYPE_PALETTE && spec.bit_depth == 8)
    for (auto& v : data) v = static_cast<png_byte>(v % spec.palette.size());
  std::vector<png_bytep> rows(spec.height);
  for (int y = 0; y < spec.height; ++y) rows[y] = data.data() + y * row_bytes;
  png_write_image(png, rows.data());
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  return out;
}

TEST(ImageOpenCV, EveryPngKind) {
  std::vector<png_color> pal(256);
  for (int i = 0; i < 256; ++i) pal[i] = {static_cast<png_byte>(i), static_cast<png_byte>(255 - i), static_cast<png_byte>(i * 7)};
  std::vector<png_byte> alpha(100);
  for (int i = 0; i < 100; ++i) alpha[i] = static_cast<png_byte>(i * 2);
  for (bool interlace : {false, true}) {
    const std::string il = interlace ? " interlaced" : "";
    for (int bits : {1, 2, 4, 8, 16}) {
      expect_same_decode(make_png({13, 11, bits, PNG_COLOR_TYPE_GRAY, interlace}), "gray" + std::to_string(bits) + il);
      RawPng t{13, 11, bits, PNG_COLOR_TYPE_GRAY, interlace};
      t.trns_color = true;
      expect_same_decode(make_png(t), "gray tRNS" + std::to_string(bits) + il);
    }
    for (int bits : {8, 16}) {
      const std::string b = std::to_string(bits);
      expect_same_decode(make_png({13, 11, bits, PNG_COLOR_TYPE_GA, interlace}), "GA" + b + il);
      expect_same_decode(make_png({13, 11, bits, PNG_COLOR_TYPE_RGB, interlace}), "RGB" + b + il);
      expect_same_decode(make_png({13, 11, bits, PNG_COLOR_TYPE_RGBA, interlace}), "RGBA" + b + il);
      RawPng t{13, 11, bits, PNG_COLOR_TYPE_RGB, interlace};
      t.trns_color = true;
      expect_same_decode(make_png(t), "RGB tRNS" + b + il);
    }
    for (int bits : {1, 2, 4, 8}) {
      RawPng p{13, 11, bits, PNG_COLOR_TYPE_PALETTE, interlace};
      p.palette.assign(pal.begin(), pal.begin() + (1 << bits));
      expect_same_decode(make_png(p), "palette" + std::to_string(bits) + il);
      p.trns_alpha.assign(alpha.begin(), alpha.begin() + std::min(1 << bits, 100));
      expect_same_decode(make_png(p), "palette tRNS" + std::to_string(bits) + il);
    }
  }
}

// --- EXIF orientation (applied in color/gray modes, not in unchanged, as cv::imread) ---

std::string exif_tiff(int orientation, bool big_endian) {
  std::string t = big_endian ? std::string("MM\0*\0\0\0\x08", 8) : std::string("II*\0\x08\0\0\0", 8);
  auto u16 = [&](int v) { t += big_endian ? std::string{char(v >> 8), char(v & 255)} : std::string{char(v & 255), char(v >> 8)}; };
  u16(1);           // one entry
  u16(0x0112);      // Orientation
  u16(3);           // SHORT
  u16(0); u16(1);   // count 1 (as two halves; both orders put 1 in the right place below)
  if (!big_endian) { t[t.size() - 4] = 1; t[t.size() - 3] = 0; t[t.size() - 2] = 0; t[t.size() - 1] = 0; }
  else { t[t.size() - 4] = 0; t[t.size() - 3] = 0; t[t.size() - 2] = 0; t[t.size() - 1] = 1; }
  u16(orientation); u16(0);
  t += std::string(4, '\0');  // no next IFD
  return t;
}

TEST(ImageOpenCV, ExifOrientationJpeg) {
  const std::string jpg = imencode(".jpg", photo(24, 40, 3));
  for (int o = 1; o <= 8; ++o)
    for (bool be : {false, true}) {
      const std::string payload = std::string("Exif\0\0", 6) + exif_tiff(o, be);
      const size_t len = payload.size() + 2;
      const std::string app1 = std::string("\xff\xe1", 2) + char(len >> 8) + char(len & 255) + payload;
      expect_same_decode(jpg.substr(0, 2) + app1 + jpg.substr(2), "jpeg orientation " + std::to_string(o));
    }
}

TEST(ImageOpenCV, ExifOrientationPng) {
  const std::string png = imencode(".png", photo(24, 40, 3));
  for (int o = 1; o <= 8; ++o) {
    const std::string body = "eXIf" + exif_tiff(o, false);
    const uint32_t crc = static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(body.data()), body.size()));
    const size_t n = body.size() - 4;
    std::string chunk{char(n >> 24), char(n >> 16), char(n >> 8), char(n)};
    chunk += body + std::string{char(crc >> 24), char(crc >> 16), char(crc >> 8), char(crc)};
    const size_t ihdr_end = 8 + 25;
    expect_same_decode(png.substr(0, ihdr_end) + chunk + png.substr(ihdr_end), "png orientation " + std::to_string(o));
  }
}

// --- CMYK JPEG ---

TEST(ImageOpenCV, CmykJpeg) {
  jpeg_compress_struct c;
  jpeg_error_mgr err;
  c.err = jpeg_std_error(&err);
  jpeg_create_compress(&c);
  unsigned char* out = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&c, &out, &size);
  c.image_width = 21;
  c.image_height = 17;
  c.input_components = 4;
  c.in_color_space = JCS_CMYK;
  jpeg_set_defaults(&c);
  jpeg_start_compress(&c, TRUE);
  std::vector<unsigned char> row(21 * 4);
  while (c.next_scanline < c.image_height) {
    for (size_t i = 0; i < row.size(); ++i) row[i] = static_cast<unsigned char>(i * 13 + c.next_scanline * 29);
    JSAMPROW r = row.data();
    jpeg_write_scanlines(&c, &r, 1);
  }
  jpeg_finish_compress(&c);
  jpeg_destroy_compress(&c);
  const std::string bytes(reinterpret_cast<char*>(out), size);
  free(out);
  expect_same_decode(bytes, "cmyk jpeg");
}

// --- hand-made BMP variants ---

struct BmpSpec {
  int width, height, bpp;
  uint32_t compression = 0;
  std::vector<uint32_t> masks = {};    // BI_BITFIELDS
  std::vector<uint32_t> palette = {};  // 0x00RRGGBB
  std::string pixels = {};        // raw pixel data (rows as stored), generated if empty
};

std::string make_bmp(BmpSpec s) {
  const int pitch = ((s.width * s.bpp + 31) / 32) * 4;
  if (s.pixels.empty())
    for (int i = 0; i < pitch * std::abs(s.height); ++i) s.pixels += static_cast<char>((i * 59 + i / pitch * 7) ^ (i >> 2));
  if (s.bpp <= 8 && s.compression == 0) {  // keep indices inside the palette
    for (auto& ch : s.pixels) {
      unsigned v = static_cast<unsigned char>(ch);
      if (s.bpp == 8) v %= s.palette.size();
      ch = static_cast<char>(v);
    }
  }
  std::string h;
  auto u32 = [&](uint32_t v) { for (int i = 0; i < 4; ++i) h += static_cast<char>((v >> (8 * i)) & 255); };
  auto u16 = [&](uint32_t v) { for (int i = 0; i < 2; ++i) h += static_cast<char>((v >> (8 * i)) & 255); };
  const uint32_t offset = 14 + 40 + 4 * static_cast<uint32_t>(s.masks.size() + s.palette.size());
  h += "BM";
  u32(offset + static_cast<uint32_t>(s.pixels.size()));
  u32(0);
  u32(offset);
  u32(40);
  u32(static_cast<uint32_t>(s.width));
  u32(static_cast<uint32_t>(s.height));
  u16(1);
  u16(s.bpp);
  u32(s.compression);
  u32(static_cast<uint32_t>(s.pixels.size()));
  u32(2835); u32(2835);
  u32(static_cast<uint32_t>(s.palette.size()));
  u32(0);
  for (uint32_t m : s.masks) u32(m);
  for (uint32_t c : s.palette) u32(c);
  return h + s.pixels;
}

TEST(ImageOpenCV, BmpVariants) {
  std::vector<uint32_t> color(256), gray(256);
  for (uint32_t i = 0; i < 256; ++i) {
    color[i] = (i << 16) | ((255 - i) << 8) | ((i * 5) & 255);
    gray[i] = i * 0x010101;
  }
  for (int h : {13, -13}) {
    const std::string dir = h > 0 ? " bottom-up" : " top-down";
    expect_same_decode(make_bmp({11, h, 1, 0, {}, {0x102030, 0xffeedd}}), "1-bit" + dir);
    expect_same_decode(make_bmp({11, h, 1, 0, {}, {0, 0xffffff}}), "1-bit gray" + dir);
    expect_same_decode(make_bmp({11, h, 4, 0, {}, {color.begin(), color.begin() + 16}}), "4-bit" + dir);
    expect_same_decode(make_bmp({11, h, 8, 0, {}, color}), "8-bit" + dir);
    expect_same_decode(make_bmp({11, h, 8, 0, {}, gray}), "8-bit gray" + dir);
    expect_same_decode(make_bmp({11, h, 8, 0, {}, {color.begin(), color.begin() + 200}}), "8-bit 200 colours" + dir);
    expect_same_decode(make_bmp({11, h, 16}), "16-bit 555" + dir);
    expect_same_decode(make_bmp({11, h, 16, 3, {0x7c00, 0x3e0, 0x1f}}), "16-bit 555 bitfields" + dir);
    expect_same_decode(make_bmp({11, h, 16, 3, {0xf800, 0x7e0, 0x1f}}), "16-bit 565" + dir);
    expect_same_decode(make_bmp({11, h, 24}), "24-bit" + dir);
    expect_same_decode(make_bmp({11, h, 32}), "32-bit" + dir);
    expect_same_decode(make_bmp({11, h, 32, 3, {0xff0000, 0xff00, 0xff}}), "32-bit bitfields" + dir);
  }
  // RLE8: runs, an absolute run, end of line, delta, end of bitmap.
  const std::string rle("\x03\x05" "\x00\x04\x01\x02\x03\x04" "\x02\x07" "\x00\x00"   // row 0: 3x5, 1 2 3 4, 2x7 (9 px)
                        "\x09\x02"                                                      // row 1: full run, auto wrap
                        "\x00\x00"                                                      // ignored end of line
                        "\x02\x03" "\x00\x02\x02\x01" "\x04\x09"                        // row 2: run, delta to row 3, run
                        "\x00\x01", 26);                                                // end of bitmap
  expect_same_decode(make_bmp({9, 4, 8, 1, {}, color, rle}), "rle8");
}

// --- PNM variants: comments, ASCII, odd maxval, bits ---

TEST(ImageOpenCV, PnmVariants) {
  expect_same_decode("P1\n# comment\n5 3\n1 0 1 0 1\n0 1 0 1 0\n11111\n", "P1");
  expect_same_decode(std::string("P4\n10 2\n\xa5\xc0\x5a\x40", 12), "P4");
  expect_same_decode("P2\n3 2 # size\n100\n0 50 100\n7 99 120\n", "P2 maxval 100 (clamped)");
  expect_same_decode("P3\n2 2\n255\n255 0 0  0 255 0\n0 0 255  10 20 30\n", "P3");
  expect_same_decode("P2\n2 2\n1000\n0 999\n500 1000\n", "P2 16-bit");
  expect_same_decode(std::string("P5\n2 1\n100\n\x64\x32", 13), "P5 maxval 100");
  expect_same_decode(std::string("P5 #c\n2 1\n1000\n\x03\xe8\x01\x00", 20), "P5 16-bit");
  expect_same_decode(std::string("P6\n1 1\n65535\n\x12\x34\x56\x78\x9a\xbc", 20), "P6 16-bit");
}

// --- files written by ojo, read by OpenCV ---

TEST(ImageOpenCV, OjoPngReadByOpenCV) {
  for (int ch : {1, 2, 3, 4})
    for (bool wide : {false, true}) {
      const Tensor t = wide ? widen16(photo(23, 41, ch)) : photo(23, 41, ch);
      const std::string label = "png c" + std::to_string(ch) + (wide ? " 16-bit" : "");
      cv::Mat back = cv_imdecode_rgb(imencode(".png", t), cv::IMREAD_UNCHANGED);
      if (ch == 2) {  // OpenCV reads gray+alpha as RGBA
        std::vector<cv::Mat> planes;
        cv::split(to_cv(t), planes);
        cv::Mat rgba;
        cv::merge(std::vector<cv::Mat>{planes[0], planes[0], planes[0], planes[1]}, rgba);
        EXPECT_TRUE(tensors_equal(from_cv(back), from_cv(rgba))) << label;
        continue;
      }
      expect_equal_images(t, back, label);
      for (int level : {0, 6, 9})
        expect_equal_images(t, cv_imdecode_rgb(imencode(".png", t, {.png_compression = level}), cv::IMREAD_UNCHANGED),
                            label + " level " + std::to_string(level));
    }
}

TEST(ImageOpenCV, OjoPngBytesEqualOpenCVDefault) {
  for (int ch : {1, 3, 4}) {
    const Tensor t = photo(40, 64, ch);
    EXPECT_EQ(imencode(".png", t), cv_encode(".png", to_cv_bgr(t))) << ch << " channels";
  }
}

TEST(ImageOpenCV, OjoJpegBytesEqualOpenCV) {
  for (int ch : {1, 3})
    for (int q : {10, 75, 95, 100})
      for (bool progressive : {false, true}) {
        const Tensor t = photo(45, 67, ch);
        const std::string ours = imencode(".jpg", t, {.jpeg_quality = q, .jpeg_progressive = progressive});
        const std::string theirs = cv_encode(".jpg", to_cv_bgr(t), {cv::IMWRITE_JPEG_QUALITY, q,
                                                                   cv::IMWRITE_JPEG_PROGRESSIVE, progressive ? 1 : 0});
        EXPECT_EQ(ours, theirs) << ch << " channels, quality " << q << (progressive ? " progressive" : "");
        expect_equal_images(imdecode(ours, ImreadMode::unchanged), cv_imdecode_rgb(theirs, cv::IMREAD_UNCHANGED));
      }
}

TEST(ImageOpenCV, OjoBmpPnmReadByOpenCV) {
  for (int ch : {1, 3}) {
    const Tensor t = photo(19, 27, ch);
    expect_equal_images(t, cv_imdecode_rgb(imencode(".bmp", t), cv::IMREAD_UNCHANGED), "bmp");
    EXPECT_EQ(imencode(".bmp", t), cv_encode(".bmp", to_cv_bgr(t))) << "bmp bytes, " << ch << " channels";
    const std::string ext = ch == 1 ? ".pgm" : ".ppm";
    expect_equal_images(t, cv_imdecode_rgb(imencode(ext, t), cv::IMREAD_UNCHANGED), ext);
    expect_equal_images(widen16(t), cv_imdecode_rgb(imencode(ext, widen16(t)), cv::IMREAD_UNCHANGED), ext + "16");
  }
  // BGRA BMP: OpenCV writes 32-bit BI_RGB and reads it back without alpha.
  const Tensor rgba = photo(19, 27, 4);
  EXPECT_EQ(imencode(".bmp", rgba), cv_encode(".bmp", to_cv_bgr(rgba)));
}

TEST(ImageOpenCV, ImwriteFileRoundTrip) {
  TempDir dir;
  const Tensor t = photo(31, 45, 3);
  for (const char* ext : {".png", ".bmp", ".ppm", ".jpg"}) {
    const std::string path = dir.path(std::string("x") + ext);
    imwrite(path, t);
    expect_equal_images(imread(path), cv_imread_rgb(path, cv::IMREAD_COLOR), path);
    if (std::string(ext) != ".jpg") {
      EXPECT_TENSOR_EQ(imread(path), t);
    }
  }
}

TEST(ImageOpenCV, ImwriteAcceptsViews) {
  const Tensor t = photo(30, 40, 3);
  const Tensor crop = t.index({Slice(3, 20), Slice(5, 33)});
  const Tensor flipped = t.index({Slice(None, None, -1), Slice(None, None, 2)});
  for (const char* ext : {".png", ".bmp", ".ppm"}) {
    EXPECT_TENSOR_EQ(imdecode(imencode(ext, crop)), crop.contiguous()) << ext;
    EXPECT_TENSOR_EQ(imdecode(imencode(ext, flipped)), flipped.contiguous()) << ext;
  }
  EXPECT_TENSOR_EQ(imdecode(imencode(".png", t.select(2, 1)), ImreadMode::unchanged), t.select(2, 1).contiguous());
}

}  // namespace
