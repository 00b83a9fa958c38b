// flip and crop (see include/ojo/imgproc/geometry.hpp).
//
// ref::flip builds a negative-step view and copies it. The fast path copies whole rows (vertical)
// or reverses pixels within each row with a per-channel-count loop (one-byte pixels with a byte
// shuffle, flip_fast.cpp), rows split across threads.
#include <cstring>

#include "flip_kernels.hpp"
#include "ojo/core/parallel.hpp"
#include "ojo/imgproc/geometry.hpp"

namespace ojo {

namespace {

// Reverses n pixels of `bytes` bytes each.
template <size_t B>
void reverse_pixels(uint8_t* __restrict d, const uint8_t* __restrict s, int64_t n) {
  for (int64_t x = 0; x < n; ++x) std::memcpy(d + x * B, s + (n - 1 - x) * B, B);
}

void reverse_row(uint8_t* d, const uint8_t* s, int64_t n, size_t bytes) {
  switch (bytes) {
    case 1:
      for (int64_t x = flip_detail::reverse_bytes_fast(d, s, n); x < n; ++x) d[x] = s[n - 1 - x];
      break;
    case 2: reverse_pixels<2>(d, s, n); break;
    case 3: reverse_pixels<3>(d, s, n); break;
    case 4: reverse_pixels<4>(d, s, n); break;
    case 8: reverse_pixels<8>(d, s, n); break;
    case 12: reverse_pixels<12>(d, s, n); break;
    case 16: reverse_pixels<16>(d, s, n); break;
    default:
      for (int64_t x = 0; x < n; ++x) std::memcpy(d + x * bytes, s + (n - 1 - x) * bytes, bytes);
  }
}

}  // namespace

namespace ref {
Tensor flip(const Tensor& src, int flipCode) {
  check_image(src, "flip");
  Tensor v = src;
  if (flipCode <= 0) v = v.slice(0, None, None, -1);
  if (flipCode != 0) v = v.slice(1, None, None, -1);
  return v.clone();
}
}  // namespace ref

Tensor flip(const Tensor& src_in, int flipCode) {
  check_image(src_in, "flip");
  const Tensor src = src_in.contiguous();
  const int64_t H = src.size(0), W = src.size(1);
  const size_t pix = src.element_size() * (src.dim() == 3 ? src.size(2) : 1);
  const size_t row = pix * W;
  Tensor out = Tensor::empty(src.shape(), src.dtype());
  const uint8_t* s = static_cast<const uint8_t*>(src.raw_data());
  uint8_t* d = static_cast<uint8_t*>(out.raw_data());
  const bool vertical = flipCode <= 0, horizontal = flipCode != 0;
  parallel_for(0, H, std::max<int64_t>(1, (1 << 16) / static_cast<int64_t>(row + 1)), [&](int64_t y0, int64_t y1) {
    for (int64_t y = y0; y < y1; ++y) {
      const uint8_t* sr = s + (vertical ? H - 1 - y : y) * row;
      if (horizontal) reverse_row(d + y * row, sr, W, pix);
      else std::memcpy(d + y * row, sr, row);
    }
  });
  return out;
}

Tensor crop(const Tensor& img, int64_t x, int64_t y, int64_t w, int64_t h) {
  check_image(img, "crop");
  check(w > 0 && h > 0 && x >= 0 && y >= 0 && x + w <= img.size(1) && y + h <= img.size(0), "crop",
        "rectangle x=", x, " y=", y, " w=", w, " h=", h, " is empty or leaves the ", img.size(1), "x", img.size(0),
        " image");
  return img.index({Slice(y, y + h), Slice(x, x + w)});
}

}  // namespace ojo
