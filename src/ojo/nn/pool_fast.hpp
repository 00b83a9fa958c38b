// Vectorised max_pool2d for the guide's MaxPool2d(2) (see pool_fast.cpp).
#pragma once

#include <cstdint>

namespace ojo::nn::pool_detail {

// One plane with rows w apart: 2×2 windows, stride 2, every window inside; outputs {oh, ow} and the
// flat input index of each maximum (skipped when idx is null), exactly as the generic loop. With
// `relu` the inputs go through torch.relu's rule first (max_pool2d(relu(x)), for conv2d's fusion).
void max_pool_2x2(const float* x, int64_t w, int64_t oh, int64_t ow, float* y, int64_t* idx, bool relu = false);
// The same with int32 indices, `base` added to each (the flat index of x's first element).
void max_pool_2x2(const float* x, int64_t w, int64_t oh, int64_t ow, float* y, int32_t* idx, int64_t base, bool relu);

}  // namespace ojo::nn::pool_detail
