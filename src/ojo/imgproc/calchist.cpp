// calcHist: OpenCV 4.6's cv::calcHist (dense output), bit-exact.
//
// OpenCV's arithmetic, learned from modules/imgproc/src/histogram.cpp: ranges are floats; the
// uniform bin of a value v is cvFloor(v * a + b) with a = n / (high - low), b = -a * low in double,
// counted only if low <= v < high and then clamped to [0, n-1]; a NaN passes both comparisons and
// floors to INT_MIN, i.e. bin 0. Non-uniform bins compare the value (as float) with the edges.
// u8 images go through per-dimension lookup tables of the same arithmetic (256 entries each).
#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "ojo/core/parallel.hpp"
#include "ojo/core/saturate.hpp"
#include "ojo/imgproc/border.hpp"
#include "ojo/imgproc/histogram.hpp"
#include "pixel_rows.hpp"

namespace ojo {
namespace {

using pixel_detail::PixelRows;
using pixel_detail::pixel_rows;

constexpr const char* kOp = "calcHist";

int cv_floor(double v) {
  const int i = (v > -2147483649.0 && v < 2147483648.0) ? static_cast<int>(v) : INT_MIN;
  return i - (i > v);
}

// Everything calcHist needs once the arguments are checked.
struct Spec {
  int dims = 0;
  std::vector<int> size;          // bins per dimension
  std::vector<int> image;         // which image each dimension reads
  std::vector<int64_t> channel;   // and which of its channels
  std::vector<std::vector<float>> edges;  // uniform: {low, high}; else size+1 edges
  std::vector<double> a, b;       // uniform: bin = floor(v * a + b)
  std::vector<int64_t> stride;    // element offset of one step along each dimension of the result
  bool uniform = true;
  int64_t total = 1;              // number of bins
  Shape shape;                    // of the result
  int64_t H = 0, W = 0;
};

Spec make_spec(const std::vector<Tensor>& images, const std::vector<int>& channels, const Tensor& mask,
               const std::vector<int>& histSize, const std::vector<float>& ranges, bool uniform, bool accumulate,
               const Tensor& hist) {
  Spec s;
  check(!images.empty(), kOp, "no images given");
  const int dims = static_cast<int>(histSize.size());
  check(dims >= 1 && dims <= 3, kOp, "histSize has ", dims, " entries; expected 1 to 3 (one per histogram dimension)");
  s.dims = dims;
  s.uniform = uniform;
  std::vector<int64_t> first_channel;  // global channel number of each image's channel 0
  int64_t nchannels = 0;
  for (size_t i = 0; i < images.size(); ++i) {
    const int64_t c = check_image(images[i], kOp);
    const DType dt = images[i].dtype();
    check(dt == DType::u8 || dt == DType::u16 || dt == DType::f32, kOp, "image ", i, " has dtype ", dtype_name(dt),
          "; expected uint8, uint16 or float32");
    if (i == 0) {
      s.H = images[0].size(0);
      s.W = images[0].size(1);
    } else {
      check(dt == images[0].dtype(), kOp, "image ", i, " has dtype ", dtype_name(dt), " but image 0 has ",
            dtype_name(images[0].dtype()), "; all images must have the same dtype");
      check(images[i].size(0) == s.H && images[i].size(1) == s.W, kOp, "image ", i, " has shape ",
            shape_str(images[i].shape()), " but image 0 has ", shape_str(images[0].shape()),
            "; all images must have the same height and width");
    }
    first_channel.push_back(nchannels);
    nchannels += c;
  }
  if (channels.empty()) {
    check(static_cast<int>(images.size()) == dims, kOp, "channels is empty, so each of the ", dims,
          " histogram dimensions reads channel 0 of its own image, but ", images.size(), " images were given");
    for (int d = 0; d < dims; ++d) {
      check(images[d].dim() == 2 || images[d].size(2) == 1, kOp, "channels is empty, so image ", d,
            " must have one channel, got shape ", shape_str(images[d].shape()));
      s.image.push_back(d);
      s.channel.push_back(0);
    }
  } else {
    check(static_cast<int>(channels.size()) == dims, kOp, "channels has ", channels.size(), " entries but histSize has ",
          dims, "; expected one channel per histogram dimension");
    for (int d = 0; d < dims; ++d) {
      const int c = channels[d];
      check(c >= 0 && c < nchannels, kOp, "channel ", c, " is out of range: the images have ", nchannels,
            " channels in total (numbered 0 to ", nchannels - 1, ")");
      int img = static_cast<int>(images.size()) - 1;
      while (first_channel[img] > c) --img;
      s.image.push_back(img);
      s.channel.push_back(c - first_channel[img]);
    }
  }
  for (int d = 0; d < dims; ++d)
    check(histSize[d] >= 1, kOp, "histSize[", d, "] is ", histSize[d], "; expected at least 1 bin");
  if (mask.defined()) {
    check((mask.dtype() == DType::u8 || mask.dtype() == DType::boolean) &&
              (mask.dim() == 2 || (mask.dim() == 3 && mask.size(2) == 1)),
          kOp, "mask must be uint8 or bool {H, W}, got ", dtype_name(mask.dtype()), " ", shape_str(mask.shape()));
    check(mask.size(0) == s.H && mask.size(1) == s.W, kOp, "mask has shape ", shape_str(mask.shape()),
          " but the images are ", s.H, "x", s.W);
  }
  // Ranges.
  const bool is_u8 = images[0].dtype() == DType::u8;
  if (ranges.empty()) {
    check(is_u8, kOp, "ranges may be empty only for uint8 images (meaning [0, 256)); got ",
          dtype_name(images[0].dtype()));
    check(uniform, kOp, "a non-uniform histogram needs ranges (the bin edges)");
    for (int d = 0; d < dims; ++d) {
      s.edges.push_back({0.f, 256.f});
      s.a.push_back(histSize[d] / 256.);
      s.b.push_back(0);
    }
  } else if (uniform) {
    check(static_cast<int>(ranges.size()) == 2 * dims, kOp, "ranges has ", ranges.size(), " numbers; expected ",
          2 * dims, " (low, high for each of the ", dims, " dimensions)");
    for (int d = 0; d < dims; ++d) {
      const float lo = ranges[2 * d], hi = ranges[2 * d + 1];
      check(lo < hi, kOp, "range ", d, " is [", lo, ", ", hi, "); expected low < high");
      const double t = histSize[d] / (static_cast<double>(hi) - static_cast<double>(lo));
      s.edges.push_back({lo, hi});
      s.a.push_back(t);
      s.b.push_back(-t * lo);
    }
  } else {
    size_t need = 0;
    for (int d = 0; d < dims; ++d) need += histSize[d] + 1;
    check(ranges.size() == need, kOp, "ranges has ", ranges.size(), " numbers; a non-uniform histogram needs ", need,
          " (histSize[i] + 1 bin edges for each dimension)");
    size_t at = 0;
    for (int d = 0; d < dims; ++d) {
      std::vector<float> e(ranges.begin() + at, ranges.begin() + at + histSize[d] + 1);
      at += histSize[d] + 1;
      for (size_t k = 0; k + 1 < e.size(); ++k)
        check(e[k] < e[k + 1], kOp, "bin edges of dimension ", d, " must increase, got ", e[k], " then ", e[k + 1]);
      s.edges.push_back(std::move(e));
    }
  }
  s.size.assign(histSize.begin(), histSize.end());
  s.stride.assign(dims, 1);
  for (int d = dims - 2; d >= 0; --d) s.stride[d] = s.stride[d + 1] * s.size[d + 1];
  for (int d = 0; d < dims; ++d) s.total *= s.size[d];
  s.shape = dims == 1 ? Shape{s.size[0], 1} : Shape(s.size.begin(), s.size.end());
  if (accumulate) {
    check(hist.defined(), kOp, "accumulate is true but no hist was given to add to");
    check(hist.dtype() == DType::f32 && hist.shape() == s.shape, kOp, "hist to accumulate into is ",
          dtype_name(hist.dtype()), " ", shape_str(hist.shape()), "; expected float32 ", shape_str(s.shape));
  }
  return s;
}

// The bin of value v along dimension d, or -1 if v is not counted.
inline int bin_of(const Spec& s, int d, double v) {
  if (s.uniform) {
    const int idx = cv_floor(v * s.a[d] + s.b[d]);
    if (v < s.edges[d][0] || v >= s.edges[d][1]) return -1;
    return std::clamp(idx, 0, s.size[d] - 1);
  }
  const float f = static_cast<float>(v);
  const std::vector<float>& R = s.edges[d];
  int idx = -1;
  const int sz = s.size[d];
  while (f >= R[idx + 1] && ++idx < sz) {
  }
  return idx >= 0 && idx < sz ? idx : -1;
}

// Starting counts: zeros, or hist rounded to integers (cv::Mat::convertTo(CV_32S)).
std::vector<int32_t> start_counts(const Spec& s, bool accumulate, const Tensor& hist) {
  std::vector<int32_t> counts(static_cast<size_t>(s.total), 0);
  if (accumulate) {
    const Tensor h = hist.contiguous();
    const float* p = h.data<float>();
    for (int64_t i = 0; i < s.total; ++i) counts[i] = saturate_cast<int32_t>(p[i]);
  }
  return counts;
}

Tensor finish(const Spec& s, const std::vector<int32_t>& counts) {
  Tensor out = Tensor::empty(s.shape, DType::f32);
  float* p = out.data<float>();
  for (int64_t i = 0; i < s.total; ++i) p[i] = static_cast<float>(counts[i]);
  return out;
}

// Adds the counts of rows [y0, y1) to `counts`, one pixel at a time (any dtype).
template <class T>
void count_generic(const Spec& s, const std::vector<PixelRows<const T>>& rows, const PixelRows<const uint8_t>* mask,
                   const std::vector<int64_t>& nch, int64_t y0, int64_t y1, int32_t* counts) {
  for (int64_t y = y0; y < y1; ++y) {
    const uint8_t* m = mask ? mask->row(y) : nullptr;
    for (int64_t x = 0; x < s.W; ++x) {
      if (m && !m[x]) continue;
      int64_t at = 0;
      int d = 0;
      for (; d < s.dims; ++d) {
        const int img = s.image[d];
        const int b = bin_of(s, d, static_cast<double>(rows[img].row(y)[x * nch[img] + s.channel[d]]));
        if (b < 0) break;
        at += b * s.stride[d];
      }
      if (d == s.dims) ++counts[at];
    }
  }
}

// u8 images: per-dimension tables of result offsets (kOut for values not counted).
constexpr uint32_t kOut = 1u << 30;

void count_u8_tables(const Spec& s, const std::vector<PixelRows<const uint8_t>>& rows,
                     const PixelRows<const uint8_t>* mask, const std::vector<int64_t>& nch, const uint32_t* tab,
                     int64_t y0, int64_t y1, int32_t* counts) {
  const int64_t W = s.W;
  const int64_t c0 = nch[s.image[0]], c1 = nch[s.image[1]], k0 = s.channel[0], k1 = s.channel[1];
  const uint32_t* t0 = tab;
  const uint32_t* t1 = tab + 256;
  const uint32_t* t2 = tab + 512;
  for (int64_t y = y0; y < y1; ++y) {
    const uint8_t* p0 = rows[s.image[0]].row(y) + k0;
    const uint8_t* p1 = rows[s.image[1]].row(y) + k1;
    const uint8_t* m = mask ? mask->row(y) : nullptr;
    if (s.dims == 2) {
      for (int64_t x = 0; x < W; ++x) {
        const uint32_t at = t0[p0[x * c0]] + t1[p1[x * c1]];
        if (at < kOut && (!m || m[x])) ++counts[at];
      }
    } else {
      const int64_t c2 = nch[s.image[2]];
      const uint8_t* p2 = rows[s.image[2]].row(y) + s.channel[2];
      if (c0 == 3 && c1 == 3 && c2 == 3 && !m) {  // the common case: one RGB image
        for (int64_t x = 0; x < W; ++x) {
          const uint32_t at = t0[p0[3 * x]] + t1[p1[3 * x]] + t2[p2[3 * x]];
          if (at < kOut) ++counts[at];
        }
      } else {
        for (int64_t x = 0; x < W; ++x) {
          const uint32_t at = t0[p0[x * c0]] + t1[p1[x * c1]] + t2[p2[x * c2]];
          if (at < kOut && (!m || m[x])) ++counts[at];
        }
      }
    }
  }
}

template <class T>
std::vector<PixelRows<const T>> rows_of(const std::vector<Tensor>& images, std::vector<Tensor>& keep) {
  std::vector<PixelRows<const T>> rows;
  keep.resize(images.size());
  for (size_t i = 0; i < images.size(); ++i) rows.push_back(pixel_rows<const T>(images[i], keep[i]));
  return rows;
}

std::vector<int64_t> channel_counts(const std::vector<Tensor>& images) {
  std::vector<int64_t> n;
  for (const Tensor& t : images) n.push_back(t.dim() == 3 ? t.size(2) : 1);
  return n;
}

template <class T>
void count_fast(const Spec& s, const std::vector<Tensor>& images, const Tensor& mask, std::vector<int32_t>& counts) {
  std::vector<Tensor> keep;
  const std::vector<PixelRows<const T>> rows = rows_of<T>(images, keep);
  const std::vector<int64_t> nch = channel_counts(images);
  Tensor mask_keep;
  PixelRows<const uint8_t> mrows;
  if (mask.defined()) mrows = pixel_rows<const uint8_t>(mask.dim() == 3 ? mask.select(2, 0) : mask, mask_keep);
  const PixelRows<const uint8_t>* m = mask.defined() ? &mrows : nullptr;

  std::vector<uint32_t> tab;
  if constexpr (std::is_same_v<T, uint8_t>) {
    tab.assign(256 * 3, kOut);
    for (int d = 0; d < s.dims; ++d)
      for (int v = 0; v < 256; ++v) {
        const int b = bin_of(s, d, v);
        if (b >= 0) tab[d * 256 + v] = static_cast<uint32_t>(b * s.stride[d]);
      }
    if (s.dims == 1) {  // count the 256 values, then map them to bins
      uint32_t h[256] = {};
      pixel_detail::histogram_u8(rows[s.image[0]], s.channel[0], nch[s.image[0]], m, h);
      for (int v = 0; v < 256; ++v)
        if (tab[v] < kOut) counts[tab[v]] += static_cast<int32_t>(h[v]);
      return;
    }
  }
  // Bands of rows in parallel, each into its own table when the histogram is small enough.
  const bool split = s.total <= 65536;
  const int64_t min_rows = std::max<int64_t>(1, 16384 / s.W);
  const int64_t parts_max = split ? get_num_threads() : 1;
  std::vector<int32_t> partial(static_cast<size_t>(parts_max) * s.total, 0);
  const int64_t parts = split ? pixel_detail::for_each_band(s.H, min_rows, [&](int64_t p, int64_t y0, int64_t y1) {
    int32_t* out = &partial[p * s.total];
    if constexpr (std::is_same_v<T, uint8_t>) count_u8_tables(s, rows, m, nch, tab.data(), y0, y1, out);
    else count_generic<T>(s, rows, m, nch, y0, y1, out);
  }) : 0;
  if (!split) {
    if constexpr (std::is_same_v<T, uint8_t>) count_u8_tables(s, rows, m, nch, tab.data(), 0, s.H, counts.data());
    else count_generic<T>(s, rows, m, nch, 0, s.H, counts.data());
    return;
  }
  for (int64_t p = 0; p < parts; ++p)
    for (int64_t i = 0; i < s.total; ++i) counts[i] += partial[p * s.total + i];
}

template <class T>
void count_ref(const Spec& s, const std::vector<Tensor>& images, const Tensor& mask, std::vector<int32_t>& counts) {
  std::vector<Tensor> c;
  for (const Tensor& t : images) c.push_back(t.contiguous());
  const std::vector<int64_t> nch = channel_counts(images);
  const Tensor m = mask.defined() ? mask.contiguous() : Tensor();
  for (int64_t y = 0; y < s.H; ++y)
    for (int64_t x = 0; x < s.W; ++x) {
      if (m.defined() && static_cast<const uint8_t*>(m.raw_data())[y * s.W + x] == 0) continue;
      int64_t at = 0;
      bool counted = true;
      for (int d = 0; d < s.dims && counted; ++d) {
        const int img = s.image[d];
        const T v = c[img].data<T>()[(y * s.W + x) * nch[img] + s.channel[d]];
        const int b = bin_of(s, d, static_cast<double>(v));
        counted = b >= 0;
        at += b * s.stride[d];
      }
      if (counted) ++counts[at];
    }
}

Tensor calc_hist(const std::vector<Tensor>& images, const std::vector<int>& channels, const Tensor& mask,
                 const std::vector<int>& histSize, const std::vector<float>& ranges, bool uniform, bool accumulate,
                 const Tensor& hist, bool reference) {
  const Spec s = make_spec(images, channels, mask, histSize, ranges, uniform, accumulate, hist);
  std::vector<int32_t> counts = start_counts(s, accumulate, hist);
  switch (images[0].dtype()) {
    case DType::u8:
      reference ? count_ref<uint8_t>(s, images, mask, counts) : count_fast<uint8_t>(s, images, mask, counts);
      break;
    case DType::u16:
      reference ? count_ref<uint16_t>(s, images, mask, counts) : count_fast<uint16_t>(s, images, mask, counts);
      break;
    default:
      reference ? count_ref<float>(s, images, mask, counts) : count_fast<float>(s, images, mask, counts);
      break;
  }
  return finish(s, counts);
}

}  // namespace

Tensor calcHist(const std::vector<Tensor>& images, const std::vector<int>& channels, const Tensor& mask,
                const std::vector<int>& histSize, const std::vector<float>& ranges, bool uniform, bool accumulate,
                const Tensor& hist) {
  return calc_hist(images, channels, mask, histSize, ranges, uniform, accumulate, hist, false);
}

namespace ref {
Tensor calcHist(const std::vector<Tensor>& images, const std::vector<int>& channels, const Tensor& mask,
                const std::vector<int>& histSize, const std::vector<float>& ranges, bool uniform, bool accumulate,
                const Tensor& hist) {
  return calc_hist(images, channels, mask, histSize, ranges, uniform, accumulate, hist, true);
}
}  // namespace ref

}  // namespace ojo
