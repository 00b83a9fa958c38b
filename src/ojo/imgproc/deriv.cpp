// Derivative filters: getDerivKernels, Sobel, Scharr, Laplacian (cv::Sobel, cv::Scharr,
// cv::Laplacian, cv::getDerivKernels). Each builds OpenCV's integer kernels and runs the separable
// (or, for Laplacian ksize 1/3, the 2-d) filter; uint8 -> int16 with integral scale runs in exact
// integer arithmetic as OpenCV's bit-exact path does.
#include <cmath>

#include "filter_engine.hpp"
#include "ojo/imgproc/filter.hpp"

namespace ojo {

using namespace filter_detail;

namespace {

// Sobel taps of length n and derivative `order`: (n - 1 - order) smoothings by [1, 1] and
// `order` differences by [-1, 1]; n = 3 uses OpenCV's table.
std::vector<double> sobel_taps(int n, int order) {
  std::vector<double> k{1};
  for (int i = 0; i < n - 1 - order; ++i) {
    std::vector<double> next(k.size() + 1, 0);
    for (size_t j = 0; j < k.size(); ++j) next[j] += k[j], next[j + 1] += k[j];
    k = next;
  }
  for (int i = 0; i < order; ++i) {
    std::vector<double> next(k.size() + 1, 0);
    for (size_t j = 0; j < k.size(); ++j) next[j] -= k[j], next[j + 1] += k[j];
    k = next;
  }
  return k;
}

void deriv_kernels(int dx, int dy, int ksize, bool normalize, std::vector<double>& kx, std::vector<double>& ky,
                   const char* op) {
  if (ksize <= 0) {
    if (ksize != FILTER_SCHARR) fail(op, "ksize must be FILTER_SCHARR (-1) or odd in 1..31, got ", ksize);
    if (dx < 0 || dy < 0 || dx + dy != 1)
      fail(op, "the Scharr kernel needs (dx, dy) = (1, 0) or (0, 1), got (", dx, ", ", dy, ")");
    for (int k = 0; k < 2; ++k) {
      const int order = k == 0 ? dx : dy;
      std::vector<double> t = order == 0 ? std::vector<double>{3, 10, 3} : std::vector<double>{-1, 0, 1};
      if (normalize && order == 0)
        for (double& v : t) v /= 32;
      (k == 0 ? kx : ky) = t;
    }
    return;
  }
  if (ksize % 2 == 0 || ksize > 31) fail(op, "ksize must be odd and not larger than 31 (or FILTER_SCHARR), got ", ksize);
  if (dx < 0 || dy < 0 || dx + dy == 0)
    fail(op, "dx and dy must be >= 0 with dx + dy > 0, got dx=", dx, " dy=", dy);
  for (int k = 0; k < 2; ++k) {
    const int order = k == 0 ? dx : dy;
    const int n = (ksize == 1 && order > 0) ? 3 : ksize;
    if (n <= order)
      fail(op, "derivative order ", order, " (", k == 0 ? "dx" : "dy", ") needs a larger kernel than ksize ", ksize,
           " (expected order < ", n, ")");
    std::vector<double> t = sobel_taps(n, order);
    if (normalize)
      for (double& v : t) v /= static_cast<double>(int64_t{1} << (n - order - 1));
    (k == 0 ? kx : ky) = t;
  }
}

Tensor column_tensor(const std::vector<double>& k, int ktype) {
  return Tensor::from_vector(k, {static_cast<int64_t>(k.size()), 1}).to(ktype == CV_32F ? DType::f32 : DType::f64);
}

Tensor deriv_filter(const Tensor& src, int ddepth, int dx, int dy, int ksize, double scale, double delta, int borderType,
                    const char* op) {
  int64_t H, W, C;
  check_image(src, op);
  const int border = check_border(borderType, op);
  const DType out = output_dtype(src.dtype(), ddepth, op);
  if (!std::isfinite(scale) || !std::isfinite(delta)) fail(op, "scale and delta must be finite, got ", scale, ", ", delta);
  std::vector<double> kx, ky;
  deriv_kernels(dx, dy, ksize, false, kx, ky, op);
  // OpenCV's kernel type: CV_64F if either end is 64-bit, else CV_32F (scale applied in that type).
  const bool f64 = src.dtype() == DType::f64 || out == DType::f64;
  if (scale != 1) {
    std::vector<double>& k = dx == 0 ? kx : ky;
    for (double& v : k) v = f64 ? v * scale : static_cast<float>(v * scale);
  }
  const Tensor in = image_rows(src, op, H, W, C);
  return sep_filter(in, H, W, C, out, kx, ky, static_cast<int64_t>(kx.size()) / 2, static_cast<int64_t>(ky.size()) / 2,
                    delta, border);
}

}  // namespace

std::pair<Tensor, Tensor> getDerivKernels(int dx, int dy, int ksize, bool normalize, int ktype) {
  if (ktype != CV_32F && ktype != CV_64F)
    fail("getDerivKernels", "ktype must be CV_32F or CV_64F, got ", ktype, " (", depth_name(ktype), ")");
  std::vector<double> kx, ky;
  deriv_kernels(dx, dy, ksize, normalize, kx, ky, "getDerivKernels");
  return {column_tensor(kx, ktype), column_tensor(ky, ktype)};
}

Tensor Sobel(const Tensor& src, int ddepth, int dx, int dy, int ksize, double scale, double delta, int borderType) {
  return deriv_filter(src, ddepth, dx, dy, ksize, scale, delta, borderType, "Sobel");
}

Tensor Scharr(const Tensor& src, int ddepth, int dx, int dy, double scale, double delta, int borderType) {
  return deriv_filter(src, ddepth, dx, dy, FILTER_SCHARR, scale, delta, borderType, "Scharr");
}

Tensor Laplacian(const Tensor& src, int ddepth, int ksize, double scale, double delta, int borderType) {
  const char* op = "Laplacian";
  check_image(src, op);
  const int border = check_border(borderType, op);
  const DType out = output_dtype(src.dtype(), ddepth, op);
  if (ksize <= 0 || ksize % 2 == 0 || ksize > 31) fail(op, "ksize must be odd in 1..31, got ", ksize);
  if (!std::isfinite(scale) || !std::isfinite(delta)) fail(op, "scale and delta must be finite, got ", scale, ", ", delta);
  if (ksize == 1 || ksize == 3) {
    std::vector<float> k = ksize == 1 ? std::vector<float>{0, 1, 0, 1, -4, 1, 0, 1, 0}
                                      : std::vector<float>{2, 0, 2, 0, -8, 0, 2, 0, 2};
    if (scale != 1)
      for (float& v : k) v = static_cast<float>(v * scale);
    return filter2D(src, ddepth, Tensor::from_vector(k, {3, 3}), {-1, -1}, delta, borderType);
  }
  int64_t H, W, C;
  const Tensor in = image_rows(src, op, H, W, C);
  // OpenCV: d2x + d2y in a work depth (int16 for uint8 with ksize 5, else float32/float64),
  // saturating, then converted with scale and delta.
  const DType work = in.dtype() == DType::u8 && ksize <= 5 ? DType::i16 : in.dtype() == DType::f64 ? DType::f64 : DType::f32;
  std::vector<double> kd, ks;
  deriv_kernels(2, 0, ksize, false, kd, ks, op);
  const int64_t a = ksize / 2;
  const Tensor d2x = sep_filter(in, H, W, C, work, kd, ks, a, a, 0, border);
  const Tensor d2y = sep_filter(in, H, W, C, work, ks, kd, a, a, 0, border);
  Tensor dst = Tensor::empty(in.shape(), out);
  const int64_t total = in.numel();
  visit_dtype(out, [&](auto otag) {
    using D = decltype(otag);
    if constexpr (!std::is_same_v<D, bool>) {
      D* o = dst.data<D>();
      const bool plain = scale == 1 && delta == 0;
      if (work == DType::i16) {
        const int16_t *x = d2x.data<int16_t>(), *y = d2y.data<int16_t>();
        const float fs = static_cast<float>(scale), fd = static_cast<float>(delta);
        for (int64_t i = 0; i < total; ++i) {
          const int16_t s = saturate_cast<int16_t>(static_cast<int32_t>(x[i]) + y[i]);
          if (plain) o[i] = saturate_cast<D>(s);
          else if constexpr (std::is_same_v<D, double>) o[i] = s * scale + delta;
          else o[i] = saturate_cast<D>(static_cast<float>(static_cast<double>(s) * fs + fd));
        }
      } else if (work == DType::f32) {
        const float *x = d2x.data<float>(), *y = d2y.data<float>();
        for (int64_t i = 0; i < total; ++i) {
          const float s = x[i] + y[i];
          if (plain) o[i] = saturate_cast<D>(s);
          else if constexpr (std::is_same_v<D, double>) o[i] = s * scale + delta;
          else o[i] = saturate_cast<D>(static_cast<float>(s * scale + delta));
        }
      } else {
        const double *x = d2x.data<double>(), *y = d2y.data<double>();
        for (int64_t i = 0; i < total; ++i) o[i] = saturate_cast<D>((x[i] + y[i]) * scale + delta);
      }
    }
  });
  return dst;
}

namespace ref {

// Plain loops: the 2-d kernel ky * kx^T applied per pixel with borderInterpolate, in double
// (exact for the integer kernels), then OpenCV's conversion.
Tensor Sobel(const Tensor& src, int ddepth, int dx, int dy, int ksize, double scale, double delta, int borderType) {
  const char* op = "Sobel";
  int64_t H, W, C;
  check_image(src, op);
  const int border = check_border(borderType, op);
  const DType out = output_dtype(src.dtype(), ddepth, op);
  std::vector<double> kx, ky;
  deriv_kernels(dx, dy, ksize, false, kx, ky, op);
  const Tensor in = image_rows(src, op, H, W, C).to(DType::f64);
  const double* s = in.data<double>();
  const int64_t kw = static_cast<int64_t>(kx.size()), kh = static_cast<int64_t>(ky.size());
  const bool int_path = src.dtype() == DType::u8 && out == DType::i16 && scale == std::nearbyint(scale);
  Tensor dst = Tensor::empty(in.shape(), out);
  visit_dtype(out, [&](auto tag) {
    using D = decltype(tag);
    if constexpr (!std::is_same_v<D, bool>) {
      D* o = dst.data<D>();
      for (int64_t y = 0; y < H; ++y)
        for (int64_t x = 0; x < W; ++x)
          for (int64_t c = 0; c < C; ++c) {
            double acc = 0;
            for (int64_t i = 0; i < kh; ++i) {
              const int64_t sy = borderInterpolate(y + i - kh / 2, H, border);
              if (sy < 0) continue;
              for (int64_t j = 0; j < kw; ++j) {
                const int64_t sx = borderInterpolate(x + j - kw / 2, W, border);
                if (sx >= 0) acc += ky[i] * kx[j] * s[(sy * W + sx) * C + c];
              }
            }
            const double v = int_path ? acc * scale + std::nearbyint(delta) : acc * scale + delta;
            o[(y * W + x) * C + c] = saturate_cast<D>(v);
          }
    }
  });
  return dst;
}

}  // namespace ref
}  // namespace ojo
