// ReLU's backward rule, shared by relu() and nn::functional::conv2d_relu (src/ojo/nn/conv.cpp).
#pragma once

#include "ojo/core/tensor.hpp"

namespace ojo::detail {

// torch's threshold_backward(grad, result, 0): the gradient where the result is above zero (or
// NaN), zero where it is not.
Tensor relu_backward(const Tensor& grad, const Tensor& result);

}  // namespace ojo::detail
