// Internal to mask.cpp: vectorised kernels (Highway, runtime dispatch) in mask_fast.cpp.
#pragma once

#include <cstdint>

namespace ojo::mask_detail {

// inRange on `n` contiguous u8 pixels of `cn` channels (1, 3 or 4; others return 0):
// dst[i] = 255 if lo[c] <= src[i*cn + c] <= hi[c] for every c, else 0. Returns how many pixels it
// did (a multiple of the vector width); the caller finishes the rest.
int64_t inrange_u8_fast(const uint8_t* src, uint8_t* dst, int64_t n, int64_t cn, const uint8_t* lo, const uint8_t* hi);

// u8 split / merge of 3 or 4 interleaved channels (others return 0): pixels [0, done) of n.
// With stream = true the output (split: 3-channel planes only) is written with non-temporal
// stores, aligned to 64 bytes: for outputs larger than the caches (streaming.hpp).
int64_t split_u8_fast(const uint8_t* src, uint8_t* const* planes, int64_t n, int64_t cn, bool stream = false);
int64_t merge_u8_fast(const uint8_t* const* planes, uint8_t* dst, int64_t n, int64_t cn, bool stream = false);

// setTo on `n` contiguous u8 pixels of `cn` channels (1, 3 or 4; others return 0): pixel i takes
// colour[0..cn) where mask[i] != 0. Returns how many pixels it did; the caller finishes the rest.
int64_t setto_u8_fast(uint8_t* row, const uint8_t* mask, int64_t n, int64_t cn, const uint8_t* colour);

// Byte-wise dst[i] = ~a[i] (kBitNot, b unused), a[i] & b[i], a[i] | b[i] or a[i] ^ b[i], i < n.
// Returns how many bytes it did (a multiple of the vector width); the caller finishes the rest.
constexpr int kBitNot = 0, kBitAnd = 1, kBitOr = 2, kBitXor = 3;
int64_t bit_u8_fast(int op, const uint8_t* a, const uint8_t* b, uint8_t* dst, int64_t n);
// The same on whole pixels of px_bytes 1 or 3 (others return 0) with a mask: a pixel whose mask
// byte is 0 becomes 0. Returns how many pixels it did; the caller finishes the rest.
int64_t bit_masked_u8_fast(int op, const uint8_t* a, const uint8_t* b, const uint8_t* mask, int64_t px_bytes,
                           uint8_t* dst, int64_t pixels);

}  // namespace ojo::mask_detail
