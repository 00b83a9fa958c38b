// Copies between tensors (with dtype conversion), fills and equality — all built on for_each_row.
#include <cmath>
#include <cstring>

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

// dst[i] = saturate_cast<dst type>(src[i]) element by element; shapes already equal. The strided
// walk is written once; only the row loop is instantiated per dtype pair (keeps the build small).
void convert_into(const Tensor& dst, const Tensor& src) {
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
