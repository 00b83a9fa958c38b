// inRange, bitwise_*, setTo, copyTo, colorMask, chromaKey — reference loops and fast paths.
// Fast paths: contiguous byte loops the compiler vectorises, rows split with parallel_for, and the
// Highway inRange kernel for u8 images (mask_fast.cpp). Everything else uses the reference loop.
#include "ojo/imgproc/mask.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <string>

#include "mask_kernels.hpp"
#include "ojo/core/parallel.hpp"
#include "ojo/core/saturate.hpp"
#include "ojo/imgproc/color.hpp"

namespace ojo {
namespace {

int64_t channels_of(const Tensor& t) { return t.dim() == 3 ? t.size(2) : 1; }

// A mask for an {H, W, ...} image: u8 / i8 / bool, {H, W} or {H, W, 1} (or {H, W, C} when
// `per_channel_ok`). Returns a contiguous tensor whose bytes are tested for != 0.
Tensor checked_mask(const Tensor& mask, const Tensor& img, const char* op, bool per_channel_ok = false) {
  if (!mask.defined()) fail(op, "mask is undefined");
  if (mask.dtype() != DType::u8 && mask.dtype() != DType::i8 && mask.dtype() != DType::boolean)
    fail(op, "mask must be uint8 (or int8/bool), got ", dtype_name(mask.dtype()));
  const bool shape_ok = (mask.dim() == 2 || (mask.dim() == 3 && (mask.size(2) == 1 ||
                                                                  (per_channel_ok && mask.size(2) == channels_of(img))))) &&
                        mask.size(0) == img.size(0) && mask.size(1) == img.size(1);
  if (!shape_ok)
    fail(op, "mask shape ", shape_str(mask.shape()), " does not match the image shape ", shape_str(img.shape()),
         per_channel_ok ? " (expected {H, W}, {H, W, 1} or {H, W, C})" : " (expected {H, W} or {H, W, 1})");
  return mask.contiguous();
}
const uint8_t* mask_bytes(const Tensor& m) { return static_cast<const uint8_t*>(m.raw_data()); }

void check_same(const Tensor& a, const Tensor& b, const char* op) {
  if (!b.defined()) fail(op, "second operand is undefined");
  if (a.shape() != b.shape())
    fail(op, "operands differ in shape: ", shape_str(a.shape()), " and ", shape_str(b.shape()),
         " (expected the same shape; OpenCV's 'Sizes of input arguments do not match')");
  if (a.dtype() != b.dtype())
    fail(op, "operands differ in dtype: ", dtype_name(a.dtype()), " and ", dtype_name(b.dtype()));
}

// ----------------------------------------------------------------------------- inRange
template <class T>
struct TypedBounds {
  T lo[4], hi[4];
};

template <class T>
TypedBounds<T> typed_bounds(const std::vector<double>& lb, const std::vector<double>& ub, int64_t cn) {
  TypedBounds<T> b{};
  for (int64_t c = 0; c < cn; ++c) {
    const double l = lb.size() == 1 ? lb[0] : lb[c], u = ub.size() == 1 ? ub[0] : ub[c];
    if constexpr (std::is_floating_point_v<T>) {
      b.lo[c] = static_cast<T>(l), b.hi[c] = static_cast<T>(u);
    } else if constexpr (sizeof(T) < 4) {  // OpenCV: round to int, empty if out of range, then saturate
      int il = saturate_cast<int32_t>(l), iu = saturate_cast<int32_t>(u);
      const int mn = std::numeric_limits<T>::min(), mx = std::numeric_limits<T>::max();
      if (il > iu || il > mx || iu < mn) il = mn + 1, iu = mn;
      b.lo[c] = saturate_cast<T>(il), b.hi[c] = saturate_cast<T>(iu);
    } else {
      b.lo[c] = saturate_cast<T>(l), b.hi[c] = saturate_cast<T>(u);
    }
  }
  return b;
}

void check_inrange(const Tensor& src, const std::vector<double>& lb, const std::vector<double>& ub) {
  const char* op = "inRange";
  const int64_t cn = check_image(src, op);
  if (src.dtype() == DType::boolean || src.dtype() == DType::i64)
    fail(op, "unsupported dtype ", dtype_name(src.dtype()), " (OpenCV has no such depth; use uint8)");
  for (const auto* b : {&lb, &ub}) {
    const char* which = b == &lb ? "lowerb" : "upperb";
    if (b->size() != 1 && static_cast<int64_t>(b->size()) != cn)
      fail(op, which, " has ", b->size(), " values but the image has ", cn, " channel", cn == 1 ? "" : "s",
           " (shape ", shape_str(src.shape()), "); give one value per channel or a single value");
  }
}

template <class T>
void inrange_rows(const T* s, uint8_t* d, int64_t pixels, int64_t cn, const TypedBounds<T>& b) {
  for (int64_t i = 0; i < pixels; ++i, s += cn) {
    bool in = true;
    for (int64_t c = 0; c < cn; ++c) in = in && b.lo[c] <= s[c] && s[c] <= b.hi[c];
    d[i] = in ? 255 : 0;
  }
}

Tensor inrange_impl(const Tensor& src, const std::vector<double>& lb, const std::vector<double>& ub, bool fast) {
  check_inrange(src, lb, ub);
  const int64_t cn = channels_of(src), h = src.size(0), w = src.size(1);
  const Tensor in = src.contiguous();
  Tensor out = Tensor::empty({h, w}, DType::u8);
  uint8_t* d = out.data<uint8_t>();
  visit_dtype(src.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (!std::is_same_v<T, bool> && !std::is_same_v<T, int64_t>) {
      const TypedBounds<T> b = typed_bounds<T>(lb, ub, cn);
      const T* s = in.data<T>();
      if (!fast) return inrange_rows(s, d, h * w, cn, b);
      parallel_for(0, h, std::max<int64_t>(1, 65536 / w), [&](int64_t y0, int64_t y1) {
        const int64_t n = (y1 - y0) * w;
        int64_t done = 0;
        if constexpr (std::is_same_v<T, uint8_t>) done = mask_detail::inrange_u8_fast(s + y0 * w * cn, d + y0 * w, n, cn, b.lo, b.hi);
        inrange_rows(s + (y0 * w + done) * cn, d + y0 * w + done, n - done, cn, b);
      });
    }
  });
  return out;
}

// ----------------------------------------------------------------------------- bitwise
enum class BitOp { NOT, AND, OR, XOR };
static_assert(static_cast<int>(BitOp::XOR) == mask_detail::kBitXor && static_cast<int>(BitOp::NOT) == mask_detail::kBitNot);

const char* bit_name(BitOp op) {
  switch (op) {
    case BitOp::NOT: return "bitwise_not";
    case BitOp::AND: return "bitwise_and";
    case BitOp::OR: return "bitwise_or";
    default: return "bitwise_xor";
  }
}

inline uint8_t apply(BitOp op, uint8_t a, uint8_t b) {
  switch (op) {
    case BitOp::NOT: return static_cast<uint8_t>(~a);
    case BitOp::AND: return a & b;
    case BitOp::OR: return a | b;
    default: return a ^ b;
  }
}

template <BitOp OP>
void bit_bytes(const uint8_t* __restrict a, const uint8_t* __restrict b, uint8_t* __restrict d, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    if constexpr (OP == BitOp::NOT) d[i] = static_cast<uint8_t>(~a[i]);
    else if constexpr (OP == BitOp::AND) d[i] = a[i] & b[i];
    else if constexpr (OP == BitOp::OR) d[i] = a[i] | b[i];
    else d[i] = a[i] ^ b[i];
  }
}

