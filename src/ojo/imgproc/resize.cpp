// resize (see include/ojo/imgproc/geometry.hpp), following OpenCV 4.6's resize.cpp arithmetic:
//
//  NEAREST  sx = min(floor(dx * (1/fx)), W-1), the same for rows; a copy of whole pixels.
//  LINEAR   per column: fx = float((dx+0.5)*scale - 0.5), sx = floor, coefficients
//           short(round((1-fx)*2048)), short(round(fx*2048)); clamped at the edges.
//  CUBIC    the same with OpenCV's a = -0.75 cubic weights (float), 4 taps, replicated edges.
//           Horizontal pass in exact int32, then the vertical pass as OpenCV computes it:
//             LINEAR u8: ((S0>>4)*b0 >> 16) + ((S1>>4)*b1 >> 16), then (+2) >> 2.
//             CUBIC u8:  OpenCV's SIMD and scalar code round differently, and we reproduce which
//                        elements each handles: round(float sum of S*beta/2^22) for the first
//                        8*k elements of a row, the integer (sum + 2^21) >> 22 for the tail.
//  AREA     integer factors: the mean of each block ((sum+2)>>2 for 2x2 with 1, 3 or 4 channels,
//           else round(sum * (1/area)) in float); other shrinking factors: OpenCV's float area
//           weights (computeResizeAreaTab) accumulated in the same order; enlarging: LINEAR with
//           area-style coefficients. An exact 2x LINEAR shrink is AREA (as OpenCV).
#include <emmintrin.h>

#include <bit>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <vector>

#include "ojo/core/parallel.hpp"
#include "ojo/core/saturate.hpp"
#include "ojo/imgproc/geometry.hpp"
#include "resize_kernels.hpp"

