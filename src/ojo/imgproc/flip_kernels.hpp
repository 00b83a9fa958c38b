// Internal to flip.cpp: the vectorised row reversal (Highway, runtime dispatch) in flip_fast.cpp.
#pragma once

#include <cstdint>

namespace ojo::flip_detail {

// d[x] = s[n − 1 − x] for bytes x in [0, done): whole 16-byte blocks, each loaded from the mirror
// position and reversed with one byte shuffle. Returns done (a multiple of 16, 0 where the target
// has no byte shuffle); the caller finishes the bytes [done, n).
int64_t reverse_bytes_fast(uint8_t* d, const uint8_t* s, int64_t n);

}  // namespace ojo::flip_detail
