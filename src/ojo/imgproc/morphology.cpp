// Erosion, dilation, morphologyEx and structuring elements (see include/ojo/imgproc/morphology.hpp).
//
// Both paths first turn (kernel, anchor, iterations) into a Plan the way OpenCV's morphOp does
// (rectangles with iterations become one bigger rectangle), then:
//   ref::  pads every pixel through borderInterpolate and takes the min/max over the element's points;
//   fast:  a full rectangle goes separably, vertical pass first (rect_pass, below). Any other
//          element: splits every kernel row into runs of consecutive nonzero entries. For each
//          padded source row it computes, once per distinct run length L, the running min/max over L columns
//          (directly for L <= 8, else with doubling windows: log2(L) passes; the few edge columns
//          whose window crosses the border are computed one by one). An output row is then the
//          min/max of one such row per run, shifted by the run's start; a one-column run in the
//          anchor's column reads the source row itself. A 5x5 ellipse (runs 1,5,5,5,1) costs
//          one 5-wide pass and one 5-input pass per row. Rows are split across threads; each
//          thread keeps a ring of kh rows.
#include "ojo/imgproc/morphology.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>

#include "ojo/core/parallel.hpp"
#include "ojo/core/saturate.hpp"

// The hot loops are compiled twice, for AVX2 and for the baseline, and picked at run time (GCC's
// target_clones, an ifunc); the results are identical, only the vector width differs.
#define OJO_SIMD_CLONES __attribute__((target_clones("avx2", "default")))