namespace ojo {

namespace {

constexpr int kCoefBits = 11, kCoefScale = 1 << kCoefBits;

int cv_floor(double v) { return static_cast<int>(std::floor(v)); }

// saturate_cast<uint8_t>(float) for values far inside int range: cvtss2si rounds half to even (the
// default MXCSR mode), as cvRound does, without a libm call.
inline uint8_t round_u8(float v) {
  const int i = _mm_cvtss_si32(_mm_set_ss(v));
  return static_cast<uint8_t>(i < 0 ? 0 : i > 255 ? 255 : i);
}

struct Setup {
  int64_t sw, sh, dw, dh, cn;
  double inv_sx, inv_sy;
  int interp;
};

Setup make_setup(const Tensor& src, Size dsize, double fx, double fy, int interp) {
  const char* op = "resize";
  Setup s{};
  s.cn = check_image(src, op);
  s.sh = src.size(0);
  s.sw = src.size(1);
  check(interp == INTER_NEAREST || interp == INTER_LINEAR || interp == INTER_CUBIC || interp == INTER_AREA, op,
        "unsupported interpolation ", interp,
        interp == INTER_LANCZOS4 || interp == INTER_LINEAR_EXACT || interp == INTER_NEAREST_EXACT
            ? " (INTER_LANCZOS4, INTER_LINEAR_EXACT and INTER_NEAREST_EXACT are not implemented)"
            : " (expected INTER_NEAREST, INTER_LINEAR, INTER_CUBIC or INTER_AREA)");
  check(interp == INTER_NEAREST || src.dtype() == DType::u8, op, "interpolation ", interp, " needs a u8 image, got ",
        dtype_name(src.dtype()), " (INTER_NEAREST takes any dtype)");
  if (dsize.width <= 0 || dsize.height <= 0) {
    check(dsize.width == 0 && dsize.height == 0, op, "dsize must be positive or (0, 0), got (", dsize.width, ", ",
          dsize.height, ")");
    check(fx > 0 && fy > 0, op, "dsize is (0, 0), so fx and fy must both be > 0, got fx=", fx, " fy=", fy);
    s.dw = saturate_cast<int>(static_cast<double>(s.sw) * fx);
    s.dh = saturate_cast<int>(static_cast<double>(s.sh) * fy);
    check(s.dw > 0 && s.dh > 0, op, "fx=", fx, " fy=", fy, " give an empty ", s.dw, "x", s.dh, " result");
    s.inv_sx = fx;
    s.inv_sy = fy;
  } else {
    s.dw = dsize.width;
    s.dh = dsize.height;
    s.inv_sx = static_cast<double>(s.dw) / s.sw;
    s.inv_sy = static_cast<double>(s.dh) / s.sh;
  }
  s.interp = interp;
  return s;
}

Shape out_shape(const Tensor& src, const Setup& s) {
  Shape shape = src.shape();
  shape[0] = s.dh;
  shape[1] = s.dw;
  return shape;
}

// ------------------------------------------------------------------ nearest

Tensor resize_nearest(const Tensor& src_in, const Setup& s, bool fast) {
  const Tensor src = src_in.contiguous();
  Tensor out = Tensor::empty(out_shape(src, s), src.dtype());
  const double ifx = 1.0 / s.inv_sx, ify = 1.0 / s.inv_sy;
  const size_t pix = src.element_size() * s.cn;
  std::vector<int64_t> xofs(s.dw);
  for (int64_t x = 0; x < s.dw; ++x) xofs[x] = std::min<int64_t>(cv_floor(x * ifx), s.sw - 1) * pix;
  const uint8_t* sp = static_cast<const uint8_t*>(src.raw_data());
  uint8_t* dp = static_cast<uint8_t*>(out.raw_data());
  auto rows = [&](int64_t y0, int64_t y1) {
    for (int64_t y = y0; y < y1; ++y) {
      const uint8_t* srow = sp + std::min<int64_t>(cv_floor(y * ify), s.sh - 1) * s.sw * pix;
      uint8_t* drow = dp + y * s.dw * pix;
      // Local copies: byte stores may alias anything, so reading through the captured vector
      // would reload its data pointer on every pixel.
      const int64_t* __restrict xo = xofs.data();
      const int64_t dw = s.dw;
      if (pix == 1) {
        // Eight bytes per store: with a store per byte, the loads that follow can stall on a store
        // whose address matches theirs modulo 4 KiB, and whether rows do depends on where the
        // allocator put the output (up to 1.6x slower in the benchmark for some placements).
        int64_t x = 0;
        for (; std::endian::native == std::endian::little && x + 8 <= dw; x += 8) {
          uint64_t v = 0;
          for (int k = 0; k < 8; ++k) v |= static_cast<uint64_t>(srow[xo[x + k]]) << (8 * k);
          std::memcpy(drow + x, &v, 8);
        }
        for (; x < dw; ++x) drow[x] = srow[xo[x]];
      } else if (pix == 3) {
        for (int64_t x = 0; x < dw; ++x) std::memcpy(drow + 3 * x, srow + xo[x], 3);
      } else {
        for (int64_t x = 0; x < dw; ++x) std::memcpy(drow + x * pix, srow + xo[x], pix);
      }
    }
  };
  if (fast) parallel_for(0, s.dh, std::max<int64_t>(1, 4096 / (s.dw * pix + 1)), rows);
  else rows(0, s.dh);
  return out;
}

// ------------------------------------------------------------------ linear / cubic (separable)

// Coefficient tables of OpenCV's generic resize.
struct Separable {
  int ksize;                 // 2 (linear) or 4 (cubic)
  std::vector<int> xofs;     // per destination element: source element of tap 1 (linear: tap 0)
  std::vector<short> alpha;  // per destination element: ksize horizontal weights
  int64_t xmin, xmax;        // elements before xmin / from xmax on touch the border
  std::vector<int> yofs;     // per destination row
  std::vector<short> beta;   // per destination row: ksize vertical weights
};

void cubic_coeffs(float x, float* c) {
  const float A = -0.75f;
  c[0] = ((A * (x + 1) - 5 * A) * (x + 1) + 8 * A) * (x + 1) - 4 * A;
  c[1] = ((A + 2) * x - (A + 3)) * x * x + 1;
  c[2] = ((A + 2) * (1 - x) - (A + 3)) * (1 - x) * (1 - x) + 1;
  c[3] = 1.f - c[0] - c[1] - c[2];
}

Separable make_separable(const Setup& s) {
  Separable t;
  const bool area = s.interp == INTER_AREA, cubic = s.interp == INTER_CUBIC;
  t.ksize = cubic ? 4 : 2;
  const int k2 = t.ksize / 2;
  const double scale_x = 1.0 / s.inv_sx, scale_y = 1.0 / s.inv_sy;
  const int64_t cn = s.cn;
  t.xofs.resize(s.dw * cn);
  t.alpha.resize(s.dw * cn * t.ksize);
  t.xmin = 0;
  t.xmax = s.dw;
  float cbuf[4];
  for (int64_t dx = 0; dx < s.dw; ++dx) {
    int sx;
    float fx;
    if (!area) {
      fx = static_cast<float>((dx + 0.5) * scale_x - 0.5);
      sx = static_cast<int>(std::floor(fx));
      fx -= sx;
    } else {
      sx = cv_floor(dx * scale_x);
      fx = static_cast<float>((dx + 1) - (sx + 1) * s.inv_sx);
      fx = fx <= 0 ? 0.f : fx - static_cast<float>(std::floor(fx));
    }
    if (sx < k2 - 1) {
      t.xmin = dx + 1;
      if (sx < 0 && !cubic) fx = 0, sx = 0;
    }
    if (sx + k2 >= s.sw) {
      t.xmax = std::min<int64_t>(t.xmax, dx);
      if (sx >= s.sw - 1 && !cubic) fx = 0, sx = static_cast<int>(s.sw - 1);
    }
    for (int64_t k = 0; k < cn; ++k) t.xofs[dx * cn + k] = static_cast<int>(sx * cn + k);
    if (cubic) cubic_coeffs(fx, cbuf);
    else cbuf[0] = 1.f - fx, cbuf[1] = fx;
    for (int64_t k = 0; k < cn * t.ksize; ++k)
      t.alpha[dx * cn * t.ksize + k] = saturate_cast<short>(cbuf[k % t.ksize] * kCoefScale);
  }
  t.xmin *= cn;
  t.xmax *= cn;
  t.yofs.resize(s.dh);
  t.beta.resize(s.dh * t.ksize);
  for (int64_t dy = 0; dy < s.dh; ++dy) {
    int sy;
    float fy;
    if (!area) {
      fy = static_cast<float>((dy + 0.5) * scale_y - 0.5);
      sy = static_cast<int>(std::floor(fy));
      fy -= sy;
    } else {
      sy = cv_floor(dy * scale_y);
      fy = static_cast<float>((dy + 1) - (sy + 1) * s.inv_sy);
      fy = fy <= 0 ? 0.f : fy - static_cast<float>(std::floor(fy));
    }
    t.yofs[dy] = sy;
    if (cubic) cubic_coeffs(fy, cbuf);
    else cbuf[0] = 1.f - fy, cbuf[1] = fy;
    for (int k = 0; k < t.ksize; ++k) t.beta[dy * t.ksize + k] = saturate_cast<short>(cbuf[k] * kCoefScale);
  }
  return t;
}

// D[r][dx] = S[r][xofs[dx]] * a0 + S[r][xofs[dx] + cn] * a1 for R source rows (1, or 2 sharing the
// column offsets and weight pairs, loaded once for both), dx < n.
template <int R>
void hresize_linear(const uint8_t* const* S, int* const* D, const int* __restrict xofs, const short* __restrict alpha,
                    int64_t n, int64_t cn, int64_t swidth, bool fast) {
  int64_t dx = 0;
  if (fast)
    for (int r = 0; r < R; ++r) dx = resize_detail::hresize_linear_fast(S[r], D[r], xofs, alpha, n, cn, swidth);
  // SSE2 (the baseline): 8 tap pairs packed in 16-bit words, widened to int16 and multiplied-added
  // with their weight pairs (pmaddwd) -- the same exact int32 sums as the scalar loop.
  auto block = [&](auto pair) {
    const __m128i zero = _mm_setzero_si128();
    for (; dx + 8 <= n; dx += 8) {
      const __m128i a0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(alpha + 2 * dx));
      const __m128i a1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(alpha + 2 * dx + 8));
      __m128i v[R];  // the rows' inserts interleaved: independent chains
      for (int r = 0; r < R; ++r) v[r] = _mm_cvtsi32_si128(pair(S[r], dx));
      for (int r = 0; r < R; ++r) v[r] = _mm_insert_epi16(v[r], pair(S[r], dx + 1), 1);
      for (int r = 0; r < R; ++r) v[r] = _mm_insert_epi16(v[r], pair(S[r], dx + 2), 2);
      for (int r = 0; r < R; ++r) v[r] = _mm_insert_epi16(v[r], pair(S[r], dx + 3), 3);
      for (int r = 0; r < R; ++r) v[r] = _mm_insert_epi16(v[r], pair(S[r], dx + 4), 4);
      for (int r = 0; r < R; ++r) v[r] = _mm_insert_epi16(v[r], pair(S[r], dx + 5), 5);
      for (int r = 0; r < R; ++r) v[r] = _mm_insert_epi16(v[r], pair(S[r], dx + 6), 6);
      for (int r = 0; r < R; ++r) v[r] = _mm_insert_epi16(v[r], pair(S[r], dx + 7), 7);
      for (int r = 0; r < R; ++r) {
        _mm_storeu_si128(reinterpret_cast<__m128i*>(D[r] + dx), _mm_madd_epi16(_mm_unpacklo_epi8(v[r], zero), a0));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(D[r] + dx + 4), _mm_madd_epi16(_mm_unpackhi_epi8(v[r], zero), a1));
      }
    }
  };
  if (cn == 1) {
    block([&](const uint8_t* s, int64_t i) {
      uint16_t v;
      std::memcpy(&v, s + xofs[i], 2);
      return static_cast<int>(v);
    });
  } else {
    block([&](const uint8_t* s, int64_t i) { return static_cast<int>(s[xofs[i]] | (s[xofs[i] + cn] << 8)); });
  }
  for (; dx < n; ++dx)
    for (int r = 0; r < R; ++r) {
      const uint8_t* s = S[r] + xofs[dx];
      D[r][dx] = s[0] * alpha[2 * dx] + s[cn] * alpha[2 * dx + 1];
    }
}

