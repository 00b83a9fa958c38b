// Losses — torch.nn.functional's loss functions and torch.nn's loss modules (PyTorch 1.13).
//
//   namespace F = ojo::nn::functional;
//   Tensor logits = model(x);                                    // f32 {32, 10}
//   Tensor loss = F::cross_entropy(logits, y);                   // y: i64 {32} class indices
//   loss.backward();
//
//   nn::CrossEntropyLoss loss_fn({.weight = w, .label_smoothing = 0.1});
//   Tensor l = loss_fn(logits, y);
//   nn::BCEWithLogitsLoss bce({.pos_weight = Tensor::from<float>({3.0f})});
//   std::cout << loss_fn;                                        // CrossEntropyLoss()
//
// Every loss returns, per `reduction`: `none` the per-element (per-sample) losses, `sum` their sum,
// `mean` their mean — for nll_loss/cross_entropy with class indices the *weighted* mean
// sum(w[y_i] * l_i) / sum(w[y_i]) over targets that are not `ignore_index`, as torch (all targets
// ignored gives NaN). Inputs are f32 or f64; gradients flow to `input` (and to `target` for
// mse_loss/l1_loss), never to weights.
//
// Shapes (as torch):
//   mse_loss, l1_loss       input and target broadcast (torch only warns when their sizes differ)
//   binary_cross_entropy(_with_logits)  target shaped exactly like input; `weight` broadcasts to
//                           it; `pos_weight` broadcasts along the last (class) dimension
//   nll_loss, cross_entropy {N, C} with target {N}; {C} with a 0-d target; {N, C, d1, ...} with
//                           target {N, d1, ...}; class indices are int64. cross_entropy also takes
//                           class probabilities: a float target shaped like input.
//
// Formulas:
//   binary_cross_entropy    -w * (t * max(log x, -100) + (1 - t) * max(log(1 - x), -100));
//                           gradient g * w * (x - t) / max(x * (1 - x), 1e-12)
//   ..._with_logits         (1 - t) * x + (1 + (p - 1) * t) * (log(e^-m + e^(-x-m)) + m), m = max(-x, 0)
//   cross_entropy           nll_loss(log_softmax(input, 1)); with label_smoothing ε:
//                           (1 - ε) * nll + ε / C * smooth, where smooth = -Σ_c w_c log p_c per
//                           sample, reduced like nll (torch 1.13's cross_entropy_loss_label_smoothing);
//                           probability targets: -Σ_c w_c t'_c log p_c with t' = t (1 - ε) + ε / C,
//                           `mean` divides by numel / C (unweighted).
//
// Errors (ojo::Error, worded as PyTorch): "expected scalar type Long but found Float" (float class
// indices), "Target 12 is out of bounds.", "Expected input batch_size (32) to match target
// batch_size (31).", "Expected target size [2, 4], got [2, 3]", "weight tensor should be defined
// either for all 10 classes or no classes but got weight tensor of shape: [5]", "all elements of
// input should be between 0 and 1", "Using a target size (torch.Size([3, 1])) that is different to
// the input size (torch.Size([3])) ...", "Target size (...) must be the same as input size (...)",
// "label_smoothing must be between 0.0 and 1.0. Got: 1.5".
//
// Speed: cross_entropy with class indices runs one fused primitive (log-softmax, gather and
// reduction in one loop; one backward rule writing softmax - one_hot). functional::ref::
// cross_entropy is the plain composition log_softmax + nll_loss, kept to test the fused one against.
#pragma once

#include <cstdint>

#include "ojo/core/tensor.hpp"
#include "ojo/nn/module.hpp"

