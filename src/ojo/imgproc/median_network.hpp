// Internal to medianBlur: the median selection networks and the vectorised row kernels.
//
// A network is Batcher's odd-even merge sort on the next power of two >= `live` wires, with the
// padding wires (+infinity) dropped and then pruned backwards to the comparators that the middle
// output depends on. A comparator whose min (or max) nobody reads afterwards only computes the
// other side. 3x3: 24 comparators; 5x5: 113.
#pragma once

#include <array>
#include <cstdint>

namespace ojo::median_detail {

struct Comparator {
  int lo, hi;            // wires: lo gets min, hi gets max
  bool keep_lo, keep_hi; // whether that output is read later (or is the median)
};

struct Network {
  int size = 0;
  std::array<Comparator, 192> cmp{};  // Batcher on 32 wires has 191
};

constexpr Network median_network(int live) {
  int n = 1;
  while (n < live) n *= 2;
  Network all;
  for (int p = 1; p < n; p *= 2)
    for (int k = p; k >= 1; k /= 2)
      for (int j = k % p; j + k < n; j += 2 * k)
        for (int i = 0; i < k && i < n - j - k; ++i)
          // A comparator against a +infinity wire (index >= live) never moves a finite value.
          if ((i + j) / (2 * p) == (i + j + k) / (2 * p) && i + j + k < live)
            all.cmp[all.size++] = {i + j, i + j + k, true, true};
  std::array<bool, 32> needed{};
  needed[live / 2] = true;
  Network rev;
  for (int c = all.size - 1; c >= 0; --c) {
    Comparator x = all.cmp[c];
    if (!needed[x.lo] && !needed[x.hi]) continue;
    x.keep_lo = needed[x.lo], x.keep_hi = needed[x.hi];
    needed[x.lo] = needed[x.hi] = true;
    rev.cmp[rev.size++] = x;
  }
  Network out;
  for (int c = rev.size - 1; c >= 0; --c) out.cmp[out.size++] = rev.cmp[c];
  return out;
}

inline constexpr Network kMedian9 = median_network(9), kMedian25 = median_network(25);
static_assert(kMedian9.size == 24 && kMedian25.size == 113);

// Median of each ksize x ksize window (ksize 3 or 5) for output elements [0, done) of a row, where
// rows[i] are the ksize source rows padded by ksize/2 pixels of C channels on each side. Returns
// `done`, a multiple of the vector width (Highway, runtime dispatch); the caller does the rest.
int64_t median_row_fast(const uint8_t* const* rows, uint8_t* out, int64_t n, int64_t C, int ksize);
int64_t median_row_fast(const uint16_t* const* rows, uint16_t* out, int64_t n, int64_t C, int ksize);
int64_t median_row_fast(const int16_t* const* rows, int16_t* out, int64_t n, int64_t C, int ksize);
int64_t median_row_fast(const float* const* rows, float* out, int64_t n, int64_t C, int ksize);

}  // namespace ojo::median_detail