// Horizontal LINEAR pass of R source rows (see hresize_linear) into int32 (exact), border included.
template <int R>
void hresize_linear_rows(const uint8_t* const* S, int* const* D, const Separable& t, int64_t dwidth, int64_t swidth,
                         int64_t cn, bool fast) {
  hresize_linear<R>(S, D, t.xofs.data(), t.alpha.data(), t.xmax, cn, swidth, fast);
  for (int r = 0; r < R; ++r)
    for (int64_t dx = t.xmax; dx < dwidth; ++dx) D[r][dx] = S[r][t.xofs[dx]] * kCoefScale;
}

// Horizontal pass of one source row into int32 (exact).
void hresize_row(const uint8_t* S, int* D, const Separable& t, int64_t dwidth, int64_t swidth, int64_t cn,
                 bool fast_cubic) {
  const short* alpha = t.alpha.data();
  if (t.ksize == 2) return hresize_linear_rows<1>(&S, &D, t, dwidth, swidth, cn, fast_cubic);
  // Inside [xmin, xmax): SSE2, 4 outputs per step, each as two 16-bit tap pairs against its four
  // weights (pmaddwd), the two partial sums added -- exact int32, as the scalar loop.
  int64_t vbeg = t.xmin, vend = t.xmin;
  if (fast_cubic && t.xmax - t.xmin >= 4) {
    vend = t.xmin + (t.xmax - t.xmin) / 4 * 4;
    const __m128i zero = _mm_setzero_si128();
    auto pairs = [&](int64_t i) {  // (S[x-cn], S[x]) and (S[x+cn], S[x+2cn]) as two 16-bit words
      const uint8_t* s = S + t.xofs[i] - cn;
      return std::pair<int, int>(s[0] | (s[cn] << 8), s[2 * cn] | (s[3 * cn] << 8));
    };
    for (int64_t dx = vbeg; dx < vend; dx += 4) {
      __m128i v = _mm_setzero_si128();
      auto [p0, q0] = pairs(dx);
      auto [p1, q1] = pairs(dx + 1);
      auto [p2, q2] = pairs(dx + 2);
      auto [p3, q3] = pairs(dx + 3);
      v = _mm_insert_epi16(v, p0, 0);
      v = _mm_insert_epi16(v, q0, 1);
      v = _mm_insert_epi16(v, p1, 2);
      v = _mm_insert_epi16(v, q1, 3);
      v = _mm_insert_epi16(v, p2, 4);
      v = _mm_insert_epi16(v, q2, 5);
      v = _mm_insert_epi16(v, p3, 6);
      v = _mm_insert_epi16(v, q3, 7);
      const __m128i a0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(alpha + 4 * dx));
      const __m128i a1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(alpha + 4 * dx + 8));
      const __m128 m0 = _mm_castsi128_ps(_mm_madd_epi16(_mm_unpacklo_epi8(v, zero), a0));
      const __m128 m1 = _mm_castsi128_ps(_mm_madd_epi16(_mm_unpackhi_epi8(v, zero), a1));
      const __m128i even = _mm_castps_si128(_mm_shuffle_ps(m0, m1, _MM_SHUFFLE(2, 0, 2, 0)));
      const __m128i odd = _mm_castps_si128(_mm_shuffle_ps(m0, m1, _MM_SHUFFLE(3, 1, 3, 1)));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(D + dx), _mm_add_epi32(even, odd));
    }
  }
  for (int64_t dx = 0; dx < dwidth; ++dx) {
    if (dx == vbeg && vend > vbeg) dx = vend;
    if (dx >= dwidth) break;
    const short* a = alpha + dx * 4;
    const int64_t sx = t.xofs[dx] - cn;
    if (dx >= t.xmin && dx < t.xmax) {
      D[dx] = S[sx] * a[0] + S[sx + cn] * a[1] + S[sx + 2 * cn] * a[2] + S[sx + 3 * cn] * a[3];
      continue;
    }
    int v = 0;
    for (int j = 0; j < 4; ++j) {
      int64_t sxj = sx + j * cn;
      while (sxj < 0) sxj += cn;
      while (sxj >= swidth) sxj -= cn;
      v += S[sxj] * a[j];
    }
    D[dx] = v;
  }
}

