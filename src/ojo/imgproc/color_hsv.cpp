// RGB <-> HSV and RGB <-> HLS rows, u8 and f32, matching OpenCV 4.6 (color_hsv.simd.hpp).
//
// u8 RGB -> HSV is integer arithmetic: S = diff * round(255·2^12 / V) >> 12 and H from the sector
// formula times round(hrange·2^12 / (6·diff)), both rounded with +2^11 before the shift.
//
// The other u8 conversions go through float, and OpenCV's float arithmetic is not the same in its
// SIMD blocks and its scalar tail (measured against libopencv 4.6 on AVX2 over all 2^24 inputs):
//   HSV -> RGB: blocks of 32 pixels truncate x·255 and form 1 - s·h with FMA; the tail of the row
//               (width % 32 pixels) rounds, with FMA for 1 - s·h but not for 1 - s·(1 - h).
//   RGB -> HLS: blocks of 8 pixels compute H = fma(delta, 60/diff, base)·scale; the tail computes
//               delta·(60/diff) and adds the sector base with FMA except in the red sector.
//   HLS -> RGB: blocks of 8 use FMA for the two interpolated values; the tail uses FMA for
//               l + s - l·s.
// Each "simd" / "tail" function below is one of those models; a row applies them by position.
#include <algorithm>
#include <cfloat>
#include <cmath>

#include "color_kernels.hpp"

