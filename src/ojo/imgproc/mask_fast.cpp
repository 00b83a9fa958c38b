// Vectorised mask and channel kernels (Highway, runtime dispatch); split/merge are plain
// (de)interleaving loads and stores. inRange on u8: each channel is tested with
// two unsigned comparisons against the (already rounded and clamped) bounds; the tests are and-ed
// and the lanes become 0 or 255. Same results as the reference loop by construction.
#include <cstdint>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "../src/ojo/imgproc/mask_fast.cpp"  // found through include/
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/cache_control.h>
#include <hwy/highway.h>

#include "mask_kernels.hpp"
#include "pixel_groups-inl.h"

HWY_BEFORE_NAMESPACE();
namespace ojo::mask_detail::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// lo <= v <= hi for unsigned lanes (Highway 1.0 has no unsigned >=): max(v, lo) == v, min(v, hi) == v.
template <class V>
HWY_INLINE auto Within(V v, V lo, V hi) {
  return hn::And(hn::Eq(hn::Max(v, lo), v), hn::Eq(hn::Min(v, hi), v));
}

int64_t InRangeU8(const uint8_t* src, uint8_t* dst, int64_t n, int64_t cn, const uint8_t* lo, const uint8_t* hi) {
  const hn::ScalableTag<uint8_t> d;
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  int64_t i = 0;
  if (cn == 1) {
    const auto l0 = hn::Set(d, lo[0]), h0 = hn::Set(d, hi[0]);
    for (; i + N <= n; i += N) {
      const auto v = hn::LoadU(d, src + i);
      const auto in = Within(v, l0, h0);
      hn::StoreU(hn::VecFromMask(d, in), d, dst + i);
    }
  } else if (cn == 3 || cn == 4) {
    const auto l0 = hn::Set(d, lo[0]), l1 = hn::Set(d, lo[1]), l2 = hn::Set(d, lo[2]), l3 = hn::Set(d, lo[cn - 1]);
    const auto h0 = hn::Set(d, hi[0]), h1 = hn::Set(d, hi[1]), h2 = hn::Set(d, hi[2]), h3 = hn::Set(d, hi[cn - 1]);
    for (; i + N <= n; i += N) {
      hn::Vec<decltype(d)> a, b, c, e;
      if (cn == 3) hn::LoadInterleaved3(d, src + i * 3, a, b, c);
      else hn::LoadInterleaved4(d, src + i * 4, a, b, c, e);
      auto in = hn::And(Within(a, l0, h0), Within(b, l1, h1));
      in = hn::And(in, Within(c, l2, h2));
      if (cn == 4) in = hn::And(in, Within(e, l3, h3));
      hn::StoreU(hn::VecFromMask(d, in), d, dst + i);
    }
  }
  return i;
}

#if HWY_TARGET != HWY_SCALAR
// 3 channels in 16-pixel groups (pixel_groups-inl.h).
template <bool kStream>
int64_t Split3(const uint8_t* src, uint8_t* const* planes, int64_t n) {
  namespace pg = pixel_groups::HWY_NAMESPACE;
  constexpr int64_t G = pg::kGroupLanes;
  uint8_t *p0 = planes[0], *p1 = planes[1], *p2 = planes[2];
  int64_t i = 0;
  for (; i + G <= n; i += G) {
    pg::GroupVec a, b, c;
    pg::Deinterleave3(src + 3 * i, a, b, c);
    pg::Put<kStream>(a, p0 + i), pg::Put<kStream>(b, p1 + i), pg::Put<kStream>(c, p2 + i);
  }
  if (kStream) hwy::FlushStream();
  return i;
}

template <bool kStream>
int64_t Merge3(const uint8_t* const* planes, uint8_t* dst, int64_t n) {
  namespace pg = pixel_groups::HWY_NAMESPACE;
  constexpr int64_t G = pg::kGroupLanes;
  const pg::GroupTag d;
  const uint8_t *p0 = planes[0], *p1 = planes[1], *p2 = planes[2];
  int64_t i = 0;
  for (; i + G <= n; i += G)
    pg::Interleave3<kStream>(hn::LoadU(d, p0 + i), hn::LoadU(d, p1 + i), hn::LoadU(d, p2 + i), dst + 3 * i);
  if (kStream) hwy::FlushStream();
  return i;
}
#endif

// With `stream`, the planes (3 channels) or dst must be aligned to 32 bytes.
int64_t SplitU8(const uint8_t* src, uint8_t* const* planes, int64_t n, int64_t cn, bool stream) {
#if HWY_TARGET != HWY_SCALAR
  if (cn == 3) return stream ? Split3<true>(src, planes, n) : Split3<false>(src, planes, n);
#else
  (void)stream;
#endif
  const hn::ScalableTag<uint8_t> d;
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  int64_t i = 0;
  if (cn != 4) return 0;
  for (; i + N <= n; i += N) {
    hn::Vec<decltype(d)> a, b, c, e;
    hn::LoadInterleaved4(d, src + i * 4, a, b, c, e);
    hn::StoreU(a, d, planes[0] + i);
    hn::StoreU(b, d, planes[1] + i);
    hn::StoreU(c, d, planes[2] + i);
    hn::StoreU(e, d, planes[3] + i);
  }
  return i;
}

