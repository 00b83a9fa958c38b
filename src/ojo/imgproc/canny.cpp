// Canny: OpenCV 4.6's cv::Canny, bit-exact.
//
// Learned from modules/imgproc/src/canny.cpp (4.x): derivatives by Sobel (CV_16S, replicated
// border; scale 1/16 and thresholds / 16 for aperture 7); integer magnitudes (L1 or squared L2,
// thresholds clamped to 32767 and squared); non-maximum suppression with the 15-bit fixed-point
// tangent test; hysteresis from the strong pixels through 8-connected weak ones. The map holds
// 1 (not an edge), 0 (weak survivor) or 2 (edge), with a frame of 1s around the image.
//
// The derivatives come from ojo::Sobel (filter.hpp). Suppression runs on bands of rows in
// parallel, each band keeping three magnitude rows in a ring; hysteresis follows the edges from
// every strong pixel with one stack. The result is the set of weak survivors connected to strong
// ones, so it is the same whatever the order or the number of bands.
#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "ojo/core/parallel.hpp"
#include "ojo/imgproc/border.hpp"
#include "ojo/imgproc/edge.hpp"
#include "ojo/imgproc/filter.hpp"
#include "canny_kernels.hpp"
#include "pixel_rows.hpp"

namespace ojo {
namespace {

using pixel_detail::PixelRows;
using pixel_detail::pixel_rows;

constexpr const char* kOp = "Canny";
constexpr int kTg22 = 13573;  // round(tan(22.5 deg) * 2^15)

int cv_floor(double v) {
  const int i = (v > -2147483649.0 && v < 2147483648.0) ? static_cast<int>(v) : INT_MIN;
  return i - (i > v);
}

struct Levels {
  int low, high;
};

// OpenCV's threshold handling (after the aperture-7 division and the ordering).
Levels levels(double lo, double hi, bool l2) {
  if (lo > hi) std::swap(lo, hi);
  if (l2) {
    lo = std::min(32767.0, lo);
    hi = std::min(32767.0, hi);
    if (lo > 0) lo *= lo;
    if (hi > 0) hi *= hi;
  }
  return {cv_floor(lo), cv_floor(hi)};
}

// Magnitude of one row (W pixels, C channels interleaved) into mag[0..W-1]; for C > 1 the
// derivatives of the strongest channel go to sdx/sdy.
void magnitude_row(const int16_t* dx, const int16_t* dy, int64_t W, int64_t C, bool l2, int32_t* mag, int16_t* sdx,
                   int16_t* sdy) {
  if (C == 1) {
    if (l2)
      for (int64_t j = 0; j < W; ++j) mag[j] = int32_t(dx[j]) * dx[j] + int32_t(dy[j]) * dy[j];
    else
      for (int64_t j = 0; j < W; ++j) mag[j] = std::abs(int32_t(dx[j])) + std::abs(int32_t(dy[j]));
    return;
  }
  for (int64_t j = C == 3 ? canny_detail::magnitude_c3_fast(dx, dy, W, l2, mag, sdx, sdy) : 0; j < W; ++j) {
    int64_t best = j * C;
    int32_t bm = 0;
    for (int64_t k = 0; k < C; ++k) {
      const int64_t e = j * C + k;
      const int32_t m = l2 ? int32_t(dx[e]) * dx[e] + int32_t(dy[e]) * dy[e]
                           : std::abs(int32_t(dx[e])) + std::abs(int32_t(dy[e]));
      if (k == 0 || m > bm) {
        bm = m;
        best = e;
      }
    }
    mag[j] = bm;
    sdx[j] = dx[best];
    sdy[j] = dy[best];
  }
}

// Non-maximum suppression of one row (the vector kernel, then this loop for the rest). mp, ma, mn: magnitudes of the rows above, at and below,
// each with a zero at index -1 and W. Writes map[0..W-1] and appends strong pixels to `strong`.
void suppress_row(const int32_t* mp, const int32_t* ma, const int32_t* mn, const int16_t* dx, const int16_t* dy,
                  int64_t W, Levels lv, uint8_t* map, std::vector<uint8_t*>& strong) {
  thread_local std::vector<int32_t> idx;
  idx.resize(static_cast<size_t>(W + 64));
  int64_t ns = 0;
  const int64_t done = canny_detail::suppress_row_fast(mp, ma, mn, dx, dy, W, lv.low, lv.high, map, idx.data(), &ns);
  for (int64_t k = 0; k < ns; ++k) strong.push_back(map + idx[k]);
  std::memset(map + done, 1, W - done);
  const int32_t low = lv.low;
  for (int64_t j0 = done; j0 < W; j0 += 16) {
    const int64_t j1 = std::min<int64_t>(W, j0 + 16);
    int any = 0;  // most of an image is below `low`: skip 16 pixels at a time (vectorised test)
    for (int64_t j = j0; j < j1; ++j) any |= ma[j] > low;
    if (!any) continue;
    for (int64_t j = j0; j < j1; ++j) {
    const int32_t m = ma[j];
    if (m <= low) continue;
    const int xs = dx[j], ys = dy[j];
    const int x = std::abs(xs), y = std::abs(ys) << 15;
    const int tg22x = x * kTg22;
    bool keep;
    if (y < tg22x) {
      keep = m > ma[j - 1] && m >= ma[j + 1];
    } else {
      const int tg67x = tg22x + (x << 16);
      if (y > tg67x) {
        keep = m > mp[j] && m >= mn[j];
      } else {
        const int s = (xs ^ ys) < 0 ? -1 : 1;
        keep = m > mp[j - s] && m > mn[j + s];
      }
    }
    if (!keep) continue;
    if (m > lv.high) {
      map[j] = 2;
      strong.push_back(map + j);
    } else {
      map[j] = 0;
    }
    }
  }
}

// Follows edges from the strong pixels: every weak survivor (0) 8-connected to an edge becomes 2.
void hysteresis(std::vector<uint8_t*>& stack, int64_t mapstep) {
  const int64_t offsets[8] = {-mapstep - 1, -mapstep, -mapstep + 1, -1, 1, mapstep - 1, mapstep, mapstep + 1};
  while (!stack.empty()) {
    uint8_t* m = stack.back();
    stack.pop_back();
    for (int64_t o : offsets)
      if (!m[o]) {
        m[o] = 2;
        stack.push_back(m + o);
      }
  }
}

void check_image_u8(const Tensor& image) {
  check_image(image, kOp);
  check(image.dtype() == DType::u8, kOp, "expected a uint8 image, got ", dtype_name(image.dtype()));
}

void check_aperture(int apertureSize) {
  check(apertureSize == 3 || apertureSize == 5 || apertureSize == 7, kOp, "apertureSize must be 3, 5 or 7, got ",
        apertureSize);
}

// The fast path from derivatives: suppression in bands, hysteresis, output.
Tensor canny_from_derivatives(const Tensor& dxt, const Tensor& dyt, Levels lv, bool l2) {
  const int64_t H = dxt.size(0), W = dxt.size(1), C = dxt.dim() == 3 ? dxt.size(2) : 1;
  Tensor kx, ky;
  const PixelRows<const int16_t> dx = pixel_rows<const int16_t>(dxt, kx);
  const PixelRows<const int16_t> dy = pixel_rows<const int16_t>(dyt, ky);
  const int64_t mapstep = W + 2;
  // Not zero-filled: suppress_row writes every inner cell, the frame is set here.
  std::unique_ptr<uint8_t[]> map_store(new uint8_t[static_cast<size_t>((H + 2) * mapstep)]);
  uint8_t* const map = map_store.get();
  std::memset(map, 1, mapstep);
  std::memset(map + (H + 1) * mapstep, 1, mapstep);
  for (int64_t y = 1; y <= H; ++y) map[y * mapstep] = map[y * mapstep + W + 1] = 1;

  // Several bands per thread, claimed dynamically: a thread that the OS delays (a busy machine)
  // does not hold up the others. One thread: one band (each band recomputes two magnitude rows).
  const int64_t threads = get_num_threads();
  const int64_t min_rows = std::max<int64_t>(8, 65536 / std::max<int64_t>(W, 1));
  const int64_t parts = threads <= 1 ? 1 : std::clamp<int64_t>(H / min_rows, 1, 4 * threads);
  std::vector<std::vector<uint8_t*>> strong(static_cast<size_t>(parts));
  auto suppress_band = [&](int64_t p, int64_t y0, int64_t y1) {
    // Ring of three magnitude rows (zero at -1 and W), and the chosen derivatives for C > 1.
    std::vector<int32_t> ring(3 * static_cast<size_t>(W + 2), 0);
    std::vector<int16_t> sel(C > 1 ? 6 * static_cast<size_t>(W) : 0);
    int32_t* rows[3] = {ring.data() + 1, ring.data() + W + 3, ring.data() + 2 * (W + 2) + 1};
    int16_t* sdx[3] = {nullptr, nullptr, nullptr};
    int16_t* sdy[3] = {nullptr, nullptr, nullptr};
    if (C > 1)
      for (int k = 0; k < 3; ++k) {
        sdx[k] = sel.data() + 2 * k * W;
        sdy[k] = sdx[k] + W;
      }
    auto load = [&](int slot, int64_t y) {  // magnitude of image row y into ring slot
      if (y < 0 || y >= H) {
        std::fill(rows[slot], rows[slot] + W, 0);
        return;
      }
      magnitude_row(dx.row(y), dy.row(y), W, C, l2, rows[slot], sdx[slot], sdy[slot]);
    };
    int prev = 0, cur = 1, next = 2;
    load(prev, y0 - 1);
    load(cur, y0);
    std::vector<uint8_t*>& out = strong[p];
    for (int64_t y = y0; y < y1; ++y) {
      load(next, y + 1);
      const int16_t* rx = C > 1 ? sdx[cur] : dx.row(y);
      const int16_t* ry = C > 1 ? sdy[cur] : dy.row(y);
      suppress_row(rows[prev], rows[cur], rows[next], rx, ry, W, lv, map + (y + 1) * mapstep + 1, out);
      const int t = prev;
      prev = cur;
      cur = next;
      next = t;
    }
  };
  parallel_for(0, parts, 1, [&](int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1; ++p) suppress_band(p, H * p / parts, H * (p + 1) / parts);
  });

