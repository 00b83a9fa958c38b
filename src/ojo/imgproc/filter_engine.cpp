// Shared linear-filter machinery (see filter_engine.hpp): kernel checks, dtype rules, and the
// generic float / exact-integer separable and 2-d filters every filter falls back to.
#include "filter_engine.hpp"

#include <array>
#include <cfloat>
#include <limits>
#include <utility>

#include "ojo/imgproc/types.hpp"

namespace ojo::filter_detail {

int kernel_type(const std::vector<double>& k, bool one_dim_centred) {
  int type = KERNEL_SMOOTH + KERNEL_INTEGER;
  if (one_dim_centred) type |= KERNEL_SYMMETRICAL + KERNEL_ASYMMETRICAL;
  const size_t n = k.size();
  double sum = 0;
  for (size_t i = 0; i < n; ++i) {
    const double a = k[i], b = k[n - 1 - i];
    if (a != b) type &= ~KERNEL_SYMMETRICAL;
    if (a != -b) type &= ~KERNEL_ASYMMETRICAL;
    if (a < 0) type &= ~KERNEL_SMOOTH;
    if (a != saturate_cast<int32_t>(a)) type &= ~KERNEL_INTEGER;
    sum += a;
  }
  if (std::abs(sum - 1) > FLT_EPSILON * (std::abs(sum) + 1)) type &= ~KERNEL_SMOOTH;
  return type;
}

std::vector<double> kernel_values(const Tensor& kernel, const char* op, const char* what) {
  if (!kernel.defined()) fail(op, what, " is undefined");
  if (kernel.dim() != 2)
    fail(op, what, " must be a 2-d matrix {rows, cols}, got shape ", shape_str(kernel.shape()));
  if (kernel.numel() == 0) fail(op, what, " is empty (shape ", shape_str(kernel.shape()), ")");
  if (kernel.dtype() != DType::f32 && kernel.dtype() != DType::f64)
    fail(op, what, " must be float32 or float64, got ", dtype_name(kernel.dtype()));
  const Tensor k = kernel.to(DType::f64).contiguous();
  const double* p = k.data<double>();
  std::vector<double> out(p, p + k.numel());
  if (kernel.dtype() == DType::f32)  // OpenCV filters with the f32 values (widened exactly)
    for (double& v : out) v = static_cast<float>(v);
  return out;
}

DType output_dtype(DType src, int ddepth, const char* op) {
  int sdepth = -1;
  switch (src) {
    case DType::u8: sdepth = CV_8U; break;
    case DType::u16: sdepth = CV_16U; break;
    case DType::i16: sdepth = CV_16S; break;
    case DType::f32: sdepth = CV_32F; break;
    case DType::f64: sdepth = CV_64F; break;
    default: fail(op, "unsupported image dtype ", dtype_name(src), " (expected uint8, uint16, int16, float32 or float64)");
  }
  if (ddepth == -1) return src;
  bool ok = false;
  switch (ddepth) {
    case CV_8U: ok = sdepth == CV_8U; break;
    case CV_16U: ok = sdepth == CV_16U; break;
    case CV_16S: ok = sdepth == CV_8U || sdepth == CV_16S; break;
    case CV_32F: ok = sdepth != CV_64F; break;
    case CV_64F: ok = true; break;
    default: break;
  }
  if (!ok) {
    std::string accepted = "-1";
    for (int d : {CV_8U, CV_16U, CV_16S, CV_32F, CV_64F}) {
      const bool fits = d == CV_64F || (d == CV_32F && sdepth != CV_64F) || (d == CV_16S && (sdepth == CV_8U || sdepth == CV_16S)) ||
                        (d == CV_16U && sdepth == CV_16U) || (d == CV_8U && sdepth == CV_8U);
      if (fits && d != sdepth) accepted += std::string(", ") + depth_name(d);
    }
    fail(op, "unsupported ddepth ", ddepth, " (", depth_name(ddepth), ") for a ", dtype_name(src), " image (expected ", accepted, ")");
  }
  return depth_dtype(ddepth, op);
}

Tensor image_rows(const Tensor& src, const char* op, int64_t& H, int64_t& W, int64_t& C) {
  C = check_image(src, op);
  H = src.size(0);
  W = src.size(1);
  return src.contiguous();
}

int check_border(int border, const char* op) {
  const int kind = border & ~BORDER_ISOLATED;
  if (kind != BORDER_CONSTANT && kind != BORDER_REPLICATE && kind != BORDER_REFLECT && kind != BORDER_REFLECT_101)
    fail(op, "unsupported border type ", border, kind == BORDER_WRAP ? " (BORDER_WRAP: OpenCV's filters reject it too)" : "",
         " (expected BORDER_CONSTANT, BORDER_REPLICATE, BORDER_REFLECT or BORDER_REFLECT_101/BORDER_DEFAULT, optionally | BORDER_ISOLATED)");
  return kind;
}

namespace {

// Float passes: AVX2 clones round exactly as the baseline ones (this file is built with
// -ffp-contract=off, so no multiply-add is fused), only wider.
template <class A, class P>
OJO_CLONES void taps_row(const P* pad, A* out, int64_t n, const A* k, int64_t taps, int64_t step) {
  for (int64_t x = 0; x < n; ++x) out[x] = k[0] * static_cast<A>(pad[x]);
  for (int64_t j = 1; j < taps; ++j) {
    const A kj = k[j];
    const P* p = pad + j * step;
    for (int64_t x = 0; x < n; ++x) out[x] += kj * static_cast<A>(p[x]);
  }
}

// Column pass in one sweep for K taps known at compile time: acc = init + k0·r0 + k1·r1 + ...,
// added in the same order as the tap-by-tap loop, so the same floats.
template <int K, class A>
OJO_CLONES void float_col_k(const A* const* rows, const A* k, A init, A* __restrict acc, int64_t n) {
  const A* r[K];
  A kk[K];
  for (int i = 0; i < K; ++i) r[i] = rows[i], kk[i] = k[i];
  for (int64_t x = 0; x < n; ++x) {
    A s = init;
#pragma GCC unroll 16
    for (int i = 0; i < K; ++i) s += kk[i] * r[i][x];
    acc[x] = s;
  }
}
template <class A>
using FloatColFn = void (*)(const A* const*, const A*, A, A*, int64_t);
template <class A, size_t... I>
constexpr std::array<FloatColFn<A>, sizeof...(I)> make_float_cols(std::index_sequence<I...>) {
  return {&float_col_k<static_cast<int>(I) + 1, A>...};
}
template <class A>
constexpr auto kFloatCols = make_float_cols<A>(std::make_index_sequence<16>{});

template <class A, class Out>
void finish_row(const A* acc, Out* out, int64_t n) {
  for (int64_t x = 0; x < n; ++x) out[x] = saturate_cast<Out>(acc[x]);
}

template <class A>
void sep_float_impl(const Tensor& src, Tensor& dst, int64_t H, int64_t W, int64_t C, const std::vector<double>& kxd,
                    const std::vector<double>& kyd, int64_t ax, int64_t ay, double delta, int border) {
  const int64_t kw = static_cast<int64_t>(kxd.size()), kh = static_cast<int64_t>(kyd.size());
  const std::vector<A> kx(kxd.begin(), kxd.end()), ky(kyd.begin(), kyd.end());
  const std::vector<int64_t> xmap = border_map(W, ax, kw - 1 - ax, border);
  const int64_t n = W * C;
  visit_dtype(src.dtype(), [&](auto stag) {
    using S = decltype(stag);
    if constexpr (std::is_same_v<S, bool>) {
      fail("filter", "bool images are not supported");
    } else {
      const S* base = src.data<S>();
      visit_dtype(dst.dtype(), [&](auto dtag) {
        using D = decltype(dtag);
        if constexpr (std::is_same_v<D, bool>) {
          fail("filter", "bool output is not supported");
        } else {
          D* out = dst.data<D>();
          stream_rows<A>(
              H, n, kh, ay, border,
              [&](int64_t sy, A* row) {
                thread_local std::vector<A> pad;
                pad.resize(static_cast<size_t>((W + kw - 1) * C));
                if (sy < 0) std::fill(pad.begin(), pad.end(), A(0));
                else pad_row(base + sy * n, W, C, xmap, ax, pad.data());
                taps_row(pad.data(), row, n, kx.data(), kw, C);
              },
              [&](int64_t y, const A* const* rows) {
                thread_local std::vector<A> acc;
                if (kh <= static_cast<int64_t>(kFloatCols<A>.size())) {
                  acc.resize(static_cast<size_t>(n));
                  kFloatCols<A>[kh - 1](rows, ky.data(), static_cast<A>(delta), acc.data(), n);
                } else {
                  acc.assign(static_cast<size_t>(n), static_cast<A>(delta));
                  for (int64_t i = 0; i < kh; ++i) {
                    const A k = ky[i];
                    const A* r = rows[i];
                    for (int64_t x = 0; x < n; ++x) acc[x] += k * r[x];
                  }
                }
                finish_row(acc.data(), out + y * n, n);
              });
        }
      });
    }
  });
}

template <class A>
void filter2d_impl(const Tensor& src, Tensor& dst, int64_t H, int64_t W, int64_t C, const std::vector<double>& kd,
                   int64_t kh, int64_t kw, int64_t ax, int64_t ay, double delta, int border) {
  const int64_t n = W * C, padded = (W + kw - 1) * C;
  const std::vector<int64_t> xmap = border_map(W, ax, kw - 1 - ax, border);
  // Non-zero taps in row-major order, as OpenCV's preprocess2DKernel.
  std::vector<A> coef;
  std::vector<int64_t> tap_y, tap_x;
  for (int64_t i = 0; i < kh; ++i)
    for (int64_t j = 0; j < kw; ++j)
      if (kd[i * kw + j] != 0) {
        coef.push_back(static_cast<A>(kd[i * kw + j]));
        tap_y.push_back(i);
        tap_x.push_back(j);
      }
  visit_dtype(src.dtype(), [&](auto stag) {
    using S = decltype(stag);
    if constexpr (std::is_same_v<S, bool>) {
      fail("filter2D", "bool images are not supported");
    } else {
      const S* base = src.data<S>();
      visit_dtype(dst.dtype(), [&](auto dtag) {
        using D = decltype(dtag);
        if constexpr (std::is_same_v<D, bool>) {
          fail("filter2D", "bool output is not supported");
        } else {
          D* out = dst.data<D>();
          stream_rows<A>(
              H, padded, kh, ay, border,
              [&](int64_t sy, A* row) {
                if (sy < 0) std::fill(row, row + padded, A(0));
                else pad_row(base + sy * n, W, C, xmap, ax, row);
              },
              [&](int64_t y, const A* const* rows) {
                thread_local std::vector<A> acc;
                acc.assign(static_cast<size_t>(n), static_cast<A>(delta));
                for (size_t t = 0; t < coef.size(); ++t) {
                  const A k = coef[t];
                  const A* r = rows[tap_y[t]] + tap_x[t] * C;
                  for (int64_t x = 0; x < n; ++x) acc[x] += k * r[x];
                }
                finish_row(acc.data(), out + y * n, n);
              });
        }
      });
    }
  });
}

// Integer separable pass for u8 sources: rows in R (int16 or int32), columns in int32.
template <class R>
OJO_CLONES void int_row(const uint8_t* __restrict pad, R* __restrict out, int64_t n, const int32_t* k, int64_t taps,
                        int64_t step) {
  const R k0 = static_cast<R>(k[0]);
  for (int64_t x = 0; x < n; ++x) out[x] = static_cast<R>(k0 * static_cast<R>(pad[x]));
  for (int64_t j = 1; j < taps; ++j) {
    const R kj = static_cast<R>(k[j]);
    if (kj == 0) continue;
    const uint8_t* p = pad + j * step;
    for (int64_t x = 0; x < n; ++x) out[x] = static_cast<R>(out[x] + kj * static_cast<R>(p[x]));
  }
}

template <class R>
OJO_CLONES void int_col(const R* const* rows, const int32_t* k, int64_t taps, int32_t init, int32_t* __restrict acc,
                        int64_t n) {
  for (int64_t x = 0; x < n; ++x) acc[x] = init;
  for (int64_t i = 0; i < taps; ++i) {
    const int32_t ki = k[i];
    if (ki == 0) continue;
    const R* __restrict r = rows[i];
    for (int64_t x = 0; x < n; ++x) acc[x] += ki * static_cast<int32_t>(r[x]);
  }
}

// int16 rows -> int16 output in one pass, when every partial sum fits in int16 (so the int16
// arithmetic is exact and the output needs no saturation): K taps known at compile time, so the
// taps unroll and x vectorises 16 lanes wide.
template <int K>
OJO_CLONES void int_col_i16_k(const int16_t* const* rows, const int32_t* k, int16_t init, int16_t* __restrict out, int64_t n) {
  const int16_t* r[K];
  int16_t kk[K];
  for (int i = 0; i < K; ++i) r[i] = rows[i], kk[i] = static_cast<int16_t>(k[i]);
  for (int64_t x = 0; x < n; ++x) {
    int16_t acc = init;
#pragma GCC unroll 8
    for (int i = 0; i < K; ++i) acc = static_cast<int16_t>(acc + kk[i] * r[i][x]);
    out[x] = acc;
  }
}
using ColI16Fn = void (*)(const int16_t* const*, const int32_t*, int16_t, int16_t*, int64_t);
constexpr ColI16Fn kColsI16[] = {&int_col_i16_k<1>, &int_col_i16_k<2>, &int_col_i16_k<3>, &int_col_i16_k<4>,
                                 &int_col_i16_k<5>, &int_col_i16_k<6>, &int_col_i16_k<7>};

OJO_CLONES void int_to_i16(const int32_t* __restrict acc, int16_t* __restrict out, int64_t n) {
  for (int64_t x = 0; x < n; ++x) out[x] = static_cast<int16_t>(std::clamp<int32_t>(acc[x], -32768, 32767));
}
OJO_CLONES void int_to_u8(const int32_t* __restrict acc, uint8_t* __restrict out, int64_t n) {
  for (int64_t x = 0; x < n; ++x) out[x] = static_cast<uint8_t>(std::clamp<int32_t>(acc[x], 0, 255));
}

template <class R>
void sep_int_impl(const Tensor& src, Tensor& dst, int64_t H, int64_t W, int64_t C, const std::vector<int32_t>& kx,
                  const std::vector<int32_t>& ky, int64_t ax, int64_t ay, double delta, int border, int shift) {
  const int64_t kw = static_cast<int64_t>(kx.size()), kh = static_cast<int64_t>(ky.size());
  const std::vector<int64_t> xmap = border_map(W, ax, kw - 1 - ax, border);
  const int64_t n = W * C;
  const uint8_t* base = src.data<uint8_t>();
  // Integer outputs add delta rounded (OpenCV's integer column filter does saturate_cast<int>(delta));
  // float outputs add it exactly after the integer sum.
  const bool int_out = dst.dtype() == DType::u8 || dst.dtype() == DType::i16;
  const int32_t idelta = int_out ? saturate_cast<int32_t>(delta * static_cast<double>(int64_t{1} << shift)) +
                                       (shift > 0 ? (1 << (shift - 1)) : 0)
                                 : 0;
  // Bound on |idelta + sum of the column taps times a row sum|: can int16 hold every partial sum?
  int64_t sx = 0, bound = std::abs(static_cast<int64_t>(idelta));
  for (int32_t v : kx) sx += std::abs(static_cast<int64_t>(v));
  for (int32_t v : ky) bound += std::abs(static_cast<int64_t>(v)) * sx * 255;
  const bool col_i16 = std::is_same_v<R, int16_t> && dst.dtype() == DType::i16 && shift == 0 && kh <= 7 && bound <= 32767;
  stream_rows<R>(
      H, n, kh, ay, border,
      [&](int64_t sy, R* row) {
        thread_local std::vector<uint8_t> pad;
        if (sy < 0) {
          std::fill(row, row + n, R(0));
          return;
        }
        row_pass_in_place(base + sy * n, W, C, xmap, ax, kw, pad, [&](const uint8_t* p, int64_t first, int64_t count) {
          int_row<R>(p, row + first, count, kx.data(), kw, C);
        });
      },
      [&](int64_t y, const R* const* rows) {
        if constexpr (std::is_same_v<R, int16_t>) {
          if (col_i16) {
            kColsI16[kh - 1](rows, ky.data(), static_cast<int16_t>(idelta), dst.data<int16_t>() + y * n, n);
            return;
          }
        }
        thread_local std::vector<int32_t> acc;
        acc.resize(static_cast<size_t>(n));
        int_col<R>(rows, ky.data(), kh, idelta, acc.data(), n);
        if (shift > 0) {
          // OpenCV's SIMD loops (32-, 16- then 4-wide on AVX2: the first floor(n / 4) * 4 values)
          // round the exact value half to even in float; its scalar tail adds 2^(shift-1) and shifts
          // (half up). idelta holds the half-up bias; take it back out where ties go to even.
          const int64_t simd_end = n / 4 * 4;
          const int32_t half = 1 << (shift - 1);
          for (int64_t x = 0; x < simd_end; ++x) {
            const int32_t v = acc[x] - half;
            acc[x] = (v + (half - 1) + ((v >> shift) & 1)) >> shift;
          }
          for (int64_t x = simd_end; x < n; ++x) acc[x] >>= shift;
        }
        switch (dst.dtype()) {
          case DType::i16: int_to_i16(acc.data(), dst.data<int16_t>() + y * n, n); break;
          case DType::u8: int_to_u8(acc.data(), dst.data<uint8_t>() + y * n, n); break;
          case DType::f32: {
            float* o = dst.data<float>() + y * n;
            for (int64_t x = 0; x < n; ++x) o[x] = static_cast<float>(acc[x] + delta);
            break;
          }
          case DType::f64: {
            double* o = dst.data<double>() + y * n;
            for (int64_t x = 0; x < n; ++x) o[x] = acc[x] + delta;
            break;
          }
          default: fail("sepFilter2D", "unsupported output dtype ", dtype_name(dst.dtype()));
        }
      });
}

}  // namespace

void sep_filter_float(const Tensor& src, Tensor& dst, int64_t H, int64_t W, int64_t C, const std::vector<double>& kx,
                      const std::vector<double>& ky, int64_t ax, int64_t ay, double delta, int border, bool use_double) {
  if (use_double) sep_float_impl<double>(src, dst, H, W, C, kx, ky, ax, ay, delta, border);
  else sep_float_impl<float>(src, dst, H, W, C, kx, ky, ax, ay, delta, border);
}

void filter2d_float(const Tensor& src, Tensor& dst, int64_t H, int64_t W, int64_t C, const std::vector<double>& k,
                    int64_t kh, int64_t kw, int64_t ax, int64_t ay, double delta, int border, bool use_double) {
  if (use_double) filter2d_impl<double>(src, dst, H, W, C, k, kh, kw, ax, ay, delta, border);
  else filter2d_impl<float>(src, dst, H, W, C, k, kh, kw, ax, ay, delta, border);
}

bool sep_filter_int(const Tensor& src, Tensor& dst, int64_t H, int64_t W, int64_t C, const std::vector<int32_t>& kx,
                    const std::vector<int32_t>& ky, int64_t ax, int64_t ay, double delta, int border, int shift) {
  if (src.dtype() != DType::u8) return false;
  if (shift > 0 && dst.dtype() != DType::u8) return false;
  // OpenCV's float path rounds acc + delta half to even; with a fractional delta that is not
  // acc + round(delta), so 8-bit outputs take the exact integer path only for integral deltas.
  if (shift == 0 && dst.dtype() == DType::u8 && delta != std::nearbyint(delta)) return false;
  int64_t sx = 0, sy = 0;
  for (int32_t v : kx) sx += std::abs(static_cast<int64_t>(v));
  for (int32_t v : ky) sy += std::abs(static_cast<int64_t>(v));
  const int64_t row_bound = sx * 255;
  if (row_bound * sy + std::abs(delta) + 1 > std::numeric_limits<int32_t>::max()) return false;
  if (row_bound <= 32767) sep_int_impl<int16_t>(src, dst, H, W, C, kx, ky, ax, ay, delta, border, shift);
  else sep_int_impl<int32_t>(src, dst, H, W, C, kx, ky, ax, ay, delta, border, shift);
  return true;
}

namespace {
bool all_integral(const std::vector<double>& k, double mult) {
  for (double v : k) {
    const double s = v * mult;
    if (std::abs(s - std::nearbyint(s)) > 10 * FLT_EPSILON * mult || std::abs(s) > 1 << 24) return false;
  }
  return true;
}
std::vector<int32_t> to_int(const std::vector<double>& k, double mult) {
  std::vector<int32_t> out;
  for (double v : k) out.push_back(static_cast<int32_t>(std::nearbyint(v * mult)));
  return out;
}
double abs_sum(const std::vector<double>& k) {
  double s = 0;
  for (double v : k) s += std::abs(v);
  return s;
}
}  // namespace

Tensor sep_filter(const Tensor& in, int64_t H, int64_t W, int64_t C, DType out, const std::vector<double>& kx,
                  const std::vector<double>& ky, int64_t ax, int64_t ay, double delta, int border) {
  Tensor dst = Tensor::empty(in.shape(), out);
  const int64_t kw = static_cast<int64_t>(kx.size()), kh = static_cast<int64_t>(ky.size());
  if (in.dtype() == DType::u8) {
    const int rt = kernel_type(kx, ax * 2 + 1 == kw), ct = kernel_type(ky, ay * 2 + 1 == kh);
    const int smooth_sym = KERNEL_SMOOTH + KERNEL_SYMMETRICAL, sym = KERNEL_SYMMETRICAL + KERNEL_ASYMMETRICAL;
    // OpenCV's bit-exact 8-bit smoothing path (8 fraction bits per kernel).
    if (out == DType::u8 && (rt & smooth_sym) == smooth_sym && (ct & smooth_sym) == smooth_sym && all_integral(kx, 256) &&
        all_integral(ky, 256) &&
        sep_filter_int(in, dst, H, W, C, to_int(kx, 256), to_int(ky, 256), ax, ay, delta, border, 16))
      return dst;
    const bool integral = (rt & KERNEL_INTEGER) && (ct & KERNEL_INTEGER);
    const bool cv_int_path = integral && out == DType::i16 && (rt & sym) && (ct & sym);
    // Elsewhere OpenCV sums in float: exact (and equal to the integer sum) while below 2^24.
    const bool exact_in_float = integral && abs_sum(kx) * abs_sum(ky) * 255 + std::abs(delta) < (1 << 24) &&
                                (delta == std::nearbyint(delta) || out == DType::f32 || out == DType::f64);
    if ((cv_int_path || exact_in_float) && sep_filter_int(in, dst, H, W, C, to_int(kx, 1), to_int(ky, 1), ax, ay, delta, border))
      return dst;
  }
  sep_filter_float(in, dst, H, W, C, kx, ky, ax, ay, delta, border, in.dtype() == DType::f64 || out == DType::f64);
  return dst;
}

}  // namespace ojo::filter_detail