// 4 channels with `stream`: each interleaved group goes through an aligned stack buffer (L1) and
// then to dst with non-temporal stores (dst aligned to the vector size).
int64_t MergeU8(const uint8_t* const* planes, uint8_t* dst, int64_t n, int64_t cn, bool stream) {
#if HWY_TARGET != HWY_SCALAR
  if (cn == 3) return stream ? Merge3<true>(planes, dst, n) : Merge3<false>(planes, dst, n);
#endif
  const hn::ScalableTag<uint8_t> d;
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  int64_t i = 0;
  if (cn != 3 && cn != 4) return 0;
  HWY_ALIGN uint8_t buf[4 * hn::MaxLanes(d)];
  // Local pointers: the byte stores could otherwise alias planes[] and force a reload per step.
  const uint8_t *p0 = planes[0], *p1 = planes[1], *p2 = planes[2], *p3 = planes[cn - 1];
  for (; i + N <= n; i += N) {
    const auto a = hn::LoadU(d, p0 + i), b = hn::LoadU(d, p1 + i), c = hn::LoadU(d, p2 + i);
    uint8_t* out = stream ? buf : dst + i * cn;
    if (cn == 3) hn::StoreInterleaved3(a, b, c, d, out);
    else hn::StoreInterleaved4(a, b, c, hn::LoadU(d, p3 + i), d, out);
    if (stream)
      for (int64_t k = 0; k < cn; ++k) hn::Stream(hn::Load(d, buf + k * N), d, dst + i * cn + k * N);
  }
  if (stream) hwy::FlushStream();  // order the streamed stores before the caller signals completion
  return i;
}

// setTo with a mask: pixels whose mask byte is nonzero take `colour`; a vector of pixels whose mask
// is all zero is neither loaded nor stored (the image is written only where it changes).
int64_t SetToU8(uint8_t* row, const uint8_t* mask, int64_t n, int64_t cn, const uint8_t* colour) {
  const hn::ScalableTag<uint8_t> d;
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  const auto zero = hn::Zero(d);
  int64_t i = 0;
  if (cn != 1 && cn != 3 && cn != 4) return 0;
  const auto c0 = hn::Set(d, colour[0]), c1 = hn::Set(d, colour[cn > 1 ? 1 : 0]), c2 = hn::Set(d, colour[cn > 2 ? 2 : 0]),
             c3 = hn::Set(d, colour[cn - 1]);
  for (; i + N <= n; i += N) {
    const auto keep = hn::Eq(hn::LoadU(d, mask + i), zero);
    if (hn::AllTrue(d, keep)) continue;
    if (cn == 1) {
      hn::StoreU(hn::IfThenElse(keep, hn::LoadU(d, row + i), c0), d, row + i);
    } else if (cn == 3) {
      hn::Vec<decltype(d)> a, b, c;
      hn::LoadInterleaved3(d, row + 3 * i, a, b, c);
      hn::StoreInterleaved3(hn::IfThenElse(keep, a, c0), hn::IfThenElse(keep, b, c1), hn::IfThenElse(keep, c, c2), d,
                            row + 3 * i);
    } else {
      hn::Vec<decltype(d)> a, b, c, e;
      hn::LoadInterleaved4(d, row + 4 * i, a, b, c, e);
      hn::StoreInterleaved4(hn::IfThenElse(keep, a, c0), hn::IfThenElse(keep, b, c1), hn::IfThenElse(keep, c, c2),
                            hn::IfThenElse(keep, e, c3), d, row + 4 * i);
    }
  }
  return i;
}

// Byte-wise NOT / AND / OR / XOR (op: BitKernel), two vectors per step so that loads and stores
// of neighbouring vectors overlap.
int64_t BitU8(int op, const uint8_t* a, const uint8_t* b, uint8_t* dst, int64_t n) {
  const hn::ScalableTag<uint8_t> d;
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  auto apply = [&](int64_t i) {
    const auto x = hn::LoadU(d, a + i);
    if (op == kBitNot) return hn::Not(x);
    const auto y = hn::LoadU(d, b + i);
    return op == kBitAnd ? hn::And(x, y) : op == kBitOr ? hn::Or(x, y) : hn::Xor(x, y);
  };
  int64_t i = 0;
  for (; i + 2 * N <= n; i += 2 * N) {
    const auto v0 = apply(i), v1 = apply(i + N);
    hn::StoreU(v0, d, dst + i);
    hn::StoreU(v1, d, dst + i + N);
  }
  for (; i + N <= n; i += N) hn::StoreU(apply(i), d, dst + i);
  return i;
}

