// Internal: 3-byte pixels moved in 16-pixel groups (Highway, included once per target by the
// kernels' .cpp files, after hwy/highway.h).
//
// 16 pixels of 3 bytes are 48 bytes: three 128-bit blocks. Byte shuffles (pshufb) and blends work
// inside a 128-bit block, so the groups are first laid across the vectors' blocks: in group
// vectors x0, x1, x2, block j holds group j's bytes [0, 16), [16, 32) and [32, 48). From there a
// channel of 16 pixels is two blends (the byte positions of channel c repeat every 3 bytes, so
// each position takes its block from one of three) and one byte shuffle; the reverse is one
// shuffle and two blends per block. That is OpenCV's AVX2 layout; Highway's LoadInterleaved3 and
// StoreInterleaved3 spend three shuffles and two ORs per output vector instead. Vectors are capped
// at 256 bits, whose halves are one block each (Concat* moves them); 128-bit targets have one
// group per vector and nothing to move.
//
// Every table is a pure function of the byte position, built at compile time below.

// ---- the tables: once, not per target
#ifndef OJO_IMGPROC_PIXEL_GROUPS_TABLES_
#define OJO_IMGPROC_PIXEL_GROUPS_TABLES_
#include <cstdint>

namespace ojo::pixel_groups {

constexpr uint8_t kZero = 0x80;  // a shuffle index that yields a zero byte

struct Tables {
  // Blend masks: 0xFF at block positions p with p % 3 == 0 (== 1).
  alignas(16) uint8_t rem0[16] = {}, rem1[16] = {};
  // Deinterleave: channel c's blended block holds pixel (16s + p) / 3 at p; this puts pixel j at j.
  alignas(16) uint8_t gather[3][16] = {};
  // Interleave: the shuffle that puts pixel (16s + p) / 3 of channel c at p, s the block that
  // position p of channel c comes from.
  alignas(16) uint8_t scatter[3][16] = {};
  // Gray -> 3 channels: block s byte p is pixel (16s + p) / 3.
  alignas(16) uint8_t gray3[3][16] = {};
  // Channel 0 <-> 2 swap: block s byte p from block t (kZero where it comes from another block).
  alignas(16) uint8_t swap[3][3][16] = {};
  // 3 -> 4 channels, 4 pixels per block from 12 bytes; the alpha bytes are zero, plain or swapped.
  alignas(16) uint8_t widen[2][16] = {};
  alignas(16) uint8_t alpha[16] = {};
};

constexpr Tables make_tables() {
  Tables t;
  for (int p = 0; p < 16; ++p) {
    t.rem0[p] = p % 3 == 0 ? 0xFF : 0;
    t.rem1[p] = p % 3 == 1 ? 0xFF : 0;
    for (int c = 0; c < 3; ++c) {
      const int q = 3 * p + c;  // group byte of pixel p, channel c
      t.gather[c][p] = static_cast<uint8_t>(q % 16);
      const int s = ((c - p) % 3 + 3) % 3;  // the block whose position p holds channel c
      t.scatter[c][p] = static_cast<uint8_t>((16 * s + p) / 3);
    }
    for (int s = 0; s < 3; ++s) {
      const int q = 16 * s + p;
      t.gray3[s][p] = static_cast<uint8_t>(q / 3);
      const int from = q + 2 - 2 * (q % 3);  // the same pixel, channel 2 - c
      for (int b = 0; b < 3; ++b) t.swap[s][b][p] = from / 16 == b ? static_cast<uint8_t>(from % 16) : kZero;
    }
    const int pixel = p / 4, c = p % 4;
    t.widen[0][p] = c == 3 ? kZero : static_cast<uint8_t>(3 * pixel + c);
    t.widen[1][p] = c == 3 ? kZero : static_cast<uint8_t>(3 * pixel + 2 - c);
    t.alpha[p] = c == 3 ? 0xFF : 0;
  }
  return t;
}

inline constexpr Tables kTables = make_tables();

}  // namespace ojo::pixel_groups
#endif

// ---- the kernels: per target
#if defined(OJO_IMGPROC_PIXEL_GROUPS_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef OJO_IMGPROC_PIXEL_GROUPS_INL_H_
#undef OJO_IMGPROC_PIXEL_GROUPS_INL_H_
#else
#define OJO_IMGPROC_PIXEL_GROUPS_INL_H_
#endif

HWY_BEFORE_NAMESPACE();
namespace ojo::pixel_groups::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET != HWY_SCALAR
// The tag for group kernels: 128 or 256 bits (one or two groups of 16 pixels per vector).
using GroupTag = hn::CappedTag<uint8_t, 32>;
using GroupVec = hn::Vec<GroupTag>;
constexpr int64_t kGroupLanes = static_cast<int64_t>(hn::MaxLanes(GroupTag()));

HWY_INLINE GroupVec Table(const uint8_t* block) { return hn::LoadDup128(GroupTag(), block); }

// 3 vectors of bytes at p, laid out as groups: block j of x_s = bytes [16s, 16s+16) of group j.
HWY_INLINE void LoadGroups(const uint8_t* p, GroupVec& x0, GroupVec& x1, GroupVec& x2) {
  const GroupTag d;
  const GroupVec a0 = hn::LoadU(d, p), a1 = hn::LoadU(d, p + kGroupLanes), a2 = hn::LoadU(d, p + 2 * kGroupLanes);
  if constexpr (kGroupLanes == 16) {
    x0 = a0, x1 = a1, x2 = a2;
  } else {  // memory blocks 0..5 = (a0 a0')(a1 a1')(a2 a2'): groups are (0 1 2) and (3 4 5)
    x0 = hn::ConcatUpperLower(d, a1, a0);
    x1 = hn::ConcatLowerUpper(d, a2, a0);
    x2 = hn::ConcatUpperLower(d, a2, a1);
  }
}