  std::vector<uint8_t*> stack;
  for (int64_t p = 0; p < parts; ++p) stack.insert(stack.end(), strong[p].begin(), strong[p].end());
  hysteresis(stack, mapstep);

  Tensor dst = Tensor::empty({H, W}, DType::u8);
  uint8_t* o = dst.data<uint8_t>();
  const uint8_t* mp = map;
  parallel_for(0, H, std::max<int64_t>(1, 65536 / W), [o, mp, W, mapstep](int64_t y0, int64_t y1) {
    const int64_t w = W, step = mapstep;  // locals: u8 stores could alias the captures
    for (int64_t y = y0; y < y1; ++y) {
      const uint8_t* m = mp + (y + 1) * step + 1;
      uint8_t* d = o + y * w;
      for (int64_t x = 0; x < w; ++x) d[x] = m[x] == 2 ? 255 : 0;  // 0 and 1 are not edges
    }
  });
  return dst;
}

}  // namespace

Tensor Canny(const Tensor& image, double threshold1, double threshold2, int apertureSize, bool L2gradient) {
  check_image_u8(image);
  check_aperture(apertureSize);
  const double scale = apertureSize == 7 ? 1 / 16.0 : 1.0;
  if (apertureSize == 7) {
    threshold1 /= 16.0;
    threshold2 /= 16.0;
  }
  const Tensor dx = Sobel(image, CV_16S, 1, 0, apertureSize, scale, 0, BORDER_REPLICATE);
  const Tensor dy = Sobel(image, CV_16S, 0, 1, apertureSize, scale, 0, BORDER_REPLICATE);
  return canny_from_derivatives(dx, dy, levels(threshold1, threshold2, L2gradient), L2gradient);
}