#if HWY_TARGET != HWY_SCALAR
template <class V>
HWY_INLINE V ApplyBit(int op, V x, V y) {
  if (op == kBitNot) return hn::Not(x);
  return op == kBitAnd ? hn::And(x, y) : op == kBitOr ? hn::Or(x, y) : hn::Xor(x, y);
}
#endif

// BitU8 on whole pixels of px_bytes 1 or 3 with a mask: pixels whose mask byte is 0 become 0.
int64_t BitMaskedU8(int op, const uint8_t* a, const uint8_t* b, const uint8_t* mask, int64_t px_bytes, uint8_t* dst,
                    int64_t pixels) {
#if HWY_TARGET == HWY_SCALAR
  (void)op, (void)a, (void)b, (void)mask, (void)px_bytes, (void)dst, (void)pixels;
  return 0;
#else
  namespace pg = pixel_groups::HWY_NAMESPACE;
  const pg::GroupTag d;
  constexpr int64_t G = pg::kGroupLanes;
  const auto zero = hn::Zero(d);
  int64_t i = 0;
  if (px_bytes == 1) {
    for (; i + G <= pixels; i += G) {
      const auto keep = hn::VecFromMask(d, hn::Ne(hn::LoadU(d, mask + i), zero));
      hn::StoreU(hn::And(ApplyBit(op, hn::LoadU(d, a + i), hn::LoadU(d, b + i)), keep), d, dst + i);
    }
  } else if (px_bytes == 3) {
    const auto spread0 = pg::Table(pixel_groups::kTables.gray3[0]);
    const auto spread1 = pg::Table(pixel_groups::kTables.gray3[1]);
    const auto spread2 = pg::Table(pixel_groups::kTables.gray3[2]);
    for (; i + G <= pixels; i += G) {
      pg::GroupVec x0, x1, x2, y0, y1, y2;
      pg::LoadGroups(a + 3 * i, x0, x1, x2);
      if (op != kBitNot) pg::LoadGroups(b + 3 * i, y0, y1, y2);
      const auto keep = hn::VecFromMask(d, hn::Ne(hn::LoadU(d, mask + i), zero));
      pg::StoreGroups<false>(hn::And(ApplyBit(op, x0, y0), hn::TableLookupBytes(keep, spread0)),
                             hn::And(ApplyBit(op, x1, y1), hn::TableLookupBytes(keep, spread1)),
                             hn::And(ApplyBit(op, x2, y2), hn::TableLookupBytes(keep, spread2)), dst + 3 * i);
    }
  }
  return i;
#endif
}

}  // namespace ojo::mask_detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace ojo::mask_detail {
HWY_EXPORT(InRangeU8);
HWY_EXPORT(SplitU8);
HWY_EXPORT(MergeU8);
HWY_EXPORT(SetToU8);
HWY_EXPORT(BitU8);
HWY_EXPORT(BitMaskedU8);
int64_t bit_masked_u8_fast(int op, const uint8_t* a, const uint8_t* b, const uint8_t* mask, int64_t px_bytes,
                           uint8_t* dst, int64_t pixels) {
  return HWY_DYNAMIC_DISPATCH(BitMaskedU8)(op, a, b, mask, px_bytes, dst, pixels);
}
int64_t bit_u8_fast(int op, const uint8_t* a, const uint8_t* b, uint8_t* dst, int64_t n) {
  return HWY_DYNAMIC_DISPATCH(BitU8)(op, a, b, dst, n);
}
int64_t setto_u8_fast(uint8_t* row, const uint8_t* mask, int64_t n, int64_t cn, const uint8_t* colour) {
  return HWY_DYNAMIC_DISPATCH(SetToU8)(row, mask, n, cn, colour);
}
int64_t split_u8_fast(const uint8_t* src, uint8_t* const* planes, int64_t n, int64_t cn, bool stream) {
  return HWY_DYNAMIC_DISPATCH(SplitU8)(src, planes, n, cn, stream);
}
int64_t merge_u8_fast(const uint8_t* const* planes, uint8_t* dst, int64_t n, int64_t cn, bool stream) {
  return HWY_DYNAMIC_DISPATCH(MergeU8)(planes, dst, n, cn, stream);
}
int64_t inrange_u8_fast(const uint8_t* src, uint8_t* dst, int64_t n, int64_t cn, const uint8_t* lo, const uint8_t* hi) {
  return HWY_DYNAMIC_DISPATCH(InRangeU8)(src, dst, n, cn, lo, hi);
}
}  // namespace ojo::mask_detail
#endif