// ((S0>>4)*b0 >> 16) + ((S1>>4)*b1 >> 16), (+2) >> 2, saturated (the vector pass, then the same
// per element; S>>4 <= 32640 and the weights fit int16, as in OpenCV's own kernel).
void vresize_linear_u8(const int* S0, const int* S1, int16_t b0, int16_t b1, uint8_t* D, int64_t width, bool fast) {
  for (int64_t x = fast ? resize_detail::vresize_linear_u8_fast(S0, S1, b0, b1, D, width) : 0; x < width; ++x) {
    const int16_t s0 = static_cast<int16_t>(S0[x] >> 4), s1 = static_cast<int16_t>(S1[x] >> 4);
    const int16_t m0 = static_cast<int16_t>((s0 * b0) >> 16), m1 = static_cast<int16_t>((s1 * b1) >> 16);
    const int v = (m0 + m1 + 2) >> 2;
    D[x] = static_cast<uint8_t>(v < 0 ? 0 : v > 255 ? 255 : v);
  }
}

// Vertical pass: rows[k] are the ksize horizontal results, beta the row's weights.
void vresize_row(const int* const* rows, const short* beta, uint8_t* D, int ksize, int64_t width, bool fast) {
  if (ksize == 2) {  // OpenCV's u8 linear formula (its vector and scalar code agree on it)
    const int *S0 = rows[0], *S1 = rows[1];
    vresize_linear_u8(S0, S1, beta[0], beta[1], D, width, fast);
    return;
  }
  // Cubic: OpenCV's vector loop (8 elements at a time) rounds a float sum; its scalar tail uses
  // the 22-bit integer sum.
  const int64_t vend = width / 8 * 8;
  const int *S0 = rows[0], *S1 = rows[1], *S2 = rows[2], *S3 = rows[3];
  const float scale = 1.f / (kCoefScale * kCoefScale);
  const float f0 = beta[0] * scale, f1 = beta[1] * scale, f2 = beta[2] * scale, f3 = beta[3] * scale;
  // SSE2, 8 at a time: the same float expression per lane, cvtps2dq rounds half to even as cvRound,
  // then saturating packs to int16 and u8.
  const __m128 vf0 = _mm_set1_ps(f0), vf1 = _mm_set1_ps(f1), vf2 = _mm_set1_ps(f2), vf3 = _mm_set1_ps(f3);
  auto four = [&](int64_t x) {
    auto ld = [&](const int* p) { return _mm_cvtepi32_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + x))); };
    const __m128 v = _mm_add_ps(_mm_mul_ps(ld(S0), vf0),
                                _mm_add_ps(_mm_mul_ps(ld(S1), vf1), _mm_add_ps(_mm_mul_ps(ld(S2), vf2), _mm_mul_ps(ld(S3), vf3))));
    return _mm_cvtps_epi32(v);
  };
  for (int64_t x = 0; fast && x < vend; x += 8) {
    const __m128i w = _mm_packs_epi32(four(x), four(x + 4));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(D + x), _mm_packus_epi16(w, w));
  }
  for (int64_t x = fast ? vend : 0; x < vend; ++x) {  // ojo::ref: the same, one at a time
    const float v = static_cast<float>(S0[x]) * f0 +
                    (static_cast<float>(S1[x]) * f1 + (static_cast<float>(S2[x]) * f2 + static_cast<float>(S3[x]) * f3));
    D[x] = saturate_cast<uint8_t>(saturate_cast<int16_t>(saturate_cast<int>(v)));
  }
  for (int64_t x = vend; x < width; ++x) {
    const int64_t v = static_cast<int64_t>(S0[x]) * beta[0] + static_cast<int64_t>(S1[x]) * beta[1] +
                      static_cast<int64_t>(S2[x]) * beta[2] + static_cast<int64_t>(S3[x]) * beta[3];
    D[x] = saturate_cast<uint8_t>(static_cast<int32_t>(static_cast<uint32_t>(v + (1 << 21))) >> 22);
  }
}

