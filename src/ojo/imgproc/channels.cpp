// split / merge / extractChannel. The reference copies element by element through at();
// the fast path walks contiguous rows with one plain (de)interleave loop per channel count.
#include "ojo/imgproc/channels.hpp"

#include <algorithm>
#include <cstring>

#include "mask_kernels.hpp"
#include "ojo/core/parallel.hpp"
#include "ojo/imgproc/border.hpp"
#include "streaming.hpp"

namespace ojo {
namespace {

int64_t channels_of(const Tensor& t) { return t.dim() == 3 ? t.size(2) : 1; }

// Byte-level strided copy between interleaved and planar layouts, elem bytes per element.
template <class E>
void deinterleave(const E* src, E* const* planes, int64_t n, int64_t cn, int64_t p0, int64_t p1) {
  // Local restrict pointers: byte stores could otherwise alias `planes` and stop vectorisation.
  if (cn == 3) {
    E* __restrict d0 = planes[0];
    E* __restrict d1 = planes[1];
    E* __restrict d2 = planes[2];
    const E* __restrict s = src;
    for (int64_t i = p0; i < p1; ++i) d0[i] = s[3 * i], d1[i] = s[3 * i + 1], d2[i] = s[3 * i + 2];
    return;
  }
  for (int64_t c = 0; c < cn; ++c) {
    E* __restrict d = planes[c];
    const E* __restrict s = src;
    for (int64_t i = p0; i < p1; ++i) d[i] = s[cn * i + c];
  }
  (void)n;
}

template <class E>
void interleave(const E* const* planes, const int64_t* plane_cn, int64_t nplanes, E* dst, int64_t cn, int64_t p0,
                int64_t p1) {
  E* __restrict d = dst;
  if (cn == 3 && nplanes == 3) {
    const E* __restrict s0 = planes[0];
    const E* __restrict s1 = planes[1];
    const E* __restrict s2 = planes[2];
    for (int64_t i = p0; i < p1; ++i) d[3 * i] = s0[i], d[3 * i + 1] = s1[i], d[3 * i + 2] = s2[i];
    return;
  }
  int64_t c0 = 0;
  for (int64_t k = 0; k < nplanes; ++k) {
    const int64_t pcn = plane_cn[k];
    const E* __restrict s = planes[k];
    for (int64_t c = 0; c < pcn; ++c)
      for (int64_t i = p0; i < p1; ++i) d[cn * i + c0 + c] = s[pcn * i + c];
    c0 += pcn;
  }
}

template <class F>
void by_element_size(size_t bytes, F&& f) {
  switch (bytes) {
    case 1: return f(uint8_t{});
    case 2: return f(uint16_t{});
    case 4: return f(uint32_t{});
    default: return f(uint64_t{});
  }
}

std::vector<Tensor> split_impl(const Tensor& img, bool fast) {
  const int64_t cn = check_image(img, "split");
  const int64_t h = img.size(0), w = img.size(1);
  std::vector<Tensor> out;
  if (!fast) {
    for (int64_t c = 0; c < cn; ++c) out.push_back(img.dim() == 3 ? img.select(2, c).clone() : img.clone());
    return out;
  }
  const Tensor s = img.contiguous();
  for (int64_t c = 0; c < cn; ++c) out.push_back(Tensor::empty({h, w}, img.dtype()));
  by_element_size(img.element_size(), [&](auto tag) {
    using E = decltype(tag);
    const E* ps = static_cast<const E*>(s.raw_data());
    std::vector<E*> planes;
    for (auto& t : out) planes.push_back(static_cast<E*>(t.raw_data()));
    // Chunks of whole 64-pixel blocks keep each chunk's planes 64-byte aligned, for streaming.
    const int64_t pixels = h * w, block = 64;
    const bool stream = imgproc_detail::stream_output(pixels * cn);
    parallel_for(0, (pixels + block - 1) / block, 1 << 10, [&](int64_t b0, int64_t b1) {
      const int64_t p0 = b0 * block, p1 = std::min(pixels, b1 * block);
      int64_t done = 0;
      if constexpr (sizeof(E) == 1) {
        uint8_t* shifted[4];
        for (int64_t c = 0; c < cn && c < 4; ++c) shifted[c] = planes[c] + p0;
        done = mask_detail::split_u8_fast(ps + p0 * cn, shifted, p1 - p0, cn, stream);
      }
      deinterleave(ps, planes.data(), h * w, cn, p0 + done, p1);
    });
  });
  return out;
}

Tensor merge_impl(const std::vector<Tensor>& channels, bool fast) {
  const char* op = "merge";
  if (channels.empty()) fail(op, "expected at least one channel, got an empty list");
  int64_t cn = 0;
  std::vector<int64_t> plane_cn;
  for (size_t k = 0; k < channels.size(); ++k) {
    const Tensor& t = channels[k];
    if (!t.defined()) fail(op, "input ", k, " is undefined");
    if (t.dim() != 2 && t.dim() != 3)
      fail(op, "input ", k, " has shape ", shape_str(t.shape()), "; expected {H, W} or {H, W, C}");
    if (t.numel() == 0) fail(op, "input ", k, " is empty (shape ", shape_str(t.shape()), ")");
    if (t.size(0) != channels[0].size(0) || t.size(1) != channels[0].size(1))
      fail(op, "input ", k, " is ", t.size(1), "x", t.size(0), " (WxH) but input 0 is ", channels[0].size(1), "x",
           channels[0].size(0), "; every input must have the same size (shapes ", shape_str(channels[0].shape()),
           " and ", shape_str(t.shape()), ")");
    if (t.dtype() != channels[0].dtype())
      fail(op, "input ", k, " has dtype ", dtype_name(t.dtype()), " but input 0 has ", dtype_name(channels[0].dtype()),
           "; every input must have the same dtype");
    plane_cn.push_back(channels_of(t));
    cn += plane_cn.back();
  }
  const int64_t h = channels[0].size(0), w = channels[0].size(1);
  Tensor out = Tensor::empty(cn == 1 ? Shape{h, w} : Shape{h, w, cn}, channels[0].dtype());
  if (!fast) {
    int64_t c0 = 0;
    for (const Tensor& t : channels) {
      for (int64_t c = 0; c < channels_of(t); ++c) {
        Tensor dst = cn == 1 ? out : out.select(2, c0 + c);
        dst.copy_(t.dim() == 3 ? t.select(2, c) : t);
      }
      c0 += channels_of(t);
    }
    return out;
  }
  std::vector<Tensor> keep;
  for (const Tensor& t : channels) keep.push_back(t.contiguous());
  by_element_size(out.element_size(), [&](auto tag) {
    using E = decltype(tag);
    std::vector<const E*> planes;
    for (auto& t : keep) planes.push_back(static_cast<const E*>(t.raw_data()));
    E* pd = static_cast<E*>(out.raw_data());
    const bool all_planes = std::all_of(plane_cn.begin(), plane_cn.end(), [](int64_t k) { return k == 1; });
    // Chunks start on 64-pixel blocks, so every chunk's destination stays 64-byte aligned (Tensor
    // storage is) and may be streamed.
    const int64_t pixels = h * w, block = 64;
    const bool stream = pixels * cn >= imgproc_detail::kMergeStreamBytes;
    parallel_for(0, (pixels + block - 1) / block, 1 << 10, [&](int64_t b0, int64_t b1) {
      const int64_t p0 = b0 * block, p1 = std::min(pixels, b1 * block);
      int64_t done = 0;
      if constexpr (sizeof(E) == 1) {
        if (all_planes && cn <= 4) {
          const uint8_t* shifted[4];
          for (int64_t c = 0; c < cn; ++c) shifted[c] = planes[c] + p0;
          done = mask_detail::merge_u8_fast(shifted, pd + p0 * cn, p1 - p0, cn, stream);
        }
      }
      interleave(planes.data(), plane_cn.data(), static_cast<int64_t>(planes.size()), pd, cn, p0 + done, p1);
    });
  });
  return out;
}

}  // namespace

std::vector<Tensor> split(const Tensor& img) { return split_impl(img, true); }
Tensor merge(const std::vector<Tensor>& channels) { return merge_impl(channels, true); }

Tensor extractChannel(const Tensor& img, int64_t coi) {
  const int64_t cn = check_image(img, "extractChannel");
  if (coi < 0 || coi >= cn)
    fail("extractChannel", "channel ", coi, " is out of range for an image with ", cn, " channel", cn == 1 ? "" : "s",
         " (shape ", shape_str(img.shape()), "); expected 0..", cn - 1);
  return img.dim() == 3 ? img.select(2, coi).clone() : img.clone();
}

namespace ref {
std::vector<Tensor> split(const Tensor& img) { return split_impl(img, false); }
Tensor merge(const std::vector<Tensor>& channels) { return merge_impl(channels, false); }
}  // namespace ref

}  // namespace ojo
