// Internal to LUT: the vectorised u8 -> u8 lookup (lut_fast.cpp).
#pragma once

#include <cstdint>

namespace ojo::lut_detail {

// dst[i] = tab[src[i]] for i < the returned count (a multiple of the vector width, <= n); the
// caller does the rest. Returns 0 on a target without vectors.
int64_t lut_u8_fast(const uint8_t* src, const uint8_t* tab, uint8_t* dst, int64_t n);

}  // namespace ojo::lut_detail