namespace ojo {

namespace {

struct Run {
  int64_t ky, x0, len;  // kernel row, first column, number of columns
};

// What one erode/dilate call does, after OpenCV's kernel/iteration rewriting.
struct Plan {
  bool copy = false;     // iterations == 0 or a 1x1 kernel: the result is the input
  int64_t kh = 3, kw = 3, ax = 1, ay = 1;
  int iterations = 1;
  bool rect = false;      // every entry of the kh x kw element is nonzero
  std::vector<Run> runs;  // nonzero entries, row by row
};

Plan make_plan(const Tensor& kernel, Point anchor, int iterations, const char* op) {
  check(iterations >= 0, op, "iterations must be >= 0, got ", iterations);
  Plan p;
  std::vector<uint8_t> mask;  // kh*kw, 1 = part of the element
  if (kernel.defined()) {
    check(kernel.dim() == 2, op, "kernel must be 2-d {kh, kw}, got shape ", shape_str(kernel.shape()));
    check(kernel.numel() > 0, op, "kernel is empty (shape ", shape_str(kernel.shape()), ")");
    p.kh = kernel.size(0);
    p.kw = kernel.size(1);
    const Tensor k = kernel.to(DType::f64).contiguous();
    const double* kv = k.data<double>();
    mask.resize(static_cast<size_t>(p.kh * p.kw));
    for (size_t i = 0; i < mask.size(); ++i) mask[i] = kv[i] != 0;
  }
  p.ax = anchor.x == -1 ? p.kw / 2 : anchor.x;
  p.ay = anchor.y == -1 ? p.kh / 2 : anchor.y;
  check(p.ax >= 0 && p.ax < p.kw && p.ay >= 0 && p.ay < p.kh, op, "anchor (", anchor.x, ", ", anchor.y,
        ") is outside the ", p.kw, "x", p.kh, " kernel");
  if (iterations == 0 || p.kh * p.kw == 1) {
    p.copy = true;
    return p;
  }
  const bool full = !kernel.defined() || std::all_of(mask.begin(), mask.end(), [](uint8_t m) { return m != 0; });
  if (!kernel.defined()) {  // OpenCV: a (2n+1)^2 rectangle, anchored at its centre, one pass
    p.kh = p.kw = 1 + 2 * static_cast<int64_t>(iterations);
    p.ax = p.ay = iterations;
    p.iterations = 1;
  } else if (iterations > 1 && full) {  // OpenCV: rectangles grow instead of iterating
    p.ax *= iterations;
    p.ay *= iterations;
    p.kw += (iterations - 1) * (p.kw - 1);
    p.kh += (iterations - 1) * (p.kh - 1);
    p.iterations = 1;
  } else {
    p.iterations = iterations;
  }
  p.rect = full;
  if (full) {
    for (int64_t i = 0; i < p.kh; ++i) p.runs.push_back({i, 0, p.kw});
  } else {
    for (int64_t i = 0; i < p.kh; ++i)
      for (int64_t j = 0; j < p.kw;) {
        if (!mask[i * p.kw + j]) {
          ++j;
          continue;
        }
        int64_t e = j;
        while (e < p.kw && mask[i * p.kw + e]) ++e;
        p.runs.push_back({i, j, e - j});
        j = e;
      }
  }
  check(!p.runs.empty(), op, "kernel has no nonzero entry (shape ", shape_str(kernel.shape()), ")");
  return p;
}

bool is_default_border_value(const std::vector<double>& v) {
  return v.size() == 4 && std::all_of(v.begin(), v.end(), [](double x) { return x == DBL_MAX; });
}

// The border colour per channel, as OpenCV's createMorphologyFilter picks it.
template <class T>
std::vector<T> border_colour(bool is_max, const std::vector<double>& value, int64_t channels) {
  std::vector<T> out(static_cast<size_t>(channels));
  for (int64_t c = 0; c < channels; ++c) {
    if (is_default_border_value(value)) {
      if constexpr (std::is_floating_point_v<T>)
        out[c] = is_max ? std::numeric_limits<T>::lowest() : std::numeric_limits<T>::max();
      else
        out[c] = is_max ? std::numeric_limits<T>::min() : std::numeric_limits<T>::max();
    } else {
      out[c] = saturate_cast<T>(c < static_cast<int64_t>(value.size()) ? value[c] : 0.0);
    }
  }
  return out;
}

void check_border(int border, const char* op) {
  const int kind = border & ~BORDER_ISOLATED;
  check(kind != BORDER_WRAP, op, "BORDER_WRAP is not supported (OpenCV rejects it too)");
  check(kind == BORDER_CONSTANT || kind == BORDER_REPLICATE || kind == BORDER_REFLECT || kind == BORDER_REFLECT_101,
        op, "unknown border type ", border,
        " (expected BORDER_CONSTANT, BORDER_REPLICATE, BORDER_REFLECT or BORDER_REFLECT_101)");
}

void check_dtype(const Tensor& src, const char* op) {
  const DType t = src.dtype();
  check(t == DType::u8 || t == DType::u16 || t == DType::i16 || t == DType::f32 || t == DType::f64, op,
        "unsupported dtype ", dtype_name(t), " (expected u8, u16, i16, f32 or f64)");
}

template <class T, bool Max>
inline T pick(T a, T b) {
  if constexpr (Max) return std::max(a, b);
  else return std::min(a, b);
}

// dst[i] = min/max over k < N of s[k][i] (+ dst[i] itself when Fold), i < n: one auto-vectorised pass.
template <class T, bool Max, int N, bool Fold>
OJO_SIMD_CLONES void combine_n(T* __restrict dst, const T* const* srcs, int64_t n) {
  const T* s[N];
  for (int k = 0; k < N; ++k) s[k] = srcs[k];
  for (int64_t i = 0; i < n; ++i) {
    T m = s[0][i];
    for (int k = 1; k < N; ++k) m = pick<T, Max>(m, s[k][i]);
    dst[i] = Fold ? pick<T, Max>(dst[i], m) : m;
  }
}

template <class T, bool Max, bool Fold>
void combine_upto8(T* dst, const T* const* srcs, size_t ns, int64_t n) {
  switch (ns) {
    case 1:
      if constexpr (Fold) combine_n<T, Max, 1, true>(dst, srcs, n);
      else std::memcpy(dst, srcs[0], n * sizeof(T));
      break;
    case 2: combine_n<T, Max, 2, Fold>(dst, srcs, n); break;
    case 3: combine_n<T, Max, 3, Fold>(dst, srcs, n); break;
    case 4: combine_n<T, Max, 4, Fold>(dst, srcs, n); break;
    case 5: combine_n<T, Max, 5, Fold>(dst, srcs, n); break;
    case 6: combine_n<T, Max, 6, Fold>(dst, srcs, n); break;
    case 7: combine_n<T, Max, 7, Fold>(dst, srcs, n); break;
    default: combine_n<T, Max, 8, Fold>(dst, srcs, n); break;
  }
}

// dst[i] = min/max over k of srcs[k][i], i < n: eight inputs per pass.
template <class T, bool Max>
void combine(T* dst, const T* const* srcs, size_t ns, int64_t n) {
  combine_upto8<T, Max, false>(dst, srcs, std::min<size_t>(ns, 8), n);
  for (size_t k = 8; k < ns; k += 8) combine_upto8<T, Max, true>(dst, srcs + k, std::min<size_t>(ns - k, 8), n);
}

// Two output rows of a rectangle: rows[1..M] are shared, d0 adds rows[0], d1 adds rows[M+1].
template <class T, bool Max, int M>
OJO_SIMD_CLONES void pair_rows_n(T* __restrict d0, T* __restrict d1, const T* const* rows, int64_t n) {
  const T* r[M + 2];
  for (int k = 0; k < M + 2; ++k) r[k] = rows[k];
  for (int64_t i = 0; i < n; ++i) {
    T m = r[1][i];
    for (int k = 2; k <= M; ++k) m = pick<T, Max>(m, r[k][i]);
    d0[i] = pick<T, Max>(m, r[0][i]);
    d1[i] = pick<T, Max>(m, r[M + 1][i]);
  }
}

template <class T, bool Max>
void pair_rows(T* d0, T* d1, const T* const* rows, int64_t m, int64_t n) {
  switch (m) {
    case 1: pair_rows_n<T, Max, 1>(d0, d1, rows, n); break;
    case 2: pair_rows_n<T, Max, 2>(d0, d1, rows, n); break;
    case 3: pair_rows_n<T, Max, 3>(d0, d1, rows, n); break;
    case 4: pair_rows_n<T, Max, 4>(d0, d1, rows, n); break;
    case 5: pair_rows_n<T, Max, 5>(d0, d1, rows, n); break;
    case 6: pair_rows_n<T, Max, 6>(d0, d1, rows, n); break;
    default: pair_rows_n<T, Max, 7>(d0, d1, rows, n); break;
  }
}

// out[i] = min/max(a[i], b[i]), i < n.
template <class T, bool Max>
OJO_SIMD_CLONES void pair_pass(T* __restrict out, const T* a, const T* b, int64_t n) {
  for (int64_t i = 0; i < n; ++i) out[i] = pick<T, Max>(a[i], b[i]);
}

// out[i] = min/max of in[i + k*step] for k < len, for i < n. `tmp` holds 2 * (n + (len-1)*step).
template <class T, bool Max>
void running(T* out, const T* in, int64_t len, int64_t step, int64_t n, T* tmp) {
  if (n <= 0) return;
  if (len <= 8) {
    const T* srcs[8];
    for (int64_t k = 0; k < len; ++k) srcs[k] = in + k * step;
    combine<T, Max>(out, srcs, static_cast<size_t>(len), n);
    return;
  }
  // Doubling windows: after each pass `cur` holds the min over `w` columns; min is idempotent, so
  // two overlapping windows of width w cover any length in [w, 2w].
  const int64_t total = n + (len - 1) * step;
  const T* cur = in;
  T* buf[2] = {tmp, tmp + total};
  int64_t w = 1;
  for (int b = 0; 2 * w <= len; b ^= 1) {
    const int64_t m = total - (2 * w - 1) * step;
    T* next = buf[b];
    pair_pass<T, Max>(next, cur, cur + w * step, m);
    cur = next;
    w *= 2;
  }
  pair_pass<T, Max>(out, cur, cur + (len - w) * step, n);
}

// out[j*C + c] = min/max over k < L of padded column j + k, for j in [j0, j1): the few columns
// whose window crosses the image edge. colsrc[j] is padded column j's source column (negative:
// the border colour). Scalar and direct, since a padded copy plus a vector pass cost more here.
template <class T, bool Max>
void edge_running(T* out, const T* row, const int64_t* colsrc, const T* colour, int64_t C, int64_t L,
                  int64_t j0, int64_t j1) {
  for (int64_t j = j0; j < j1; ++j)
    for (int64_t c = 0; c < C; ++c) {
      T m = colsrc[j] < 0 ? colour[c] : row[colsrc[j] * C + c];
      for (int64_t k = 1; k < L; ++k) m = pick<T, Max>(m, colsrc[j + k] < 0 ? colour[c] : row[colsrc[j + k] * C + c]);
      out[j * C + c] = m;
    }
}

// One pass of a full kh x kw rectangle over a contiguous {H, W, C} image, separably and
// vertical pass first: the min/max over kh source rows (read in place; two output rows share
// kh - 1 of them) goes into a row with ax columns of room on the left and kw - 1 - ax on the
// right. The border columns of that row are then copies of its own pixels (the vertical min/max
// of a border column is the border rule applied to the vertical min/max row) or the colour, so
// the horizontal pass is one vector pass over the whole padded row, with no edge cases.
template <class T, bool Max>
void rect_pass(const T* src, T* dst, int64_t H, int64_t W, int64_t C, const Plan& p, int border,
               const std::vector<T>& colour) {
  const int64_t wp = W + p.kw - 1, n = W * C, kh = p.kh;
  std::vector<int64_t> colsrc(wp);  // only the border columns' entries are used
  for (int64_t j = 0; j < p.ax; ++j) colsrc[j] = borderInterpolate(j - p.ax, W, border);
  for (int64_t j = p.ax + W; j < wp; ++j) colsrc[j] = borderInterpolate(j - p.ax, W, border);
  std::vector<T> colour_row(border == BORDER_CONSTANT ? n : 0);
  for (size_t i = 0; i < colour_row.size(); ++i) colour_row[i] = colour[i % C];
  auto src_row = [&](int64_t r) {  // source row r, or the colour row outside the image
    const int64_t sy = r >= 0 && r < H ? r : borderInterpolate(r, H, border);
    return sy < 0 ? colour_row.data() : src + sy * n;
  };
  // The border columns of a vertical row v (interior at v + ax*C) from its interior or the colour.
  auto pad = [&](T* v) {
    auto fill = [&](int64_t j0, int64_t j1) {
      for (int64_t j = j0; j < j1; ++j) {
        const T* px = colsrc[j] < 0 ? colour.data() : v + (p.ax + colsrc[j]) * C;
        for (int64_t c = 0; c < C; ++c) v[j * C + c] = px[c];
      }
    };
    fill(0, p.ax);
    fill(p.ax + W, wp);
  };
  const bool pairs = kh >= 2 && kh <= 8;
  parallel_for(0, H, std::max<int64_t>(16, 2 * kh), [&](int64_t y0, int64_t y1) {
    std::vector<T> v0(wp * C), v1(wp * C), tmp(2 * wp * C);
    std::vector<const T*> rows(kh + 1);
    for (int64_t y = y0; y < y1;) {
      const int64_t count = pairs && y + 1 < y1 ? 2 : 1;
      for (int64_t i = 0; i < kh + count - 1; ++i) rows[i] = src_row(y - p.ay + i);
      if (count == 2) pair_rows<T, Max>(v0.data() + p.ax * C, v1.data() + p.ax * C, rows.data(), kh - 1, n);
      else combine<T, Max>(v0.data() + p.ax * C, rows.data(), kh, n);
      pad(v0.data());
      running<T, Max>(dst + y * n, v0.data(), p.kw, C, n, tmp.data());
      if (count == 2) {
        pad(v1.data());
        running<T, Max>(dst + (y + 1) * n, v1.data(), p.kw, C, n, tmp.data());
      }
      y += count;
    }
  });
}

// One pass of the plan's element over a contiguous {H, W, C} image.
template <class T, bool Max>
void morph_pass(const T* src, T* dst, int64_t H, int64_t W, int64_t C, const Plan& p, int border,
                const std::vector<T>& colour) {
  // Padded row P (wp columns): P[j] = row[j - ax] inside, else the border rule's column or colour.
  const int64_t wp = W + p.kw - 1, rowlen = wp * C, n = W * C;
  std::vector<int64_t> colsrc(wp);
  for (int64_t j = 0; j < wp; ++j) colsrc[j] = borderInterpolate(j - p.ax, W, border);
  // A one-column run in the anchor's column reads the source row itself (x + x0 - ax == x): it
  // needs no padded copy (the centre column of an ellipse or a cross).
  auto direct = [&](const Run& r) { return r.len == 1 && r.x0 == p.ax; };
  std::vector<int64_t> lengths;
  for (const Run& r : p.runs)
    if (!direct(r) && std::find(lengths.begin(), lengths.end(), r.len) == lengths.end()) lengths.push_back(r.len);
  std::vector<size_t> run_len_index;
  for (const Run& r : p.runs)
    run_len_index.push_back(std::find(lengths.begin(), lengths.end(), r.len) - lengths.begin());
  // Rows above/below a BORDER_CONSTANT image are all colour: copied whole, not pixel by pixel.
  std::vector<T> colour_row(rowlen);
  for (int64_t j = 0; j < wp; ++j) std::copy(colour.begin(), colour.end(), colour_row.begin() + j * C);
  auto src_row = [&](int64_t r) {  // source row r, or the colour row outside the image
    const int64_t sy = r >= 0 && r < H ? r : borderInterpolate(r, H, border);
    return sy < 0 ? colour_row.data() : src + sy * n;
  };
  const int64_t grain = std::max<int64_t>(16, 2 * p.kh);
  const int64_t slots = p.kh;  // ring rows

  parallel_for(0, H, grain, [&](int64_t y0, int64_t y1) {
    std::vector<T> tmp(2 * rowlen);
    std::vector<std::vector<T>> ring(lengths.size(), std::vector<T>(slots * rowlen));
    std::vector<const T*> ptrs(p.runs.size());
    // Source rows are loaded in order from y0 - ay; row r sits in ring slot (r - (y0 - ay)) % slots,
    // tracked without a division: `next` is the next row to load, `next_slot` its slot.
    int64_t next = y0 - p.ay, next_slot = 0;
    auto load = [&](int64_t r) {  // padded source row r -> its running rows in the ring
      const int64_t sy = r >= 0 && r < H ? r : borderInterpolate(r, H, border);
      for (size_t li = 0; li < lengths.size(); ++li) {
        const int64_t L = lengths[li], nh = wp - L + 1;  // running outputs per channel
        T* out = ring[li].data() + next_slot * rowlen;
        if (sy < 0) {
          std::memcpy(out, colour_row.data(), nh * C * sizeof(T));
          continue;
        }
        const T* row = src + sy * n;
        // [0, a1): reads the left border; [a1, b1): inside the row; [b1, nh): reads the right border.
        const int64_t a1 = std::min(p.ax, nh), b1 = std::max(a1, std::min(nh, p.ax + W - L + 1));
        edge_running<T, Max>(out, row, colsrc.data(), colour.data(), C, L, 0, a1);
        running<T, Max>(out + a1 * C, row + (a1 - p.ax) * C, L, C, (b1 - a1) * C, tmp.data());
        edge_running<T, Max>(out, row, colsrc.data(), colour.data(), C, L, b1, nh);
      }
    };
    auto need = [&](int64_t r) {
      for (; next <= r; ++next) {
        load(next);
        next_slot = next_slot + 1 == slots ? 0 : next_slot + 1;
      }
    };
    auto row_ptr = [&](size_t li, int64_t r) {  // r is one of the last `slots` rows loaded
      const int64_t slot = next_slot - (next - r);
      return ring[li].data() + (slot < 0 ? slot + slots : slot) * rowlen;
    };
    for (int64_t y = y0; y < y1; ++y) {
      need(y - p.ay + p.kh - 1);
      for (size_t k = 0; k < p.runs.size(); ++k) {
        const Run& run = p.runs[k];
        const int64_t r = y - p.ay + run.ky;
        ptrs[k] = direct(run) ? src_row(r) : row_ptr(run_len_index[k], r) + run.x0 * C;
      }
      combine<T, Max>(dst + y * n, ptrs.data(), ptrs.size(), n);
    }
  });
}

Tensor image_shape_3d(const Tensor& t) { return t.dim() == 2 ? t.unsqueeze(2) : t; }

Tensor morph(const Tensor& src, bool is_max, const Tensor& kernel, Point anchor, int iterations, int border,
             const std::vector<double>& value, const char* op) {
  const int64_t channels = check_image(src, op);
  check_dtype(src, op);
  check_border(border, op);
  border &= ~BORDER_ISOLATED;
  const Plan p = make_plan(kernel, anchor, iterations, op);
  if (p.copy) return src.clone();
  const int64_t H = src.size(0), W = src.size(1);
  Tensor cur = src.contiguous();
  return visit_dtype(src.dtype(), [&](auto tag) -> Tensor {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, uint8_t> || std::is_same_v<T, uint16_t> || std::is_same_v<T, int16_t> ||
                  std::is_same_v<T, float> || std::is_same_v<T, double>) {
      const std::vector<T> colour = border_colour<T>(is_max, value, channels);
      for (int it = 0; it < p.iterations; ++it) {
        Tensor out = Tensor::empty(src.shape(), src.dtype());
        T *in = cur.data<T>(), *o = out.data<T>();
        if (p.rect) {
          if (is_max) rect_pass<T, true>(in, o, H, W, channels, p, border, colour);
          else rect_pass<T, false>(in, o, H, W, channels, p, border, colour);
        } else {
          if (is_max) morph_pass<T, true>(in, o, H, W, channels, p, border, colour);
          else morph_pass<T, false>(in, o, H, W, channels, p, border, colour);
        }
        cur = out;
      }
      return cur;
    } else {
      fail(op, "unsupported dtype");
    }
  });
}

// Reference: every output pixel is the min/max over the element's points, each read through
// borderInterpolate (or the border colour).
Tensor morph_ref(const Tensor& src, bool is_max, const Tensor& kernel, Point anchor, int iterations, int border,
                 const std::vector<double>& value, const char* op) {
  const int64_t channels = check_image(src, op);
  check_dtype(src, op);
  check_border(border, op);
  border &= ~BORDER_ISOLATED;
  const Plan p = make_plan(kernel, anchor, iterations, op);
  if (p.copy) return src.clone();
  const int64_t H = src.size(0), W = src.size(1);
  Tensor cur = image_shape_3d(src.contiguous());
  return visit_dtype(src.dtype(), [&](auto tag) -> Tensor {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, uint8_t> || std::is_same_v<T, uint16_t> || std::is_same_v<T, int16_t> ||
                  std::is_same_v<T, float> || std::is_same_v<T, double>) {
      const std::vector<T> colour = border_colour<T>(is_max, value, channels);
      for (int it = 0; it < p.iterations; ++it) {
        Tensor out = Tensor::empty({H, W, channels}, src.dtype());
        const T* s = cur.data<T>();
        T* d = out.data<T>();
        for (int64_t y = 0; y < H; ++y)
          for (int64_t x = 0; x < W; ++x)
            for (int64_t c = 0; c < channels; ++c) {
              bool first = true;
              T best{};
              for (const Run& run : p.runs)
                for (int64_t j = run.x0; j < run.x0 + run.len; ++j) {
                  const int64_t sy = borderInterpolate(y + run.ky - p.ay, H, border);
                  const int64_t sx = borderInterpolate(x + j - p.ax, W, border);
                  const T v = sy < 0 || sx < 0 ? colour[c] : s[(sy * W + sx) * channels + c];
                  best = first ? v : (is_max ? std::max(best, v) : std::min(best, v));
                  first = false;
                }
              d[(y * W + x) * channels + c] = best;
            }
        cur = out;
      }
      return cur.reshape(src.shape());
    } else {
      fail(op, "unsupported dtype");
    }
  });
}