Tensor bitwise_impl(BitOp op, const Tensor& a, const Tensor& b, const Tensor& mask, bool fast) {
  const char* name = bit_name(op);
  check_image(a, name);
  if (op != BitOp::NOT) check_same(a, b, name);
  Tensor m;
  if (mask.defined()) m = checked_mask(mask, a, name);
  const Tensor ca = a.contiguous(), cb = op == BitOp::NOT ? ca : b.contiguous();
  Tensor out = Tensor::empty(a.shape(), a.dtype());
  const int64_t pixels = a.size(0) * a.size(1);
  const int64_t px_bytes = channels_of(a) * static_cast<int64_t>(a.element_size());
  const uint8_t* pa = static_cast<const uint8_t*>(ca.raw_data());
  const uint8_t* pb = static_cast<const uint8_t*>(cb.raw_data());
  uint8_t* pd = static_cast<uint8_t*>(out.raw_data());
  const uint8_t* pm = m.defined() ? mask_bytes(m) : nullptr;
  const bool logical_not = op == BitOp::NOT && a.dtype() == DType::boolean;
  auto body = [&, pa, pb, pd, pm](int64_t p0, int64_t p1) {  // pointers by value: byte stores must not alias them
    if (fast && pm && !logical_not)  // op and mask in one pass where a kernel exists
      p0 += mask_detail::bit_masked_u8_fast(static_cast<int>(op), pa + p0 * px_bytes, pb + p0 * px_bytes, pm + p0,
                                            px_bytes, pd + p0 * px_bytes, p1 - p0);
    const int64_t o = p0 * px_bytes, n = (p1 - p0) * px_bytes;
    if (!fast) {
      for (int64_t i = 0; i < n; ++i) pd[o + i] = logical_not ? !pa[o + i] : apply(op, pa[o + i], pb[o + i]);
    } else if (logical_not) {
      for (int64_t i = 0; i < n; ++i) pd[o + i] = pa[o + i] ^ 1;
    } else {
      // BitOp's order is mask_detail's kBitNot..kBitXor; the scalar loop finishes the tail.
      const int64_t v = mask_detail::bit_u8_fast(static_cast<int>(op), pa + o, pb + o, pd + o, n);
      const int64_t ov = o + v, nv = n - v;
      switch (op) {
        case BitOp::NOT: bit_bytes<BitOp::NOT>(pa + ov, pb + ov, pd + ov, nv); break;
        case BitOp::AND: bit_bytes<BitOp::AND>(pa + ov, pb + ov, pd + ov, nv); break;
        case BitOp::OR: bit_bytes<BitOp::OR>(pa + ov, pb + ov, pd + ov, nv); break;
        case BitOp::XOR: bit_bytes<BitOp::XOR>(pa + ov, pb + ov, pd + ov, nv); break;
      }
    }
    if (!pm) return;
    uint8_t* __restrict d = pd;
    const uint8_t* __restrict m = pm;
    for (int64_t p = p0; p < p1; ++p) {
      const uint8_t keep = m[p] ? 0xFF : 0;
      for (int64_t k = 0; k < px_bytes; ++k) d[p * px_bytes + k] &= keep;
    }
  };
  if (fast) parallel_for(0, pixels, 1 << 16, body);
  else body(0, pixels);
  return out;
}

