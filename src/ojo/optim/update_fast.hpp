// Vectorised forms of the element-wise updates in update.hpp (same rounding, same bits).
#pragma once

#include <cstdint>

namespace ojo::optim::detail {

// a[k] = fma(b[k], alpha, a[k]) for k < n: torch's a.add_(b, alpha=alpha).
void add_alpha_inplace(float* a, const float* b, float alpha, int64_t n);
void add_alpha_inplace(double* a, const double* b, double alpha, int64_t n);

}  // namespace ojo::optim::detail
