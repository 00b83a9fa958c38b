// Copies between tensors (with dtype conversion), fills and equality — all built on for_each_row.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <vector>

#include "ojo/core/parallel.hpp"

#include "ojo/core/saturate.hpp"
#include "ojo/core/strided.hpp"
#include "ojo/core/tensor.hpp"

namespace ojo {

namespace {
template <class T>
T* base_of(const Tensor& t) {
  return static_cast<T*>(t.raw_data()) - t.offset();  // for_each_row offsets include t.offset()
}

// One row of a conversion: dst[i * dst_step] = saturate_cast<D>(src[i * src_step]), i < n.
template <class D, class S>
void convert_row(void* dst_v, int64_t dst_step, const void* src_v, int64_t src_step, int64_t n) {
  D* dst = static_cast<D*>(dst_v);
  const S* src = static_cast<const S*>(src_v);
  if (dst_step == 1 && src_step == 1) {
    if constexpr (std::is_same_v<D, S>) std::memcpy(dst, src, static_cast<size_t>(n) * sizeof(D));
    else for (int64_t i = 0; i < n; ++i) dst[i] = saturate_cast<D>(src[i]);
  } else {
    for (int64_t i = 0; i < n; ++i) dst[i * dst_step] = saturate_cast<D>(src[i * src_step]);
  }
}
using ConvertRow = void (*)(void*, int64_t, const void*, int64_t, int64_t);

// A transposing copy in square tiles: dst[i * dst_i + j] = src[i + j * src_j] for i < ni, j < nj.
// Row by row, each destination row read its source a whole column apart, one cache line per
// element; a tile's source lines stay in L1 until all of their elements are used.
constexpr int64_t kTransposeTile = 16;  // 8 to 64 within 15% of each other (1000 x 1000 float32)
template <class U>
void transpose_tile(U* __restrict dst, int64_t dst_i, const U* __restrict src, int64_t src_j, int64_t ni, int64_t nj) {
  for (int64_t j = 0; j < nj; ++j)  // reading along the source's rows: measured 4x faster than along its columns
    for (int64_t i = 0; i < ni; ++i) dst[i * dst_i + j] = src[i + j * src_j];
}
template <class U>
void transpose_tiles(U* dst, int64_t dst_i, const U* src, int64_t src_j, int64_t ni, int64_t nj) {
  constexpr int64_t kTile = kTransposeTile;
  parallel_for(0, (ni + kTile - 1) / kTile, std::max<int64_t>(1, 65536 / std::max<int64_t>(nj * kTile, 1)),
               [&](int64_t lo, int64_t hi) {
                 for (int64_t i0 = lo * kTile; i0 < std::min(ni, hi * kTile); i0 += kTile)
                   for (int64_t j0 = 0; j0 < nj; j0 += kTile)
                     transpose_tile(dst + i0 * dst_i + j0, dst_i, src + i0 + j0 * src_j, src_j, std::min(kTile, ni - i0),
                                    std::min(kTile, nj - j0));
               });
}

// The copy of a permuted view into a contiguous tensor of its dtype (x.transpose(0, 1).contiguous()):
// when the source's unit-stride dimension p is not its last, every pair of (p, last) is copied by
// transpose_tiles. False (nothing done) for anything else.
bool copy_transposed(const Tensor& dst, const Tensor& src) {
  const int64_t nd = src.dim(), size = static_cast<int64_t>(src.element_size());
  if (dst.dtype() != src.dtype() || !dst.is_contiguous() || nd < 2 || src.strides()[nd - 1] == 1) return false;
  int64_t p = -1;
  for (int64_t d = 0; d < nd - 1; ++d)
    if (src.strides()[d] == 1 && src.size(d) > 1) p = d;
  if (p < 0 || src.size(p) < 8 || src.size(nd - 1) < 8 || (size != 1 && size != 2 && size != 4 && size != 8)) return false;
  // Every other dimension is walked by an index counter (they are few and short).
  std::vector<int64_t> others;
  for (int64_t d = 0; d < nd - 1; ++d)
    if (d != p) others.push_back(d);
  std::vector<int64_t> index(others.size(), 0);
  const Strides dst_strides = contiguous_strides(src.shape());
  auto* out = static_cast<std::byte*>(dst.raw_data());
  const auto* in = static_cast<const std::byte*>(src.raw_data());
  const int64_t ni = src.size(p), nj = src.size(nd - 1), dst_i = dst_strides[p], src_j = src.strides()[nd - 1];
  for (int64_t block = 0, blocks = src.numel() / (ni * nj); block < blocks; ++block) {
    int64_t at_dst = 0, at_src = 0;
    for (size_t k = 0; k < others.size(); ++k)
      at_dst += index[k] * dst_strides[others[k]], at_src += index[k] * src.strides()[others[k]];
    std::byte* o = out + at_dst * size;
    const std::byte* i = in + at_src * size;
    switch (size) {
      case 1: transpose_tiles(reinterpret_cast<uint8_t*>(o), dst_i, reinterpret_cast<const uint8_t*>(i), src_j, ni, nj); break;
      case 2: transpose_tiles(reinterpret_cast<uint16_t*>(o), dst_i, reinterpret_cast<const uint16_t*>(i), src_j, ni, nj); break;
      case 4: transpose_tiles(reinterpret_cast<uint32_t*>(o), dst_i, reinterpret_cast<const uint32_t*>(i), src_j, ni, nj); break;
      default: transpose_tiles(reinterpret_cast<uint64_t*>(o), dst_i, reinterpret_cast<const uint64_t*>(i), src_j, ni, nj);
    }
    for (size_t k = others.size(); k-- > 0;) {  // next index, last dimension fastest
      if (++index[k] < src.size(others[k])) break;
      index[k] = 0;
    }
  }
  return true;
}

// dst[i] = saturate_cast<dst type>(src[i]) element by element; shapes already equal. The strided
// walk is written once; only the row loop is instantiated per dtype pair (keeps the build small).
void convert_into(const Tensor& dst, const Tensor& src) {
  if (copy_transposed(dst, src)) return;
  const ConvertRow row = visit_dtype(dst.dtype(), [&](auto dst_tag) {
    return visit_dtype(src.dtype(), [&](auto src_tag) -> ConvertRow {
      return &convert_row<decltype(dst_tag), decltype(src_tag)>;
    });
  });
  auto* out = static_cast<std::byte*>(dst.raw_data()) - dst.offset() * static_cast<int64_t>(dst.element_size());
  const auto* in = static_cast<const std::byte*>(src.raw_data()) - src.offset() * static_cast<int64_t>(src.element_size());
  const auto out_size = static_cast<int64_t>(dst.element_size()), in_size = static_cast<int64_t>(src.element_size());
  for_each_row<2>(dst.shape(), {&dst.strides(), &src.strides()}, {dst.offset(), src.offset()},
                  [&](auto off, int64_t n, auto step) {
                    row(out + off[0] * out_size, step[0], in + off[1] * in_size, step[1], n);
                  });
}

// Fills the last dimension of `t` with `values` (one per position along it).
void fill_pattern(Tensor& t, const std::vector<double>& values) {
  visit_dtype(t.dtype(), [&](auto tag) {
    using T = decltype(tag);
    std::vector<T> pattern(values.size());
    for (size_t i = 0; i < values.size(); ++i) pattern[i] = saturate_cast<T>(values[i]);
    T* base = base_of<T>(t);
    const int64_t period = static_cast<int64_t>(pattern.size());
    if (period == 1) {
      for_each_row<1>(t.shape(), {&t.strides()}, {t.offset()}, [&](auto off, int64_t n, auto step) {
        for (int64_t i = 0; i < n; ++i) base[off[0] + i * step[0]] = pattern[0];
      });
      return;
    }
    // Iterate all dimensions but the last, then write the pattern along the last one.
    const Shape outer(t.shape().begin(), t.shape().end() - 1);
    const Strides outer_strides(t.strides().begin(), t.strides().end() - 1);
    const int64_t last_stride = t.strides().back();
    for_each_row<1>(outer, {&outer_strides}, {t.offset()}, [&](auto off, int64_t n, auto step) {
      for (int64_t i = 0; i < n; ++i) {
        T* px = base + off[0] + i * step[0];
        for (int64_t c = 0; c < period; ++c) px[c * last_stride] = pattern[c];
      }
    });
  });
}

bool shares_memory(const Tensor& a, const Tensor& b) { return a.storage() == b.storage(); }
}  // namespace

Tensor Tensor::contiguous() const {
  check_defined("contiguous");
  return is_contiguous() ? *this : clone();
}

Tensor Tensor::clone() const {
  check_defined("clone");
  Tensor out = empty(shape_, dtype_);
  convert_into(out, *this);
  if (autograd_) return detail::record_view(*this, std::move(out), "clone", detail::ViewKind::copy, {});
  return out;
}

Tensor Tensor::to(DType dtype) const {
  check_defined("to");
  Tensor out = empty(shape_, dtype);
  convert_into(out, *this);
  if (autograd_) return detail::record_view(*this, std::move(out), "to", detail::ViewKind::copy, {});
  return out;
}

Tensor& Tensor::copy_(const Tensor& src) {
  check_defined("copy_");
  src.check_defined("copy_");
  if (src.dim() > dim())
    fail("copy_", "source shape ", shape_str(src.shape()), " cannot be broadcast to destination shape ",
         shape_str(shape_));
  Tensor from = src.shape() == shape_ ? src : src.expand(shape_);
  if (shares_memory(*this, from)) from = from.clone();
  convert_into(*this, from);
  return *this;
}

Tensor& Tensor::fill_(double value) {
  check_defined("fill_");
  fill_pattern(*this, {value});
  return *this;
}

Tensor& Tensor::fill_(std::initializer_list<double> values) { return fill_(std::vector<double>(values)); }

Tensor& Tensor::fill_(const std::vector<double>& values) {
  check_defined("fill_");
  if (values.size() == 1) return fill_(values[0]);
  if (dim() == 0 || static_cast<int64_t>(values.size()) != shape_.back())
    fail("fill_", "got ", values.size(), " values for a tensor whose last dimension has ",
         dim() ? shape_.back() : 0, " elements (shape ", shape_str(shape_), ")");
  fill_pattern(*this, values);
  return *this;
}

bool Tensor::equal(const Tensor& other) const {
  check_defined("equal");
  other.check_defined("equal");
  if (dtype_ != other.dtype_ || shape_ != other.shape_) return false;
  return visit_dtype(dtype_, [&](auto tag) {
    using T = decltype(tag);
    const T* a = base_of<T>(*this);
    const T* b = base_of<T>(other);
    bool same = true;
    for_each_row<2>(shape_, {&strides_, &other.strides_}, {offset_, other.offset_},
                    [&](auto off, int64_t n, auto step) {
                      for (int64_t i = 0; i < n && same; ++i)
                        same = a[off[0] + i * step[0]] == b[off[1] + i * step[1]];
                    });
    return same;
  });
}

}  // namespace ojo
