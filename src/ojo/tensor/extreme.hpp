// Internal: the largest or smallest of a float row, and where a value first occurs — the
// vector loops under max(), min(), max(dim)/argmax and softmax's row maxima (reduce.cpp).
//
//   extreme(x, n, is_max)       the largest (smallest) of x[0, n) that is not NaN (-inf (+inf)
//                               if none) and whether any is NaN; a tie between -0 and +0 may
//                               give either, as in torch
//   first_match(x, n, v, nan)   the first j with x[j] == v (or, with nan, x[j] NaN); -1 if none
//
// extreme() is Highway's (vectors of running extremes, runtime dispatch); extreme_reference()
// is the plain loop beside it.
#pragma once

#include <cstdint>

namespace ojo::kernels {

template <class T>
struct Extreme {
  T value;
  bool any_nan;
};

Extreme<float> extreme(const float* x, int64_t n, bool is_max);
Extreme<double> extreme(const double* x, int64_t n, bool is_max);
template <class T>
Extreme<T> extreme_reference(const T* x, int64_t n, bool is_max);

int64_t first_match(const float* x, int64_t n, float value, bool nan);
int64_t first_match(const double* x, int64_t n, double value, bool nan);

}  // namespace ojo::kernels
