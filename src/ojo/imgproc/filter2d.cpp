// filter2D, sepFilter2D and the guide's named kernels (cv::filter2D, cv::sepFilter2D).
//
// uint8 sources with integer-valued kernels (every kernel of the guide but "average") run in exact
// integer arithmetic — 16-bit lanes when the sum cannot overflow, else 32-bit — which equals
// OpenCV's float sum exactly; uint8 and int16 results of 16-bit sums take one vector pass per row
// (filter2d_fast.cpp), the plain loops below the rest. Other kernels use the float path: OpenCV's
// order of non-zero taps (row-major) with a float accumulator (double when a side is float64).
#include <cmath>

#include "filter2d_kernels.hpp"
#include "filter_engine.hpp"
#include "ojo/imgproc/filter.hpp"

namespace ojo {

using namespace filter_detail;

namespace {

struct Plan2D {
  int64_t kh, kw, ax, ay;
  int border;
  DType out;
  std::vector<double> k;  // as OpenCV uses it (float unless a side is float64)
};

Plan2D plan_2d(const Tensor& src, int ddepth, const Tensor& kernel, Point anchor, double delta, int borderType, const char* op) {
  check_image(src, op);
  Plan2D p;
  p.border = check_border(borderType, op);
  p.out = output_dtype(src.dtype(), ddepth, op);
  p.k = kernel_values(kernel, op, "kernel");
  if (!std::isfinite(delta)) fail(op, "delta must be finite, got ", delta);
  for (double v : p.k)
    if (!std::isfinite(v)) fail(op, "kernel has a non-finite value ", v);
  p.kh = kernel.size(0);
  p.kw = kernel.size(1);
  p.ax = anchor.x == -1 ? p.kw / 2 : anchor.x;
  p.ay = anchor.y == -1 ? p.kh / 2 : anchor.y;
  if (p.ax < 0 || p.ax >= p.kw || p.ay < 0 || p.ay >= p.kh)
    fail(op, "anchor (", anchor.x, ", ", anchor.y, ") is outside the ", p.kh, "x", p.kw,
         " kernel (expected -1 or 0 <= anchor.x < ", p.kw, ", 0 <= anchor.y < ", p.kh, ")");
  if (!(src.dtype() == DType::f64 || p.out == DType::f64))
    for (double& v : p.k) v = static_cast<float>(v);
  return p;
}

// acc[x] += k * r[x] for one tap (16- or 32-bit lanes).
template <class A>
OJO_CLONES void tap_u8(const uint8_t* __restrict r, A k, A* __restrict acc, int64_t n) {
  for (int64_t x = 0; x < n; ++x) acc[x] = static_cast<A>(acc[x] + k * static_cast<A>(r[x]));
}

template <class A>
void taps_u8(const uint8_t* const* rows, const int32_t* coef, const int64_t* ty, const int64_t* tx, int64_t taps,
             int64_t C, A init, A* acc, int64_t n) {
  std::fill(acc, acc + n, init);
  for (int64_t t = 0; t < taps; ++t) tap_u8<A>(rows[ty[t]] + tx[t] * C, static_cast<A>(coef[t]), acc, n);
}

OJO_CLONES void clamp_to_u8(const int16_t* __restrict a, uint8_t* __restrict o, int64_t n) {
  for (int64_t x = 0; x < n; ++x) o[x] = static_cast<uint8_t>(a[x] < 0 ? 0 : a[x] > 255 ? 255 : a[x]);
}

// Exact integer 2-d correlation of a uint8 image; false if not applicable.
bool filter2d_int(const Tensor& in, Tensor& dst, int64_t H, int64_t W, int64_t C, const Plan2D& p, double delta) {
  double bound = std::abs(delta);
  for (double v : p.k) {
    if (v != std::nearbyint(v)) return false;
    bound += std::abs(v) * 255;
  }
  const bool float_out = p.out == DType::f32 || p.out == DType::f64;
  if (bound >= (1 << 24) || (!float_out && delta != std::nearbyint(delta))) return false;
  if (p.out != DType::u8 && p.out != DType::i16 && !float_out) return false;
  std::vector<int32_t> coef;
  std::vector<int16_t> coef16;  // the fast path's (narrow sums only)
  std::vector<int64_t> ty, tx, offset;
  for (int64_t i = 0; i < p.kh; ++i)
    for (int64_t j = 0; j < p.kw; ++j)
      if (p.k[i * p.kw + j] != 0) {
        coef.push_back(static_cast<int32_t>(p.k[i * p.kw + j]));
        coef16.push_back(static_cast<int16_t>(coef.back()));
        ty.push_back(i);
        tx.push_back(j);
        offset.push_back(j * C);
      }
  const int64_t n = W * C, padded = (W + p.kw - 1) * C;
  const std::vector<int64_t> xmap = border_map(W, p.ax, p.kw - 1 - p.ax, p.border);
  const uint8_t* base = in.data<uint8_t>();
  const bool narrow = bound <= 32767;
  const int32_t idelta = float_out ? 0 : static_cast<int32_t>(delta);
  stream_rows<uint8_t>(
      H, padded, p.kh, p.ay, p.border,
      [&](int64_t sy, uint8_t* row) {
        if (sy < 0) std::fill(row, row + padded, uint8_t(0));
        else pad_row(base + sy * n, W, C, xmap, p.ax, row);
      },
      [&](int64_t y, const uint8_t* const* rows) {
        thread_local std::vector<int32_t> acc32;
        thread_local std::vector<int16_t> acc16;
        if (narrow) {
          const auto taps = static_cast<int64_t>(coef.size());
          const auto init = static_cast<int16_t>(idelta);
          if (p.out == DType::u8 &&
              filter2d_detail::taps_to_u8(rows, coef16.data(), ty.data(), offset.data(), taps, init,
                                          dst.data<uint8_t>() + y * n, n) == n)
            return;
          if (p.out == DType::i16 &&
              filter2d_detail::taps_to_i16(rows, coef16.data(), ty.data(), offset.data(), taps, init,
                                           dst.data<int16_t>() + y * n, n) == n)
            return;
          acc16.resize(static_cast<size_t>(n));
          taps_u8<int16_t>(rows, coef.data(), ty.data(), tx.data(), static_cast<int64_t>(coef.size()), C,
                           static_cast<int16_t>(idelta), acc16.data(), n);
          if (p.out == DType::u8) {
            clamp_to_u8(acc16.data(), dst.data<uint8_t>() + y * n, n);
            return;
          }
          if (p.out == DType::i16) {
            std::copy(acc16.begin(), acc16.end(), dst.data<int16_t>() + y * n);
            return;
          }
          acc32.assign(acc16.begin(), acc16.end());
        } else {
          acc32.resize(static_cast<size_t>(n));
          taps_u8<int32_t>(rows, coef.data(), ty.data(), tx.data(), static_cast<int64_t>(coef.size()), C, idelta,
                           acc32.data(), n);
        }
        switch (p.out) {
          case DType::u8: {
            uint8_t* o = dst.data<uint8_t>() + y * n;
            for (int64_t x = 0; x < n; ++x) o[x] = static_cast<uint8_t>(std::clamp<int32_t>(acc32[x], 0, 255));
            break;
          }
          case DType::i16: {
            int16_t* o = dst.data<int16_t>() + y * n;
            for (int64_t x = 0; x < n; ++x) o[x] = static_cast<int16_t>(std::clamp<int32_t>(acc32[x], -32768, 32767));
            break;
          }
          case DType::f32: {
            float* o = dst.data<float>() + y * n;
            for (int64_t x = 0; x < n; ++x) o[x] = static_cast<float>(acc32[x] + delta);
            break;
          }
          default: {
            double* o = dst.data<double>() + y * n;
            for (int64_t x = 0; x < n; ++x) o[x] = acc32[x] + delta;
          }
        }
      });
  return true;
}

std::vector<double> vector_kernel(const Tensor& k, const char* op, const char* what, bool as_float) {
  if (!k.defined()) fail(op, what, " is undefined");
  const Tensor m = k.dim() == 1 ? k.unsqueeze(1) : k;
  if (m.dim() != 2 || (m.size(0) != 1 && m.size(1) != 1))
    fail(op, what, " must be a vector ({n}, {n, 1} or {1, n}), got shape ", shape_str(k.shape()));
  std::vector<double> v = kernel_values(m, op, what);
  if (as_float)
    for (double& x : v) x = static_cast<float>(x);
  return v;
}

}  // namespace

Tensor filter2D(const Tensor& src, int ddepth, const Tensor& kernel, Point anchor, double delta, int borderType) {
  const char* op = "filter2D";
  const Plan2D p = plan_2d(src, ddepth, kernel, anchor, delta, borderType, op);
  int64_t H, W, C;
  const Tensor in = image_rows(src, op, H, W, C);
  Tensor dst = Tensor::empty(in.shape(), p.out);
  if (in.dtype() == DType::u8 && filter2d_int(in, dst, H, W, C, p, delta)) return dst;
  filter2d_float(in, dst, H, W, C, p.k, p.kh, p.kw, p.ax, p.ay, delta, p.border,
                 in.dtype() == DType::f64 || p.out == DType::f64);
  return dst;
}

Tensor sepFilter2D(const Tensor& src, int ddepth, const Tensor& kernelX, const Tensor& kernelY, Point anchor, double delta,
                   int borderType) {
  const char* op = "sepFilter2D";
  check_image(src, op);
  const int border = check_border(borderType, op);
  const DType out = output_dtype(src.dtype(), ddepth, op);
  if (!std::isfinite(delta)) fail(op, "delta must be finite, got ", delta);
  const bool as_float = !(src.dtype() == DType::f64 || out == DType::f64);
  const std::vector<double> kx = vector_kernel(kernelX, op, "kernelX", as_float);
  const std::vector<double> ky = vector_kernel(kernelY, op, "kernelY", as_float);
  const int64_t kw = static_cast<int64_t>(kx.size()), kh = static_cast<int64_t>(ky.size());
  const int64_t ax = anchor.x == -1 ? kw / 2 : anchor.x, ay = anchor.y == -1 ? kh / 2 : anchor.y;
  if (ax < 0 || ax >= kw || ay < 0 || ay >= kh)
    fail(op, "anchor (", anchor.x, ", ", anchor.y, ") is outside the kernels (kernelX has ", kw, " taps, kernelY ", kh, ")");
  int64_t H, W, C;
  const Tensor in = image_rows(src, op, H, W, C);
  return sep_filter(in, H, W, C, out, kx, ky, ax, ay, delta, border);
}

Tensor namedKernel(const std::string& name) {
  auto m = [](std::initializer_list<float> v) { return Tensor::from_vector(std::vector<float>(v), {3, 3}); };
  if (name == "sobel_x") return m({-1, 0, 1, -2, 0, 2, -1, 0, 1});
  if (name == "sobel_y") return m({-1, -2, -1, 0, 0, 0, 1, 2, 1});
  if (name == "laplacian") return m({0, -1, 0, -1, 4, -1, 0, -1, 0});
  if (name == "sharpen") return m({0, -1, 0, -1, 5, -1, 0, -1, 0});
  if (name == "emboss") return m({-2, -1, 0, -1, 1, 1, 0, 1, 2});
  if (name == "outline") return m({-1, -1, -1, -1, 8, -1, -1, -1, -1});
  if (name == "average") {
    const float ninth = 1.0f / 9.0f;
    return m({ninth, ninth, ninth, ninth, ninth, ninth, ninth, ninth, ninth});
  }
  fail("namedKernel", "unknown kernel name '", name,
       "' (expected sobel_x, sobel_y, laplacian, sharpen, emboss, outline or average)");
}

namespace ref {

Tensor filter2D(const Tensor& src, int ddepth, const Tensor& kernel, Point anchor, double delta, int borderType) {
  const char* op = "filter2D";
  const Plan2D p = plan_2d(src, ddepth, kernel, anchor, delta, borderType, op);
  int64_t H, W, C;
  const Tensor in = image_rows(src, op, H, W, C).to(DType::f64);
  const double* s = in.data<double>();
  const bool use_double = src.dtype() == DType::f64 || p.out == DType::f64;
  Tensor dst = Tensor::empty(in.shape(), p.out);
  visit_dtype(p.out, [&](auto tag) {
    using D = decltype(tag);
    if constexpr (!std::is_same_v<D, bool>) {
      D* o = dst.data<D>();
      for (int64_t y = 0; y < H; ++y)
        for (int64_t x = 0; x < W; ++x)
          for (int64_t c = 0; c < C; ++c) {
            double accd = delta;
            float accf = static_cast<float>(delta);
            for (int64_t i = 0; i < p.kh; ++i) {
              const int64_t sy = borderInterpolate(y + i - p.ay, H, p.border);
              for (int64_t j = 0; j < p.kw; ++j) {
                const double k = p.k[i * p.kw + j];
                if (k == 0) continue;
                const int64_t sx = borderInterpolate(x + j - p.ax, W, p.border);
                const double v = (sy < 0 || sx < 0) ? 0.0 : s[(sy * W + sx) * C + c];
                accd += k * v;
                accf += static_cast<float>(k) * static_cast<float>(v);
              }
            }
            o[(y * W + x) * C + c] = use_double ? saturate_cast<D>(accd) : saturate_cast<D>(accf);
          }
    }
  });
  return dst;
}

}  // namespace ref
}  // namespace ojo
