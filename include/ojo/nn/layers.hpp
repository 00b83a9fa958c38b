// The layers (torch.nn.*): modules that hold their parameters and call nn::functional.
//
//   auto block = nn::sequential({
//       std::make_shared<nn::Conv2d>(1, 10, 3, nn::Conv2dOptions{.padding = 1}),
//       std::make_shared<nn::ReLU>(),
//       std::make_shared<nn::MaxPool2d>(2)});
//   Tensor y = (*block)(x);        // x {N, 1, 28, 28} → y {N, 10, 14, 14}
//   std::cout << *block;           // Sequential(\n  (0): Conv2d(1, 10, kernel_size=(3, 3), ...
//
// Parameters start from PyTorch's default initialisation (Linear and Conv2d: kaiming-uniform
// weights with a = √5, i.e. U(−1/√fan_in, 1/√fan_in), bias U(−1/√fan_in, 1/√fan_in)) drawn from
// ojo's default generator, which is PyTorch's: after manual_seed(42) a model built in the same order
// starts from the same weights as PyTorch's. Printing and state_dict keys are PyTorch's.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ojo/nn/functional.hpp"
#include "ojo/nn/module.hpp"

namespace ojo::nn {

class Linear : public Module {
 public:
  Linear(int64_t in_features, int64_t out_features, bool bias = true);
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  Tensor weight, bias;  // {out, in}, {out} (bias undefined with bias=false)
  int64_t in_features, out_features;

 protected:
  void on_tensor_replaced(const std::string& name, const Tensor& t) override;
};

struct Conv2dOptions {
  Size2 stride = 1;
  Padding2d padding = 0;
  Size2 dilation = 1;
  int64_t groups = 1;
  bool bias = true;
};
class Conv2d : public Module {
 public:
  Conv2d(int64_t in_channels, int64_t out_channels, Size2 kernel_size, Conv2dOptions options = {});
  Tensor forward(const Tensor& input) override;
  Tensor forward_relu(const Tensor& input);  // relu(forward(input)) in one pass (Sequential uses it)
  Tensor forward_relu_max_pool(const Tensor& input);  // max_pool2d(relu(forward(input)), 2), the same way
  std::string extra_repr() const override;
  Tensor weight, bias;  // {out, in/groups, kH, kW}, {out}
  int64_t in_channels, out_channels;
  Size2 kernel_size;
  Conv2dOptions options;

 protected:
  void on_tensor_replaced(const std::string& name, const Tensor& t) override;
};

struct MaxPool2dOptions {
  std::optional<Size2> stride;  // default: kernel_size
  Size2 padding = 0;
  Size2 dilation = 1;
  bool ceil_mode = false;
};
class MaxPool2d : public Module {
 public:
  explicit MaxPool2d(Size2 kernel_size, MaxPool2dOptions options = {});
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  Size2 kernel_size;
  MaxPool2dOptions options;
};

struct AvgPool2dOptions {
  std::optional<Size2> stride;  // default: kernel_size
  Size2 padding = 0;
  bool ceil_mode = false;
  bool count_include_pad = true;
  std::optional<int64_t> divisor_override;
};
class AvgPool2d : public Module {
 public:
  explicit AvgPool2d(Size2 kernel_size, AvgPool2dOptions options = {});
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  Size2 kernel_size;
  AvgPool2dOptions options;
};

class AdaptiveAvgPool2d : public Module {
 public:
  explicit AdaptiveAvgPool2d(Size2 output_size);
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  Size2 output_size;
};

class Flatten : public Module {
 public:
  explicit Flatten(int64_t start_dim = 1, int64_t end_dim = -1);
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  int64_t start_dim, end_dim;
};

class ReLU : public Module {
 public:
  ReLU() : Module("ReLU") {}
  Tensor forward(const Tensor& input) override { return relu(input); }
};
class Sigmoid : public Module {
 public:
  Sigmoid() : Module("Sigmoid") {}
  Tensor forward(const Tensor& input) override { return sigmoid(input); }
};
class Tanh : public Module {
 public:
  Tanh() : Module("Tanh") {}
  Tensor forward(const Tensor& input) override { return tanh(input); }
};
class Identity : public Module {
 public:
  Identity() : Module("Identity") {}
  Tensor forward(const Tensor& input) override { return input; }
};

class Softmax : public Module {
 public:
  explicit Softmax(int64_t dim) : Module("Softmax"), dim(dim) {}
  Tensor forward(const Tensor& input) override { return softmax(input, dim); }
  std::string extra_repr() const override { return "dim=" + std::to_string(dim); }
  int64_t dim;
};
class LogSoftmax : public Module {
 public:
  explicit LogSoftmax(int64_t dim) : Module("LogSoftmax"), dim(dim) {}
  Tensor forward(const Tensor& input) override { return log_softmax(input, dim); }
  std::string extra_repr() const override { return "dim=" + std::to_string(dim); }
  int64_t dim;
};

class Dropout : public Module {
 public:
  explicit Dropout(double p = 0.5);
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  double p;
};

struct BatchNormOptions {
  double eps = 1e-5;
  double momentum = 0.1;
  bool affine = true;
  bool track_running_stats = true;
};
// BatchNorm1d ({N, C} or {N, C, L}) and BatchNorm2d ({N, C, H, W}): the same layer with a
// different expected rank. Buffers: running_mean, running_var, num_batches_tracked (as PyTorch).
class BatchNorm : public Module {
 public:
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  Tensor weight, bias, running_mean, running_var, num_batches_tracked;
  int64_t num_features;
  BatchNormOptions options;