Tensor resize_separable(const Tensor& src_in, const Setup& s, bool fast) {
  const Tensor src = src_in.contiguous();
  Tensor out = Tensor::empty(out_shape(src, s), DType::u8);
  const Separable t = make_separable(s);
  const int64_t dwidth = s.dw * s.cn, swidth = s.sw * s.cn;
  const uint8_t* sp = src.data<uint8_t>();
  uint8_t* dp = out.data<uint8_t>();
  auto rows_fn = [&](int64_t y0, int64_t y1) {
    const int ks = t.ksize;
    std::vector<int> buf(ks * dwidth);
    std::vector<int64_t> have(ks, -1);  // source row held by each buffer slot (fast path cache)
    for (int64_t dy = y0; dy < y1; ++dy) {
      int64_t sy[4];
      const int* rows[4] = {};
      bool taken[4] = {};
      for (int k = 0; k < ks; ++k) sy[k] = std::clamp<int64_t>(t.yofs[dy] - ks / 2 + 1 + k, 0, s.sh - 1);
      // Rows computed for the previous output row are reused where they are (no copy).
      for (int k = 0; fast && k < ks; ++k)
        for (int j = 0; j < ks && !rows[k]; ++j)
          if (!taken[j] && have[j] == sy[k]) rows[k] = buf.data() + j * dwidth, taken[j] = true;
      // Two new rows for LINEAR share one pass (the usual case when shrinking).
      if (fast && ks == 2 && !rows[0] && !rows[1]) {
        const uint8_t* src_rows[2] = {sp + sy[0] * swidth, sp + sy[1] * swidth};
        int* out_rows[2] = {buf.data(), buf.data() + dwidth};
        hresize_linear_rows<2>(src_rows, out_rows, t, dwidth, swidth, s.cn, fast);
        have[0] = sy[0], have[1] = sy[1];
        rows[0] = out_rows[0], rows[1] = out_rows[1];
      }
      for (int k = 0; k < ks; ++k) {
        if (rows[k]) continue;
        int j = 0;
        while (taken[j]) ++j;
        taken[j] = true;
        int* row = buf.data() + j * dwidth;
        hresize_row(sp + sy[k] * swidth, row, t, dwidth, swidth, s.cn, fast);
        have[j] = sy[k];
        rows[k] = row;
      }
      vresize_row(rows, t.beta.data() + dy * ks, dp + dy * dwidth, ks, dwidth, fast);
    }
  };
  if (fast) parallel_for(0, s.dh, 8, rows_fn);
  else rows_fn(0, s.dh);
  return out;
}

