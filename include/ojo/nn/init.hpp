// nn::init — PyTorch's initialisation functions (torch.nn.init), in place on a tensor (a handle:
// the storage it shares with the module is written), without
// recording a graph. They draw from `gen` or ojo's default generator (streams are not PyTorch's).
//
//   nn::init::kaiming_normal_(conv->weight, 0, nn::init::FanMode::fan_out, "relu");
//   nn::init::zeros_(conv->bias);
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "ojo/core/random.hpp"
#include "ojo/core/tensor.hpp"

namespace ojo::nn::init {

enum class FanMode { fan_in, fan_out };

// (fan_in, fan_out) of a weight: {out, in} → (in, out); {out, in, k...} → (in·∏k, out·∏k).
std::pair<int64_t, int64_t> calculate_fan_in_and_fan_out(const Tensor& tensor);
// torch.nn.init.calculate_gain: linear/conv*/sigmoid 1, tanh 5/3, relu √2, leaky_relu √(2/(1+a²)), selu 3/4.
double calculate_gain(const std::string& nonlinearity, double param = 0.01);

Tensor uniform_(Tensor tensor, double a = 0, double b = 1, Generator* gen = nullptr);
Tensor normal_(Tensor tensor, double mean = 0, double std = 1, Generator* gen = nullptr);
Tensor constant_(Tensor tensor, double value);
Tensor zeros_(Tensor tensor);
Tensor ones_(Tensor tensor);
// U(−b, b) with b = gain·√(3 / fan); gain from `nonlinearity` and `a` (the negative slope).
Tensor kaiming_uniform_(Tensor tensor, double a = 0, FanMode mode = FanMode::fan_in,
                         const std::string& nonlinearity = "leaky_relu", Generator* gen = nullptr);
// N(0, std²) with std = gain / √fan.
Tensor kaiming_normal_(Tensor tensor, double a = 0, FanMode mode = FanMode::fan_in,
                        const std::string& nonlinearity = "leaky_relu", Generator* gen = nullptr);
// U(−b, b) with b = gain·√(6 / (fan_in + fan_out)).
Tensor xavier_uniform_(Tensor tensor, double gain = 1, Generator* gen = nullptr);
// N(0, std²) with std = gain·√(2 / (fan_in + fan_out)).
Tensor xavier_normal_(Tensor tensor, double gain = 1, Generator* gen = nullptr);

}  // namespace ojo::nn::init
