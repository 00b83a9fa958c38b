// threshold (fixed, Otsu, triangle): OpenCV 4.6's cv::threshold, bit-exact.
//
// OpenCV's arithmetic, learned from modules/imgproc/src/thresh.cpp:
// - integer dtypes floor the threshold (cvFloor) and round+saturate maxval (cvRound); TRUNC uses
//   the threshold as its "maxval"; a threshold outside [min, max) of the dtype makes the whole
//   image a constant or a copy, decided before any pixel is compared;
// - f32 compares in float ((float)thresh), f64 in double;
// - Otsu: double-precision sweep over the histogram, skipping classes lighter than FLT_EPSILON;
// - triangle: integer histogram, distance maximised without normalisation, then thresh - 1.
#include <algorithm>
#include <cfloat>
#include <climits>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include "ojo/core/parallel.hpp"
#include "ojo/core/saturate.hpp"
#include "ojo/imgproc/border.hpp"
#include "ojo/imgproc/threshold.hpp"
#include "pixel_rows.hpp"

namespace ojo {
namespace {

using pixel_detail::PixelRows;
using pixel_detail::pixel_rows;

// cvFloor / cvRound of OpenCV on x86-64: NaN and values outside int's range become INT_MIN.
int cv_floor(double v) {
  const int i = (v > -2147483649.0 && v < 2147483648.0) ? static_cast<int>(v) : INT_MIN;
  // OpenCV's subtraction wraps INT_MIN - 1 to INT_MAX; do it in unsigned arithmetic (no UB).
  return static_cast<int>(static_cast<uint32_t>(i) - (i > v ? 1u : 0u));
}
int cv_round(double v) { return saturate_cast<int32_t>(v); }

// What threshold() does once the parameters are resolved for a dtype.
template <class T>
struct Plan {
  enum Kind { compare, fill, copy } kind = compare;
  double retval = 0;
  int type = THRESH_BINARY;  // 0..4
  T thresh{}, maxval{};
  T value{};  // for `fill`
};

int check_type(const Tensor& src, int type, const char* op) {
  const int automatic = type & ~THRESH_MASK, base = type & THRESH_MASK;
  check(base <= THRESH_TOZERO_INV, op, "unknown threshold type ", base,
        " (expected THRESH_BINARY, THRESH_BINARY_INV, THRESH_TRUNC, THRESH_TOZERO or THRESH_TOZERO_INV, "
        "optionally | THRESH_OTSU or | THRESH_TRIANGLE)");
  check(automatic != (THRESH_OTSU | THRESH_TRIANGLE), op, "THRESH_OTSU and THRESH_TRIANGLE cannot be combined");
  check(automatic == 0 || automatic == THRESH_OTSU || automatic == THRESH_TRIANGLE, op, "unknown threshold flags ",
        automatic, " (expected THRESH_OTSU or THRESH_TRIANGLE)");
  const int64_t channels = check_image(src, op);
  const DType dt = src.dtype();
  check(dt == DType::u8 || dt == DType::u16 || dt == DType::i16 || dt == DType::f32 || dt == DType::f64, op,
        "unsupported dtype ", dtype_name(dt), " (expected uint8, uint16, int16, float32 or float64)");
  if (automatic == THRESH_OTSU)
    check((dt == DType::u8 || dt == DType::u16) && channels == 1, op, "THRESH_OTSU needs a one-channel uint8 or ",
          "uint16 image, got ", dtype_name(dt), " ", shape_str(src.shape()));
  if (automatic == THRESH_TRIANGLE)
    check(dt == DType::u8 && channels == 1, op, "THRESH_TRIANGLE needs a one-channel uint8 image, got ",
          dtype_name(dt), " ", shape_str(src.shape()));
  return automatic;
}

// Otsu's threshold from a histogram of N bins, with OpenCV's exact double arithmetic.
double otsu_from_hist(const uint32_t* h, int N, double total) {
  const double scale = 1. / total;
  double mu = 0;
  for (int i = 0; i < N; ++i) mu += i * static_cast<double>(h[i]);
  mu *= scale;
  double mu1 = 0, q1 = 0, max_sigma = 0, max_val = 0;
  for (int i = 0; i < N; ++i) {
    const double p_i = h[i] * scale;
    mu1 *= q1;
    q1 += p_i;
    const double q2 = 1. - q1;
    if (std::min(q1, q2) < FLT_EPSILON || std::max(q1, q2) > 1. - FLT_EPSILON) continue;
    mu1 = (mu1 + i * p_i) / q1;
    const double mu2 = (mu - q1 * mu1) / q2;
    const double sigma = q1 * q2 * (mu1 - mu2) * (mu1 - mu2);
    if (sigma > max_sigma) {
      max_sigma = sigma;
      max_val = i;
    }
  }
  return max_val;
}

// The triangle method on a 256-bin histogram, as OpenCV: the line from the peak to the far end
// of the histogram; the bin farthest below it (distance not normalised), minus one.
double triangle_from_hist(const uint32_t* hist) {
  constexpr int N = 256;
  int64_t h[N];
  for (int i = 0; i < N; ++i) h[i] = hist[i];
  int left = 0, right = 0, max_ind = 0;
  int64_t max = 0;
  for (int i = 0; i < N; ++i)
    if (h[i] > 0) {
      left = i;
      break;
    }
  if (left > 0) --left;
  for (int i = N - 1; i > 0; --i)
    if (h[i] > 0) {
      right = i;
      break;
    }
  if (right < N - 1) ++right;
  for (int i = 0; i < N; ++i)
    if (h[i] > max) {
      max = h[i];
      max_ind = i;
    }
  bool flipped = false;
  if (max_ind - left < right - max_ind) {
    flipped = true;
    std::reverse(h, h + N);
    left = N - 1 - right;
    max_ind = N - 1 - max_ind;
  }
  double thresh = left, dist = 0;
  const double a = static_cast<double>(max), b = left - max_ind;
  for (int i = left + 1; i <= max_ind; ++i) {
    const double d = a * i + b * static_cast<double>(h[i]);
    if (d > dist) {
      dist = d;
      thresh = i;
    }
  }
  thresh -= 1;
  if (flipped) thresh = N - 1 - thresh;
  return thresh;
}

// Resolves thresh/maxval for dtype T as OpenCV does (see the file comment).
template <class T>
Plan<T> make_plan(double thresh, double maxval, int type) {
  Plan<T> p;
  p.type = type;
  if constexpr (std::is_integral_v<T>) {
    constexpr int lo = std::numeric_limits<T>::min(), hi = std::numeric_limits<T>::max();
    const int ithresh = cv_floor(thresh);
    p.retval = ithresh;
    int imaxval = cv_round(maxval);
    if (type == THRESH_TRUNC) imaxval = ithresh;
    const T m = saturate_cast<T>(imaxval);
    if (ithresh < lo || ithresh >= hi) {
      const bool below = ithresh < lo;
      if (type == THRESH_BINARY || type == THRESH_BINARY_INV ||
          ((type == THRESH_TRUNC || type == THRESH_TOZERO_INV) && below) || (type == THRESH_TOZERO && !below)) {
        p.kind = Plan<T>::fill;
        p.value = type == THRESH_BINARY ? (below ? m : T(0)) : type == THRESH_BINARY_INV ? (below ? T(0) : m) : T(0);
      } else {
        p.kind = Plan<T>::copy;
      }
      return p;
    }
    p.thresh = static_cast<T>(ithresh);
    p.maxval = m;
  } else {
    p.retval = thresh;
    p.thresh = static_cast<T>(thresh);
    p.maxval = static_cast<T>(maxval);
  }
  return p;
}

// The per-element rule. Written with selects so the loops below vectorise.
template <class T>
inline T apply(T s, T t, T m, int type) {
  switch (type) {
    case THRESH_BINARY: return s > t ? m : T(0);
    case THRESH_BINARY_INV: return s > t ? T(0) : m;
    case THRESH_TRUNC: return s > t ? t : s;
    case THRESH_TOZERO: return s > t ? s : T(0);
    default: return s > t ? T(0) : s;
  }
}

// One row; the switch is outside the loops so each loop is a plain compare-and-select.
template <class T>
void thresh_row(const T* src, T* dst, int64_t n, T t, T m, int type) {
  switch (type) {
    case THRESH_BINARY:
      for (int64_t i = 0; i < n; ++i) dst[i] = src[i] > t ? m : T(0);
      break;
    case THRESH_BINARY_INV:
      for (int64_t i = 0; i < n; ++i) dst[i] = src[i] > t ? T(0) : m;
      break;
    case THRESH_TRUNC:
      for (int64_t i = 0; i < n; ++i) dst[i] = src[i] > t ? t : src[i];
      break;
    case THRESH_TOZERO:
      for (int64_t i = 0; i < n; ++i) dst[i] = src[i] > t ? src[i] : T(0);
      break;
    default:
      for (int64_t i = 0; i < n; ++i) dst[i] = src[i] > t ? T(0) : src[i];
      break;
  }
}

// Computes the automatic threshold (Otsu / triangle) of a one-channel u8/u16 image.
template <class T>
double automatic_threshold(const Tensor& src, int automatic, bool reference) {
  constexpr int N = static_cast<int>(std::numeric_limits<T>::max()) + 1;
  std::vector<uint32_t> hist(N, 0);
  if (reference) {
    const Tensor c = src.contiguous();
    const T* p = c.data<T>();
    for (int64_t i = 0; i < c.numel(); ++i) ++hist[p[i]];
  } else if constexpr (std::is_same_v<T, uint8_t>) {
    Tensor keep;
    const PixelRows<const uint8_t> in = pixel_rows<const uint8_t>(src, keep);
    pixel_detail::histogram_u8(in, 0, 1, nullptr, hist.data());
  } else {
    return automatic_threshold<T>(src, automatic, true);
  }
  const double total = static_cast<double>(src.size(0) * src.size(1));
  return automatic == THRESH_OTSU ? otsu_from_hist(hist.data(), N, total) : triangle_from_hist(hist.data());
}

template <class T>
std::pair<double, Tensor> threshold_typed(const Tensor& src, double thresh, double maxval, int type, int automatic,
                                          bool reference) {
  if constexpr (std::is_same_v<T, uint8_t> || std::is_same_v<T, uint16_t>) {
    if (automatic) thresh = automatic_threshold<T>(src, automatic, reference);
  }
  const Plan<T> plan = make_plan<T>(thresh, maxval, type);
  Tensor dst = Tensor::empty(src.shape(), src.dtype());
  T* out = dst.data<T>();
  if (plan.kind == Plan<T>::copy) {
    dst.copy_(src);
    return {plan.retval, dst};
  }
  if (plan.kind == Plan<T>::fill) {
    std::fill(out, out + dst.numel(), plan.value);
    return {plan.retval, dst};
  }
  if (reference) {
    const Tensor c = src.contiguous();
    const T* in = c.data<T>();
    for (int64_t i = 0; i < c.numel(); ++i) out[i] = apply<T>(in[i], plan.thresh, plan.maxval, plan.type);
    return {plan.retval, dst};
  }
  Tensor keep;
  const PixelRows<const T> in = pixel_rows<const T>(src, keep);
  if (in.contiguous) {  // one run, cut into blocks of 64 KiB for the threads
    const int64_t n = in.rows * in.width, block = 65536 / static_cast<int64_t>(sizeof(T));
    parallel_for(0, (n + block - 1) / block, 1, [&](int64_t b0, int64_t b1) {
      const int64_t i0 = b0 * block, i1 = std::min(n, b1 * block);
      thresh_row<T>(in.base + i0, out + i0, i1 - i0, plan.thresh, plan.maxval, plan.type);
    });
  } else {
    parallel_for(0, in.rows, std::max<int64_t>(1, 65536 / std::max<int64_t>(in.width, 1)), [&](int64_t y0, int64_t y1) {
      for (int64_t y = y0; y < y1; ++y)
        thresh_row<T>(in.row(y), out + y * in.width, in.width, plan.thresh, plan.maxval, plan.type);
    });
  }
  return {plan.retval, dst};
}

std::pair<double, Tensor> threshold_impl(const Tensor& src, double thresh, double maxval, int type, bool reference) {
  const int automatic = check_type(src, type, "threshold");
  const int base = type & THRESH_MASK;
  switch (src.dtype()) {
    case DType::u8: return threshold_typed<uint8_t>(src, thresh, maxval, base, automatic, reference);
    case DType::u16: return threshold_typed<uint16_t>(src, thresh, maxval, base, automatic, reference);
    case DType::i16: return threshold_typed<int16_t>(src, thresh, maxval, base, automatic, reference);
    case DType::f32: return threshold_typed<float>(src, thresh, maxval, base, automatic, reference);
    default: return threshold_typed<double>(src, thresh, maxval, base, automatic, reference);
  }
}

}  // namespace

std::pair<double, Tensor> threshold(const Tensor& src, double thresh, double maxval, int type) {
  return threshold_impl(src, thresh, maxval, type, false);
}

namespace ref {
std::pair<double, Tensor> threshold(const Tensor& src, double thresh, double maxval, int type) {
  return threshold_impl(src, thresh, maxval, type, true);
}
}  // namespace ref

}  // namespace ojo