// ------------------------------------------------------------------ area (shrinking)

// One row of whole blocks (the first w destination elements): the block's rows summed per
// column (vectorised, u16), then sx columns per destination element. The sums are the reference's
// integers, rounded the same way: (sum + 2) >> 2 for 2x2, else round(sum * (1/area)) in float.
void area_block_row(const uint8_t* S, int64_t swidth, int sx, int sy, int64_t cn, int64_t w, bool two, uint8_t* D,
                    std::vector<uint16_t>& colsum) {
  const int64_t n = w * sx;  // source elements under the whole blocks
  uint16_t* cs = colsum.data();
  for (int64_t x = resize_detail::sum_rows_u8_fast(S, swidth, sy, cs, n); x < n; ++x) {
    uint16_t v = 0;
    for (int r = 0; r < sy; ++r) v = static_cast<uint16_t>(v + S[r * swidth + x]);
    cs[x] = v;
  }
  const float scale = 1.f / (sx * sy);
  for (int64_t px = 0; px < w / cn; ++px) {
    const uint16_t* b = cs + px * sx * cn;
    for (int64_t c = 0; c < cn; ++c) {
      int sum = 0;
      for (int k = 0; k < sx; ++k) sum += b[k * cn + c];
      D[px * cn + c] = two ? static_cast<uint8_t>((sum + 2) >> 2) : round_u8(static_cast<float>(sum) * scale);
    }
  }
}