// ----------------------------------------------------------------------------- setTo / copyTo
Tensor setto_impl(const Tensor& img, const std::vector<double>& value, const Tensor& mask, bool fast) {
  const char* op = "setTo";
  const int64_t cn = check_image(img, op);
  if (value.size() != 1 && static_cast<int64_t>(value.size()) != cn)
    fail(op, "value has ", value.size(), " entries but the image has ", cn, " channel", cn == 1 ? "" : "s",
         " (shape ", shape_str(img.shape()), "); give one per channel or a single value");
  if (!mask.defined()) {
    Tensor view = img;  // fill_ is non-const; it writes through this shared view
    if (value.size() == 1) view.fill_(value[0]);
    else view.fill_(value);
    return img;
  }
  const Tensor m = checked_mask(mask, img, op);
  const uint8_t* pm = mask_bytes(m);
  const int64_t h = img.size(0), w = img.size(1);
  visit_dtype(img.dtype(), [&](auto tag) {
    using T = decltype(tag);
    T colour[4];
    for (int64_t c = 0; c < cn; ++c) colour[c] = saturate_cast<T>(value.size() == 1 ? value[0] : value[c]);
    T* base = img.data<T>();  // writes go through the view's strides
    const int64_t sy = img.strides()[0], sx = img.strides()[1], sc = img.dim() == 3 ? img.strides()[2] : 1;
    auto body = [&](int64_t y0, int64_t y1) {
      for (int64_t y = y0; y < y1; ++y) {
        const uint8_t* mrow = pm + y * w;
        T* row = base + y * sy;
        int64_t x0 = 0;  // pixels done by the vector kernel
        if constexpr (std::is_same_v<T, uint8_t>)
          if (fast && sx == cn && sc == 1) x0 = mask_detail::setto_u8_fast(row, mrow, w, cn, colour);
        if (fast && sx == cn && sc == 1 && cn == 1) {
          const T c0 = colour[0];
          T* __restrict r = row;
          const uint8_t* __restrict m = mrow;
          if constexpr (sizeof(T) == 1 && !std::is_same_v<T, bool>) {  // branchless byte select, vectorises
            const uint8_t cb = static_cast<uint8_t>(c0);
            uint8_t* __restrict rb = reinterpret_cast<uint8_t*>(r);
            for (int64_t x = x0; x < w; ++x) {
              const uint8_t sel = static_cast<uint8_t>(-static_cast<int>(m[x] != 0));
              rb[x] = static_cast<uint8_t>((rb[x] & ~sel) | (cb & sel));
            }
          } else {
            for (int64_t x = x0; x < w; ++x) r[x] = m[x] ? c0 : r[x];
          }
          continue;
        }
        if (fast && sx == cn && sc == 1 && cn == 3) {
          const T c0 = colour[0], c1 = colour[1], c2 = colour[2];
          T* __restrict r = row;
          for (int64_t x = x0; x < w; ++x)
            if (mrow[x]) r[3 * x] = c0, r[3 * x + 1] = c1, r[3 * x + 2] = c2;
          continue;
        }
        for (int64_t x = x0; x < w; ++x)
          if (mrow[x])
            for (int64_t c = 0; c < cn; ++c) row[x * sx + c * sc] = colour[c];
      }
    };
    if (fast) parallel_for(0, h, std::max<int64_t>(1, 65536 / w), body);
    else body(0, h);
  });
  return img;
}

