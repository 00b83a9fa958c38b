// warpAffine (see include/ojo/imgproc/geometry.hpp), following OpenCV 4.6's imgwarp.cpp arithmetic:
//
//  * Unless WARP_INVERSE_MAP, M is inverted in double (D = 1/det, 0 for a singular M).
//  * Fixed point with AB_BITS = 10: per column adelta[x] = round(M0*x*1024), bdelta[x] =
//    round(M3*x*1024); per row X0 = round((M1*y + M2)*1024) + delta, Y0 likewise, with delta 512
//    for NEAREST and 16 otherwise (rounding to 1/32 pixel). NEAREST: sx = (X0+adelta) >> 10.
//    LINEAR/CUBIC: X = (X0+adelta) >> 5, sx = X >> 5 and the fractional index (Y&31)*32 + (X&31)
//    picks 15-bit weights (the outer product of the 1-D tables, adjusted so they sum to 32768).
//    Source coordinates are saturated to int16, as OpenCV's CV_16SC2 maps.
//  * Interpolation: D = sat_u8((sum of pixel*weight + 16384) >> 15). Pixels whose taps leave the
//    image use the border rule per tap (remapBilinear / remapBicubic): BORDER_CONSTANT writes the
//    value when the whole footprint is out and otherwise blends it in for the missing taps;
//    BORDER_TRANSPARENT leaves the destination as it was (see the header for which pixels).
//
// The fast path computes each row's coordinates in a vectorisable loop and interpolates in place
// (no intermediate maps), rows in parallel; the border pixels share ojo::ref's code. LINEAR and
// CUBIC on 3 and 4 channels interpolate one pixel per 128-bit vector (warp_affine_fast.cpp;
// CUBIC RGB ~3x faster than the scalar channel loop), a run of inside
// pixels per call, so the scalar loop only visits the pixels between runs (the two passes over
// every pixel this replaced cost ~20% on a 1080p RGB rotation).
#include <cmath>
#include <cstring>
#include <vector>

#include "ojo/core/parallel.hpp"
#include "ojo/core/saturate.hpp"
#include "ojo/imgproc/geometry.hpp"
#include "warp_kernels.hpp"