// out[i] = saturate(a[i] - b[i]) for i in [i0, i1); u8 as a > b ? a - b : 0, which vectorises
// (psubusb). `out` may be a or b: element i only reads element i.
template <class T>
OJO_SIMD_CLONES void subtract_span(const T* pa, const T* pb, T* po, int64_t i0, int64_t i1) {
  if constexpr (std::is_floating_point_v<T>) {
    for (int64_t i = i0; i < i1; ++i) po[i] = pa[i] - pb[i];
  } else if constexpr (std::is_same_v<T, uint8_t>) {
    for (int64_t i = i0; i < i1; ++i) po[i] = static_cast<uint8_t>(pa[i] > pb[i] ? pa[i] - pb[i] : 0);
  } else {
    for (int64_t i = i0; i < i1; ++i) po[i] = saturate_cast<T>(static_cast<int32_t>(pa[i]) - static_cast<int32_t>(pb[i]));
  }
}

// Saturating a - b, element-wise, same shape and dtype (OpenCV's Mat subtraction), written into
// `out`: a new contiguous tensor of that shape which may be a or b itself (one of the morphology
// results, so no extra allocation; element i only reads element i).
Tensor subtract_sat(const Tensor& a, const Tensor& b, Tensor out) {
  const Tensor ca = a.contiguous(), cb = b.contiguous();
  visit_dtype(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (!std::is_same_v<T, bool>) {
      const T *pa = ca.data<T>(), *pb = cb.data<T>();
      T* po = out.data<T>();
      parallel_for(0, a.numel(), 1 << 16, [pa, pb, po](int64_t i0, int64_t i1) { subtract_span<T>(pa, pb, po, i0, i1); });
    }
  });
  return out;
}

}  // namespace

