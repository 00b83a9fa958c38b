// nn::Module — the base of every layer and model (torch.nn.Module).
//
// A module owns named parameters (tensors that require grad), buffers (state that is saved but not
// trained, e.g. BatchNorm's running mean) and submodules, in registration order. Everything that
// walks a model — parameters(), state_dict(), printing — follows that order, so keys and printed
// forms are PyTorch's:
//
//   struct CircleModelV0 : nn::Module {
//     std::shared_ptr<nn::Linear> layer_1, layer_2;
//     CircleModelV0() : Module("CircleModelV0") {
//       layer_1 = register_module("layer_1", std::make_shared<nn::Linear>(2, 5));
//       layer_2 = register_module("layer_2", std::make_shared<nn::Linear>(5, 1));
//     }
//     Tensor forward(const Tensor& x) override { return (*layer_2)((*layer_1)(x)); }
//   };
//   auto model = std::make_shared<CircleModelV0>();
//   std::cout << *model;                       // CircleModelV0(\n  (layer_1): Linear(in_features=2, ...
//   optim::SGD opt(model->parameters(), {.lr = 0.1});
//   save(model->state_dict(), "model.safetensors");
//
// Parameters are shared handles: the optimizer, the module and state_dict() see the same storage,
// and load_state_dict() copies into it, so references taken earlier stay valid.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ojo/core/state_dict.hpp"
#include "ojo/core/tensor.hpp"

namespace ojo::nn {

// Where tensors live. Only the CPU exists today; the type is here so that the guide's
// device-agnostic code (`device = cuda if available else cpu; model.to(device)`) reads the same.
struct Device {
  enum class Type { cpu, cuda };
  Type type = Type::cpu;
  Device() = default;
  // "cpu" or "cuda" / "cuda:0"; anything else throws. Using a cuda device throws (not available).
  explicit Device(const std::string& name);
  std::string str() const { return type == Type::cpu ? "cpu" : "cuda"; }
};
bool cuda_is_available();  // false: ojo runs on the CPU

class Module {
 public:
  explicit Module(std::string type_name) : type_name_(std::move(type_name)) {}
  virtual ~Module() = default;
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  // The single-tensor forward pass; layers and models override it. Modules with other
  // signatures (losses) define their own forward and leave this one throwing.
  virtual Tensor forward(const Tensor& input);
  Tensor operator()(const Tensor& input) { return forward(input); }

  // --- registration (call from constructors) ---
  // Adds a parameter (marks it requires_grad unless `requires_grad` is false); returns the handle.
  Tensor register_parameter(const std::string& name, Tensor tensor, bool requires_grad = true);
  Tensor register_buffer(const std::string& name, Tensor tensor);
  template <class M>
  std::shared_ptr<M> register_module(const std::string& name, std::shared_ptr<M> module) {
    add_child(name, module);
    return module;
  }

  // --- walking the tree (registration order, depth first, as PyTorch) ---
  std::vector<Tensor> parameters(bool recurse = true) const;
  std::vector<std::pair<std::string, Tensor>> named_parameters(bool recurse = true) const;
  std::vector<std::pair<std::string, Tensor>> named_buffers(bool recurse = true) const;
  const std::vector<std::pair<std::string, std::shared_ptr<Module>>>& named_children() const { return children_; }
  // Number of parameter elements (the guide's `sum(p.numel() for p in model.parameters())`).
  int64_t num_parameters(bool only_trainable = false) const;

  // --- state ---
  // Parameters and buffers under PyTorch's dotted names ("conv_block_1.0.weight"), detached.
  StateDict state_dict() const;
  // Copies matching entries into this module's tensors. With `strict`, missing or unexpected keys
  // throw (listing them by name, as PyTorch); a shape mismatch always throws.
  void load_state_dict(const StateDict& state, bool strict = true);

  // --- modes ---
  void train(bool on = true);  // this module and every submodule
  void eval() { train(false); }
  bool is_training() const { return training_; }
  // Sets every parameter's gradient to none (Module.zero_grad(set_to_none=True)).
  void zero_grad();
  // Moves parameters and buffers to `device` (CPU only today); returns *this for chaining.
  Module& to(const Device& device);
  // Converts every floating-point parameter and buffer to `dtype` (model.to(torch.float64) /
  // model.double()); integer buffers such as num_batches_tracked keep theirs. Parameters become
  // new leaf tensors: build optimizers after converting.
  Module& to(DType dtype);

  // --- printing (print(model)) ---
  const std::string& type_name() const { return type_name_; }
  // The part inside the parentheses for a leaf module, e.g. "in_features=2, out_features=5, bias=True".
  virtual std::string extra_repr() const { return ""; }
  std::string repr() const;

 protected:
  Tensor& parameter(const std::string& name);  // the registered handle, for layers' forward()
  // Called when to(dtype) replaces the tensor registered as `name`: modules that keep their own
  // handle (Linear::weight, ...) update it here.
  virtual void on_tensor_replaced(const std::string& name, const Tensor& tensor) { (void)name, (void)tensor; }

 private:
  void add_child(const std::string& name, std::shared_ptr<Module> child);
  void check_new_name(const std::string& name, const char* what) const;
  template <class F>
  void walk(const std::string& prefix, bool recurse, F&& visit) const;

  std::string type_name_;
  bool training_ = true;
  std::vector<std::pair<std::string, Tensor>> params_;
  std::vector<std::pair<std::string, Tensor>> buffers_;
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> children_;
};

std::ostream& operator<<(std::ostream& os, const Module& m);

// Python's repr of a bool / tuple, as PyTorch's extra_repr writes them: "True", "(3, 3)".
std::string py_bool(bool b);
std::string py_tuple(const std::vector<int64_t>& v);

}  // namespace ojo::nn