namespace ojo::color_detail {
namespace {

constexpr int kHsvShift = 12;

struct HsvTables {
  int sdiv[256], hdiv180[256], hdiv256[256];
  HsvTables() {
    sdiv[0] = hdiv180[0] = hdiv256[0] = 0;
    for (int i = 1; i < 256; ++i) {
      sdiv[i] = static_cast<int>(std::nearbyint((255 << kHsvShift) / (1. * i)));
      hdiv180[i] = static_cast<int>(std::nearbyint((180 << kHsvShift) / (6. * i)));
      hdiv256[i] = static_cast<int>(std::nearbyint((256 << kHsvShift) / (6. * i)));
    }
  }
};
const HsvTables& hsv_tables() {
  static const HsvTables t;
  return t;
}

inline uint8_t round_u8(float x) {  // saturate_cast<uchar>(float): round half to even, clamp
  const float r = std::nearbyint(x);
  return r <= 0.f ? 0 : r >= 255.f ? 255 : static_cast<uint8_t>(r);
}
inline uint8_t trunc_u8(float x) {  // v_trunc then saturating packs
  const float r = std::trunc(x);
  return !(r > 0.f) ? 0 : r >= 255.f ? 255 : static_cast<uint8_t>(r);
}

// ---- HSV -> RGB (b, g, r out; h in [0, hrange), s and v in 0..1) ----
inline void hsv2bgr_simd(float h, float s, float v, float hscale, float bgr[3]) {
  h *= hscale;
  const float pre = std::trunc(h);
  h -= pre;
  const float t0 = v, t1 = v * (1.f - s), t2 = v * std::fma(-s, h, 1.f), t3 = v * std::fma(-s, 1.f - h, 1.f);
  const float sector = pre - std::trunc(pre * (1.f / 6.f)) * 6.f;
  bgr[0] = sector < 2 ? t1 : sector == 2 ? t3 : sector <= 4 ? t0 : t2;
  bgr[1] = sector < 1 ? t3 : sector <= 2 ? t0 : sector == 3 ? t2 : t1;
  bgr[2] = sector < 1 ? t0 : sector == 1 ? t2 : sector <= 3 ? t1 : sector == 4 ? t3 : t0;
}

constexpr int kSector[6][3] = {{1, 3, 0}, {1, 0, 2}, {3, 0, 1}, {0, 2, 1}, {0, 1, 3}, {2, 1, 0}};

inline void hsv2bgr_tail(float h, float s, float v, float hscale, float bgr[3]) {
  if (s == 0) {
    bgr[0] = bgr[1] = bgr[2] = v;
    return;
  }
  h = std::fmod(h * hscale, 6.f);
  int sector = static_cast<int>(std::floor(h));
  h -= static_cast<float>(sector);
  if (static_cast<unsigned>(sector) >= 6u) sector = 0, h = 0.f;
  const float tab[4] = {v, v * (1.f - s), v * std::fma(-s, h, 1.f), v * (1.f - s * (1.f - h))};
  for (int k = 0; k < 3; ++k) bgr[k] = tab[kSector[sector][k]];
}

// ---- RGB -> HLS (r, g, b in 0..1; h in degrees·hscale, l, s in 0..1) ----
inline void rgb2hls_simd(float r, float g, float b, float hscale, float hls[3]) {
  const float mx = std::max(std::max(r, g), b), mn = std::min(std::min(r, g), b);
  const float diff = mx - mn, sum = mx + mn, l = sum * 0.5f;
  if (!(diff > FLT_EPSILON)) {
    hls[0] = 0.f, hls[1] = l, hls[2] = 0.f;
    return;
  }
  const float s = diff / (l < 0.5f ? sum : 2.0f - sum);
  const bool rmax = mx == r, gmax = mx == g;
  const float delta = rmax ? g - b : gmax ? b - r : r - g;
  const float base = rmax ? (g < b ? 360.f : 0.f) : gmax ? 120.f : 240.f;
  hls[0] = std::fma(delta, 60.f / diff, base) * hscale;
  hls[1] = l;
  hls[2] = s;
}

inline void rgb2hls_tail(float r, float g, float b, float hscale, float hls[3]) {
  float vmax = r, vmin = r;
  vmax = std::max(std::max(vmax, g), b);  // same as OpenCV's compare chain for finite values
  vmin = std::min(std::min(vmin, g), b);
  float diff = vmax - vmin, h = 0.f, s = 0.f;
  const float l = (vmax + vmin) * 0.5f;
  if (diff > FLT_EPSILON) {
    s = l < 0.5f ? diff / (vmax + vmin) : diff / (2 - vmax - vmin);
    diff = 60.f / diff;
    if (vmax == r) h = (g - b) * diff;
    else if (vmax == g) h = std::fma(b - r, diff, 120.f);
    else h = std::fma(r - g, diff, 240.f);
    if (h < 0.f) h += 360.f;
  }
  hls[0] = h * hscale;
  hls[1] = l;
  hls[2] = s;
}

// ---- HLS -> RGB (b, g, r out) ----
inline void hls2bgr_simd(float h, float l, float s, float hscale, float bgr[3]) {
  const float ls = l * s;
  const float e0 = l <= 0.5f ? ls : s - ls;
  const float raw = h * hscale, pre = std::trunc(raw), hs = raw - pre;
  const float sector = pre - 6.f * std::trunc(raw * (1.f / 6.f));
  const float e1 = hs + hs;
  const float t0 = l + e0, t1 = l - e0, t2 = std::fma(-e0, e1, l + e0), t3 = std::fma(e0, e1, l - e0);
  bgr[0] = sector < 2 ? t1 : sector <= 2 ? t3 : sector <= 4 ? t0 : t2;
  bgr[1] = sector < 1 ? t3 : sector <= 2 ? t0 : sector < 4 ? t2 : t1;
  bgr[2] = sector < 1 ? t0 : sector < 2 ? t2 : sector < 4 ? t1 : sector <= 4 ? t3 : t0;
}

inline void hls2bgr_tail(float h, float l, float s, float hscale, float bgr[3]) {
  if (s == 0) {
    bgr[0] = bgr[1] = bgr[2] = l;
    return;
  }
  const float p2 = l <= 0.5f ? l * (1 + s) : std::fma(-l, s, l + s);
  const float p1 = 2 * l - p2;
  h *= hscale;
  while (h < 0) h += 6;
  while (h >= 6) h -= 6;
  const int sector = static_cast<int>(std::floor(h));
  h -= static_cast<float>(sector);
  const float tab[4] = {p2, p1, p1 + (p2 - p1) * (1 - h), p1 + (p2 - p1) * h};
  for (int k = 0; k < 3; ++k) bgr[k] = tab[kSector[sector][k]];
}

// ---- float RGB -> HSV (OpenCV's scalar formula) ----
inline void rgb2hsv_f(float r, float g, float b, float hscale, float hsv[3]) {
  const float v = std::max(std::max(r, g), b), vmin = std::min(std::min(r, g), b);
  float diff = v - vmin;
  const float s = diff / (std::fabs(v) + FLT_EPSILON);
  diff = static_cast<float>(60. / (diff + FLT_EPSILON));
  float h = v == r ? (g - b) * diff : v == g ? (b - r) * diff + 120.f : (r - g) * diff + 240.f;
  if (h < 0) h += 360.f;
  hsv[0] = h * hscale, hsv[1] = s, hsv[2] = v;
}

}  // namespace

void hsv_row_u8(const uint8_t* src, uint8_t* dst, int64_t n, const Conversion& c) {
  const HsvTables& t = hsv_tables();
  const int* hdiv = c.hrange == 180 ? t.hdiv180 : t.hdiv256;
  const int bi = c.blue, scn = c.scn, hr = c.hrange;
  for (int64_t i = 0; i < n; ++i, src += scn, dst += 3) {
    const int b = src[bi], g = src[1], r = src[bi ^ 2];
    const int v = std::max(std::max(b, g), r), vmin = std::min(std::min(b, g), r);
    const int diff = v - vmin;
    const int s = (diff * t.sdiv[v] + (1 << (kHsvShift - 1))) >> kHsvShift;
    int h = v == r ? g - b : v == g ? b - r + 2 * diff : r - g + 4 * diff;
    h = (h * hdiv[diff] + (1 << (kHsvShift - 1))) >> kHsvShift;
    h += h < 0 ? hr : 0;
    dst[0] = static_cast<uint8_t>(std::clamp(h, 0, 255));
    dst[1] = static_cast<uint8_t>(s);
    dst[2] = static_cast<uint8_t>(v);
  }
}

void hsv2rgb_row_u8(const uint8_t* src, uint8_t* dst, int64_t n, const Conversion& c, int64_t start) {
  const float hscale = 6.0f / static_cast<float>(c.hrange);
  const int64_t blocks = n / 32 * 32;
  const int bi = c.blue, dcn = c.dcn;
  src += start * 3, dst += start * dcn;
  for (int64_t i = start; i < n; ++i, src += 3, dst += dcn) {
    float bgr[3];
    const float h = src[0], s = src[1] * (1.f / 255.f), v = src[2] * (1.f / 255.f);
    if (i < blocks) {
      hsv2bgr_simd(h, s, v, hscale, bgr);
      dst[bi] = trunc_u8(bgr[0] * 255.f), dst[1] = trunc_u8(bgr[1] * 255.f), dst[bi ^ 2] = trunc_u8(bgr[2] * 255.f);
    } else {
      hsv2bgr_tail(h, s, v, hscale, bgr);
      dst[bi] = round_u8(bgr[0] * 255.f), dst[1] = round_u8(bgr[1] * 255.f), dst[bi ^ 2] = round_u8(bgr[2] * 255.f);
    }
    if (dcn == 4) dst[3] = 255;
  }
}

void hls_row_u8(const uint8_t* src, uint8_t* dst, int64_t n, const Conversion& c, int64_t start) {
  const float hscale = static_cast<float>(c.hrange) / 360.f;
  const int64_t blocks = n / 8 * 8;
  const int bi = c.blue, scn = c.scn;
  src += start * scn, dst += start * 3;
  for (int64_t i = start; i < n; ++i, src += scn, dst += 3) {
    const float b = src[bi] * (1.f / 255.f), g = src[1] * (1.f / 255.f), r = src[bi ^ 2] * (1.f / 255.f);
    float hls[3];
    if (i < blocks) rgb2hls_simd(r, g, b, hscale, hls);
    else rgb2hls_tail(r, g, b, hscale, hls);
    dst[0] = round_u8(hls[0]), dst[1] = round_u8(hls[1] * 255.f), dst[2] = round_u8(hls[2] * 255.f);
  }
}

void hls2rgb_row_u8(const uint8_t* src, uint8_t* dst, int64_t n, const Conversion& c, int64_t start) {
  const float hscale = 6.f / static_cast<float>(c.hrange);
  const int64_t blocks = n / 8 * 8;
  const int bi = c.blue, dcn = c.dcn;
  src += start * 3, dst += start * dcn;
  for (int64_t i = start; i < n; ++i, src += 3, dst += dcn) {
    const float h = src[0], l = src[1] * (1.f / 255.f), s = src[2] * (1.f / 255.f);
    float bgr[3];
    if (i < blocks) hls2bgr_simd(h, l, s, hscale, bgr);
    else hls2bgr_tail(h, l, s, hscale, bgr);
    dst[bi] = round_u8(bgr[0] * 255.f), dst[1] = round_u8(bgr[1] * 255.f), dst[bi ^ 2] = round_u8(bgr[2] * 255.f);
    if (dcn == 4) dst[3] = 255;
  }
}

void hsv_row_f32(const float* src, float* dst, int64_t n, const Conversion& c) {
  const float hscale = 360.f * (1.f / 360.f);
  for (int64_t i = 0; i < n; ++i, src += c.scn, dst += 3) rgb2hsv_f(src[c.blue ^ 2], src[1], src[c.blue], hscale, dst);
}

void hsv2rgb_row_f32(const float* src, float* dst, int64_t n, const Conversion& c) {
  const float hscale = 6.f / 360.f;
  for (int64_t i = 0; i < n; ++i, src += 3, dst += c.dcn) {
    float bgr[3];
    hsv2bgr_tail(src[0], src[1], src[2], hscale, bgr);
    dst[c.blue] = bgr[0], dst[1] = bgr[1], dst[c.blue ^ 2] = bgr[2];
    if (c.dcn == 4) dst[3] = 1.f;
  }
}

void hls_row_f32(const float* src, float* dst, int64_t n, const Conversion& c) {
  for (int64_t i = 0; i < n; ++i, src += c.scn, dst += 3) rgb2hls_tail(src[c.blue ^ 2], src[1], src[c.blue], 1.f, dst);
}

void hls2rgb_row_f32(const float* src, float* dst, int64_t n, const Conversion& c) {
  const float hscale = 6.f / 360.f;
  for (int64_t i = 0; i < n; ++i, src += 3, dst += c.dcn) {
    float bgr[3];
    hls2bgr_tail(src[0], src[1], src[2], hscale, bgr);
    dst[c.blue] = bgr[0], dst[1] = bgr[1], dst[c.blue ^ 2] = bgr[2];
    if (c.dcn == 4) dst[3] = 1.f;
  }
}

}  // namespace ojo::color_detail
