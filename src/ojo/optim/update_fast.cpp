// a += alpha·b with one rounding per element (std::fma), vectorised with Highway where the target
// has fused multiply-add, element by element where it does not: the same bits either way.
#include <cmath>
#include <cstdint>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "../src/ojo/optim/update_fast.cpp"  // found through include/
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "update_fast.hpp"

HWY_BEFORE_NAMESPACE();
namespace ojo::optim::detail::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

template <class T>
void AddAlpha(T* a, const T* b, T alpha, int64_t n) {
  int64_t k = 0;
#if HWY_NATIVE_FMA
  const hn::ScalableTag<T> d;
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  const auto s = hn::Set(d, alpha);
  for (; k + N <= n; k += N) hn::StoreU(hn::MulAdd(hn::LoadU(d, b + k), s, hn::LoadU(d, a + k)), d, a + k);
#endif
  for (; k < n; ++k) a[k] = std::fma(b[k], alpha, a[k]);
}

void AddAlphaF32(float* a, const float* b, float alpha, int64_t n) { AddAlpha(a, b, alpha, n); }
void AddAlphaF64(double* a, const double* b, double alpha, int64_t n) { AddAlpha(a, b, alpha, n); }

}  // namespace ojo::optim::detail::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace ojo::optim::detail {
HWY_EXPORT(AddAlphaF32);
HWY_EXPORT(AddAlphaF64);
void add_alpha_inplace(float* a, const float* b, float alpha, int64_t n) {
  HWY_DYNAMIC_DISPATCH(AddAlphaF32)(a, b, alpha, n);
}
void add_alpha_inplace(double* a, const double* b, double alpha, int64_t n) {
  HWY_DYNAMIC_DISPATCH(AddAlphaF64)(a, b, alpha, n);
}
}  // namespace ojo::optim::detail
#endif