namespace ojo::nn {

// torch's reduction='none' | 'mean' | 'sum'.
enum class Reduction { none, mean, sum };

struct MSELossOptions {
  Reduction reduction = Reduction::mean;
};
struct L1LossOptions {
  Reduction reduction = Reduction::mean;
};
struct BCELossOptions {
  Tensor weight{};  // optional, broadcast to the input's shape: a rescaling weight per element
  Reduction reduction = Reduction::mean;
};
struct BCEWithLogitsLossOptions {
  Tensor weight{};  // optional, as BCELoss
  Reduction reduction = Reduction::mean;
  Tensor pos_weight{};  // optional, {C}: weight of positive examples per class
};
struct NLLLossOptions {
  Tensor weight{};               // optional, {C}: a weight per class
  int64_t ignore_index = -100;  // targets equal to it add nothing (and no gradient)
  Reduction reduction = Reduction::mean;
};
struct CrossEntropyLossOptions {
  Tensor weight{};               // optional, {C}
  int64_t ignore_index = -100;  // class-index targets only
  Reduction reduction = Reduction::mean;
  double label_smoothing = 0.0;  // in [0, 1]
};

namespace functional {

Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::mean);
Tensor l1_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::mean);
// input: probabilities in [0, 1] (after sigmoid); target: same shape.
Tensor binary_cross_entropy(const Tensor& input, const Tensor& target, const BCELossOptions& options = {});
// input: logits; numerically stable (no sigmoid then log).
Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target,
                                        const BCEWithLogitsLossOptions& options = {});
// input: log-probabilities {N, C, ...}; target: int64 class indices {N, ...}.
Tensor nll_loss(const Tensor& input, const Tensor& target, const NLLLossOptions& options = {});
// input: logits {N, C, ...}; target: int64 class indices {N, ...} or float probabilities shaped like input.
Tensor cross_entropy(const Tensor& input, const Tensor& target, const CrossEntropyLossOptions& options = {});

namespace ref {
// The plain path: log_softmax + nll_loss (torch's own composition); same results as the fused one.
Tensor cross_entropy(const Tensor& input, const Tensor& target, const CrossEntropyLossOptions& options = {});
}  // namespace ref

}  // namespace functional

// The base of the loss modules (torch's _Loss): forward takes the prediction and the target.
// Weights given in the options are registered as buffers ("weight", "pos_weight"), so they
// appear in state_dict() as in PyTorch. Printed as PyTorch prints them: "CrossEntropyLoss()".
class Loss : public Module {
 public:
  using Module::Module;
  virtual Tensor forward(const Tensor& input, const Tensor& target) = 0;
  Tensor operator()(const Tensor& input, const Tensor& target) { return forward(input, target); }
};

class MSELoss : public Loss {
 public:
  explicit MSELoss(MSELossOptions o = {}) : Loss("MSELoss"), options(o) {}
  Tensor forward(const Tensor& input, const Tensor& target) override;
  MSELossOptions options;
};

class L1Loss : public Loss {
 public:
  explicit L1Loss(L1LossOptions o = {}) : Loss("L1Loss"), options(o) {}
  Tensor forward(const Tensor& input, const Tensor& target) override;
  L1LossOptions options;
};

class BCELoss : public Loss {
 public:
  explicit BCELoss(BCELossOptions options = {});
  Tensor forward(const Tensor& input, const Tensor& target) override;
  BCELossOptions options;
};

class BCEWithLogitsLoss : public Loss {
 public:
  explicit BCEWithLogitsLoss(BCEWithLogitsLossOptions options = {});
  Tensor forward(const Tensor& input, const Tensor& target) override;
  BCEWithLogitsLossOptions options;
};

class NLLLoss : public Loss {
 public:
  explicit NLLLoss(NLLLossOptions options = {});
  Tensor forward(const Tensor& input, const Tensor& target) override;
  NLLLossOptions options;
};

class CrossEntropyLoss : public Loss {
 public:
  explicit CrossEntropyLoss(CrossEntropyLossOptions options = {});
  Tensor forward(const Tensor& input, const Tensor& target) override;
  CrossEntropyLossOptions options;
};

}  // namespace ojo::nn