namespace ojo {

namespace {

constexpr int kAbBits = 10, kAbScale = 1 << kAbBits;
constexpr int kInterBits = 5, kTabSize = 1 << kInterBits, kTabSize2 = kTabSize * kTabSize;
constexpr int kRemapBits = 15, kRemapScale = 1 << kRemapBits;

// OpenCV's fixed-point 2-D interpolation tables (initInterTab2D).
struct InterTables {
  int16_t linear[kTabSize2][4];
  int16_t cubic[kTabSize2][16];
};

void cubic_1d(float x, float* c) {
  const float A = -0.75f;
  c[0] = ((A * (x + 1) - 5 * A) * (x + 1) + 8 * A) * (x + 1) - 4 * A;
  c[1] = ((A + 2) * x - (A + 3)) * x * x + 1;
  c[2] = ((A + 2) * (1 - x) - (A + 3)) * (1 - x) * (1 - x) + 1;
  c[3] = 1.f - c[0] - c[1] - c[2];
}

void build_table(int ksize, int16_t* itab) {
  float tab1d[kTabSize * 4];
  const float scale = 1.f / kTabSize;
  for (int i = 0; i < kTabSize; ++i) {
    const float x = i * scale;
    if (ksize == 2) tab1d[i * 2] = 1.f - x, tab1d[i * 2 + 1] = x;
    else cubic_1d(x, tab1d + i * 4);
  }
  for (int i = 0; i < kTabSize; ++i)
    for (int j = 0; j < kTabSize; ++j, itab += ksize * ksize) {
      int isum = 0;
      for (int k1 = 0; k1 < ksize; ++k1) {
        const float vy = tab1d[i * ksize + k1];
        for (int k2 = 0; k2 < ksize; ++k2) {
          const float v = vy * tab1d[j * ksize + k2];
          isum += itab[k1 * ksize + k2] = saturate_cast<int16_t>(v * kRemapScale);
        }
      }
      if (isum != kRemapScale) {  // put the rounding error on the largest / smallest central tap
        const int diff = isum - kRemapScale, k = ksize / 2;
        int Mk1 = k, Mk2 = k, mk1 = k, mk2 = k;
        for (int k1 = k; k1 < k + 2; ++k1)
          for (int k2 = k; k2 < k + 2; ++k2) {
            if (itab[k1 * ksize + k2] < itab[mk1 * ksize + mk2]) mk1 = k1, mk2 = k2;
            else if (itab[k1 * ksize + k2] > itab[Mk1 * ksize + Mk2]) Mk1 = k1, Mk2 = k2;
          }
        if (diff < 0) itab[Mk1 * ksize + Mk2] = static_cast<int16_t>(itab[Mk1 * ksize + Mk2] - diff);
        else itab[mk1 * ksize + mk2] = static_cast<int16_t>(itab[mk1 * ksize + mk2] - diff);
      }
    }
}

const InterTables& inter_tables() {
  static const InterTables* t = [] {
    auto* p = new InterTables;
    build_table(2, &p->linear[0][0]);
    build_table(4, &p->cubic[0][0]);
    return p;
  }();
  return *t;
}

inline uint8_t cast_fixed(int sum) {
  const int v = (sum + (1 << (kRemapBits - 1))) >> kRemapBits;
  return static_cast<uint8_t>(v < 0 ? 0 : v > 255 ? 255 : v);
}

inline int16_t sat16(int v) { return static_cast<int16_t>(v < -32768 ? -32768 : v > 32767 ? 32767 : v); }

// OpenCV's clip(x, 0, n): x clamped to [0, n-1].
inline int64_t clip(int64_t x, int64_t n) { return x >= 0 ? (x < n ? x : n - 1) : 0; }

struct Plan {
  int64_t sw, sh, cn, dw, dh, sstep;  // sstep: elements per source row (contiguous source)
  int interp, border;
  double M[6];
  uint8_t cval[4];
  std::vector<int> adelta, bdelta;
  const uint8_t* S0;
  uint8_t* D0;
};

Plan make_plan(const Tensor& src, const Tensor& M, Size dsize, int flags, int borderMode,
               const std::vector<double>& borderValue, const Tensor& dst) {
  const char* op = "warpAffine";
  Plan p{};
  p.cn = check_image(src, op);
  check(src.dtype() == DType::u8, op, "expected a u8 image, got ", dtype_name(src.dtype()));
  check(M.defined(), op, "M is undefined");
  check(M.dtype() == DType::f64 || M.dtype() == DType::f32, op, "M must be f64 or f32, got ", dtype_name(M.dtype()));
  check(M.dim() == 2 && M.size(0) == 2 && M.size(1) == 3, op, "M must be shaped [2, 3], got ", shape_str(M.shape()));
  check((flags & ~(7 | WARP_FILL_OUTLIERS | WARP_INVERSE_MAP)) == 0, op, "unknown flags ", flags,
        " (expected INTER_NEAREST, INTER_LINEAR, INTER_CUBIC or INTER_AREA, optionally | WARP_INVERSE_MAP)");
  int interp = flags & 7;
  if (interp == INTER_AREA) interp = INTER_LINEAR;  // as OpenCV
  check(interp == INTER_NEAREST || interp == INTER_LINEAR || interp == INTER_CUBIC, op, "unsupported interpolation ",
        interp,
        interp == INTER_LANCZOS4 ? " (INTER_LANCZOS4 is not implemented)"
                                 : " (expected INTER_NEAREST, INTER_LINEAR, INTER_CUBIC or INTER_AREA)");
  check(borderMode == BORDER_CONSTANT || borderMode == BORDER_REPLICATE || borderMode == BORDER_REFLECT ||
            borderMode == BORDER_WRAP || borderMode == BORDER_REFLECT_101 || borderMode == BORDER_TRANSPARENT,
        op, "unknown borderMode ", borderMode,
        " (expected BORDER_CONSTANT, BORDER_REPLICATE, BORDER_REFLECT, BORDER_WRAP, BORDER_REFLECT_101 or "
        "BORDER_TRANSPARENT)");
  if (dsize.width == 0 && dsize.height == 0) dsize = {src.size(1), src.size(0)};
  check(dsize.width > 0 && dsize.height > 0, op, "dsize must be positive (or (0, 0) for the source size), got (",
        dsize.width, ", ", dsize.height, ")");
  check(dsize.width <= INT32_MAX / 2 && dsize.height <= INT32_MAX / 2, op, "dsize (", dsize.width, ", ",
        dsize.height, ") is too large");
  p.sh = src.size(0);
  p.sw = src.size(1);
  p.dw = dsize.width;
  p.dh = dsize.height;
  if (borderMode == BORDER_TRANSPARENT) {
    check(dst.defined(), op, "BORDER_TRANSPARENT needs dst, the image the result is drawn over");
    Shape want = src.shape();
    want[0] = p.dh;
    want[1] = p.dw;
    check(dst.dtype() == DType::u8 && dst.shape() == want, op, "dst must be a u8 image shaped ", shape_str(want),
          ", got ", dtype_name(dst.dtype()), " ", shape_str(dst.shape()));
  }
  p.interp = interp;
  p.border = borderMode;
  for (int k = 0; k < 4; ++k)
    p.cval[k] = saturate_cast<uint8_t>(k < static_cast<int>(borderValue.size()) ? borderValue[k] : 0.0);

  const Tensor m = M.to(DType::f64).contiguous();
  for (int k = 0; k < 6; ++k) p.M[k] = m.data<double>()[k];
  double* A = p.M;
  if (!(flags & WARP_INVERSE_MAP)) {
    double D = A[0] * A[4] - A[1] * A[3];
    D = D != 0 ? 1. / D : 0;
    const double A11 = A[4] * D, A22 = A[0] * D;
    A[0] = A11;
    A[1] *= -D;
    A[3] *= -D;
    A[4] = A22;
    const double b1 = -A[0] * A[2] - A[1] * A[5];
    const double b2 = -A[3] * A[2] - A[4] * A[5];
    A[2] = b1;
    A[5] = b2;
  }
  p.adelta.resize(p.dw);
  p.bdelta.resize(p.dw);
  for (int64_t x = 0; x < p.dw; ++x) {
    p.adelta[x] = saturate_cast<int>(A[0] * static_cast<double>(x) * kAbScale);
    p.bdelta[x] = saturate_cast<int>(A[3] * static_cast<double>(x) * kAbScale);
  }
  return p;
}

inline int round_delta(int interp) { return interp == INTER_NEAREST ? kAbScale / 2 : kAbScale / kTabSize / 2; }

// The row's origin in fixed point (X0, Y0 of OpenCV's WarpAffineInvoker).
inline void row_origin(const Plan& p, int64_t y, int& X0, int& Y0) {
  const int rd = round_delta(p.interp);
  X0 = static_cast<int>(static_cast<unsigned>(saturate_cast<int>((p.M[1] * y + p.M[2]) * kAbScale)) + rd);
  Y0 = static_cast<int>(static_cast<unsigned>(saturate_cast<int>((p.M[4] * y + p.M[5]) * kAbScale)) + rd);
}

inline int wrap_add(int a, int b) { return static_cast<int>(static_cast<unsigned>(a) + static_cast<unsigned>(b)); }

// ------------------------------------------------------------------ per-pixel border cases (shared)

// NEAREST, source coordinate (sx, sy) outside the image.
inline void nearest_outside(const Plan& p, int sx, int sy, uint8_t* D) {
  const int64_t cn = p.cn;
  const uint8_t* S;
  if (p.border == BORDER_TRANSPARENT) return;
  if (p.border == BORDER_CONSTANT) S = p.cval;
  else if (p.border == BORDER_REPLICATE) S = p.S0 + clip(sy, p.sh) * p.sstep + clip(sx, p.sw) * cn;
  else S = p.S0 + borderInterpolate(sy, p.sh, p.border) * p.sstep + borderInterpolate(sx, p.sw, p.border) * cn;
  for (int64_t k = 0; k < cn; ++k) D[k] = S[k];
}

// LINEAR, a pixel whose 2x2 footprint at (sx, sy) is not inside the image.
inline void linear_outside(const Plan& p, int sx, int sy, const int16_t* w, uint8_t* D) {
  const int64_t cn = p.cn, W = p.sw, H = p.sh;
  if (p.border == BORDER_TRANSPARENT) return;
  if (p.border == BORDER_CONSTANT && (sx >= W || sx + 1 < 0 || sy >= H || sy + 1 < 0)) {
    for (int64_t k = 0; k < cn; ++k) D[k] = p.cval[k];
    return;
  }
  const uint8_t *v0, *v1, *v2, *v3;
  if (p.border == BORDER_REPLICATE) {
    const int64_t x0 = clip(sx, W) * cn, x1 = clip(sx + 1, W) * cn;
    const int64_t y0 = clip(sy, H) * p.sstep, y1 = clip(sy + 1, H) * p.sstep;
    v0 = p.S0 + y0 + x0, v1 = p.S0 + y0 + x1, v2 = p.S0 + y1 + x0, v3 = p.S0 + y1 + x1;
  } else {
    const int64_t x0 = borderInterpolate(sx, W, p.border), x1 = borderInterpolate(sx + 1, W, p.border);
    const int64_t y0 = borderInterpolate(sy, H, p.border), y1 = borderInterpolate(sy + 1, H, p.border);
    auto at = [&](int64_t xx, int64_t yy) { return xx >= 0 && yy >= 0 ? p.S0 + yy * p.sstep + xx * cn : p.cval; };
    v0 = at(x0, y0), v1 = at(x1, y0), v2 = at(x0, y1), v3 = at(x1, y1);
  }
  for (int64_t k = 0; k < cn; ++k) D[k] = cast_fixed(v0[k] * w[0] + v1[k] * w[1] + v2[k] * w[2] + v3[k] * w[3]);
}

// CUBIC, a pixel whose 4x4 footprint starting at (sx, sy) (= map - 1) is not inside the image.
inline void cubic_outside(const Plan& p, int sx, int sy, const int16_t* w, uint8_t* D) {
  const int64_t cn = p.cn, W = p.sw, H = p.sh;
  if (p.border == BORDER_TRANSPARENT && (static_cast<unsigned>(sx + 1) >= static_cast<unsigned>(W) ||
                                         static_cast<unsigned>(sy + 1) >= static_cast<unsigned>(H)))
    return;
  const int border = p.border == BORDER_TRANSPARENT ? BORDER_REFLECT_101 : p.border;
  if (border == BORDER_CONSTANT && (sx >= W || sx + 4 <= 0 || sy >= H || sy + 4 <= 0)) {
    for (int64_t k = 0; k < cn; ++k) D[k] = p.cval[k];
    return;
  }
  int64_t xs[4], ys[4];
  for (int i = 0; i < 4; ++i) {
    xs[i] = borderInterpolate(sx + i, W, border);
    ys[i] = borderInterpolate(sy + i, H, border);
  }
  for (int64_t k = 0; k < cn; ++k) {
    const int cv = p.cval[k];
    int sum = cv * kRemapScale;
    for (int i = 0; i < 4; ++i) {
      if (ys[i] < 0) continue;
      const uint8_t* S = p.S0 + ys[i] * p.sstep + k;
      for (int j = 0; j < 4; ++j)
        if (xs[j] >= 0) sum += (S[xs[j] * cn] - cv) * w[i * 4 + j];
    }
    D[k] = cast_fixed(sum);
  }
}

// ------------------------------------------------------------------ reference: pixel by pixel

void warp_ref(const Plan& p) {
  const InterTables& tabs = inter_tables();
  const int64_t cn = p.cn;
  for (int64_t y = 0; y < p.dh; ++y) {
    int X0, Y0;
    row_origin(p, y, X0, Y0);
    uint8_t* D = p.D0 + y * p.dw * cn;
    for (int64_t x = 0; x < p.dw; ++x, D += cn) {
      const int ax = wrap_add(X0, p.adelta[x]), ay = wrap_add(Y0, p.bdelta[x]);
      if (p.interp == INTER_NEAREST) {
        const int sx = sat16(ax >> kAbBits), sy = sat16(ay >> kAbBits);
        if (sx >= 0 && sx < p.sw && sy >= 0 && sy < p.sh) {
          const uint8_t* S = p.S0 + sy * p.sstep + sx * cn;
          for (int64_t k = 0; k < cn; ++k) D[k] = S[k];
        } else {
          nearest_outside(p, sx, sy, D);
        }
        continue;
      }
      const int X = ax >> (kAbBits - kInterBits), Y = ay >> (kAbBits - kInterBits);
      const int sx = sat16(X >> kInterBits), sy = sat16(Y >> kInterBits);
      const int a = (Y & (kTabSize - 1)) * kTabSize + (X & (kTabSize - 1));
      if (p.interp == INTER_LINEAR) {
        const int16_t* w = tabs.linear[a];
        if (sx >= 0 && sx < p.sw - 1 && sy >= 0 && sy < p.sh - 1) {
          const uint8_t* S = p.S0 + sy * p.sstep + sx * cn;
          for (int64_t k = 0; k < cn; ++k)
            D[k] = cast_fixed(S[k] * w[0] + S[k + cn] * w[1] + S[k + p.sstep] * w[2] + S[k + p.sstep + cn] * w[3]);
        } else {
          linear_outside(p, sx, sy, w, D);
        }
      } else {
        const int16_t* w = tabs.cubic[a];
        const int cx = sx - 1, cy = sy - 1;
        if (cx >= 0 && cx < p.sw - 3 && cy >= 0 && cy < p.sh - 3) {
          for (int64_t k = 0; k < cn; ++k) {
            int sum = 0;
            for (int i = 0; i < 4; ++i) {
              const uint8_t* S = p.S0 + (cy + i) * p.sstep + cx * cn + k;
              for (int j = 0; j < 4; ++j) sum += S[j * cn] * w[i * 4 + j];
            }
            D[k] = cast_fixed(sum);
          }
        } else {
          cubic_outside(p, cx, cy, w, D);
        }
      }
    }
  }
}

// ------------------------------------------------------------------ fast path

// Coordinates of one row for LINEAR/CUBIC: integer source position and table index.
__attribute__((target_clones("avx2", "default"))) void row_coords_interp(const int* __restrict adelta,
                                                                         const int* __restrict bdelta, int X0, int Y0,
                                                                         int64_t n, int* __restrict xs,
                                                                         int* __restrict ys, int* __restrict as) {
  for (int64_t x = 0; x < n; ++x) {
    const int X = static_cast<int>(static_cast<unsigned>(X0) + static_cast<unsigned>(adelta[x])) >>
                  (kAbBits - kInterBits);
    const int Y = static_cast<int>(static_cast<unsigned>(Y0) + static_cast<unsigned>(bdelta[x])) >>
                  (kAbBits - kInterBits);
    const int sx = X >> kInterBits, sy = Y >> kInterBits;
    xs[x] = sx < -32768 ? -32768 : sx > 32767 ? 32767 : sx;
    ys[x] = sy < -32768 ? -32768 : sy > 32767 ? 32767 : sy;
    as[x] = (Y & (kTabSize - 1)) * kTabSize + (X & (kTabSize - 1));
  }
}

__attribute__((target_clones("avx2", "default"))) void row_coords_nearest(const int* __restrict adelta,
                                                                          const int* __restrict bdelta, int X0, int Y0,
                                                                          int64_t n, int* __restrict xs,
                                                                          int* __restrict ys) {
  for (int64_t x = 0; x < n; ++x) {
    const int sx = static_cast<int>(static_cast<unsigned>(X0) + static_cast<unsigned>(adelta[x])) >> kAbBits;
    const int sy = static_cast<int>(static_cast<unsigned>(Y0) + static_cast<unsigned>(bdelta[x])) >> kAbBits;
    xs[x] = sx < -32768 ? -32768 : sx > 32767 ? 32767 : sx;
    ys[x] = sy < -32768 ? -32768 : sy > 32767 ? 32767 : sy;
  }
}

template <int CN>
void linear_row(const Plan& p, const int* xs, const int* ys, const int* as, uint8_t* D, int64_t n) {
  const int64_t cn = CN > 0 ? CN : p.cn, step = p.sstep;
  const unsigned w1 = static_cast<unsigned>(p.sw - 1), h1 = static_cast<unsigned>(p.sh - 1);
  const int16_t(*tab)[4] = inter_tables().linear;
  const uint8_t* S0 = p.S0;
  // 3 and 4 channels: the vector kernel does runs of pixels it can, the loops below the pixels
  // between. Inside and outside pixels go in separate runs, so the inside loop has no call in it.
  bool vector = CN == 3 || CN == 4;
  for (int64_t x = 0; x < n;) {
    if (vector) {
      const int64_t stop = warp_detail::linear_row_c34_fast(S0, p.sw, p.sh, cn, xs, ys, as, tab, D, x, n);
      if (stop < 0) vector = false;  // no vector target
      else x = stop;
      if (x == n) break;
    }
    for (; x < n; ++x) {
      const int sx = xs[x], sy = ys[x];
      if (static_cast<unsigned>(sx) >= w1 || static_cast<unsigned>(sy) >= h1) break;
      if (vector && warp_detail::linear_vector_tap(sx, sy, p.sw, p.sh, cn, step)) break;  // back to the kernel
      const int16_t* w = tab[as[x]];
      const uint8_t* S = S0 + sy * step + sx * cn;
      const int w0 = w[0], wa = w[1], wb = w[2], wc = w[3];
      for (int64_t k = 0; k < cn; ++k)
        D[x * cn + k] = static_cast<uint8_t>(
            (S[k] * w0 + S[k + cn] * wa + S[k + step] * wb + S[k + step + cn] * wc + (1 << (kRemapBits - 1))) >>
            kRemapBits);
    }
    for (; x < n; ++x) {
      const int sx = xs[x], sy = ys[x];
      if (static_cast<unsigned>(sx) < w1 && static_cast<unsigned>(sy) < h1) break;
      linear_outside(p, sx, sy, tab[as[x]], D + x * cn);
    }
  }
}

template <int CN>
void cubic_row(const Plan& p, const int* xs, const int* ys, const int* as, uint8_t* D, int64_t n) {
  const int64_t cn = CN > 0 ? CN : p.cn, step = p.sstep;
  const unsigned w3 = static_cast<unsigned>(std::max<int64_t>(p.sw - 3, 0)),
                 h3 = static_cast<unsigned>(std::max<int64_t>(p.sh - 3, 0));
  const int16_t(*tab)[16] = inter_tables().cubic;
  const uint8_t* S0 = p.S0;
  bool vector = CN == 3 || CN == 4;  // as in linear_row
  for (int64_t x = 0; x < n;) {
    if (vector) {
      const int64_t stop = warp_detail::cubic_row_c34_fast(S0, p.sw, p.sh, cn, xs, ys, as, tab, D, x, n);
      if (stop < 0) vector = false;
      else x = stop;
      if (x == n) break;
    }
    for (; x < n; ++x) {
      const int cx = xs[x] - 1, cy = ys[x] - 1;
      if (static_cast<unsigned>(cx) >= w3 || static_cast<unsigned>(cy) >= h3) break;
      if (vector && warp_detail::cubic_vector_tap(cx, cy, p.sw, p.sh, cn, step)) break;  // back to the kernel
      const int16_t* w = tab[as[x]];
      const uint8_t* S = S0 + cy * step + cx * cn;
      for (int64_t k = 0; k < cn; ++k) {
        const uint8_t* s = S + k;
        int sum = 0;
        for (int i = 0; i < 4; ++i, s += step)
          sum += s[0] * w[i * 4] + s[cn] * w[i * 4 + 1] + s[2 * cn] * w[i * 4 + 2] + s[3 * cn] * w[i * 4 + 3];
        D[x * cn + k] = cast_fixed(sum);
      }
    }
    for (; x < n; ++x) {
      const int cx = xs[x] - 1, cy = ys[x] - 1;
      if (static_cast<unsigned>(cx) < w3 && static_cast<unsigned>(cy) < h3) break;
      cubic_outside(p, cx, cy, tab[as[x]], D + x * cn);
    }
  }
}

template <int CN>
void nearest_row(const Plan& p, const int* xs, const int* ys, uint8_t* D, int64_t n) {
  const int64_t cn = CN > 0 ? CN : p.cn;
  const unsigned W = static_cast<unsigned>(p.sw), H = static_cast<unsigned>(p.sh);
  const uint8_t* S0 = p.S0;
  const int64_t step = p.sstep;
  const uint8_t* S_end = S0 + p.sh * step;
  // Runs of inside pixels, then runs of outside ones: the inside loop has no call in it, so its
  // pointers and bounds stay in registers.
  for (int64_t x = 0; x < n;) {
    for (; x < n; ++x) {
      const int sx = xs[x], sy = ys[x];
      if (static_cast<unsigned>(sx) >= W || static_cast<unsigned>(sy) >= H) break;
      const uint8_t* S = S0 + sy * step + sx * cn;
      if constexpr (CN == 3) {
        // Four bytes at once when the fourth (the next pixel's first) is inside the source and
        // the next pixel is inside too, so that it is overwritten right after.
        if (x + 1 < n && S + 4 <= S_end && static_cast<unsigned>(xs[x + 1]) < W &&
            static_cast<unsigned>(ys[x + 1]) < H) {
          uint32_t v;
          std::memcpy(&v, S, 4);
          std::memcpy(D + x * 3, &v, 4);
          continue;
        }
      }
      for (int64_t k = 0; k < cn; ++k) D[x * cn + k] = S[k];
    }
    for (; x < n; ++x) {
      const int sx = xs[x], sy = ys[x];
      if (static_cast<unsigned>(sx) < W && static_cast<unsigned>(sy) < H) break;
      nearest_outside(p, sx, sy, D + x * cn);
    }
  }
}

// Rows [y0, y1) in tiles of kTileRows x kTileCols destination pixels (OpenCV warps in blocks to keep
// a rotated strip of the source in cache). Tiles of 256 and 512 columns measured no better than
// whole rows on the 1080p rotation bench (better for CUBIC rgb, worse for NEAREST rgb), so a tile
// is a whole row for now; the structure stays for machines where it pays.
constexpr int64_t kTileRows = 32, kTileCols = int64_t{1} << 40;

template <int CN>
void warp_rows(const Plan& p, int64_t y0, int64_t y1) {
  const int64_t tw = std::min<int64_t>(kTileCols, p.dw);
  std::vector<int> buf(3 * tw);
  int *xs = buf.data(), *ys = xs + tw, *as = ys + tw;
  for (int64_t yb = y0; yb < y1; yb += kTileRows) {
    const int64_t ye = std::min(y1, yb + kTileRows);
    for (int64_t xb = 0; xb < p.dw; xb += tw) {
      const int64_t n = std::min(tw, p.dw - xb);
      for (int64_t y = yb; y < ye; ++y) {
        int X0, Y0;
        row_origin(p, y, X0, Y0);
        uint8_t* D = p.D0 + (y * p.dw + xb) * p.cn;
        if (p.interp == INTER_NEAREST) {
          row_coords_nearest(p.adelta.data() + xb, p.bdelta.data() + xb, X0, Y0, n, xs, ys);
          nearest_row<CN>(p, xs, ys, D, n);
        } else {
          row_coords_interp(p.adelta.data() + xb, p.bdelta.data() + xb, X0, Y0, n, xs, ys, as);
          if (p.interp == INTER_LINEAR) linear_row<CN>(p, xs, ys, as, D, n);
          else cubic_row<CN>(p, xs, ys, as, D, n);
        }
      }
    }
  }
}

void warp_fast(const Plan& p) {
  inter_tables();  // build before the threads start
  const int64_t grain = std::max<int64_t>(1, 16384 / (p.dw * p.cn + 1));
  parallel_for(0, p.dh, grain, [&](int64_t y0, int64_t y1) {
    switch (p.cn) {
      case 1: warp_rows<1>(p, y0, y1); break;
      case 3: warp_rows<3>(p, y0, y1); break;
      case 4: warp_rows<4>(p, y0, y1); break;
      default: warp_rows<0>(p, y0, y1); break;
    }
  });
}

Tensor warp_impl(const Tensor& src_in, const Tensor& M, Size dsize, int flags, int borderMode,
                 const std::vector<double>& borderValue, const Tensor& dst, bool fast) {
  Plan p = make_plan(src_in, M, dsize, flags, borderMode, borderValue, dst);
  const Tensor src = src_in.contiguous();
  Shape shape = src.shape();
  shape[0] = p.dh;
  shape[1] = p.dw;
  Tensor out = borderMode == BORDER_TRANSPARENT ? dst.clone() : Tensor::empty(shape, DType::u8);
  p.S0 = src.data<uint8_t>();
  p.sstep = p.sw * p.cn;
  p.D0 = out.data<uint8_t>();
  if (fast) warp_fast(p);
  else warp_ref(p);
  return out;
}

}  // namespace

Tensor warpAffine(const Tensor& src, const Tensor& M, Size dsize, int flags, int borderMode,
                  const std::vector<double>& borderValue, const Tensor& dst) {
  return warp_impl(src, M, dsize, flags, borderMode, borderValue, dst, true);
}

namespace ref {
Tensor warpAffine(const Tensor& src, const Tensor& M, Size dsize, int flags, int borderMode,
                  const std::vector<double>& borderValue, const Tensor& dst) {
  return warp_impl(src, M, dsize, flags, borderMode, borderValue, dst, false);
}
}  // namespace ref

}  // namespace ojo
