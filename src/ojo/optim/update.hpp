// Shared by the optimizers' step(): runs an element-wise update over every parameter that has a
// gradient, on raw contiguous f32 or f64 data, without recording (src/ojo/optim/*.cpp).
#pragma once

#include <cmath>

#include "ojo/autograd/autograd.hpp"
#include "ojo/core/tensor.hpp"

namespace ojo::optim::detail {

// PyTorch's `a.add_(b, alpha=s)` on CPU is one fused multiply-add per element (vec::fmadd(b, s, a)),
// rounded once; std::fma reproduces it.
template <class T> inline T add_alpha(T a, T b, T alpha) { return std::fma(b, alpha, a); }

// `self.addcmul_(t1, t2, value=s)`: ATen computes self + s * t1 * t2, which PyTorch's build contracts
// into fma(s * t1, t2, self) (with this rounding RMSprop matches torch bit for bit, without it not).
template <class T> inline T addcmul(T self, T value, T t1, T t2) { return std::fma(value * t1, t2, self); }

// torch.maximum: NaN wins.
template <class T> inline T maximum(T a, T b) { return (std::isnan(a) || a > b) ? a : b; }

// Data pointer of a buffer of parameter dtype T (nullptr when the tensor is undefined).
template <class T> inline T* ptr(const Tensor& t) { return t.defined() ? t.data<T>() : nullptr; }

// Calls fn(T{}) with T = float or double, the parameter's dtype.
template <class F> void visit_float(DType dt, F&& fn) {
  if (dt == DType::f64) fn(double{});
  else fn(float{});
}

}  // namespace ojo::optim::detail
