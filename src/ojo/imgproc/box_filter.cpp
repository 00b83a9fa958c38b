// boxFilter and blur (cv::boxFilter, cv::blur).
//
// uint8 sums are exact integers. The division by the window area follows OpenCV 4.6 exactly:
//   - uint8 -> uint8 with area <= 256: d = area, ds = 2^23 / d rounded the OpenCV way, dd about
//     d / 2, result = ((sum + dd) * ds) >> 23 (a fixed-point division);
//   - larger areas and uint8 -> int16: OpenCV's SIMD loop (the first floor(n / 8) * 8 values of a
//     row of n = width * channels values) rounds float(sum) * float(1/area), its scalar tail rounds
//     sum * (1/area) in double; ojo reproduces both, so results are bit-exact.
// Other dtypes sum in double, as OpenCV (tolerance in filter.hpp).
#include "filter_engine.hpp"
#include "ojo/imgproc/filter.hpp"

namespace ojo {

using namespace filter_detail;

namespace {

struct BoxPlan {
  int64_t kw, kh, ax, ay;
  int border;
  DType out;
};

BoxPlan plan_box(const Tensor& src, int ddepth, Size ksize, Point anchor, bool normalize, int borderType, const char* op) {
  check_image(src, op);
  if (ksize.width < 1 || ksize.height < 1 || ksize.width > 100000 || ksize.height > 100000)
    fail(op, "ksize must be at least 1x1, got (", ksize.width, ", ", ksize.height, ")");
  BoxPlan p{ksize.width, ksize.height, anchor.x, anchor.y, check_border(borderType, op),
            output_dtype(src.dtype(), ddepth, op)};
  if (p.border != BORDER_CONSTANT && normalize && (borderType & BORDER_ISOLATED) != 0) {  // as OpenCV
    if (src.size(0) == 1) p.kh = 1;
    if (src.size(1) == 1) p.kw = 1;
  }
  if (p.ax == -1) p.ax = p.kw / 2;
  if (p.ay == -1) p.ay = p.kh / 2;
  if (p.ax < 0 || p.ax >= p.kw || p.ay < 0 || p.ay >= p.kh)
    fail(op, "anchor (", anchor.x, ", ", anchor.y, ") is outside the ", ksize.width, "x", ksize.height,
         " kernel (expected -1 or 0 <= anchor < ksize)");
  return p;
}

// OpenCV's fixed-point division constants for the 16-bit sum path.
void div_constants(int64_t area, uint32_t& ds, uint32_t& dd) {
  const int d = static_cast<int>(area);
  double scalef = static_cast<double>(1 << 23) / d;
  ds = static_cast<uint32_t>(std::floor(scalef));
  scalef -= ds;
  dd = static_cast<uint32_t>(d / 2);
  if (scalef < 0.5) ++dd;
  else ++ds;
}

OJO_CLONES void sum_row_u16(const uint8_t* __restrict pad, uint16_t* __restrict out, int64_t n, int64_t taps, int64_t step) {
  for (int64_t x = 0; x < n; ++x) out[x] = pad[x];
  for (int64_t j = 1; j < taps; ++j) {
    const uint8_t* p = pad + j * step;
    for (int64_t x = 0; x < n; ++x) out[x] = static_cast<uint16_t>(out[x] + p[x]);
  }
}

OJO_CLONES void sum_row_i32(const uint8_t* __restrict pad, int32_t* __restrict out, int64_t n, int64_t taps, int64_t step) {
  for (int64_t x = 0; x < n; ++x) out[x] = pad[x];
  for (int64_t j = 1; j < taps; ++j) {
    const uint8_t* p = pad + j * step;
    for (int64_t x = 0; x < n; ++x) out[x] += p[x];
  }
}

OJO_CLONES void col_div_u16(const uint16_t* const* rows, int64_t taps, uint32_t ds, uint32_t dd, uint16_t* __restrict acc,
                            uint8_t* __restrict out, int64_t n) {
  const uint16_t* __restrict r0 = rows[0];
  for (int64_t x = 0; x < n; ++x) acc[x] = r0[x];
  for (int64_t i = 1; i < taps; ++i) {
    const uint16_t* __restrict r = rows[i];
    for (int64_t x = 0; x < n; ++x) acc[x] = static_cast<uint16_t>(acc[x] + r[x]);
  }
  for (int64_t x = 0; x < n; ++x) out[x] = static_cast<uint8_t>(((acc[x] + dd) * ds) >> 23);
}

OJO_CLONES void col_sum_i32(const int32_t* const* rows, int64_t taps, int32_t* __restrict acc, int64_t n) {
  const int32_t* __restrict r0 = rows[0];
  for (int64_t x = 0; x < n; ++x) acc[x] = r0[x];
  for (int64_t i = 1; i < taps; ++i) {
    const int32_t* __restrict r = rows[i];
    for (int64_t x = 0; x < n; ++x) acc[x] += r[x];
  }
}

// The window moved down one row: acc += the row that entered - the row that left (exact modulo
// 2^16, and the true sums fit), then the fixed-point division of col_div_u16.
OJO_CLONES void col_slide_div_u16(uint16_t* __restrict acc, const uint16_t* __restrict enter, const uint16_t* __restrict leave,
                                  uint32_t ds, uint32_t dd, uint8_t* __restrict out, int64_t n) {
  for (int64_t x = 0; x < n; ++x) {
    const uint16_t a = static_cast<uint16_t>(acc[x] + enter[x] - leave[x]);
    acc[x] = a;
    out[x] = static_cast<uint8_t>(((a + dd) * ds) >> 23);
  }
}

// Writes sum -> output with OpenCV's rounding for each output dtype (see the file comment).
void finish_sums(const int32_t* acc, int64_t n, bool normalize, double scale, const Tensor& dst, int64_t y) {
  const int64_t simd_end = n / 8 * 8;
  const float fscale = static_cast<float>(scale);
  switch (dst.dtype()) {
    case DType::u8: {
      uint8_t* o = dst.data<uint8_t>() + y * n;
      if (!normalize) {
        for (int64_t x = 0; x < n; ++x) o[x] = saturate_cast<uint8_t>(acc[x]);
      } else {
        for (int64_t x = 0; x < simd_end; ++x) o[x] = saturate_cast<uint8_t>(static_cast<float>(acc[x]) * fscale);
        for (int64_t x = simd_end; x < n; ++x) o[x] = saturate_cast<uint8_t>(acc[x] * scale);
      }
      break;
    }
    case DType::i16: {
      int16_t* o = dst.data<int16_t>() + y * n;
      if (!normalize) {
        for (int64_t x = 0; x < n; ++x) o[x] = saturate_cast<int16_t>(acc[x]);
      } else {
        for (int64_t x = 0; x < simd_end; ++x) o[x] = saturate_cast<int16_t>(static_cast<float>(acc[x]) * fscale);
        for (int64_t x = simd_end; x < n; ++x) o[x] = saturate_cast<int16_t>(acc[x] * scale);
      }
      break;
    }
    case DType::f32: {
      float* o = dst.data<float>() + y * n;
      for (int64_t x = 0; x < n; ++x) o[x] = normalize ? static_cast<float>(acc[x] * scale) : static_cast<float>(acc[x]);
      break;
    }
    case DType::f64: {
      double* o = dst.data<double>() + y * n;
      for (int64_t x = 0; x < n; ++x) o[x] = normalize ? acc[x] * scale : acc[x];
      break;
    }
    default: fail("boxFilter", "unsupported output dtype ", dtype_name(dst.dtype()));
  }
}

void box_u8(const Tensor& in, Tensor& dst, int64_t H, int64_t W, int64_t C, const BoxPlan& p, bool normalize) {
  const int64_t n = W * C, area = p.kw * p.kh;
  const double scale = normalize ? 1.0 / static_cast<double>(area) : 1.0;
  const std::vector<int64_t> xmap = border_map(W, p.ax, p.kw - 1 - p.ax, p.border);
  const uint8_t* base = in.data<uint8_t>();
  auto padded = [&](int64_t sy) -> const uint8_t* {
    thread_local std::vector<uint8_t> pad;
    pad.resize(static_cast<size_t>((W + p.kw - 1) * C));
    if (sy < 0) std::fill(pad.begin(), pad.end(), uint8_t(0));
    else pad_row(base + sy * n, W, C, xmap, p.ax, pad.data());
    return pad.data();
  };
  if (dst.dtype() == DType::u8 && normalize && area <= 256 && area > 1) {
    uint32_t ds, dd;
    div_constants(area, ds, dd);
    // Vertical running sums: the ring holds one row more than the window (rows[0] is the row that
    // just left it), so each output row costs one add and one subtract per value whatever kh is.
    stream_rows<uint16_t>(
        H, n, p.kh + 1, p.ay + 1, p.border, [&](int64_t sy, uint16_t* row) { sum_row_u16(padded(sy), row, n, p.kw, C); },
        [&](int64_t y, const uint16_t* const* rows, bool first) {
          thread_local std::vector<uint16_t> acc;
          uint8_t* out = dst.data<uint8_t>() + y * n;
          if (first) {
            acc.resize(static_cast<size_t>(n));
            col_div_u16(rows + 1, p.kh, ds, dd, acc.data(), out, n);
          } else {
            col_slide_div_u16(acc.data(), rows[p.kh], rows[0], ds, dd, out, n);
          }
        });
    return;
  }
  stream_rows<int32_t>(
      H, n, p.kh, p.ay, p.border, [&](int64_t sy, int32_t* row) { sum_row_i32(padded(sy), row, n, p.kw, C); },
      [&](int64_t y, const int32_t* const* rows) {
        thread_local std::vector<int32_t> acc;
        acc.resize(static_cast<size_t>(n));
        col_sum_i32(rows, p.kh, acc.data(), n);
        finish_sums(acc.data(), n, normalize && area > 1, scale, dst, y);
      });
}

// Non-uint8 sources: double sums, then * scale into the output dtype.
Tensor box_generic(const Tensor& in, const BoxPlan& p, int64_t H, int64_t W, int64_t C, bool normalize) {
  Tensor sums = Tensor::empty(in.shape(), DType::f64);
  sep_filter_float(in, sums, H, W, C, std::vector<double>(p.kw, 1.0), std::vector<double>(p.kh, 1.0), p.ax, p.ay, 0,
                   p.border, true);
  const double scale = normalize ? 1.0 / static_cast<double>(p.kw * p.kh) : 1.0;
  Tensor dst = Tensor::empty(in.shape(), p.out);
  const double* s = sums.data<double>();
  visit_dtype(p.out, [&](auto tag) {
    using D = decltype(tag);
    if constexpr (!std::is_same_v<D, bool>) {
      D* o = dst.data<D>();
      for (int64_t i = 0; i < sums.numel(); ++i) o[i] = saturate_cast<D>(s[i] * scale);
    }
  });
  return dst;
}

}  // namespace

Tensor boxFilter(const Tensor& src, int ddepth, Size ksize, Point anchor, bool normalize, int borderType) {
  const char* op = "boxFilter";
  const BoxPlan p = plan_box(src, ddepth, ksize, anchor, normalize, borderType, op);
  int64_t H, W, C;
  const Tensor in = image_rows(src, op, H, W, C);
  if (in.dtype() != DType::u8) return box_generic(in, p, H, W, C, normalize);
  Tensor dst = Tensor::empty(in.shape(), p.out);
  box_u8(in, dst, H, W, C, p, normalize);
  return dst;
}

Tensor blur(const Tensor& src, Size ksize, Point anchor, int borderType) {
  return boxFilter(src, -1, ksize, anchor, true, borderType);
}

namespace ref {

Tensor boxFilter(const Tensor& src, int ddepth, Size ksize, Point anchor, bool normalize, int borderType) {
  const char* op = "boxFilter";
  const BoxPlan p = plan_box(src, ddepth, ksize, anchor, normalize, borderType, op);
  int64_t H, W, C;
  const Tensor in = image_rows(src, op, H, W, C);
  if (in.dtype() != DType::u8) return box_generic(in, p, H, W, C, normalize);
  const int64_t n = W * C, area = p.kw * p.kh;
  const uint8_t* s = in.data<uint8_t>();
  Tensor dst = Tensor::empty(in.shape(), p.out);
  std::vector<int32_t> row(static_cast<size_t>(n));
  for (int64_t y = 0; y < H; ++y) {
    for (int64_t x = 0; x < W; ++x)
      for (int64_t c = 0; c < C; ++c) {
        int32_t sum = 0;
        for (int64_t i = 0; i < p.kh; ++i) {
          const int64_t sy = borderInterpolate(y + i - p.ay, H, p.border);
          for (int64_t j = 0; j < p.kw && sy >= 0; ++j) {
            const int64_t sx = borderInterpolate(x + j - p.ax, W, p.border);
            if (sx >= 0) sum += s[(sy * W + sx) * C + c];
          }
        }
        row[x * C + c] = sum;
      }
    if (p.out == DType::u8 && normalize && area <= 256 && area > 1) {
      uint32_t ds, dd;
      div_constants(area, ds, dd);
      uint8_t* o = dst.data<uint8_t>() + y * n;
      for (int64_t i = 0; i < n; ++i) o[i] = static_cast<uint8_t>(((row[i] + dd) * ds) >> 23);
    } else {
      finish_sums(row.data(), n, normalize && area > 1, normalize ? 1.0 / static_cast<double>(area) : 1.0, dst, y);
    }
  }
  return dst;
}

}  // namespace ref
}  // namespace ojo
