#include "ojo/nn/layers.hpp"

#include <charconv>
#include <cmath>
#include <typeinfo>

#include "ojo/nn/init.hpp"

namespace ojo::nn {

namespace F = functional;

std::string size2_repr(const Size2& s) { return s.given_as_pair ? py_tuple({s.h, s.w}) : std::to_string(s.h); }

std::string py_float(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  const std::string sci(buf, end);  // shortest round-trip digits: "-1.2345e-05"
  const size_t e = sci.find('e');
  std::string mantissa = sci.substr(0, e);
  const int exponent = std::stoi(sci.substr(e + 1));
  const bool negative = mantissa[0] == '-';
  if (negative) mantissa.erase(0, 1);
  std::string digits;
  for (char c : mantissa)
    if (c != '.') digits += c;
  std::string out;
  if (exponent < -4 || exponent >= 16) {  // Python's repr switches to exponent notation here
    out = digits.substr(0, 1) + (digits.size() > 1 ? "." + digits.substr(1) : "");
    const int a = std::abs(exponent);
    out += std::string("e") + (exponent < 0 ? "-" : "+") + (a < 10 ? "0" : "") + std::to_string(a);
  } else if (exponent < 0) {
    out = "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
  } else if (static_cast<int>(digits.size()) <= exponent + 1) {
    out = digits + std::string(static_cast<size_t>(exponent + 1 - static_cast<int>(digits.size())), '0') + ".0";
  } else {
    out = digits.substr(0, static_cast<size_t>(exponent + 1)) + "." + digits.substr(static_cast<size_t>(exponent + 1));
  }
  return (negative ? "-" : "") + out;
}

namespace {
// PyTorch's reset_parameters for Linear and Conv2d.
void default_init(Tensor& weight, Tensor& bias) {
  init::kaiming_uniform_(weight, std::sqrt(5.0));
  if (bias.defined()) {
    const int64_t fan_in = init::calculate_fan_in_and_fan_out(weight).first;
    const double bound = fan_in > 0 ? 1.0 / std::sqrt(static_cast<double>(fan_in)) : 0.0;
    init::uniform_(bias, -bound, bound);
  }
}
}  // namespace

// ---------------------------------------------------------------- Linear

Linear::Linear(int64_t in, int64_t out, bool has_bias) : Module("Linear"), in_features(in), out_features(out) {
  check(in >= 0 && out >= 0, "Linear", "in_features and out_features must be non-negative, got ", in, " and ", out);
  weight = register_parameter("weight", Tensor::empty({out, in}));
  if (has_bias) bias = register_parameter("bias", Tensor::empty({out}));
  default_init(weight, bias);
}
void Linear::on_tensor_replaced(const std::string& name, const Tensor& t) {
  (name == "weight" ? weight : bias) = t;
}
Tensor Linear::forward(const Tensor& input) { return F::linear(input, weight, bias); }
std::string Linear::extra_repr() const {
  return "in_features=" + std::to_string(in_features) + ", out_features=" + std::to_string(out_features) +
         ", bias=" + py_bool(bias.defined());
}

// ---------------------------------------------------------------- Conv2d

Conv2d::Conv2d(int64_t in, int64_t out, Size2 k, Conv2dOptions opt)
    : Module("Conv2d"), in_channels(in), out_channels(out), kernel_size(k), options(opt) {
  const char* op = "Conv2d";
  check(opt.groups > 0, op, "groups must be a positive integer, got ", opt.groups);
  check(in % opt.groups == 0, op, "in_channels must be divisible by groups (", in, " and ", opt.groups, ")");
  check(out % opt.groups == 0, op, "out_channels must be divisible by groups (", out, " and ", opt.groups, ")");
  check(k.h > 0 && k.w > 0, op, "kernel_size must be positive, got ", py_tuple({k.h, k.w}));
  if (opt.padding.mode == Padding2d::Mode::same)
    check(opt.stride.h == 1 && opt.stride.w == 1, op, "padding='same' is not supported for strided convolutions");
  weight = register_parameter("weight", Tensor::empty({out, in / opt.groups, k.h, k.w}));
  if (opt.bias) bias = register_parameter("bias", Tensor::empty({out}));
  default_init(weight, bias);
}
void Conv2d::on_tensor_replaced(const std::string& name, const Tensor& t) {
  (name == "weight" ? weight : bias) = t;
}
Tensor Conv2d::forward(const Tensor& input) {
  return F::conv2d(input, weight, bias, options.stride, options.padding, options.dilation, options.groups);
}
Tensor Conv2d::forward_relu(const Tensor& input) {
  return F::conv2d_relu(input, weight, bias, options.stride, options.padding, options.dilation, options.groups);
}
Tensor Conv2d::forward_relu_max_pool(const Tensor& input) {
  return F::conv2d_relu_max_pool2d(input, weight, bias, options.stride, options.padding, options.dilation,
                                   options.groups);
}
std::string Conv2d::extra_repr() const {
  // Conv2d stores every size as a pair, so they always print as tuples.
  std::string s = std::to_string(in_channels) + ", " + std::to_string(out_channels) +
                  ", kernel_size=" + py_tuple({kernel_size.h, kernel_size.w}) +
                  ", stride=" + py_tuple({options.stride.h, options.stride.w});
  const Padding2d& p = options.padding;
  if (p.mode == Padding2d::Mode::same) s += ", padding=same";
  else if (p.mode == Padding2d::Mode::valid) s += ", padding=valid";
  else if (!(p.size == Size2(0))) s += ", padding=" + py_tuple({p.size.h, p.size.w});
  if (!(options.dilation == Size2(1))) s += ", dilation=" + py_tuple({options.dilation.h, options.dilation.w});
  if (options.groups != 1) s += ", groups=" + std::to_string(options.groups);
  if (!options.bias) s += ", bias=False";
  return s;
}

// ---------------------------------------------------------------- pooling

MaxPool2d::MaxPool2d(Size2 k, MaxPool2dOptions opt) : Module("MaxPool2d"), kernel_size(k), options(opt) {}
Tensor MaxPool2d::forward(const Tensor& input) {
  return F::max_pool2d(input, kernel_size, options.stride, options.padding, options.dilation, options.ceil_mode);
}
std::string MaxPool2d::extra_repr() const {
  return "kernel_size=" + size2_repr(kernel_size) + ", stride=" + size2_repr(options.stride.value_or(kernel_size)) +
         ", padding=" + size2_repr(options.padding) + ", dilation=" + size2_repr(options.dilation) +
         ", ceil_mode=" + py_bool(options.ceil_mode);
}

AvgPool2d::AvgPool2d(Size2 k, AvgPool2dOptions opt) : Module("AvgPool2d"), kernel_size(k), options(opt) {}
Tensor AvgPool2d::forward(const Tensor& input) {
  return F::avg_pool2d(input, kernel_size, options.stride, options.padding, options.ceil_mode,
                       options.count_include_pad, options.divisor_override);
}
std::string AvgPool2d::extra_repr() const {
  return "kernel_size=" + size2_repr(kernel_size) + ", stride=" + size2_repr(options.stride.value_or(kernel_size)) +
         ", padding=" + size2_repr(options.padding);
}

AdaptiveAvgPool2d::AdaptiveAvgPool2d(Size2 size) : Module("AdaptiveAvgPool2d"), output_size(size) {}
Tensor AdaptiveAvgPool2d::forward(const Tensor& input) { return F::adaptive_avg_pool2d(input, output_size); }
std::string AdaptiveAvgPool2d::extra_repr() const { return "output_size=" + size2_repr(output_size); }

// ---------------------------------------------------------------- shape, dropout

Flatten::Flatten(int64_t start, int64_t end) : Module("Flatten"), start_dim(start), end_dim(end) {}
Tensor Flatten::forward(const Tensor& input) { return F::flatten(input, start_dim, end_dim); }
std::string Flatten::extra_repr() const {
  return "start_dim=" + std::to_string(start_dim) + ", end_dim=" + std::to_string(end_dim);
}

Dropout::Dropout(double p_) : Module("Dropout"), p(p_) {
  check(p >= 0 && p <= 1, "Dropout", "dropout probability has to be between 0 and 1, but got ", p);
}
Tensor Dropout::forward(const Tensor& input) { return F::dropout(input, p, is_training()); }
std::string Dropout::extra_repr() const { return "p=" + py_float(p) + ", inplace=False"; }

// ---------------------------------------------------------------- BatchNorm

BatchNorm::BatchNorm(const char* type_name, int64_t features, BatchNormOptions opt, std::vector<int64_t> ranks)
    : Module(type_name), num_features(features), options(opt), ranks_(std::move(ranks)) {
  check(features > 0, type_name, "num_features must be positive, got ", features);
  if (opt.affine) {
    weight = register_parameter("weight", ones({features}));
    bias = register_parameter("bias", zeros({features}));
  }
  if (opt.track_running_stats) {
    running_mean = register_buffer("running_mean", zeros({features}));
    running_var = register_buffer("running_var", ones({features}));
    num_batches_tracked = register_buffer("num_batches_tracked", zeros({}, DType::i64));
  }
}

void BatchNorm::on_tensor_replaced(const std::string& name, const Tensor& t) {
  if (name == "weight") weight = t;
  else if (name == "bias") bias = t;
  else if (name == "running_mean") running_mean = t;
  else if (name == "running_var") running_var = t;
}

Tensor BatchNorm::forward(const Tensor& input) {
  check(input.defined(), type_name(), "input is undefined");
  if (std::find(ranks_.begin(), ranks_.end(), input.dim()) == ranks_.end())
    fail(type_name(), "expected ", ranks_.size() == 1 ? "4D" : "2D or 3D", " input (got ", input.dim(),
         "D input of shape ", shape_str(input.shape()), ")");
  const bool use_batch_stats = is_training() || !options.track_running_stats;
  if (is_training() && options.track_running_stats) num_batches_tracked.fill_(num_batches_tracked.item() + 1);
  const bool update = is_training() && options.track_running_stats;
  return F::batch_norm(input, update || !use_batch_stats ? running_mean : Tensor(),
                       update || !use_batch_stats ? running_var : Tensor(), weight, bias, use_batch_stats,
                       options.momentum, options.eps);
}

std::string BatchNorm::extra_repr() const {
  return std::to_string(num_features) + ", eps=" + py_float(options.eps) + ", momentum=" + py_float(options.momentum) +
         ", affine=" + py_bool(options.affine) + ", track_running_stats=" + py_bool(options.track_running_stats);
}

// ---------------------------------------------------------------- Sequential

Sequential::Sequential(const std::vector<std::shared_ptr<Module>>& modules) : Module("Sequential") {
  for (const auto& m : modules) push_back(m);
}
void Sequential::push_back(std::shared_ptr<Module> module) {
  register_module(std::to_string(size()), std::move(module));
}
namespace {
// m as a T when it is exactly a T (a subclass may run something else), else null.
template <class T>
const T* exactly(const Module* m) {
  return m && typeid(*m) == typeid(T) ? static_cast<const T*>(m) : nullptr;
}

// MaxPool2d(2) as the guide writes it: 2×2 windows, stride 2, nothing else (false for null).
bool is_plain_max_pool_2(const Module* m) {
  const MaxPool2d* p = exactly<MaxPool2d>(m);
  return p && p->kernel_size == Size2(2) && p->options.stride.value_or(p->kernel_size) == Size2(2) &&
         p->options.padding == Size2(0) && p->options.dilation == Size2(1) && !p->options.ceil_mode;
}
// A Conv2d that conv2d_relu_block takes: stride 1, no dilation, one group (null otherwise).
const Conv2d* plain_conv(const Module* m) {
  const Conv2d* c = exactly<Conv2d>(m);
  const bool plain = c && c->options.stride == Size2(1) && c->options.dilation == Size2(1) && c->options.groups == 1;
  return plain ? c : nullptr;
}

// The layers `m` runs: a plain Sequential's children (opened up in turn), or m itself.
void append_layers(Module* m, std::vector<Module*>& layers) {
  if (!exactly<Sequential>(m)) return layers.push_back(m);
  for (const auto& child : m->named_children()) append_layers(child.second.get(), layers);
}

// The layers in order, with the fused patterns below.
Tensor forward_layers(const Tensor& input, const std::vector<Module*>& layers) {
  const auto at = [&](size_t k) { return k < layers.size() ? layers[k] : nullptr; };
  const auto is_relu = [&](size_t k) { return exactly<ReLU>(at(k)) != nullptr; };
  Tensor x = input;
  std::vector<F::ConvReluBlock> blocks;
  for (size_t i = 0; i < layers.size();) {
    // Conv2d, ReLU, Conv2d, ReLU (exactly those types, stride 1), with a plain MaxPool2d(2) after
    // them included, run as one conv2d_relu_block, and such blocks one after another as one
    // conv2d_relu_blocks.
    blocks.clear();
    for (;;) {
      const Conv2d *first = plain_conv(at(i)), *second = plain_conv(at(i + 2));
      if (!first || !second || !is_relu(i + 1) || !is_relu(i + 3)) break;
      const bool pool = is_plain_max_pool_2(at(i + 4));
      blocks.push_back({first->weight, first->bias, first->options.padding, second->weight, second->bias,
                        second->options.padding, pool});
      i += pool ? 5 : 4;
    }
    if (!blocks.empty()) {
      // A Flatten(1) and a Linear right after them (TinyVGG's classifier) go with them.
      const Flatten* flatten = exactly<Flatten>(at(i));
      const Linear* linear = exactly<Linear>(at(i + 1));
      if (flatten && flatten->start_dim == 1 && flatten->end_dim == -1 && linear) {
        const F::LinearHead head{linear->weight, linear->bias};
        x = F::conv2d_relu_blocks(x, blocks, &head);
        i += 2;
      } else {
        x = F::conv2d_relu_blocks(x, blocks);
      }
      continue;
    }
    // A Conv2d directly followed by a ReLU runs as one conv2d_relu, and with a plain MaxPool2d(2)
    // after them as one conv2d_relu_max_pool2d.
    if (exactly<Conv2d>(at(i)) && is_relu(i + 1)) {
      auto& conv = static_cast<Conv2d&>(*at(i));
      const bool pool = is_plain_max_pool_2(at(i + 2));
      x = pool ? conv.forward_relu_max_pool(x) : conv.forward_relu(x);
      i += pool ? 3 : 2;
      continue;
    }
    x = at(i++)->forward(x);
  }
  return x;
}

}  // namespace

Tensor forward_chain(const Tensor& input, std::initializer_list<Module*> modules) {
  std::vector<Module*> layers;
  layers.reserve(16);
  for (size_t i = 0; Module* m : modules) {
    check(m != nullptr, "forward_chain", "module ", i++, " of ", modules.size(), " is null");
    append_layers(m, layers);
  }
  return forward_layers(input, layers);
}

Tensor Sequential::forward(const Tensor& input) {
  std::vector<Module*> layers;
  layers.reserve(16);
  for (const auto& child : named_children()) append_layers(child.second.get(), layers);
  return forward_layers(input, layers);
}
std::shared_ptr<Module> Sequential::operator[](int64_t index) const {
  const int64_t n = static_cast<int64_t>(size());
  check(index >= -n && index < n, "Sequential", "index ", index, " is out of range", " for ", n, " modules");
  return named_children()[static_cast<size_t>(index < 0 ? index + n : index)].second;
}

}  // namespace ojo::nn
