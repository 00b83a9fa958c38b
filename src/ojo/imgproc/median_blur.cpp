// medianBlur (cv::medianBlur): the median of each ksize x ksize window, BORDER_REPLICATE.
//
// ksize 3 and 5 (any supported dtype) run a median selection network (median_network.hpp): the
// window's ksize^2 values are "wires", and each compare-exchange is an element-wise min/max. The
// fast path (median_fast.cpp) holds one vector of outputs' windows in registers; the elements of a
// row it leaves over go through the same network with whole shifted rows as wires. Larger windows (uint8 only, as OpenCV) slide a
// two-level 16 x 16-bin histogram along each row. Medians are exact, so results equal OpenCV's.
#include <algorithm>
#include <array>

#include "filter_engine.hpp"
#include "median_network.hpp"
#include "ojo/imgproc/filter.hpp"

namespace ojo {

using namespace filter_detail;
using median_detail::Network;

namespace {

template <class T>
OJO_CLONES void compare_exchange(T* __restrict lo, T* __restrict hi, int64_t n) {
  for (int64_t x = 0; x < n; ++x) {
    const T a = lo[x], b = hi[x];
    lo[x] = a < b ? a : b;  // plain selects vectorise; std::min/max (references) do not
    hi[x] = a < b ? b : a;
  }
}

// Medians of m consecutive elements: out[x] = median over i, j < ksize of rows[i][x + j*C]. Vectors
// of whole windows first; the elements left over go through the network with rows as wires.
template <class T>
void median_elements(const T* const* rows, T* out, int64_t m, int64_t C, int ksize) {
  const int nw = ksize * ksize;
  const Network& net = ksize == 3 ? median_detail::kMedian9 : median_detail::kMedian25;
  const int64_t x0 = median_detail::median_row_fast(rows, out, m, C, ksize), left = m - x0;
  if (left == 0) return;
  thread_local std::vector<T> wires;
  wires.resize(static_cast<size_t>(nw * left));
  for (int i = 0; i < ksize; ++i)
    for (int j = 0; j < ksize; ++j)
      std::copy(rows[i] + j * C + x0, rows[i] + j * C + m, wires.data() + (i * ksize + j) * left);
  for (int k = 0; k < net.size; ++k)
    compare_exchange(wires.data() + net.cmp[k].lo * left, wires.data() + net.cmp[k].hi * left, left);
  std::copy(wires.data() + (nw / 2) * left, wires.data() + (nw / 2 + 1) * left, out + x0);
}

// Pixels whose window lies inside the row read the source rows in place (the rows above and below
// clamped, BORDER_REPLICATE); each end of the row is done from replicated copies of its first (last)
// `edge` pixels' windows, enough for whole vectors. (Copying every row into a padded buffer first
// cost a third of the time on RGB rows: the copies' destinations are misaligned by r*C bytes.)
template <class T>
void median_network_rows(const Tensor& in, Tensor& dst, int64_t H, int64_t W, int64_t C, int ksize) {
  // `edge` pixels make at least 64 bytes: a whole vector on every target.
  const int64_t r = ksize / 2, n = W * C;
  const int64_t edge = std::min<int64_t>(W, r + (64 + C * sizeof(T) - 1) / (C * sizeof(T)));
  const T* base = in.data<T>();
  T* out = dst.data<T>();
  parallel_for(0, H, 16, [&](int64_t lo, int64_t hi) {
    std::vector<T> pad(static_cast<size_t>(ksize * (edge + 2 * r) * C));
    const T* rows[5];
    const T* pads[5];
    // Output pixels [first, first + edge) of a row from replicated copies of their windows.
    auto ends = [&](int64_t first, T* o) {
      const int64_t width = edge + 2 * r;
      for (int i = 0; i < ksize; ++i) {
        T* row = pad.data() + i * width * C;
        const int64_t k0 = std::max<int64_t>(0, r - first), k1 = std::min(width, W + r - first);  // inside
        std::copy(rows[i] + (first + k0 - r) * C, rows[i] + (first + k1 - r) * C, row + k0 * C);
        for (int64_t k = 0; k < k0; ++k)
          for (int64_t c = 0; c < C; ++c) row[k * C + c] = rows[i][c];
        for (int64_t k = k1; k < width; ++k)
          for (int64_t c = 0; c < C; ++c) row[k * C + c] = rows[i][(W - 1) * C + c];
        pads[i] = row;
      }
      median_elements(pads, o + first * C, edge * C, C, ksize);
    };
    for (int64_t y = lo; y < hi; ++y) {
      for (int i = 0; i < ksize; ++i) rows[i] = base + std::clamp<int64_t>(y - r + i, 0, H - 1) * n;
      T* o = out + y * n;
      if (W > 2 * r) median_elements(rows, o + r * C, n - 2 * r * C, C, ksize);
      ends(0, o);
      if (W > edge) ends(W - edge, o);
    }
  });
}

// uint8, any odd ksize: per row, a histogram of the window slides along x (coarse 16 bins + fine 256).
void median_histogram_u8(const Tensor& in, Tensor& dst, int64_t H, int64_t W, int64_t C, int ksize) {
  const int r = ksize / 2;
  const int half = ksize * ksize / 2;
  const uint8_t* s = in.data<uint8_t>();
  uint8_t* o = dst.data<uint8_t>();
  parallel_for(0, H * C, 8, [&](int64_t lo, int64_t hi) {
    for (int64_t yc = lo; yc < hi; ++yc) {
      const int64_t y = yc / C, c = yc % C;
      std::array<int, 256> fine{};
      std::array<int, 16> coarse{};
      auto add_col = [&](int64_t x, int d) {
        const int64_t sx = std::clamp<int64_t>(x, 0, W - 1);
        for (int i = -r; i <= r; ++i) {
          const int64_t sy = std::clamp<int64_t>(y + i, 0, H - 1);
          const uint8_t v = s[(sy * W + sx) * C + c];
          fine[v] += d;
          coarse[v >> 4] += d;
        }
      };
      for (int64_t x = -r; x <= r; ++x) add_col(x, 1);
      for (int64_t x = 0; x < W; ++x) {
        if (x > 0) {
          add_col(x - r - 1, -1);
          add_col(x + r, 1);
        }
        int seen = 0, b = 0;
        while (seen + coarse[b] <= half) seen += coarse[b++];
        int v = b * 16;
        while (seen + fine[v] <= half) seen += fine[v++];
        o[(y * W + x) * C + c] = static_cast<uint8_t>(v);
      }
    }
  });
}

void check_median(const Tensor& src, int ksize, int64_t C) {
  const char* op = "medianBlur";
  if (ksize < 1 || ksize % 2 == 0) fail(op, "ksize must be odd and >= 1, got ", ksize);
  if (ksize > 255) fail(op, "ksize must be at most 255, got ", ksize);
  const DType t = src.dtype();
  if (t != DType::u8 && t != DType::u16 && t != DType::i16 && t != DType::f32)
    fail(op, "unsupported dtype ", dtype_name(t), " (expected uint8, uint16, int16 or float32)");
  if (ksize > 5 && (t != DType::u8 || C == 2))
    fail(op, "ksize ", ksize, " needs a uint8 image with 1, 3 or 4 channels (got ", dtype_name(t), " with ", C,
         " channels); ksize 3 and 5 accept uint16, int16 and float32 too");
}

}  // namespace

Tensor medianBlur(const Tensor& src, int ksize) {
  int64_t H, W, C;
  const Tensor in = image_rows(src, "medianBlur", H, W, C);
  check_median(in, ksize, C);
  if (ksize == 1) return in.clone();
  Tensor dst = Tensor::empty(in.shape(), in.dtype());
  if (ksize > 5) {
    median_histogram_u8(in, dst, H, W, C, ksize);
    return dst;
  }
  visit_dtype(in.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, uint8_t> || std::is_same_v<T, uint16_t> || std::is_same_v<T, int16_t> ||
                  std::is_same_v<T, float>)
      median_network_rows<T>(in, dst, H, W, C, ksize);
  });
  return dst;
}

namespace ref {

// Plain loops: gather the replicated window, nth_element.
Tensor medianBlur(const Tensor& src, int ksize) {
  int64_t H, W, C;
  const Tensor in = image_rows(src, "medianBlur", H, W, C);
  check_median(in, ksize, C);
  Tensor dst = Tensor::empty(in.shape(), in.dtype());
  const int r = ksize / 2;
  visit_dtype(in.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (!std::is_same_v<T, bool>) {
      const T* s = in.data<T>();
      T* o = dst.data<T>();
      std::vector<T> win;
      for (int64_t y = 0; y < H; ++y)
        for (int64_t x = 0; x < W; ++x)
          for (int64_t c = 0; c < C; ++c) {
            win.clear();
            for (int i = -r; i <= r; ++i)
              for (int j = -r; j <= r; ++j)
                win.push_back(s[(std::clamp<int64_t>(y + i, 0, H - 1) * W + std::clamp<int64_t>(x + j, 0, W - 1)) * C + c]);
            std::nth_element(win.begin(), win.begin() + win.size() / 2, win.end());
            o[(y * W + x) * C + c] = win[win.size() / 2];
          }
    }
  });
  return dst;
}

}  // namespace ref
}  // namespace ojo
