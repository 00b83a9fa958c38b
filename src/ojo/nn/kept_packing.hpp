// Weights rearranged for a convolution kernel, kept between calls.
//
// Rearranging is a scalar pass that costs as much as a small layer's sums, and a network calls
// each layer with the same weights until an optimizer step changes them. So each thread keeps its
// last few packings with a copy of the weights (and their shape) they came from, and reuses one
// whose copy has the same bits: a weight changed in place no longer matches and is packed again.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace ojo::nn::direct {

// The packing of the `outs` × `k` weights w made by pack(packed) into `packed_size` elements.
// Each call site (each Pack type) keeps its own packings.
template <class T, class Pack>
const T* kept_packing(const T* w, int64_t outs, int64_t k, size_t packed_size, const Pack& pack) {
  struct Packing {
    int64_t outs = 0, k = 0;
    std::vector<T> weights, packed;
  };
  thread_local std::array<Packing, 8> kept;
  thread_local size_t next = 0;
  const size_t n = static_cast<size_t>(outs * k);
  for (const Packing& p : kept)
    if (p.outs == outs && p.k == k && (n == 0 || std::memcmp(p.weights.data(), w, n * sizeof(T)) == 0))
      return p.packed.data();
  Packing& p = kept[next++ % kept.size()];
  p.outs = outs, p.k = k;
  p.weights.assign(w, w + n);
  p.packed.resize(packed_size);
  pack(p.packed.data());
  return p.packed.data();
}

}  // namespace ojo::nn::direct