void copyto_impl(const Tensor& src, const Tensor& dst, const Tensor& mask, bool fast) {
  const char* op = "copyTo";
  const int64_t cn = check_image(src, op);
  if (!dst.defined()) fail(op, "destination is undefined");
  if (dst.shape() != src.shape() || dst.dtype() != src.dtype())
    fail(op, "destination is ", dtype_name(dst.dtype()), " ", shape_str(dst.shape()), ", expected ",
         dtype_name(src.dtype()), " ", shape_str(src.shape()), " like the source");
  const Tensor m = checked_mask(mask, src, op, true);
  const bool per_channel = m.dim() == 3 && m.size(2) == cn && cn > 1;
  const Tensor s = src.contiguous();
  const uint8_t* pm = mask_bytes(m);
  const int64_t h = src.size(0), w = src.size(1);
  visit_dtype(src.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* ps = s.data<T>();
    T* base = dst.data<T>();
    const int64_t sy = dst.strides()[0], sx = dst.strides()[1], sc = dst.dim() == 3 ? dst.strides()[2] : 1;
    auto body = [&](int64_t y0, int64_t y1) {
      for (int64_t y = y0; y < y1; ++y) {
        const T* srow = ps + y * w * cn;
        T* row = base + y * sy;
        if (fast && sx == cn && sc == 1 && (per_channel || cn == 1)) {  // one mask byte per element
          const uint8_t* __restrict mrow = pm + y * w * cn;
          const T* __restrict sr = srow;
          T* __restrict r = row;
          for (int64_t i = 0; i < w * cn; ++i) r[i] = mrow[i] ? sr[i] : r[i];
          continue;
        }
        if (fast && sx == cn && sc == 1) {
          const uint8_t* __restrict mrow = pm + y * w;
          const T* __restrict sr = srow;
          T* __restrict r = row;
          for (int64_t x = 0; x < w; ++x)
            if (mrow[x])
              for (int64_t c = 0; c < cn; ++c) r[x * cn + c] = sr[x * cn + c];
          continue;
        }
        for (int64_t x = 0; x < w; ++x)
          for (int64_t c = 0; c < cn; ++c)
            if (pm[per_channel ? (y * w + x) * cn + c : y * w + x]) row[x * sx + c * sc] = srow[x * cn + c];
      }
    };
    if (fast) parallel_for(0, h, std::max<int64_t>(1, 65536 / w), body);
    else body(0, h);
  });
}

}  // namespace

// ----------------------------------------------------------------------------- public
Tensor inRange(const Tensor& src, const std::vector<double>& lowerb, const std::vector<double>& upperb) {
  return inrange_impl(src, lowerb, upperb, true);
}
Tensor inRange(const Tensor& src, double lowerb, double upperb) {
  return inrange_impl(src, {lowerb}, {upperb}, true);
}
Tensor bitwise_not(const Tensor& src, const Tensor& mask) { return bitwise_impl(BitOp::NOT, src, src, mask, true); }
Tensor bitwise_and(const Tensor& a, const Tensor& b, const Tensor& mask) { return bitwise_impl(BitOp::AND, a, b, mask, true); }
Tensor bitwise_or(const Tensor& a, const Tensor& b, const Tensor& mask) { return bitwise_impl(BitOp::OR, a, b, mask, true); }
Tensor bitwise_xor(const Tensor& a, const Tensor& b, const Tensor& mask) { return bitwise_impl(BitOp::XOR, a, b, mask, true); }
Tensor setTo(const Tensor& img, const std::vector<double>& value, const Tensor& mask) {
  return setto_impl(img, value, mask, true);
}
void copyTo(const Tensor& src, const Tensor& dst, const Tensor& mask) { copyto_impl(src, dst, mask, true); }
Tensor copyTo(const Tensor& src, const Tensor& mask) {
  check_image(src, "copyTo");
  Tensor out = zeros(src.shape(), src.dtype());
  copyto_impl(src, out, mask, true);
  return out;
}

