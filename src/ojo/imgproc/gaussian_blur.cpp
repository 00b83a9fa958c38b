// GaussianBlur and getGaussianKernel (cv::GaussianBlur, cv::getGaussianKernel).
//
// 8-bit images follow OpenCV 4.6's bit-exact fixed-point algorithm: each 1-d kernel becomes 8-bit
// fixed point (values summing to 256, rounded with error diffusion from the outside in), the
// horizontal pass sums kx[j] * pixel into 16 bits, the vertical pass sums ky[i] * row into 32 bits,
// and the result is (sum + 2^15) >> 16. Other dtypes use the float kernels (tolerance stated in
// filter.hpp).
#include <array>
#include <cmath>
#include <utility>

#include "filter_engine.hpp"
#include "gaussian_kernels.hpp"
#include "ojo/imgproc/filter.hpp"

namespace ojo {

using namespace filter_detail;

namespace {

// OpenCV's getGaussianKernelBitExact, in double arithmetic (OpenCV uses soft-float; the exp may
// differ in the last bit, which only matters for values within 1e-16 of a rounding boundary).
std::vector<double> gaussian_values(int n, double sigma) {
  if (sigma <= 0) {
    if (n == 1) return {1.0};
    if (n == 3) return {0.25, 0.5, 0.25};
    if (n == 5) return {0.0625, 0.25, 0.375, 0.25, 0.0625};
    if (n == 7) return {0.03125, 0.109375, 0.21875, 0.28125, 0.21875, 0.109375, 0.03125};
    if (n == 9) return {4 / 256., 13 / 256., 30 / 256., 51 / 256., 60 / 256., 51 / 256., 30 / 256., 13 / 256., 4 / 256.};
  }
  const double sigma_x = sigma > 0 ? sigma : std::fma(static_cast<double>(n), 0.15, 0.35);
  const double scale2x = -0.125 / (sigma_x * sigma_x);
  const int half = (n - 1) / 2;
  std::vector<double> values(half + 1);
  double sum = 0;
  for (int i = 0, x = 1 - n; i < half; ++i, x += 2) {
    values[i] = std::exp(static_cast<double>(x * x) * scale2x);
    sum += values[i];
  }
  sum *= 2;
  sum += 1;
  if ((n & 1) == 0) sum += 1;
  const double mul = 1 / sum;
  std::vector<double> out(n);
  for (int i = 0; i < half; ++i) out[i] = out[n - 1 - i] = values[i] * mul;
  out[half] = mul;
  if ((n & 1) == 0) out[half + 1] = out[half];
  return out;
}

// 8-bit fixed point with error diffusion (OpenCV's getGaussianKernelFixedPoint_ED, 8 bits).
std::vector<uint16_t> gaussian_fixed(int n, double sigma) {
  const std::vector<double> k = gaussian_values(n, sigma);
  std::vector<uint16_t> out(n);
  double err = 0;
  int64_t sum = 0;
  for (int i = 0; i < n / 2; ++i) {
    const double adj = k[i] * 256 + err;
    const int64_t v = static_cast<int64_t>(std::nearbyint(adj));
    err = adj - static_cast<double>(v);
    out[i] = out[n - 1 - i] = static_cast<uint16_t>(v);
    sum += v;
  }
  out[n / 2] = static_cast<uint16_t>(256 - 2 * sum);
  return out;
}

struct GaussPlan {
  int kw, kh;
  double sx, sy;
  bool copy;  // 1x1 kernel: the result is a copy
};

GaussPlan plan_gaussian(const Tensor& src, Size ksize, double sigma1, double sigma2, int border, const char* op) {
  check_image(src, op);
  if (ksize.width > 1000000 || ksize.height > 1000000 || ksize.width < -1000000 || ksize.height < -1000000)
    fail(op, "ksize (", ksize.width, ", ", ksize.height, ") is out of range");
  if (!std::isfinite(sigma1) || !std::isfinite(sigma2)) fail(op, "sigma must be finite, got ", sigma1, ", ", sigma2);
  const int kind = border & ~BORDER_ISOLATED;
  const bool is_u8 = src.dtype() == DType::u8;
  if (kind != BORDER_CONSTANT) {  // OpenCV: a 1-pixel dimension needs no filtering along it
    if (src.size(0) == 1) ksize.height = 1;
    if (src.size(1) == 1) ksize.width = 1;
  }
  GaussPlan p{static_cast<int>(ksize.width), static_cast<int>(ksize.height), sigma1, sigma2 <= 0 ? sigma1 : sigma2, false};
  if (p.kw == 1 && p.kh == 1) {
    p.copy = true;
    return p;
  }
  const double mult = is_u8 ? 3 : 4;
  if (p.kw <= 0 && p.sx > 0) p.kw = static_cast<int>(std::nearbyint(p.sx * mult * 2 + 1)) | 1;
  if (p.kh <= 0 && p.sy > 0) p.kh = static_cast<int>(std::nearbyint(p.sy * mult * 2 + 1)) | 1;
  if (p.kw <= 0 || p.kw % 2 != 1 || p.kh <= 0 || p.kh % 2 != 1)
    fail(op, "ksize must be odd and positive, or 0 with a positive sigma; got ksize (", ksize.width, ", ", ksize.height,
         ") with sigmaX ", sigma1, ", sigmaY ", sigma2);
  p.sx = std::max(p.sx, 0.0);
  p.sy = std::max(p.sy, 0.0);
  if (kind == BORDER_WRAP) {
    if (!is_u8) fail(op, "BORDER_WRAP is supported for uint8 images only (as in OpenCV)");
  } else {
    check_border(border, op);
  }
  return p;
}

// The vector passes (gaussian_fast.cpp) do the bulk of each row; these plain loops finish it.
// Vertical: v[x] = sum_i k[i] * rows[i][x], exact in u16.
void gauss_vert(const uint8_t* const* rows, const uint16_t* k, int64_t kh, uint16_t* v, int64_t n) {
  for (int64_t x = gauss_detail::gauss_sum_u8_fast(rows, k, kh, v, n); x < n; ++x) {
    uint32_t acc = 0;
    for (int64_t i = 0; i < kh; ++i) acc += uint32_t{k[i]} * rows[i][x];
    v[x] = static_cast<uint16_t>(acc);
  }
}

// Horizontal, rounded: out[x] = (sum_j k[j] * r[x + j * step] + 2^15) >> 16.
void gauss_horz(const uint16_t* r, int64_t step, const uint16_t* k, int64_t kw, uint8_t* out, int64_t n) {
  for (int64_t x = gauss_detail::gauss_round_u16_fast(r, step, k, kw, out, n); x < n; ++x) {
    uint32_t acc = 1u << 15;
    for (int64_t j = 0; j < kw; ++j) acc += uint32_t{k[j]} * r[x + j * step];
    out[x] = static_cast<uint8_t>(acc >> 16);
  }
}

// Small-sum variant: out[x] = (sum_j k[j] * r[x + j * step] + 2^(shift-1)) >> shift.
void gauss_horz_shift(const uint16_t* r, int64_t step, const uint16_t* k, int64_t kw, int shift, uint8_t* out,
                      int64_t n) {
  for (int64_t x = gauss_detail::gauss_shift_u16_fast(r, step, k, kw, shift, out, n); x < n; ++x) {
    uint32_t acc = shift > 0 ? 1u << (shift - 1) : 0;
    for (int64_t j = 0; j < kw; ++j) acc += uint32_t{k[j]} * r[x + j * step];
    out[x] = static_cast<uint8_t>(acc >> shift);
  }
}

// The largest s with every value a multiple of 2^s (at most 8: the values sum to 256).
int pow2_factor(const std::vector<uint16_t>& k) {
  int s = 8;
  for (uint16_t v : k)
    while (s > 0 && v % (1u << s) != 0) --s;
  return s;
}

// Vertical pass first, then horizontal (the same exact integer sums as OpenCV's horizontal-first
// order): each output row reads its kh source rows in place and keeps one u16 row, so rows are
// independent (no ring of intermediate rows, nothing recomputed between threads). The vertical
// sums of the border pixels are those of the pixels the column map points to.
void gaussian_u8_fast(const Tensor& src, Tensor& dst, int64_t H, int64_t W, int64_t C, const std::vector<uint16_t>& kx,
                      const std::vector<uint16_t>& ky, int border) {
  const int64_t kw = static_cast<int64_t>(kx.size()), kh = static_cast<int64_t>(ky.size());
  const int64_t c = kw / 2, n = W * C;
  const std::vector<int64_t> xmap = border_map(W, c, c, border);
  const std::vector<int64_t> ymap = border_map(H, kh / 2, kh / 2, border);
  const std::vector<uint8_t> zeros(static_cast<size_t>(n), 0);  // BORDER_CONSTANT rows
  // Kernels with power-of-two factors 2^sx, 2^sy, sx + sy >= 8 (3x3, 5x5 sigma 0): divided out,
  // the sums stay in u16 and the rounding is one shift (see gaussian_fast.cpp).
  const int sx = pow2_factor(kx), sy = pow2_factor(ky);
  const bool small = sx + sy >= 8;
  std::vector<uint16_t> kxs(kx), kys(ky);
  if (small)
    for (auto* k : {&kxs, &kys})
      for (uint16_t& v : *k) v = static_cast<uint16_t>(v >> (k == &kxs ? sx : sy));
  const uint8_t* base = src.data<uint8_t>();
  uint8_t* out = dst.data<uint8_t>();
  parallel_for(0, H, std::max<int64_t>(1, 65536 / n), [&](int64_t y0, int64_t y1) {
    std::vector<uint16_t> vpad(static_cast<size_t>((W + kw - 1) * C));
    std::vector<const uint8_t*> rows(static_cast<size_t>(kh));
    uint16_t* v = vpad.data() + c * C;
    auto pad = [&](int64_t i) {  // padded pixel i (pixel i - c) from the map
      const int64_t s = xmap[i];
      for (int64_t ch = 0; ch < C; ++ch) vpad[i * C + ch] = s < 0 ? 0 : v[s * C + ch];
    };
    for (int64_t y = y0; y < y1; ++y) {
      for (int64_t i = 0; i < kh; ++i) rows[i] = ymap[y + i] < 0 ? zeros.data() : base + ymap[y + i] * n;
      gauss_vert(rows.data(), kys.data(), kh, v, n);
      for (int64_t i = 0; i < c; ++i) pad(i);
      for (int64_t i = c + W; i < W + kw - 1; ++i) pad(i);
      if (small) gauss_horz_shift(vpad.data(), C, kxs.data(), kw, 16 - sx - sy, out + y * n, n);
      else gauss_horz(vpad.data(), C, kx.data(), kw, out + y * n, n);
    }
  });
}

}  // namespace

Tensor getGaussianKernel(int ksize, double sigma, int ktype) {
  if (ktype != CV_32F && ktype != CV_64F)
    fail("getGaussianKernel", "ktype must be CV_32F or CV_64F, got ", ktype, " (", depth_name(ktype), ")");
  if (ksize <= 0 || ksize > 1000000) fail("getGaussianKernel", "ksize must be positive, got ", ksize);
  if (!std::isfinite(sigma)) fail("getGaussianKernel", "sigma must be finite, got ", sigma);
  const std::vector<double> k = gaussian_values(ksize, sigma);
  return Tensor::from_vector(k, {ksize, 1}).to(ktype == CV_32F ? DType::f32 : DType::f64);
}

Tensor GaussianBlur(const Tensor& src, Size ksize, double sigmaX, double sigmaY, int borderType) {
  const char* op = "GaussianBlur";
  const GaussPlan p = plan_gaussian(src, ksize, sigmaX, sigmaY, borderType, op);
  int64_t H, W, C;
  const Tensor in = image_rows(src, op, H, W, C);
  output_dtype(in.dtype(), -1, op);  // checks the dtype
  if (p.copy) return in.clone();
  const int border = borderType & ~BORDER_ISOLATED;
  Tensor dst = Tensor::empty(in.shape(), in.dtype());
  if (in.dtype() == DType::u8) {
    const std::vector<uint16_t> kx = gaussian_fixed(p.kw, p.sx);
    const std::vector<uint16_t> ky = (p.kh == p.kw && std::abs(p.sx - p.sy) < 2.2204460492503131e-16) ? kx : gaussian_fixed(p.kh, p.sy);
    gaussian_u8_fast(in, dst, H, W, C, kx, ky, border);
    return dst;
  }
  const bool dbl = in.dtype() == DType::f64;
  auto as_kernel = [&](int n, double s) {
    std::vector<double> k = gaussian_values(n, s);
    if (!dbl) for (double& v : k) v = static_cast<float>(v);
    return k;
  };
  sep_filter_float(in, dst, H, W, C, as_kernel(p.kw, p.sx), as_kernel(p.kh, p.sy), p.kw / 2, p.kh / 2, 0, border, dbl);
  return dst;
}

namespace filter_detail {

Tensor gaussian_f32_rounded_u8(const Tensor& src, Size ksize, int borderType) {
  const char* op = "GaussianBlur";
  const GaussPlan p = plan_gaussian(src, ksize, 0, 0, borderType, op);  // ksize > 0: dtype plays no part
  int64_t H, W, C;
  const Tensor in = image_rows(src, op, H, W, C);
  if (p.copy) return in.clone();
  Tensor dst = Tensor::empty(in.shape(), DType::u8);
  auto as_float = [](int n, double s) {
    std::vector<double> k = gaussian_values(n, s);
    for (double& v : k) v = static_cast<float>(v);
    return k;
  };
  sep_filter_float(in, dst, H, W, C, as_float(p.kw, p.sx), as_float(p.kh, p.sy), p.kw / 2, p.kh / 2, 0,
                   borderType & ~BORDER_ISOLATED, false);
  return dst;
}

}  // namespace filter_detail

namespace ref {

Tensor GaussianBlur(const Tensor& src, Size ksize, double sigmaX, double sigmaY, int borderType) {
  const char* op = "GaussianBlur";
  const GaussPlan p = plan_gaussian(src, ksize, sigmaX, sigmaY, borderType, op);
  int64_t H, W, C;
  const Tensor in = image_rows(src, op, H, W, C);
  output_dtype(in.dtype(), -1, op);
  if (p.copy) return in.clone();
  const int border = borderType & ~BORDER_ISOLATED;
  if (in.dtype() != DType::u8) {  // the float reference is the generic separable filter
    return ojo::sepFilter2D(in, -1, getGaussianKernel(p.kw, p.sx, in.dtype() == DType::f64 ? CV_64F : CV_32F),
                            getGaussianKernel(p.kh, p.sy, in.dtype() == DType::f64 ? CV_64F : CV_32F), {-1, -1}, 0, border);
  }
  // Plain loops over the fixed-point definition.
  const std::vector<uint16_t> kx = gaussian_fixed(p.kw, p.sx), ky = gaussian_fixed(p.kh, p.sy);
  const uint8_t* s = in.data<uint8_t>();
  std::vector<uint32_t> rows(static_cast<size_t>(H * W * C));
  for (int64_t y = 0; y < H; ++y)
    for (int64_t x = 0; x < W; ++x)
      for (int64_t c = 0; c < C; ++c) {
        uint32_t acc = 0;
        for (int j = 0; j < p.kw; ++j) {
          const int64_t sx = borderInterpolate(x + j - p.kw / 2, W, border);
          if (sx >= 0) acc += kx[j] * s[(y * W + sx) * C + c];
        }
        rows[(y * W + x) * C + c] = acc;
      }
  Tensor dst = Tensor::empty(in.shape(), DType::u8);
  uint8_t* d = dst.data<uint8_t>();
  for (int64_t y = 0; y < H; ++y)
    for (int64_t i = 0; i < W * C; ++i) {
      uint64_t acc = 0;
      for (int k = 0; k < p.kh; ++k) {
        const int64_t sy = borderInterpolate(y + k - p.kh / 2, H, border);
        if (sy >= 0) acc += static_cast<uint64_t>(ky[k]) * rows[sy * W * C + i];
      }
      d[y * W * C + i] = static_cast<uint8_t>(std::min<uint64_t>((acc + (1u << 15)) >> 16, 255));
    }
  return dst;
}

}  // namespace ref
}  // namespace ojo
