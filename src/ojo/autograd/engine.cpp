// The autograd engine: grad mode, recording nodes, and the backward pass (a topological walk of
// the recorded graph from the roots to the leaves). The rules themselves are in functions.cpp.
#include <cctype>
#include <unordered_map>

#include "ojo/autograd/autograd.hpp"
#include "ojo/tensor/ops.hpp"

namespace ojo {

namespace {
thread_local bool g_grad_enabled = true;

bool needs_grad(const Tensor& t) {
  const auto& meta = t.autograd_meta();
  return meta && meta->requires_grad;
}

// Adds `g` into a gradient slot; the first gradient is copied so that .grad() never aliases a
// caller's tensor or a broadcast view. A rule's fresh result that nothing else holds (`may_take`
// and `g` the only owner of its storage) is taken over instead, as PyTorch's AccumulateGrad does.
void accumulate(Tensor& slot, const Tensor& g, bool may_take = false) {
  if (slot.defined()) slot = slot + g;
  else if (!g.is_contiguous()) slot = g.contiguous();
  else slot = may_take && g.storage().use_count() == 1 ? g : g.clone();
}

std::shared_ptr<AutogradMeta> meta_of(Tensor& t) {
  if (!t.autograd_meta()) t.set_autograd_meta(std::make_shared<AutogradMeta>());
  return t.autograd_meta();
}
}  // namespace

bool GradMode::is_enabled() { return g_grad_enabled; }
void GradMode::set_enabled(bool enabled) { g_grad_enabled = enabled; }

bool any_requires_grad(const std::vector<Tensor>& inputs) {
  if (!g_grad_enabled) return false;
  for (const auto& t : inputs)
    if (t.defined() && needs_grad(t)) return true;
  return false;
}
bool any_requires_grad(std::initializer_list<std::reference_wrapper<const Tensor>> inputs) {
  if (!g_grad_enabled) return false;
  for (const Tensor& t : inputs)
    if (t.defined() && needs_grad(t)) return true;
  return false;
}

Tensor record(const char* name, Tensor output, const std::vector<Tensor>& inputs, Node::Rule rule) {
  if (!any_requires_grad(inputs) || !is_floating(output.dtype())) return output;
  auto node = std::make_shared<Node>();
  node->name = name;
  node->rule = std::move(rule);
  node->output_shape = output.shape();
  node->output_dtype = output.dtype();
  for (const auto& in : inputs) {
    Node::Edge edge;
    if (in.defined() && needs_grad(in)) {
      if (in.autograd_meta()->grad_fn) edge.fn = in.autograd_meta()->grad_fn;
      else edge.leaf = in.autograd_meta();
    }
    node->inputs.push_back(std::move(edge));
  }
  auto meta = std::make_shared<AutogradMeta>();
  meta->requires_grad = true;
  meta->grad_fn = node;
  node->output = meta;
  output.set_autograd_meta(std::move(meta));
  return output;
}

Tensor detail::record_view(const Tensor& in, Tensor out, const char* op, ViewKind kind,
                           std::function<Tensor(const Tensor&)> replay) {
  out.set_autograd_meta(nullptr);
  std::string name(1, static_cast<char>(std::toupper(static_cast<unsigned char>(op[0]))));
  name.append(op + 1);
  if (name == "To") name.append("Copy");
  name.append("Backward0");
  const Shape shape = in.shape();
  const DType dtype = in.dtype();
  Node::Rule rule;
  switch (kind) {
    case ViewKind::view:  // scatter the gradient through the same view of a zero tensor
      rule = [shape, dtype, replay = std::move(replay)](const Tensor& g) -> std::vector<Tensor> {
        Tensor z = zeros(shape, dtype);
        replay(z).copy_(g);
        return {z};
      };
      break;
    case ViewKind::expand:
      rule = [shape](const Tensor& g) -> std::vector<Tensor> { return {sum_to(g, shape)}; };
      break;
    case ViewKind::copy:
      rule = [dtype](const Tensor& g) -> std::vector<Tensor> { return {g.to(dtype)}; };
      break;
  }
  return record(name.c_str(), std::move(out), {in}, std::move(rule));
}

void backward(const std::vector<Tensor>& roots, const std::vector<Tensor>& gradients, bool retain_graph) {
  check(roots.size() == gradients.size(), "backward", "got ", roots.size(), " tensors and ", gradients.size(),
        " gradients");
  NoGradGuard no_grad;
  std::unordered_map<Node*, Tensor> pending;  // gradient summed so far for each node's output
  std::vector<std::shared_ptr<Node>> starts;
  for (size_t i = 0; i < roots.size(); ++i) {
    const Tensor& root = roots[i];
    if (!root.defined() || !needs_grad(root))
      fail("backward", "element ", i, " of tensors does not require grad and does not have a grad_fn");
    Tensor g = gradients[i];
    if (!g.defined()) {
      if (root.numel() != 1)
        fail("backward", "grad can be implicitly created only for scalar outputs (got a tensor of shape ",
             shape_str(root.shape()), ")");
      g = ones(root.shape(), root.dtype());
    } else if (g.shape() != root.shape()) {
      fail("backward", "Mismatch in shape: grad_output[", i, "] has a shape of ", shape_str(g.shape()),
           " and output[", i, "] has a shape of ", shape_str(root.shape()));
    } else if (g.dtype() != root.dtype()) {
      g = g.to(root.dtype());
    }
    const auto& meta = root.autograd_meta();
    if (!meta->grad_fn) {  // a leaf: its gradient is the given one
      accumulate(meta->grad, g);
      continue;
    }
    Tensor& slot = pending[meta->grad_fn.get()];
    slot = slot.defined() ? slot + g : g;
    starts.push_back(meta->grad_fn);
  }
  // Count, for each reachable node, how many edges lead into it; a node runs once all have arrived.
  std::unordered_map<Node*, int64_t> deps;
  std::vector<Node*> stack;
  for (const auto& s : starts)
    if (deps.emplace(s.get(), 0).second) stack.push_back(s.get());
  while (!stack.empty()) {
    Node* n = stack.back();
    stack.pop_back();
    for (const auto& e : n->inputs) {
      if (!e.fn) continue;
      if (deps.emplace(e.fn.get(), 0).second) stack.push_back(e.fn.get());
      ++deps[e.fn.get()];
    }
  }
  std::vector<Node*> ready;
  for (const auto& s : starts)
    if (deps[s.get()] == 0 && std::find(ready.begin(), ready.end(), s.get()) == ready.end()) ready.push_back(s.get());
  while (!ready.empty()) {
    Node* n = ready.back();
    ready.pop_back();
    Tensor g = std::move(pending[n]);
    pending.erase(n);
    if (!n->rule)
      fail("backward", "Trying to backward through the graph a second time (or directly access saved tensors ",
           "after they have already been freed). Saved intermediate values of the graph are freed when you call ",
           ".backward(). Specify retain_graph=true if you need to backward through the graph a second time (node ",
           n->name, ")");
    if (auto out = n->output.lock(); out && out->retains_grad && g.defined()) accumulate(out->grad, g);
    std::vector<Tensor> grads;
    if (g.defined()) {
      grads = n->rule(g);
      check(grads.size() == n->inputs.size(), "backward", n->name, " returned ", grads.size(),
            " gradients for ", n->inputs.size(), " inputs");
    }
    if (!retain_graph) n->rule = nullptr;
    for (size_t i = 0; i < n->inputs.size(); ++i) {
      const auto& e = n->inputs[i];
      if (e.leaf && !grads.empty() && grads[i].defined()) accumulate(e.leaf->grad, grads[i], true);
      const Tensor gi = grads.empty() ? Tensor() : grads[i];
      if (!e.fn) continue;
      if (gi.defined()) {
        Tensor& slot = pending[e.fn.get()];
        slot = slot.defined() ? slot + gi : gi;
      }
      if (--deps[e.fn.get()] == 0) ready.push_back(e.fn.get());
    }
  }
}

// ---------------------------------------------------------------- Tensor members

Tensor& Tensor::requires_grad_(bool requires_grad) {
  check_defined("requires_grad_");
  if (requires_grad && !is_floating(dtype_))
    fail("requires_grad_", "only Tensors of floating point dtype can require gradients (got ", dtype_name(dtype_),
         ")");
  if (autograd_ && autograd_->grad_fn) {
    if (!requires_grad)
      fail("requires_grad_", "you can only change requires_grad flags of leaf variables. If you want to use a ",
           "computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().");
    return *this;
  }
  if (!requires_grad && !autograd_) return *this;
  meta_of(*this)->requires_grad = requires_grad;
  return *this;
}

bool Tensor::requires_grad() const { return autograd_ && autograd_->requires_grad; }
bool Tensor::is_leaf() const { return !autograd_ || !autograd_->grad_fn; }
Tensor Tensor::grad() const { return autograd_ ? autograd_->grad : Tensor(); }

void Tensor::set_grad(const Tensor& grad) {
  check_defined("set_grad");
  if (grad.defined() && grad.shape() != shape_)
    fail("set_grad", "assigned grad has data of a different size (", shape_str(grad.shape()), " vs tensor ",
         shape_str(shape_), ")");
  if (!grad.defined() && !autograd_) return;
  meta_of(*this)->grad = grad;
}

void Tensor::retain_grad() {
  if (!requires_grad()) fail("retain_grad", "can't retain_grad on Tensor that has requires_grad=False");
  autograd_->retains_grad = true;
}

void Tensor::backward() const { backward(Tensor(), false); }

void Tensor::backward(const Tensor& gradient, bool retain_graph) const {
  check_defined("backward");
  ojo::backward({*this}, {gradient}, retain_graph);
}

Tensor Tensor::detach() const { return alias(); }

std::string Tensor::grad_fn_name() const { return autograd_ && autograd_->grad_fn ? autograd_->grad_fn->name : ""; }

}  // namespace ojo