Tensor resize_area_fast(const Tensor& src_in, const Setup& s, int sx_scale, int sy_scale, bool fast) {
  const Tensor src = src_in.contiguous();
  Tensor out = Tensor::empty(out_shape(src, s), DType::u8);
  const int64_t cn = s.cn, dwidth = s.dw * cn, swidth = s.sw * cn;
  const int64_t dwidth1 = (s.sw / sx_scale) * cn;
  const int area = sx_scale * sy_scale;
  const float scale = 1.f / area;
  const bool two = sx_scale == 2 && sy_scale == 2 && (cn == 1 || cn == 3 || cn == 4);
  const uint8_t* sp = src.data<uint8_t>();
  uint8_t* dp = out.data<uint8_t>();
  auto rows_fn = [&](int64_t y0, int64_t y1) {
    std::vector<uint16_t> colsum(fast ? static_cast<size_t>(swidth) : 0);
    for (int64_t dy = y0; dy < y1; ++dy) {
      uint8_t* D = dp + dy * dwidth;
      const int64_t sy0 = dy * sy_scale;
      if (sy0 >= s.sh) {
        std::memset(D, 0, dwidth);
        continue;
      }
      const int64_t w = sy0 + sy_scale <= s.sh ? dwidth1 : 0;
      const uint8_t* S = sp + sy0 * swidth;
      int64_t dx = 0;
      if (fast && w > 0 && sy_scale <= 257) {
        area_block_row(S, swidth, sx_scale, sy_scale, cn, w, two, D, colsum);
        dx = w;
      }
      if (two) {
        const uint8_t* N = S + swidth;
        for (; dx < w; ++dx) {
          const int64_t c = dx % cn, i = (dx - c) * 2 + c;
          D[dx] = static_cast<uint8_t>((S[i] + S[i + cn] + N[i] + N[i + cn] + 2) >> 2);
        }
      }
      if (fast && dx < w) {  // the same sums, pixel by pixel without divisions, rounded inline
        for (int64_t px = dx / cn; px < w / cn; ++px)
          for (int64_t c = 0; c < cn; ++c) {
            const uint8_t* b = S + px * sx_scale * cn + c;
            int sum = 0;
            for (int yy = 0; yy < sy_scale; ++yy, b += swidth)
              for (int xx = 0; xx < sx_scale; ++xx) sum += b[xx * cn];
            D[px * cn + c] = round_u8(static_cast<float>(sum) * scale);
          }
        dx = w;
      }
      for (; dx < w; ++dx) {
        const int64_t c = dx % cn, base = (dx - c) * sx_scale + c;
        int sum = 0;
        for (int yy = 0; yy < sy_scale; ++yy)
          for (int xx = 0; xx < sx_scale; ++xx) sum += S[yy * swidth + base + xx * cn];
        D[dx] = saturate_cast<uint8_t>(sum * scale);
      }
      for (; dx < dwidth; ++dx) {  // blocks cut by the image's right or bottom edge
        const int64_t c = dx % cn, sx0 = (dx - c) * sx_scale + c;
        int sum = 0, count = 0;
        for (int yy = 0; yy < sy_scale && sy0 + yy < s.sh; ++yy)
          for (int64_t xx = 0; xx < sx_scale * cn && sx0 + xx < swidth; xx += cn) {
            sum += S[yy * swidth + sx0 + xx];
            ++count;
          }
        D[dx] = count ? saturate_cast<uint8_t>(static_cast<float>(sum) / count) : 0;
      }
    }
  };
  if (fast) parallel_for(0, s.dh, 8, rows_fn);
  else rows_fn(0, s.dh);
  return out;
}

struct AreaTab {
  int di, si;
  float alpha;
};

std::vector<AreaTab> area_tab(int64_t ssize, int64_t dsize, int64_t cn, double scale) {
  std::vector<AreaTab> tab;
  for (int64_t dx = 0; dx < dsize; ++dx) {
    const double fsx1 = dx * scale, fsx2 = fsx1 + scale;
    const double cell = std::min(scale, ssize - fsx1);
    int sx1 = static_cast<int>(std::ceil(fsx1)), sx2 = cv_floor(fsx2);
    sx2 = std::min<int>(sx2, static_cast<int>(ssize - 1));
    sx1 = std::min(sx1, sx2);
    if (sx1 - fsx1 > 1e-3)
      tab.push_back({static_cast<int>(dx * cn), static_cast<int>((sx1 - 1) * cn), static_cast<float>((sx1 - fsx1) / cell)});
    for (int sx = sx1; sx < sx2; ++sx)
      tab.push_back({static_cast<int>(dx * cn), static_cast<int>(sx * cn), static_cast<float>(1.0 / cell)});
    if (fsx2 - sx2 > 1e-3)
      tab.push_back({static_cast<int>(dx * cn), static_cast<int>(sx2 * cn),
                     static_cast<float>(std::min(std::min(fsx2 - sx2, 1.), cell) / cell)});
  }
  return tab;
}

