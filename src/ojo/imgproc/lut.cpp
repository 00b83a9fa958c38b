// LUT: OpenCV's cv::LUT (dst = lut[src]) for u8 images, any lut dtype, shared or per-channel table.
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

#include "ojo/core/parallel.hpp"
#include "ojo/imgproc/border.hpp"
#include "ojo/imgproc/histogram.hpp"
#include "lut_kernels.hpp"
#include "pixel_rows.hpp"

namespace ojo {
namespace {

using pixel_detail::PixelRows;
using pixel_detail::pixel_rows;

// Checks src and lut; returns the number of table columns (1: shared, C: one per channel).
int64_t check_lut(const Tensor& src, const Tensor& lut) {
  const int64_t C = check_image(src, "LUT");
  check(src.dtype() == DType::u8, "LUT", "src must be uint8, got ", dtype_name(src.dtype()));
  check(lut.defined(), "LUT", "lut is undefined");
  if (lut.numel() == 256 && (lut.dim() == 1 || lut.size(-1) == 1 || (lut.dim() == 2 && lut.size(0) == 1)))
    return 1;
  if (C > 1 && lut.dim() >= 2 && lut.size(-1) == C && lut.numel() == 256 * C && lut.size(-2) == 256) return C;
  fail("LUT", "lut must have 256 entries (shape {256}, {256, 1} or {1, 256}) or 256 per channel ({256, C} or ",
       "{1, 256, C} with C = ", C, " channels of src), got shape ", shape_str(lut.shape()));
}

// u8 -> u8 with one shared table: vector lookups (lut_fast.cpp), then for the rest the table
// copied to the stack (the byte stores cannot alias it, so loads run ahead of stores), 8 source
// bytes read as one word and 8 results stored as one.
void lut_u8_shared(const uint8_t* s, const uint8_t* tab, uint8_t* d, int64_t n) {
  uint8_t t[256];
  std::memcpy(t, tab, 256);
  int64_t i = lut_detail::lut_u8_fast(s, t, d, n);
  for (; i + 8 <= n; i += 8) {
    uint64_t v, r = 0;
    std::memcpy(&v, s + i, 8);
    for (int k = 0; k < 8; ++k) r |= static_cast<uint64_t>(t[(v >> (8 * k)) & 0xFF]) << (8 * k);
    std::memcpy(d + i, &r, 8);
  }
  for (; i < n; ++i) d[i] = t[s[i]];
}

template <class L>
void lut_rows(const PixelRows<const uint8_t>& in, int64_t C, int64_t cols, const L* tab, L* out, int64_t y0,
              int64_t y1) {
  for (int64_t y = y0; y < y1; ++y) {
    const uint8_t* s = in.row(y);
    L* d = out + y * in.width;
    const int64_t n = in.width;
    if (cols == 1) {
      if constexpr (std::is_same_v<L, uint8_t>) lut_u8_shared(s, tab, d, n);
      else for (int64_t i = 0; i < n; ++i) d[i] = tab[s[i]];
    } else if (C == 3) {
      for (int64_t i = 0; i < n; i += 3) {
        d[i] = tab[s[i] * 3];
        d[i + 1] = tab[s[i + 1] * 3 + 1];
        d[i + 2] = tab[s[i + 2] * 3 + 2];
      }
    } else {
      for (int64_t i = 0; i < n; ++i) d[i] = tab[s[i] * C + i % C];
    }
  }
}

Tensor lut_impl(const Tensor& src, const Tensor& lut, bool reference) {
  const int64_t cols = check_lut(src, lut);
  const int64_t C = src.dim() == 3 ? src.size(2) : 1;
  const Tensor table = lut.contiguous();
  Tensor dst = Tensor::empty(src.shape(), lut.dtype());
  visit_dtype(lut.dtype(), [&](auto tag) {
    using L = decltype(tag);
    const L* tab = table.data<L>();
    L* out = dst.data<L>();
    if (reference) {
      const Tensor s = src.contiguous();
      const uint8_t* p = s.data<uint8_t>();
      for (int64_t i = 0; i < s.numel(); ++i) out[i] = tab[p[i] * cols + (cols == 1 ? 0 : i % C)];
      return;
    }
    Tensor keep;
    PixelRows<const uint8_t> in = pixel_rows<const uint8_t>(src, keep);
    if (in.contiguous) {  // one long row, cut into blocks
      const int64_t n = in.rows * in.width, block = 65536 * C;
      parallel_for(0, (n + block - 1) / block, 1, [&](int64_t b0, int64_t b1) {
        PixelRows<const uint8_t> run{in.base + b0 * block, 1, std::min(n, b1 * block) - b0 * block, 0, true};
        lut_rows<L>(run, C, cols, tab, out + b0 * block, 0, 1);
      });
      return;
    }
    parallel_for(0, in.rows, std::max<int64_t>(1, 65536 / in.width),
                 [&](int64_t y0, int64_t y1) { lut_rows<L>(in, C, cols, tab, out, y0, y1); });
  });
  return dst;
}

}  // namespace

Tensor LUT(const Tensor& src, const Tensor& lut) { return lut_impl(src, lut, false); }

namespace ref {
Tensor LUT(const Tensor& src, const Tensor& lut) { return lut_impl(src, lut, true); }
}  // namespace ref

}  // namespace ojo