std::vector<double> morphologyDefaultBorderValue() { return {DBL_MAX, DBL_MAX, DBL_MAX, DBL_MAX}; }

Tensor getStructuringElement(int shape, Size ksize, Point anchor) {
  const char* op = "getStructuringElement";
  check(shape == MORPH_RECT || shape == MORPH_CROSS || shape == MORPH_ELLIPSE, op, "unknown shape ", shape,
        " (expected MORPH_RECT, MORPH_CROSS or MORPH_ELLIPSE)");
  check(ksize.width >= 1 && ksize.height >= 1, op, "ksize must be at least 1x1, got ", ksize.width, "x",
        ksize.height);
  const int64_t ax = anchor.x == -1 ? ksize.width / 2 : anchor.x;
  const int64_t ay = anchor.y == -1 ? ksize.height / 2 : anchor.y;
  check(ax >= 0 && ax < ksize.width && ay >= 0 && ay < ksize.height, op, "anchor (", anchor.x, ", ", anchor.y,
        ") is outside the ", ksize.width, "x", ksize.height, " element");
  if (ksize.width == 1 && ksize.height == 1) shape = MORPH_RECT;
  const int64_t r = ksize.height / 2, c = ksize.width / 2;
  const double inv_r2 = r ? 1.0 / (static_cast<double>(r) * r) : 0;
  Tensor elem = zeros({ksize.height, ksize.width}, DType::u8);
  uint8_t* e = elem.data<uint8_t>();
  for (int64_t i = 0; i < ksize.height; ++i) {
    int64_t j1 = 0, j2 = 0;
    if (shape == MORPH_RECT || (shape == MORPH_CROSS && i == ay)) {
      j2 = ksize.width;
    } else if (shape == MORPH_CROSS) {
      j1 = ax;
      j2 = ax + 1;
    } else {
      const int64_t dy = i - r;
      if (std::abs(dy) <= r) {  // OpenCV's rasterisation: half-width rounded half to even
        const int64_t dx = saturate_cast<int>(static_cast<double>(c) * std::sqrt(static_cast<double>(r * r - dy * dy) * inv_r2));
        j1 = std::max<int64_t>(c - dx, 0);
        j2 = std::min<int64_t>(c + dx + 1, ksize.width);
      }
    }
    for (int64_t j = j1; j < j2; ++j) e[i * ksize.width + j] = 1;
  }
  return elem;
}

