#include "ojo/nn/init.hpp"

#include <cmath>

#include "ojo/autograd/autograd.hpp"
#include "ojo/core/error.hpp"
#include "ojo/tensor/ops.hpp"

namespace ojo::nn::init {

namespace {
// Writes make() (a new tensor shaped like `tensor`) into the float tensor `tensor`, without recording.
template <class Make>
Tensor assign(Tensor tensor, const char* op, Make make) {
  check(tensor.defined(), op, "tensor is undefined");
  check(is_floating(tensor.dtype()), op, "expected a float tensor, got ", dtype_name(tensor.dtype()));
  const Tensor values = make();
  NoGradGuard no_grad;
  tensor.copy_(values);
  return tensor;
}
double fan_of(const Tensor& t, FanMode mode, const char* op) {
  const auto [fan_in, fan_out] = calculate_fan_in_and_fan_out(t);
  const int64_t fan = mode == FanMode::fan_in ? fan_in : fan_out;
  check(fan > 0, op, "Initializing zero-element tensors is a no-op");
  return static_cast<double>(fan);
}
}  // namespace

std::pair<int64_t, int64_t> calculate_fan_in_and_fan_out(const Tensor& t) {
  if (!(t.dim() >= 2)) fail("calculate_fan_in_and_fan_out",
        "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions (shape ", shape_str(t.shape()), ")");
  int64_t field = 1;
  for (int64_t d = 2; d < t.dim(); ++d) field *= t.size(d);
  return {t.size(1) * field, t.size(0) * field};
}

double calculate_gain(const std::string& nl, double param) {
  if (nl == "linear" || nl == "conv1d" || nl == "conv2d" || nl == "conv3d" || nl == "sigmoid" || nl == "identity")
    return 1.0;
  if (nl == "tanh") return 5.0 / 3.0;
  if (nl == "relu") return std::sqrt(2.0);
  if (nl == "leaky_relu") return std::sqrt(2.0 / (1 + param * param));
  if (nl == "selu") return 3.0 / 4.0;
  fail("calculate_gain", "Unsupported nonlinearity ", nl);
}

// Drawn as torch's tensor.uniform_ / normal_ draw them (same stream after the same manual_seed).
Tensor uniform_(Tensor t, double a, double b, Generator* gen) {
  return assign(t, "uniform_", [&] { return uniform(t.shape(), a, b, t.dtype(), gen); });
}
Tensor normal_(Tensor t, double mean, double std, Generator* gen) {
  return assign(t, "normal_", [&] { return normal(t.shape(), mean, std, t.dtype(), gen); });
}
Tensor constant_(Tensor t, double value) {
  return assign(t, "constant_", [&] { return full(t.shape(), value, t.dtype()); });
}
Tensor zeros_(Tensor t) { return constant_(t, 0); }
Tensor ones_(Tensor t) { return constant_(t, 1); }

Tensor kaiming_uniform_(Tensor t, double a, FanMode mode, const std::string& nl, Generator* gen) {
  const double std = calculate_gain(nl, a) / std::sqrt(fan_of(t, mode, "kaiming_uniform_"));
  const double bound = std::sqrt(3.0) * std;  // torch's order of operations, so the bound rounds the same
  return uniform_(t, -bound, bound, gen);
}
Tensor kaiming_normal_(Tensor t, double a, FanMode mode, const std::string& nl, Generator* gen) {
  const double std = calculate_gain(nl, a) / std::sqrt(fan_of(t, mode, "kaiming_normal_"));
  return normal_(t, 0, std, gen);
}
Tensor xavier_uniform_(Tensor t, double gain, Generator* gen) {
  const auto [fi, fo] = calculate_fan_in_and_fan_out(t);
  const double bound = std::sqrt(3.0) * (gain * std::sqrt(2.0 / double(fi + fo)));  // torch's order
  return uniform_(t, -bound, bound, gen);
}
Tensor xavier_normal_(Tensor t, double gain, Generator* gen) {
  const auto [fi, fo] = calculate_fan_in_and_fan_out(t);
  return normal_(t, 0, gain * std::sqrt(2.0 / double(fi + fo)), gen);
}

}  // namespace ojo::nn::init
