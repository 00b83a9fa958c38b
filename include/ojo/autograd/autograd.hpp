// Autograd: reverse-mode differentiation over a graph recorded while tensors are computed
// (PyTorch's autograd, same rules and names).
//
//   Tensor w = Tensor::from<float>({0.5f}).requires_grad_();   // a leaf
//   Tensor loss = ((w * x + b) - y).abs().mean();               // ops record nodes
//   loss.backward();                                            // d loss / d leaf, into .grad()
//   w.grad();                                                   // accumulates across backward calls
//   w.set_grad(Tensor());                                       // zero_grad: `w.grad = None`
//   { NoGradGuard g; w.copy_(w - lr * w.grad()); }              // update without recording
//
// Rules (as PyTorch):
// - Only floating-point tensors can require gradients ("only Tensors of floating point dtype can
//   require gradients"). A tensor requires grad if it is a leaf marked with requires_grad_() or
//   the result of a recorded operation with such an input.
// - Every differentiable function records a Node whose backward rule lives in
//   src/ojo/autograd/functions.cpp (one short rule per primitive). Views (slice, select, index,
//   view, reshape, flatten, permute, transpose, squeeze, unsqueeze, expand) and clone()/to() record
//   too when their input requires grad.
// - backward() on a non-scalar needs an explicit gradient of the same shape ("grad can be
//   implicitly created only for scalar outputs"). Gradients accumulate into leaves' .grad();
//   a non-leaf's .grad() stays undefined unless retain_grad() was called on it.
// - backward() frees the graph's saved tensors unless retain_graph is true; a second backward
//   through it throws "Trying to backward through the graph a second time ...". (PyTorch only
//   throws for nodes that saved tensors; ojo throws for any freed node.)
// - Inside NoGradGuard or InferenceMode nothing is recorded and no tensor is saved. Backward
//   itself runs without recording (no create_graph / higher-order gradients yet).
#pragma once

#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "ojo/core/tensor.hpp"

namespace ojo {

struct Node;

// The state of a tensor that takes part in autograd (Tensor::autograd_meta()).
struct AutogradMeta {
  bool requires_grad = false;
  bool retains_grad = false;
  Tensor grad;                    // leaves (and retained non-leaves): accumulated gradient
  std::shared_ptr<Node> grad_fn;  // null for leaves
};

// One recorded operation: maps the gradient of its output to gradients of its inputs.
struct Node {
  // Where the gradient of one input goes: into another node, or into a leaf's .grad(), or nowhere.
  struct Edge {
    std::shared_ptr<Node> fn;
    std::shared_ptr<AutogradMeta> leaf;
  };
  using Rule = std::function<std::vector<Tensor>(const Tensor& grad_output)>;

  std::string name;                  // "MulBackward0", as PyTorch's grad_fn
  Rule rule;                         // empty once freed by backward()
  std::vector<Edge> inputs;          // one per input of the operation, same order as the rule's result
  std::weak_ptr<AutogradMeta> output;  // for retain_grad()
  Shape output_shape;
  DType output_dtype = DType::f32;
};

// Whether operations record graph nodes on this thread (true by default).
class GradMode {
 public:
  static bool is_enabled();
  static void set_enabled(bool enabled);
};

// RAII: disables recording in a scope (torch.no_grad()).
class NoGradGuard {
 public:
  NoGradGuard() : previous_(GradMode::is_enabled()) { GradMode::set_enabled(false); }
  ~NoGradGuard() { GradMode::set_enabled(previous_); }
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool previous_;
};

// RAII: inference mode (torch.inference_mode()): no graph, nothing saved. In ojo it is the same
// as NoGradGuard; it exists so that code reads like the guide's.
class InferenceMode {
 public:
  InferenceMode() = default;

 private:
  NoGradGuard guard_;
};

// Records `output` as the result of a differentiable operation on `inputs`, if gradients are
// being recorded and some input requires grad; returns `output` (with a grad_fn) either way.
// `rule(grad_output)` returns one gradient per input (undefined for inputs without one); it runs
// only in backward(), without recording. Capture in the rule only what backward needs.
Tensor record(const char* name, Tensor output, const std::vector<Tensor>& inputs, Node::Rule rule);

// True if recording is on and any of `inputs` requires grad (lets ops skip saving tensors). The
// braced form, any_requires_grad({a, b}), looks at the tensors in place: building a vector would
// copy each one's shape and strides, two allocations per tensor on every op, recorded or not.
bool any_requires_grad(const std::vector<Tensor>& inputs);
bool any_requires_grad(std::initializer_list<std::reference_wrapper<const Tensor>> inputs);

// Backpropagates from several roots at once (torch.autograd.backward).
void backward(const std::vector<Tensor>& roots, const std::vector<Tensor>& gradients, bool retain_graph = false);

}  // namespace ojo