Tensor erode(const Tensor& src, const Tensor& kernel, Point anchor, int iterations, int borderType,
             const std::vector<double>& borderValue) {
  return morph(src, false, kernel, anchor, iterations, borderType, borderValue, "erode");
}

Tensor dilate(const Tensor& src, const Tensor& kernel, Point anchor, int iterations, int borderType,
              const std::vector<double>& borderValue) {
  return morph(src, true, kernel, anchor, iterations, borderType, borderValue, "dilate");
}

namespace ref {
Tensor erode(const Tensor& src, const Tensor& kernel, Point anchor, int iterations, int borderType,
             const std::vector<double>& borderValue) {
  return morph_ref(src, false, kernel, anchor, iterations, borderType, borderValue, "erode");
}
Tensor dilate(const Tensor& src, const Tensor& kernel, Point anchor, int iterations, int borderType,
              const std::vector<double>& borderValue) {
  return morph_ref(src, true, kernel, anchor, iterations, borderType, borderValue, "dilate");
}
}  // namespace ref

Tensor morphologyEx(const Tensor& src, int op, const Tensor& kernel_in, Point anchor, int iterations,
                    int borderType, const std::vector<double>& borderValue) {
  const char* name = "morphologyEx";
  check_image(src, name);
  check(op >= MORPH_ERODE && op <= MORPH_HITMISS, name, "unknown operation ", op,
        " (expected MORPH_ERODE, MORPH_DILATE, MORPH_OPEN, MORPH_CLOSE, MORPH_GRADIENT, MORPH_TOPHAT, "
        "MORPH_BLACKHAT or MORPH_HITMISS)");
  // OpenCV: an empty kernel is an explicit 3x3 rectangle here (so iterations enlarge it).
  const Tensor kernel = kernel_in.defined() ? kernel_in : ones({3, 3}, DType::u8);
  auto E = [&](const Tensor& s, const Tensor& k) { return erode(s, k, anchor, iterations, borderType, borderValue); };
  auto D = [&](const Tensor& s) { return dilate(s, kernel, anchor, iterations, borderType, borderValue); };
  switch (op) {
    case MORPH_ERODE: return E(src, kernel);
    case MORPH_DILATE: return D(src);
    case MORPH_OPEN: return D(E(src, kernel));
    case MORPH_CLOSE: return E(D(src), kernel);
    case MORPH_GRADIENT: {
      Tensor d = D(src);
      return subtract_sat(d, E(src, kernel), d);
    }
    case MORPH_TOPHAT: {
      Tensor o = D(E(src, kernel));
      return subtract_sat(src, o, o);
    }
    case MORPH_BLACKHAT: {
      Tensor c = E(D(src), kernel);
      return subtract_sat(c, src, c);
    }
    default: break;
  }
  // MORPH_HITMISS: erode(src, kernel == 1) & erode(~src, kernel == -1).
  check(src.dtype() == DType::u8 && src.dim() == 2, name, "MORPH_HITMISS needs a u8 {H, W} image, got ",
        dtype_name(src.dtype()), " ", shape_str(src.shape()));
  check(kernel.dim() == 2 && kernel.numel() > 0, name, "kernel must be 2-d {kh, kw}, got shape ",
        shape_str(kernel.shape()));
  const Tensor kv = kernel.to(DType::f64).contiguous();
  Tensor hit = zeros(kernel.shape(), DType::u8), miss = zeros(kernel.shape(), DType::u8);
  int64_t nhit = 0, nmiss = 0, nonzero = 0;
  for (int64_t i = 0; i < kernel.numel(); ++i) {
    const double v = kv.data<double>()[i];
    hit.data<uint8_t>()[i] = v == 1;
    miss.data<uint8_t>()[i] = v == -1;
    nhit += v == 1;
    nmiss += v == -1;
    nonzero += v != 0;
  }
  if (nonzero == 0) return src.clone();
  const Tensor s = src.contiguous();
  Tensor e1 = nhit ? E(s, hit) : full(src.shape(), 255, DType::u8);
  Tensor e2;
  if (nmiss) {
    Tensor inv = Tensor::empty(src.shape(), DType::u8);
    for (int64_t i = 0; i < s.numel(); ++i) inv.data<uint8_t>()[i] = static_cast<uint8_t>(~s.data<uint8_t>()[i]);
    e2 = E(inv, miss);
  } else {
    e2 = full(src.shape(), 255, DType::u8);
  }
  Tensor out = Tensor::empty(src.shape(), DType::u8);
  for (int64_t i = 0; i < out.numel(); ++i)
    out.data<uint8_t>()[i] = e1.data<uint8_t>()[i] & e2.data<uint8_t>()[i];
  return out;
}

}  // namespace ojo