Tensor colorMask(const Tensor& img, const std::vector<double>& colour) {
  const char* op = "colorMask";
  const int64_t cn = check_image(img, op);
  if (img.dtype() != DType::u8) fail(op, "expected a uint8 image, got ", dtype_name(img.dtype()));
  if (static_cast<int64_t>(colour.size()) != cn)
    fail(op, "colour has ", colour.size(), " values but the image has ", cn, " channel", cn == 1 ? "" : "s",
         " (shape ", shape_str(img.shape()), ")");
  // Equality with an integer colour in 0..255 is inRange(img, colour, colour); anything else matches
  // nothing, as np.all(img == colour) would.
  for (double v : colour)
    if (!(v >= 0 && v <= 255 && v == static_cast<double>(static_cast<int>(v))))
      return zeros({img.size(0), img.size(1)}, DType::u8);
  return inRange(img, colour, colour);
}

Tensor chromaKey(const Tensor& scene, const Tensor& background, const ChromaKeyOptions& o) {
  const char* op = "chromaKey";
  const int64_t cn = check_image(scene, op);
  if (!background.defined()) fail(op, "background is undefined");
  const int64_t bcn = check_image(background, op);
  if (scene.dtype() != DType::u8 || background.dtype() != DType::u8)
    fail(op, "expected uint8 scene and background, got ", dtype_name(scene.dtype()), " and ",
         dtype_name(background.dtype()));
  if (cn != bcn)
    fail(op, "scene has ", cn, " channels but the background has ", bcn, " (shapes ", shape_str(scene.shape()), " and ",
         shape_str(background.shape()), ")");
  if (o.space == KeySpace::HSV && cn != 3)
    fail(op, "HSV keying needs a 3-channel RGB scene, got shape ", shape_str(scene.shape()));
  if (o.origin.x < 0 || o.origin.y < 0)
    fail(op, "origin must be >= 0, got (", o.origin.x, ", ", o.origin.y, ")");
  const int64_t h = scene.size(0), w = scene.size(1);
  if (background.size(0) < o.origin.y + h || background.size(1) < o.origin.x + w)
    fail(op, "background ", background.size(1), "x", background.size(0), " (WxH) is smaller than the scene ", w, "x", h,
         " placed at origin (", o.origin.x, ", ", o.origin.y, "); resize the background to at least ",
         w + o.origin.x, "x", h + o.origin.y, " first");
  const Tensor keyed = o.space == KeySpace::HSV ? cvtColor(scene, COLOR_RGB2HSV) : scene;
  Tensor mask;
  try {
    mask = inRange(keyed, o.lowerb, o.upperb);
  } catch (const Error& e) {
    throw Error(std::string("chromaKey: ") + e.what());
  }
  const Tensor crop = background.index({Slice(o.origin.y, o.origin.y + h), Slice(o.origin.x, o.origin.x + w)});
  Tensor out = scene.clone();
  copyTo(crop, out, mask);
  return out;
}

namespace ref {
Tensor inRange(const Tensor& src, const std::vector<double>& lowerb, const std::vector<double>& upperb) {
  return inrange_impl(src, lowerb, upperb, false);
}
Tensor bitwise_not(const Tensor& src, const Tensor& mask) { return bitwise_impl(BitOp::NOT, src, src, mask, false); }
Tensor bitwise_and(const Tensor& a, const Tensor& b, const Tensor& mask) { return bitwise_impl(BitOp::AND, a, b, mask, false); }
Tensor bitwise_or(const Tensor& a, const Tensor& b, const Tensor& mask) { return bitwise_impl(BitOp::OR, a, b, mask, false); }
Tensor bitwise_xor(const Tensor& a, const Tensor& b, const Tensor& mask) { return bitwise_impl(BitOp::XOR, a, b, mask, false); }
Tensor setTo(const Tensor& img, const std::vector<double>& value, const Tensor& mask) {
  return setto_impl(img, value, mask, false);
}
void copyTo(const Tensor& src, const Tensor& dst, const Tensor& mask) { copyto_impl(src, dst, mask, false); }
}  // namespace ref

}  // namespace ojo