// A vector to p: a plain store, or with kStream a non-temporal one (p aligned to the vector).
template <bool kStream>
HWY_INLINE void Put(GroupVec v, uint8_t* p) {
  if constexpr (kStream) hn::Stream(v, GroupTag(), p);
  else hn::StoreU(v, GroupTag(), p);
}

// The inverse of LoadGroups.
template <bool kStream>
HWY_INLINE void StoreGroups(GroupVec x0, GroupVec x1, GroupVec x2, uint8_t* p) {
  const GroupTag d;
  if constexpr (kGroupLanes == 16) {
    Put<kStream>(x0, p), Put<kStream>(x1, p + 16), Put<kStream>(x2, p + 32);
  } else {
    Put<kStream>(hn::ConcatLowerLower(d, x1, x0), p);
    Put<kStream>(hn::ConcatUpperLower(d, x0, x2), p + kGroupLanes);
    Put<kStream>(hn::ConcatUpperUpper(d, x2, x1), p + 2 * kGroupLanes);
  }
}

// kGroupLanes pixels of 3 bytes at src -> their channels c0, c1, c2.
HWY_INLINE void Deinterleave3(const uint8_t* src, GroupVec& c0, GroupVec& c1, GroupVec& c2) {
  const auto m0 = hn::MaskFromVec(Table(kTables.rem0)), m1 = hn::MaskFromVec(Table(kTables.rem1));
  GroupVec x0, x1, x2;
  LoadGroups(src, x0, x1, x2);
  // Position p of channel c lies in block (c - p) mod 3.
  c0 = hn::TableLookupBytes(hn::IfThenElse(m0, x0, hn::IfThenElse(m1, x2, x1)), Table(kTables.gather[0]));
  c1 = hn::TableLookupBytes(hn::IfThenElse(m0, x1, hn::IfThenElse(m1, x0, x2)), Table(kTables.gather[1]));
  c2 = hn::TableLookupBytes(hn::IfThenElse(m0, x2, hn::IfThenElse(m1, x1, x0)), Table(kTables.gather[2]));
}

// Channels c0, c1, c2 of kGroupLanes pixels -> 3-byte pixels at dst.
template <bool kStream>
HWY_INLINE void Interleave3(GroupVec c0, GroupVec c1, GroupVec c2, uint8_t* dst) {
  const auto m0 = hn::MaskFromVec(Table(kTables.rem0)), m1 = hn::MaskFromVec(Table(kTables.rem1));
  const GroupVec y0 = hn::TableLookupBytes(c0, Table(kTables.scatter[0]));
  const GroupVec y1 = hn::TableLookupBytes(c1, Table(kTables.scatter[1]));
  const GroupVec y2 = hn::TableLookupBytes(c2, Table(kTables.scatter[2]));
  // Position p of block s holds channel (s + p) mod 3.
  StoreGroups<kStream>(hn::IfThenElse(m0, y0, hn::IfThenElse(m1, y1, y2)),
                       hn::IfThenElse(m0, y1, hn::IfThenElse(m1, y2, y0)),
                       hn::IfThenElse(m0, y2, hn::IfThenElse(m1, y0, y1)), dst);
}

// kGroupLanes gray bytes -> 3-byte pixels (v, v, v) at dst.
template <bool kStream>
HWY_INLINE void Gray3(GroupVec gray, uint8_t* dst) {
  StoreGroups<kStream>(hn::TableLookupBytes(gray, Table(kTables.gray3[0])),
                       hn::TableLookupBytes(gray, Table(kTables.gray3[1])),
                       hn::TableLookupBytes(gray, Table(kTables.gray3[2])), dst);
}

// kGroupLanes 3-byte pixels at src with channels 0 and 2 swapped, to dst.
template <bool kStream>
HWY_INLINE void Swap3(const uint8_t* src, uint8_t* dst) {
  GroupVec x0, x1, x2;
  LoadGroups(src, x0, x1, x2);
  auto from = [&](int s, int b, GroupVec x) { return hn::TableLookupBytesOr0(x, Table(kTables.swap[s][b])); };
  StoreGroups<kStream>(hn::Or(from(0, 0, x0), from(0, 1, x1)),
                       hn::Or(hn::Or(from(1, 0, x0), from(1, 1, x1)), from(1, 2, x2)),
                       hn::Or(from(2, 1, x1), from(2, 2, x2)), dst);
}

// kGroupLanes / 4 pixels of 3 bytes at src -> 4-byte pixels at dst, channels in `order`
// (kTables.widen), alpha from `opaque` (kTables.alpha). Reads 4 bytes past the pixels it converts.
template <bool kStream>
HWY_INLINE void Widen3To4(const uint8_t* src, uint8_t* dst, GroupVec order, GroupVec opaque) {
  const GroupTag d;
  GroupVec v;
  if constexpr (kGroupLanes == 16) {
    v = hn::LoadU(d, src);
  } else {  // block j holds source bytes [12j, 12j + 16)
    const hn::Half<GroupTag> dh;
    v = hn::Combine(d, hn::LoadU(dh, src + 12), hn::LoadU(dh, src));
  }
  Put<kStream>(hn::Or(hn::TableLookupBytesOr0(v, order), opaque), dst);
}
#endif  // HWY_TARGET != HWY_SCALAR

}  // namespace ojo::pixel_groups::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // per-target include guard