Tensor Canny(const Tensor& dx, const Tensor& dy, double threshold1, double threshold2, bool L2gradient) {
  const int64_t C = check_image(dx, kOp);
  check(dx.dtype() == DType::i16 && (C == 1 || C == 3), kOp, "dx must be int16 with 1 or 3 channels, got ",
        dtype_name(dx.dtype()), " ", shape_str(dx.shape()));
  check(dy.defined() && dy.dtype() == DType::i16 && dy.shape() == dx.shape(), kOp,
        "dy must be int16 shaped like dx ", shape_str(dx.shape()), ", got ",
        dy.defined() ? std::string(dtype_name(dy.dtype())) + " " + shape_str(dy.shape()) : std::string("undefined"));
  return canny_from_derivatives(dx, dy, levels(threshold1, threshold2, L2gradient), L2gradient);
}

namespace ref {

// Whole-image arrays, one pixel at a time, breadth-first hysteresis.
Tensor Canny(const Tensor& image, double threshold1, double threshold2, int apertureSize, bool L2gradient) {
  check_image_u8(image);
  check_aperture(apertureSize);
  const double scale = apertureSize == 7 ? 1 / 16.0 : 1.0;
  const double div = apertureSize == 7 ? 16.0 : 1.0;
  const Levels lv = levels(threshold1 / div, threshold2 / div, L2gradient);
  const Tensor dx = ref::Sobel(image, CV_16S, 1, 0, apertureSize, scale, 0, BORDER_REPLICATE).contiguous();
  const Tensor dy = ref::Sobel(image, CV_16S, 0, 1, apertureSize, scale, 0, BORDER_REPLICATE).contiguous();
  const int64_t H = image.size(0), W = image.size(1), C = image.dim() == 3 ? image.size(2) : 1;
  // Magnitude with a zero frame; the derivatives of the strongest channel.
  std::vector<int32_t> mag((H + 2) * (W + 2), 0);
  std::vector<int> gx(H * W), gy(H * W);
  const int16_t* px = dx.data<int16_t>();
  const int16_t* py = dy.data<int16_t>();
  for (int64_t y = 0; y < H; ++y)
    for (int64_t x = 0; x < W; ++x) {
      int32_t best = -1;
      for (int64_t c = 0; c < C; ++c) {
        const int64_t e = (y * W + x) * C + c;
        const int32_t m = L2gradient ? px[e] * px[e] + py[e] * py[e] : std::abs(px[e]) + std::abs(py[e]);
        if (m > best) {
          best = m;
          gx[y * W + x] = px[e];
          gy[y * W + x] = py[e];
        }
      }
      mag[(y + 1) * (W + 2) + x + 1] = best;
    }
  auto M = [&](int64_t y, int64_t x) { return mag[(y + 1) * (W + 2) + x + 1]; };
  // 0: not an edge, 1: weak survivor, 2: edge.
  std::vector<uint8_t> state(H * W, 0);
  std::vector<int64_t> queue;
  for (int64_t y = 0; y < H; ++y)
    for (int64_t x = 0; x < W; ++x) {
      const int32_t m = M(y, x);
      if (m <= lv.low) continue;
      const int xs = gx[y * W + x], ys = gy[y * W + x];
      const double t = std::abs(ys) * 32768.0, tg22 = std::abs(xs) * double(kTg22);
      bool keep;
      if (t < tg22) keep = m > M(y, x - 1) && m >= M(y, x + 1);
      else if (t > tg22 + std::abs(xs) * 65536.0) keep = m > M(y - 1, x) && m >= M(y + 1, x);
      else if ((xs < 0) != (ys < 0)) keep = m > M(y - 1, x + 1) && m > M(y + 1, x - 1);
      else keep = m > M(y - 1, x - 1) && m > M(y + 1, x + 1);
      if (!keep) continue;
      state[y * W + x] = m > lv.high ? 2 : 1;
      if (m > lv.high) queue.push_back(y * W + x);
    }
  for (size_t q = 0; q < queue.size(); ++q) {
    const int64_t y = queue[q] / W, x = queue[q] % W;
    for (int64_t dy2 = -1; dy2 <= 1; ++dy2)
      for (int64_t dx2 = -1; dx2 <= 1; ++dx2) {
        const int64_t yy = y + dy2, xx = x + dx2;
        if (yy < 0 || yy >= H || xx < 0 || xx >= W || state[yy * W + xx] != 1) continue;
        state[yy * W + xx] = 2;
        queue.push_back(yy * W + xx);
      }
  }
  Tensor dst = zeros({H, W}, DType::u8);
  for (int64_t i = 0; i < H * W; ++i)
    if (state[i] == 2) dst.data<uint8_t>()[i] = 255;
  return dst;
}

}  // namespace ref

}  // namespace ojo
