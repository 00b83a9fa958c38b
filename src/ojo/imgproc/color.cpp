// cvtColor: code table, checks, and the channel-order and gray conversions (reference and fast).
// HSV/HLS rows live in color_hsv.cpp, the vectorised gray and HSV rows in color_fast.cpp.
#include "ojo/imgproc/color.hpp"

#include <algorithm>
#include <cstring>
#include <string>
#include <type_traits>

#include "color_kernels.hpp"
#include "ojo/core/parallel.hpp"
#include "streaming.hpp"

namespace ojo {
namespace {

using color_detail::Conversion;
using color_detail::Kind;

// OpenCV's 15-bit gray coefficients (sum 2^15) and its float ones.
constexpr int kRY = 9798, kGY = 19235, kBY = 3735;
constexpr float kRYf = 0.299f, kGYf = 0.587f, kBYf = 0.114f;

struct CodeInfo {
  int code;
  const char* name;
  Kind kind;
  int dcn;      // 0: from dstCn (HSV2*/HLS2*)
  int blue;     // 0 BGR side, 2 RGB side
  bool swap;    // shuffles
  int hrange;   // u8 hue range
};

constexpr CodeInfo kCodes[] = {
    {COLOR_BGR2BGRA, "COLOR_BGR2BGRA", Kind::shuffle, 4, 0, false, 0},
    {COLOR_BGRA2BGR, "COLOR_BGRA2BGR", Kind::shuffle, 3, 0, false, 0},
    {COLOR_BGR2RGBA, "COLOR_BGR2RGBA", Kind::shuffle, 4, 0, true, 0},
    {COLOR_RGBA2BGR, "COLOR_RGBA2BGR", Kind::shuffle, 3, 0, true, 0},
    {COLOR_BGR2RGB, "COLOR_BGR2RGB", Kind::shuffle, 3, 0, true, 0},
    {COLOR_BGRA2RGBA, "COLOR_BGRA2RGBA", Kind::shuffle, 4, 0, true, 0},
    {COLOR_BGR2GRAY, "COLOR_BGR2GRAY", Kind::to_gray, 1, 0, false, 0},
    {COLOR_RGB2GRAY, "COLOR_RGB2GRAY", Kind::to_gray, 1, 2, false, 0},
    {COLOR_GRAY2BGR, "COLOR_GRAY2BGR", Kind::from_gray, 3, 0, false, 0},
    {COLOR_GRAY2BGRA, "COLOR_GRAY2BGRA", Kind::from_gray, 4, 0, false, 0},
    {COLOR_BGRA2GRAY, "COLOR_BGRA2GRAY", Kind::to_gray, 1, 0, false, 0},
    {COLOR_RGBA2GRAY, "COLOR_RGBA2GRAY", Kind::to_gray, 1, 2, false, 0},
    {COLOR_BGR2HSV, "COLOR_BGR2HSV", Kind::to_hsv, 3, 0, false, 180},
    {COLOR_RGB2HSV, "COLOR_RGB2HSV", Kind::to_hsv, 3, 2, false, 180},
    {COLOR_BGR2HLS, "COLOR_BGR2HLS", Kind::to_hls, 3, 0, false, 180},
    {COLOR_RGB2HLS, "COLOR_RGB2HLS", Kind::to_hls, 3, 2, false, 180},
    {COLOR_HSV2BGR, "COLOR_HSV2BGR", Kind::from_hsv, 0, 0, false, 180},
    {COLOR_HSV2RGB, "COLOR_HSV2RGB", Kind::from_hsv, 0, 2, false, 180},
    {COLOR_HLS2BGR, "COLOR_HLS2BGR", Kind::from_hls, 0, 0, false, 180},
    {COLOR_HLS2RGB, "COLOR_HLS2RGB", Kind::from_hls, 0, 2, false, 180},
    {COLOR_BGR2HSV_FULL, "COLOR_BGR2HSV_FULL", Kind::to_hsv, 3, 0, false, 256},
    {COLOR_RGB2HSV_FULL, "COLOR_RGB2HSV_FULL", Kind::to_hsv, 3, 2, false, 256},
    {COLOR_BGR2HLS_FULL, "COLOR_BGR2HLS_FULL", Kind::to_hls, 3, 0, false, 256},
    {COLOR_RGB2HLS_FULL, "COLOR_RGB2HLS_FULL", Kind::to_hls, 3, 2, false, 256},
    {COLOR_HSV2BGR_FULL, "COLOR_HSV2BGR_FULL", Kind::from_hsv, 0, 0, false, 255},
    {COLOR_HSV2RGB_FULL, "COLOR_HSV2RGB_FULL", Kind::from_hsv, 0, 2, false, 255},
    {COLOR_HLS2BGR_FULL, "COLOR_HLS2BGR_FULL", Kind::from_hls, 0, 0, false, 255},
    {COLOR_HLS2RGB_FULL, "COLOR_HLS2RGB_FULL", Kind::from_hls, 0, 2, false, 255},
};

const CodeInfo* find_code(int code) {
  for (const CodeInfo& c : kCodes)
    if (c.code == code) return &c;
  return nullptr;
}

// Checks src against the code and works out the conversion and output shape.
Conversion plan(const Tensor& src, int code, int dstCn, Shape& out_shape) {
  const char* op = "cvtColor";
  const CodeInfo* info = find_code(code);
  if (!info)
    fail(op, "unknown or unsupported colour conversion code ", code,
         " (ojo implements COLOR_* codes 0-11 for RGB/BGR/RGBA/BGRA/GRAY, 40, 41, 52-55, 60, 61 and 66-73 for "
         "HSV/HLS; see ojo/imgproc/color.hpp)");
  if (!src.defined()) fail(op, info->name, ": image is undefined");
  if (src.dim() != 2 && src.dim() != 3)
    fail(op, info->name, ": expected an image shaped {H, W} or {H, W, C}, got shape ", shape_str(src.shape()));
  if (src.numel() == 0) fail(op, info->name, ": image is empty (shape ", shape_str(src.shape()), ")");
  if (src.dtype() != DType::u8 && src.dtype() != DType::f32)
    fail(op, info->name, ": expected a uint8 or float32 image, got ", dtype_name(src.dtype()));
  const int scn = src.dim() == 3 ? static_cast<int>(src.size(2)) : 1;
  Conversion c{info->kind, scn, info->dcn, info->blue, info->swap, info->hrange};
  const bool wants_gray = info->kind == Kind::from_gray;
  const bool wants_three = info->kind == Kind::from_hsv || info->kind == Kind::from_hls;
  if (wants_gray && scn != 1)
    fail(op, info->name, ": expected a 1-channel image ({H, W} or {H, W, 1}), got ", scn, " channels (shape ",
         shape_str(src.shape()), ")");
  if (wants_three && scn != 3)
    fail(op, info->name, ": expected a 3-channel image, got ", scn, " channels (shape ", shape_str(src.shape()), ")");
  if (!wants_gray && !wants_three && scn != 3 && scn != 4)
    fail(op, info->name, ": expected a 3- or 4-channel image, got ", scn, " channels (shape ", shape_str(src.shape()),
         ")");
  if (wants_three) {
    c.dcn = dstCn <= 0 ? 3 : dstCn;
    if (c.dcn != 3 && c.dcn != 4) fail(op, info->name, ": dstCn must be 0, 3 or 4, got ", dstCn);
  }
  if (src.dtype() == DType::f32) c.hrange = 360;
  out_shape = c.dcn == 1 ? Shape{src.size(0), src.size(1)} : Shape{src.size(0), src.size(1), c.dcn};
  return c;
}

// ---- reference rows: one plain loop per kind ----
template <class T>
void shuffle_row(const T* src, T* dst, int64_t n, const Conversion& c) {
  const T alpha = std::is_same_v<T, float> ? T(1) : T(255);
  const int a = c.swap ? 2 : 0;
  for (int64_t i = 0; i < n; ++i, src += c.scn, dst += c.dcn) {
    const T t0 = src[0], t1 = src[1], t2 = src[2];
    dst[a] = t0, dst[1] = t1, dst[a ^ 2] = t2;
    if (c.dcn == 4) dst[3] = c.scn == 4 ? src[3] : alpha;
  }
}

template <class T>
void from_gray_row(const T* src, T* dst, int64_t n, const Conversion& c) {
  const T alpha = std::is_same_v<T, float> ? T(1) : T(255);
  for (int64_t i = 0; i < n; ++i, dst += c.dcn) {
    dst[0] = dst[1] = dst[2] = src[i];
    if (c.dcn == 4) dst[3] = alpha;
  }
}

void gray_row_u8(const uint8_t* src, uint8_t* dst, int64_t n, const Conversion& c) {
  const int c0 = c.blue == 0 ? kBY : kRY, c2 = c.blue == 0 ? kRY : kBY;
  for (int64_t i = 0; i < n; ++i, src += c.scn)
    dst[i] = static_cast<uint8_t>((src[0] * c0 + src[1] * kGY + src[2] * c2 + (1 << 14)) >> 15);
}

void gray_row_f32(const float* src, float* dst, int64_t n, const Conversion& c) {
  const float c0 = c.blue == 0 ? kBYf : kRYf, c2 = c.blue == 0 ? kRYf : kBYf;
  for (int64_t i = 0; i < n; ++i, src += c.scn) dst[i] = src[0] * c0 + src[1] * kGYf + src[2] * c2;
}

template <class T>
void reference_row(const T* src, T* dst, int64_t n, const Conversion& c) {
  using namespace color_detail;
  switch (c.kind) {
    case Kind::shuffle: return shuffle_row(src, dst, n, c);
    case Kind::from_gray: return from_gray_row(src, dst, n, c);
    default: break;
  }
  if constexpr (std::is_same_v<T, uint8_t>) {
    switch (c.kind) {
      case Kind::to_gray: return gray_row_u8(src, dst, n, c);
      case Kind::to_hsv: return hsv_row_u8(src, dst, n, c);
      case Kind::from_hsv: return hsv2rgb_row_u8(src, dst, n, c);
      case Kind::to_hls: return hls_row_u8(src, dst, n, c);
      case Kind::from_hls: return hls2rgb_row_u8(src, dst, n, c);
      default: return;
    }
  } else {
    switch (c.kind) {
      case Kind::to_gray: return gray_row_f32(src, dst, n, c);
      case Kind::to_hsv: return hsv_row_f32(src, dst, n, c);
      case Kind::from_hsv: return hsv2rgb_row_f32(src, dst, n, c);
      case Kind::to_hls: return hls_row_f32(src, dst, n, c);
      case Kind::from_hls: return hls2rgb_row_f32(src, dst, n, c);
      default: return;
    }
  }
}

// Fast rows: vectorised kernels where they exist, else the reference row.
void fast_row_u8(const uint8_t* src, uint8_t* dst, int64_t n, const Conversion& c) {
  switch (c.kind) {
    case Kind::to_gray:
      return color_detail::gray_row_u8_fast(src, dst, n, c.scn, c.blue == 0 ? kBY : kRY, kGY, c.blue == 0 ? kRY : kBY);
    case Kind::to_hsv: return color_detail::hsv_row_u8_fast(src, dst, n, c);
    case Kind::from_hsv: return color_detail::hsv2rgb_row_u8_fast(src, dst, n, c);
    case Kind::to_hls: return color_detail::hls_row_u8_fast(src, dst, n, c);
    case Kind::from_hls: return color_detail::hls2rgb_row_u8_fast(src, dst, n, c);
    default: return reference_row(src, dst, n, c);
  }
}

template <class T, class Row>
void run_rows(const Tensor& src, Tensor& dst, const Conversion& c, bool parallel, Row row) {
  const Tensor in = src.contiguous();
  const int64_t h = in.size(0), w = in.size(1);
  const T* s = in.data<T>();
  T* d = dst.data<T>();
  const int64_t sstep = w * c.scn, dstep = w * c.dcn;
  auto body = [&](int64_t y0, int64_t y1) {
    for (int64_t y = y0; y < y1; ++y) row(s + y * sstep, d + y * dstep, w, c);
  };
  if (parallel) parallel_for(0, h, std::max<int64_t>(1, 65536 / std::max<int64_t>(w, 1)), body);
  else body(0, h);
}

// Channel shuffles (and gray -> colour) are per pixel with no row tails, so the image is one run
// of pixels, cut into chunks of whole 64-pixel blocks: each chunk's destination then starts
// 64-byte aligned (as Tensor storage is), which streaming stores need.
void run_shuffle_u8(const Tensor& src, Tensor& dst, const Conversion& c) {
  const Tensor in = src.contiguous();
  const int64_t pixels = in.size(0) * in.size(1), block = 64;
  const bool stream = imgproc_detail::stream_output(pixels * c.dcn);
  const uint8_t* s = in.data<uint8_t>();
  uint8_t* d = dst.data<uint8_t>();
  parallel_for(0, (pixels + block - 1) / block, 1024, [&](int64_t b0, int64_t b1) {
    const int64_t p0 = b0 * block, p1 = std::min(pixels, b1 * block);
    const int64_t done =
        color_detail::shuffle_row_u8_fast(s + p0 * c.scn, d + p0 * c.dcn, p1 - p0, c.scn, c.dcn, c.swap, stream);
    reference_row(s + (p0 + done) * c.scn, d + (p0 + done) * c.dcn, p1 - p0 - done, c);
  });
}

Tensor convert(const Tensor& src, int code, int dstCn, bool fast) {
  Shape shape;
  const Conversion c = plan(src, code, dstCn, shape);
  Tensor dst = Tensor::empty(shape, src.dtype());
  if (src.dtype() == DType::u8) {
    if (fast && (c.kind == Kind::shuffle || c.kind == Kind::from_gray)) run_shuffle_u8(src, dst, c);
    else if (fast) run_rows<uint8_t>(src, dst, c, true, fast_row_u8);
    else run_rows<uint8_t>(src, dst, c, false, reference_row<uint8_t>);
  } else {
    run_rows<float>(src, dst, c, fast, reference_row<float>);
  }
  return dst;
}

}  // namespace

const char* color_code_name(int code) {
  const CodeInfo* c = find_code(code);
  return c ? c->name : "";
}

Tensor cvtColor(const Tensor& src, int code, int dstCn) { return convert(src, code, dstCn, true); }

namespace ref {
Tensor cvtColor(const Tensor& src, int code, int dstCn) { return convert(src, code, dstCn, false); }
}  // namespace ref

}  // namespace ojo
