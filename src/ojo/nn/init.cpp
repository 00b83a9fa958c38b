#include "ojo/nn/init.hpp"

#include <cmath>

#include "ojo/autograd/autograd.hpp"
#include "ojo/core/error.hpp"

namespace ojo::nn::init {

namespace {
// Fills a float tensor in place, element by element in row-major order, from `draw()`.
template <class Draw>
Tensor fill_with(Tensor tensor, const char* op, Draw draw) {
  check(tensor.defined(), op, "tensor is undefined");
  check(is_floating(tensor.dtype()), op, "expected a float tensor, got ", dtype_name(tensor.dtype()));
  Tensor values = Tensor::empty(tensor.shape(), DType::f64);
  double* p = values.data<double>();
  for (int64_t i = 0; i < values.numel(); ++i) p[i] = draw();
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
Generator& pick(Generator* gen) { return gen ? *gen : default_generator(); }
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

Tensor uniform_(Tensor t, double a, double b, Generator* gen) {
  Generator& g = pick(gen);
  return fill_with(t, "uniform_", [&] { return a + (b - a) * g.uniform(); });
}
Tensor normal_(Tensor t, double mean, double std, Generator* gen) {
  Generator& g = pick(gen);
  return fill_with(t, "normal_", [&] { return mean + std * g.normal(); });
}
Tensor constant_(Tensor t, double value) {
  return fill_with(t, "constant_", [&] { return value; });
}
Tensor zeros_(Tensor t) { return constant_(t, 0); }
Tensor ones_(Tensor t) { return constant_(t, 1); }

Tensor kaiming_uniform_(Tensor t, double a, FanMode mode, const std::string& nl, Generator* gen) {
  const double bound = calculate_gain(nl, a) * std::sqrt(3.0 / fan_of(t, mode, "kaiming_uniform_"));
  return uniform_(t, -bound, bound, gen);
}
Tensor kaiming_normal_(Tensor t, double a, FanMode mode, const std::string& nl, Generator* gen) {
  const double std = calculate_gain(nl, a) / std::sqrt(fan_of(t, mode, "kaiming_normal_"));
  return normal_(t, 0, std, gen);
}
Tensor xavier_uniform_(Tensor t, double gain, Generator* gen) {
  const auto [fi, fo] = calculate_fan_in_and_fan_out(t);
  const double bound = gain * std::sqrt(6.0 / double(fi + fo));
  return uniform_(t, -bound, bound, gen);
}
Tensor xavier_normal_(Tensor t, double gain, Generator* gen) {
  const auto [fi, fo] = calculate_fan_in_and_fan_out(t);
  return normal_(t, 0, gain * std::sqrt(2.0 / double(fi + fo)), gen);
}

}  // namespace ojo::nn::init
