// Dtype promotion, broadcasting and the forward kernels of where / gather-style indexing.
#include <algorithm>

#include "kernels.hpp"

namespace ojo {

Shape broadcast_shapes(const Shape& a, const Shape& b) {
  const size_t n = std::max(a.size(), b.size());
  Shape out(n);
  for (size_t i = 0; i < n; ++i) {  // i counts from the right
    const int64_t sa = i < a.size() ? a[a.size() - 1 - i] : 1;
    const int64_t sb = i < b.size() ? b[b.size() - 1 - i] : 1;
    if (sa != sb && sa != 1 && sb != 1)
      fail("broadcast", "The size of tensor a (", sa, ") must match the size of tensor b (", sb,
           ") at non-singleton dimension ", n - 1 - i, " (shapes ", shape_str(a), " and ", shape_str(b), ")");
    out[n - 1 - i] = sa == 1 ? sb : sa;
  }
  return out;
}

Tensor scalar_like(const Tensor& like, double value, bool integral) {
  DType dt = like.dtype();
  if (!integral && !is_floating(dt)) dt = DType::f32;
  if (integral && dt == DType::boolean) dt = DType::i64;
  Tensor s = Tensor::empty({}, dt);
  visit_dtype(dt, [&](auto tag) { *s.data<decltype(tag)>() = static_cast<decltype(tag)>(value); });
  return s;
}

namespace kernels {

DType promote(DType a, DType b) {
  if (a == b) return a;
  if (a == DType::f64 || b == DType::f64) return DType::f64;
  if (a == DType::f32 || b == DType::f32) return DType::f32;
  if (a == DType::boolean) return b;
  if (b == DType::boolean) return a;
  if (a == DType::i64 || b == DType::i64) return DType::i64;
  const size_t sa = dtype_size(a), sb = dtype_size(b);
  if (sa != sb) return sa > sb ? a : b;
  if (is_signed(a) && is_signed(b)) return a;
  return sa == 1 ? DType::i16 : sa == 2 ? DType::i32 : DType::i64;  // u8 with i8 -> i16, as torch
}

}  // namespace kernels
}  // namespace ojo
