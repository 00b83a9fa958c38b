// Float comparison for the autograd tests: |actual - expected| <= atol + rtol * |expected|
// element-wise (NaN matches NaN, infinities must be equal), same shape and dtype; a failure
// prints the count, the maximum difference and where, and the first mismatches.
#pragma once

#include <cmath>
#include <sstream>

#include "test_util.hpp"

namespace ojo::test {

inline ::testing::AssertionResult allclose(const Tensor& actual, const Tensor& expected, double atol = 1e-6,
                                           double rtol = 1e-5) {
  if (!actual.defined() || !expected.defined())
    return ::testing::AssertionFailure() << (actual.defined() ? "expected" : "actual") << " tensor is undefined";
  if (actual.dtype() != expected.dtype())
    return ::testing::AssertionFailure() << "dtype " << dtype_name(actual.dtype()) << " vs expected "
                                         << dtype_name(expected.dtype());
  if (actual.shape() != expected.shape())
    return ::testing::AssertionFailure() << "shape " << shape_str(actual.shape()) << " vs expected "
                                         << shape_str(expected.shape());
  const Tensor a = actual.detach().to(DType::f64), b = expected.to(DType::f64);
  const double* pa = a.data<double>();
  const double* pb = b.data<double>();
  int64_t bad = 0, worst = -1;
  double max_diff = 0;
  std::ostringstream first;
  for (int64_t i = 0; i < a.numel(); ++i) {
    const double x = pa[i], y = pb[i];
    const bool ok = (std::isnan(x) && std::isnan(y)) || x == y || std::fabs(x - y) <= atol + rtol * std::fabs(y);
    if (ok) continue;
    const double d = std::fabs(x - y);
    if (!(d <= max_diff)) max_diff = d, worst = i;
    if (bad++ < 5) first << "  [" << i << "] " << x << " vs " << y << "\n";
  }
  if (bad == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << bad << " of " << a.numel() << " elements differ beyond atol " << atol
                                       << " + rtol " << rtol << " (max |diff| " << max_diff << " at flat index "
                                       << worst << ", shape " << shape_str(a.shape()) << "), first:\n"
                                       << first.str();
}

}  // namespace ojo::test