Tensor resize_area_general(const Tensor& src_in, const Setup& s, bool fast) {
  const Tensor src = src_in.contiguous();
  Tensor out = Tensor::empty(out_shape(src, s), DType::u8);
  const int64_t cn = s.cn, dwidth = s.dw * cn, swidth = s.sw * cn;
  const std::vector<AreaTab> xtab = area_tab(s.sw, s.dw, cn, 1.0 / s.inv_sx);
  const std::vector<AreaTab> ytab = area_tab(s.sh, s.dh, 1, 1.0 / s.inv_sy);
  std::vector<size_t> tabofs(s.dh + 1);  // first ytab entry of each destination row
  for (size_t k = 0, dy = 0; k < ytab.size(); ++k)
    if (k == 0 || ytab[k].di != ytab[k - 1].di) tabofs[dy++] = k;
  tabofs[s.dh] = ytab.size();
  const uint8_t* sp = src.data<uint8_t>();
  uint8_t* dp = out.data<uint8_t>();
  auto rows_fn = [&](int64_t y0, int64_t y1) {
    std::vector<float> buf(dwidth), sum(dwidth);
    for (int64_t dy = y0; dy < y1; ++dy) {
      std::fill(sum.begin(), sum.end(), 0.f);
      for (size_t j = tabofs[dy]; j < tabofs[dy + 1]; ++j) {
        const float beta = ytab[j].alpha;
        const uint8_t* S = sp + ytab[j].si * swidth;
        std::fill(buf.begin(), buf.end(), 0.f);
        for (const AreaTab& x : xtab)
          for (int64_t c = 0; c < cn; ++c) buf[x.di + c] = buf[x.di + c] + S[x.si + c] * x.alpha;
        if (j == tabofs[dy])
          for (int64_t dx = 0; dx < dwidth; ++dx) sum[dx] = beta * buf[dx];
        else
          for (int64_t dx = 0; dx < dwidth; ++dx) sum[dx] += beta * buf[dx];
      }
      uint8_t* D = dp + dy * dwidth;
      if (fast)
        for (int64_t dx = 0; dx < dwidth; ++dx) D[dx] = round_u8(sum[dx]);
      else
        for (int64_t dx = 0; dx < dwidth; ++dx) D[dx] = saturate_cast<uint8_t>(sum[dx]);
    }
  };
  if (fast) parallel_for(0, s.dh, 4, rows_fn);
  else rows_fn(0, s.dh);
  return out;
}

Tensor resize_impl(const Tensor& src, Size dsize, double fx, double fy, int interpolation, bool fast) {
  const Setup s0 = make_setup(src, dsize, fx, fy, interpolation);
  if (s0.dw == s0.sw && s0.dh == s0.sh) return src.clone();
  Setup s = s0;
  if (s.interp == INTER_NEAREST) return resize_nearest(src, s, fast);
  const double scale_x = 1.0 / s.inv_sx, scale_y = 1.0 / s.inv_sy;
  const int iscale_x = saturate_cast<int>(scale_x), iscale_y = saturate_cast<int>(scale_y);
  const bool area_fast = std::abs(scale_x - iscale_x) < DBL_EPSILON && std::abs(scale_y - iscale_y) < DBL_EPSILON;
  if (s.interp == INTER_LINEAR && area_fast && iscale_x == 2 && iscale_y == 2) s.interp = INTER_AREA;
  if (s.interp == INTER_AREA && scale_x >= 1 && scale_y >= 1) {
    if (area_fast) return resize_area_fast(src, s, iscale_x, iscale_y, fast);
    return resize_area_general(src, s, fast);
  }
  return resize_separable(src, s, fast);
}

}  // namespace

Tensor resize(const Tensor& src, Size dsize, double fx, double fy, int interpolation) {
  return resize_impl(src, dsize, fx, fy, interpolation, true);
}

namespace ref {
Tensor resize(const Tensor& src, Size dsize, double fx, double fy, int interpolation) {
  return resize_impl(src, dsize, fx, fy, interpolation, false);
}
}  // namespace ref

}  // namespace ojo
