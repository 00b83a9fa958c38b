// Winograd's F(2×2, 3×3) forward convolution on the flat padded planes of conv_direct.hpp.
//
// Each 2×2 block of outputs is computed from the 4×4 block of padded input it reads as
// Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A (Lavin and Gray, "Fast Algorithms for Convolutional Neural
// Networks", 2016): per input and output channel 16 multiplications instead of 36. The
// transforms are additions shared by many products: Bᵀ d B by every output channel, G g Gᵀ by every
// block (and kept between calls), Aᵀ · A by every input channel. The results are the convolution's
// sums up to rounding (a few units in the last place of their terms' magnitude).
//
// Blocks start at even rows and columns of the whole output, whatever rows a call is asked for,
// so an output's bits do not depend on how rows are shared out between threads.
#pragma once

#include "conv_direct.hpp"

namespace ojo::nn::winograd {

// Input and output channels from which the transforms cost less than the multiplications they
// save (TinyVGG's 10-channel layers: ~15% less time; CIFAR10Model's 32 and 64: ~half).
constexpr int64_t kMinChannels = 8;

inline bool applies(const direct::FlatConv& f) {
  return f.kh == 3 && f.kw == 3 && f.channels >= kMinChannels && f.outs >= kMinChannels;
}

// conv_flat (conv_direct.hpp, no staging) where `applies` and the rows are at least one vector
// of blocks wide; false (nothing written) for any other.
bool conv_flat(const float* xp, const float* w, const float* bias, const direct::FlatConv& f,
               const direct::DenseRows<float>& out);

}  // namespace ojo::nn::winograd
