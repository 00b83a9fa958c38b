// Row-by-row iteration over strided tensors — the loop every element-wise operation is built on.
//
// for_each_row(shape, {strides...}, {offsets...}, f) visits N operands of the same shape and calls
//   f(offsets, n, inner_strides)
// once per innermost row: `offsets[k]` is operand k's element offset of the row's first element,
// `n` its length and `inner_strides[k]` the step between its elements. Dimensions of size 1 are
// skipped and dimensions that are contiguous in every operand are merged first, so a contiguous
// tensor is visited as one long row and the inner loop stays simple enough to auto-vectorise.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "ojo/core/tensor.hpp"

namespace ojo {

template <size_t N, class F>
void for_each_row(const Shape& shape, const std::array<const Strides*, N>& strides,
                  std::array<int64_t, N> offsets, F&& f) {
  Shape sizes;
  std::array<Strides, N> steps;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == 0) return;  // nothing to visit
    if (shape[d] == 1) continue;
    bool mergeable = !sizes.empty();
    for (size_t k = 0; k < N && mergeable; ++k)
      mergeable = steps[k].back() == (*strides[k])[d] * shape[d];
    if (mergeable) {
      sizes.back() *= shape[d];
      for (size_t k = 0; k < N; ++k) steps[k].back() = (*strides[k])[d];
    } else {
      sizes.push_back(shape[d]);
      for (size_t k = 0; k < N; ++k) steps[k].push_back((*strides[k])[d]);
    }
  }
  std::array<int64_t, N> inner{};
  if (sizes.empty()) {  // a single element
    f(offsets, int64_t{1}, inner);
    return;
  }
  const size_t outer_dims = sizes.size() - 1;
  for (size_t k = 0; k < N; ++k) inner[k] = steps[k].back();
  int64_t rows = 1;
  for (size_t d = 0; d < outer_dims; ++d) rows *= sizes[d];
  std::vector<int64_t> idx(outer_dims, 0);
  for (int64_t r = 0; r < rows; ++r) {
    f(offsets, sizes.back(), inner);
    for (size_t d = outer_dims; d-- > 0;) {  // odometer increment, last outer dimension fastest
      for (size_t k = 0; k < N; ++k) offsets[k] += steps[k][d];
      if (++idx[d] < sizes[d]) break;
      for (size_t k = 0; k < N; ++k) offsets[k] -= steps[k][d] * sizes[d];
      idx[d] = 0;
    }
  }
}

}  // namespace ojo