 protected:
  BatchNorm(const char* type_name, int64_t num_features, BatchNormOptions options, std::vector<int64_t> ranks);
  void on_tensor_replaced(const std::string& name, const Tensor& t) override;

 private:
  std::vector<int64_t> ranks_;
};
class BatchNorm1d : public BatchNorm {
 public:
  explicit BatchNorm1d(int64_t num_features, BatchNormOptions options = {})
      : BatchNorm("BatchNorm1d", num_features, options, {2, 3}) {}
};
class BatchNorm2d : public BatchNorm {
 public:
  explicit BatchNorm2d(int64_t num_features, BatchNormOptions options = {})
      : BatchNorm("BatchNorm2d", num_features, options, {4}) {}
};

// Runs its children in order; children are named "0", "1", ... (PyTorch's keys). Build it with
// nn::sequential({...}): the elements of a braced list are created left to right, as Python creates
// nn.Sequential's arguments, so the layers draw their initial weights in PyTorch's order (the
// arguments of a function call, e.g. make_shared's, have no guaranteed order in C++).
class Sequential : public Module {
 public:
  Sequential() : Module("Sequential") {}
  explicit Sequential(const std::vector<std::shared_ptr<Module>>& modules);
  void push_back(std::shared_ptr<Module> module);
  Tensor forward(const Tensor& input) override;
  size_t size() const { return named_children().size(); }
  // model[i] (negative counts from the end), and the typed form model.at<Conv2d>(0).
  std::shared_ptr<Module> operator[](int64_t index) const;
  template <class M>
  std::shared_ptr<M> at(int64_t index) const {
    auto m = std::dynamic_pointer_cast<M>((*this)[index]);
    check(m != nullptr, "Sequential", "module ", index, " is a ", (*this)[index]->type_name(), ", not the type asked for");
    return m;
  }
};

// The modules' forwards in turn, as a Sequential of them runs them: the layers of plain
// Sequentials opened up into one list, so that its fused patterns (conv2d_relu_block, runs of them
// with a Flatten and Linear after them, conv2d_relu, conv2d_relu_max_pool2d) may span the modules.
// For a model whose forward chains its children:
// forward_chain(x, {conv_block_1.get(), conv_block_2.get(), classifier.get()}). A null module is
// an error.
Tensor forward_chain(const Tensor& input, std::initializer_list<Module*> modules);

inline std::shared_ptr<Sequential> sequential(std::initializer_list<std::shared_ptr<Module>> modules) {
  return std::make_shared<Sequential>(std::vector<std::shared_ptr<Module>>(modules));
}

// Python's repr of a float as PyTorch's printing shows it: 0.1, 1e-05, 0.5.
std::string py_float(double v);

}  // namespace ojo::nn
