// Optimizers — PyTorch 1.13's torch.optim.SGD, Adam, AdamW and RMSprop (their single-tensor,
// foreach=False CPU algorithms, with the same float32 operations in the same order, so parameters
// agree with torch's to float32 rounding after every step).
//
//   std::vector<Tensor> params = {w, b};                      // leaf float tensors with requires_grad
//   optim::SGD opt(params, {.lr = 0.1, .momentum = 0.9});     // options: C++20 designated initializers
//   for (...) {
//     opt.zero_grad();                                        // grads to None (set_to_none = true)
//     loss(...).backward();
//     opt.step();                                             // updates w and b in place
//   }
//   StateDict sd = opt.state_dict();                          // resume later with load_state_dict(sd)
//
// Rules (as torch):
// - Parameters must be contiguous f32 or f64 leaf tensors that require grad; an empty list throws
//   "optimizer got an empty parameter list"; a parameter listed twice throws (torch 1.13 only
//   warns). One parameter group (torch's default).
// - step() skips parameters whose grad() is undefined (`p.grad is None`); their state is created
//   the first time they have one. Updates run under NoGradGuard, in place on the parameter storage.
// - Hyper-parameters are validated as torch does ("Invalid learning rate: -1").
//
// state_dict() flattens torch's nested dict into a StateDict (saveable as safetensors):
//   "state.<i>.<buffer>"          per-parameter buffers, i = position in params():
//                                 SGD momentum_buffer; Adam/AdamW step (0-d f32, as torch 1.13),
//                                 exp_avg, exp_avg_sq, max_exp_avg_sq (amsgrad);
//                                 RMSprop step (0-d i64: torch keeps an int), square_avg,
//                                 momentum_buffer (momentum > 0), grad_avg (centered)
//   "param_groups.0.params"       i64 {n}: 0 … n-1 (how many parameters the optimizer had)
//   "param_groups.0.<name>"       hyper-parameters: numbers as 0-d f64, flags as 0-d bool,
//                                 Adam's betas as f64 {2}
// load_state_dict() checks everything before changing anything (parameter count, keys missing or
// unexpected for this optimizer and its options, buffer shapes) and throws ojo::Error naming the
// key; then it takes the saved hyper-parameters and buffers (converted to each parameter's dtype).
#pragma once

#include <array>
#include <string>
#include <variant>
#include <vector>

#include "ojo/core/state_dict.hpp"
#include "ojo/core/tensor.hpp"

namespace ojo::optim {

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;

  // One update of every parameter that has a gradient.
  virtual void step() = 0;
  // set_to_none: p.grad = None (torch's default); false: fills existing gradients with 0.
  void zero_grad(bool set_to_none = true);

  // Learning rate of the (single) parameter group; schedulers use set_lr.
  double lr() const;
  void set_lr(double lr);

  const std::vector<Tensor>& params() const { return params_; }
  // torch's class name: "SGD", "Adam", "AdamW", "RMSprop".
  const std::string& name() const { return name_; }

  StateDict state_dict() const;
  void load_state_dict(const StateDict& sd);

 protected:
  Optimizer(std::vector<Tensor> params, std::string name);

  // A hyper-parameter as stored in param_groups.0 (points into the subclass's options).
  struct Hyper {
    std::string name;
    std::variant<double*, bool*, std::array<double, 2>*> value;
  };
  // A per-parameter buffer: "step" is a 0-d tensor of `step_dtype`; others are shaped like the parameter.
  struct Buffer {
    std::string name;
    bool is_step = false;
    DType step_dtype = DType::f32;
  };
  // The hyper-parameters, in torch's order; the first is "lr".
  virtual std::vector<Hyper> hypers() = 0;
  // Throws ojo::Error if the current hyper-parameters are invalid (torch's constructor checks).
  virtual void validate() const = 0;
  // The buffers a parameter's state holds once initialised, with the current options, in torch's order.
  virtual std::vector<Buffer> buffers() const = 0;

  // The gradient of parameter i, converted to the parameter's dtype and contiguous, or an
  // undefined tensor when it has none.
  Tensor grad_of(size_t i) const;

  std::vector<Tensor> params_;
  std::vector<StateDict> state_;  // per parameter; empty until its first update

 private:
  std::string name_;
};

// torch.optim.SGD: d = g (+ weight_decay·p); with momentum, buf = momentum·buf + (1 − dampening)·d
// (buf = d on the first step) and d = buf, or d + momentum·buf with nesterov; p −= lr·d.
struct SGDOptions {
  double lr = 1e-3;  // torch requires lr; ojo defaults to 1e-3 as torch 2.x does
  double momentum = 0;
  double dampening = 0;
  double weight_decay = 0;
  bool nesterov = false;  // needs momentum > 0 and dampening == 0
  bool maximize = false;
};
class SGD : public Optimizer {
 public:
  SGD(std::vector<Tensor> params, SGDOptions options = {});
  void step() override;
  SGDOptions options() const { return opt_; }

 protected:
  std::vector<Hyper> hypers() override;
  void validate() const override;
  std::vector<Buffer> buffers() const override;

 private:
  SGDOptions opt_;
};

// torch.optim.Adam (L2 weight decay added to the gradient) and, with `decoupled`, AdamW.
struct AdamOptions {
  double lr = 1e-3;
  std::array<double, 2> betas = {0.9, 0.999};
  double eps = 1e-8;
  double weight_decay = 0;
  bool amsgrad = false;
  bool maximize = false;
};
class Adam : public Optimizer {
 public:
  Adam(std::vector<Tensor> params, AdamOptions options = {});
  void step() override;
  AdamOptions options() const { return opt_; }

 protected:
  Adam(std::vector<Tensor> params, AdamOptions options, std::string name, bool decoupled);
  std::vector<Hyper> hypers() override;
  void validate() const override;
  std::vector<Buffer> buffers() const override;

 private:
  AdamOptions opt_;
  bool decoupled_;
};

// torch.optim.AdamW: decoupled weight decay p *= 1 − lr·weight_decay, then Adam's update.
struct AdamWOptions {
  double lr = 1e-3;
  std::array<double, 2> betas = {0.9, 0.999};
  double eps = 1e-8;
  double weight_decay = 1e-2;
  bool amsgrad = false;
  bool maximize = false;
};
class AdamW : public Adam {
 public:
  AdamW(std::vector<Tensor> params, AdamWOptions options = {});
};

// torch.optim.RMSprop: v = alpha·v + (1 − alpha)·g²; centered subtracts the running mean of g
// squared; p −= lr·g / (sqrt(v) + eps), or through a momentum buffer.
struct RMSpropOptions {
  double lr = 1e-2;
  double alpha = 0.99;
  double eps = 1e-8;
  double weight_decay = 0;
  double momentum = 0;
  bool centered = false;
  bool maximize = false;
};
class RMSprop : public Optimizer {
 public:
  RMSprop(std::vector<Tensor> params, RMSpropOptions options = {});
  void step() override;
  RMSpropOptions options() const { return opt_; }

 protected:
  std::vector<Hyper> hypers() override;
  void validate() const override;
  std::vector<Buffer> buffers() const override;

 private:
  RMSpropOptions opt_;
};

}  // namespace ojo::optim
