#include "ojo/nn/module.hpp"

#include <algorithm>
#include <ostream>
#include <set>
#include <sstream>

#include "ojo/autograd/autograd.hpp"

namespace ojo::nn {

Device::Device(const std::string& name) {
  if (name == "cpu") type = Type::cpu;
  else if (name == "cuda" || name.rfind("cuda:", 0) == 0) type = Type::cuda;
  else fail("Device", "expected 'cpu' or 'cuda', got '", name, "'");
}

bool cuda_is_available() { return false; }

Tensor Module::forward(const Tensor&) {
  fail(type_name_, "this module has no single-tensor forward(); call its own forward overload");
}

void Module::check_new_name(const std::string& name, const char* what) const {
  check(!name.empty() && name.find('.') == std::string::npos, type_name_, what, " name '", name,
        "' must be non-empty and contain no '.'");
  auto taken = [&](const auto& list) {
    return std::any_of(list.begin(), list.end(), [&](const auto& e) { return e.first == name; });
  };
  check(!taken(params_) && !taken(buffers_) && !taken(children_), type_name_, "attribute '", name,
        "' already exists");
}

Tensor Module::register_parameter(const std::string& name, Tensor tensor, bool requires_grad) {
  check_new_name(name, "parameter");
  check(tensor.defined(), type_name_, "parameter '", name, "' is undefined");
  if (requires_grad) tensor.requires_grad_();
  params_.emplace_back(name, tensor);
  return tensor;
}

Tensor Module::register_buffer(const std::string& name, Tensor tensor) {
  check_new_name(name, "buffer");
  buffers_.emplace_back(name, tensor);
  return tensor;
}

void Module::add_child(const std::string& name, std::shared_ptr<Module> child) {
  check_new_name(name, "module");
  check(child != nullptr, type_name_, "submodule '", name, "' is null");
  children_.emplace_back(name, std::move(child));
}

Tensor& Module::parameter(const std::string& name) {
  for (auto& [n, t] : params_)
    if (n == name) return t;
  fail(type_name_, "no parameter named '", name, "'");
}

// Visits (dotted name, module) in pre-order: this module first, then each child's subtree.
template <class F>
void Module::walk(const std::string& prefix, bool recurse, F&& visit) const {
  visit(prefix, *this);
  if (!recurse) return;
  for (const auto& [name, child] : children_) child->walk(prefix + name + ".", true, visit);
}

std::vector<std::pair<std::string, Tensor>> Module::named_parameters(bool recurse) const {
  std::vector<std::pair<std::string, Tensor>> out;
  std::set<const void*> seen;  // a parameter shared by two modules is listed once, as PyTorch
  walk("", recurse, [&](const std::string& prefix, const Module& m) {
    for (const auto& [name, t] : m.params_)
      if (seen.insert(t.raw_data()).second)
        out.emplace_back(prefix + name, t);
  });
  return out;
}

std::vector<Tensor> Module::parameters(bool recurse) const {
  std::vector<Tensor> out;
  for (auto& [name, t] : named_parameters(recurse)) out.push_back(t);
  return out;
}

std::vector<std::pair<std::string, Tensor>> Module::named_buffers(bool recurse) const {
  std::vector<std::pair<std::string, Tensor>> out;
  walk("", recurse, [&](const std::string& prefix, const Module& m) {
    for (const auto& [name, t] : m.buffers_)
      if (t.defined()) out.emplace_back(prefix + name, t);
  });
  return out;
}

int64_t Module::num_parameters(bool only_trainable) const {
  int64_t n = 0;
  for (const Tensor& p : parameters())
    if (!only_trainable || p.requires_grad()) n += p.numel();
  return n;
}

StateDict Module::state_dict() const {
  StateDict sd;
  walk("", true, [&](const std::string& prefix, const Module& m) {
    for (const auto& [name, t] : m.params_) sd.insert(prefix + name, t.detach());
    for (const auto& [name, t] : m.buffers_)
      if (t.defined()) sd.insert(prefix + name, t.detach());
  });
  return sd;
}

namespace {
std::string quoted_list(const std::vector<std::string>& names) {
  std::string s;
  for (size_t i = 0; i < names.size(); ++i) s += (i ? ", \"" : "\"") + names[i] + "\"";
  return s;
}
}  // namespace

void Module::load_state_dict(const StateDict& state, bool strict) {
  const StateDict own = state_dict();
  std::vector<std::string> missing, unexpected, mismatched;
  for (const auto& [name, t] : own) {
    if (!state.contains(name)) {
      missing.push_back(name);
      continue;
    }
    const Tensor& src = state.at(name);
    if (!src.defined() || src.shape() != t.shape())
      mismatched.push_back("size mismatch for " + name + ": copying a param with shape " +
                           (src.defined() ? shape_str(src.shape()) : std::string("(undefined)")) +
                           ", the shape in current model is " + shape_str(t.shape()) + ".");
  }
  for (const auto& [name, t] : state)
    if (!own.contains(name)) unexpected.push_back(name);
  std::string errors;
  if (strict && !unexpected.empty()) errors += "\n\tUnexpected key(s) in state_dict: " + quoted_list(unexpected) + ".";
  if (strict && !missing.empty()) errors += "\n\tMissing key(s) in state_dict: " + quoted_list(missing) + ".";
  for (const auto& m : mismatched) errors += "\n\t" + m;
  if (!errors.empty()) fail("load_state_dict", "Error(s) in loading state_dict for ", type_name_, ":", errors);
  // Checked everything first: a failed load leaves the module untouched.
  NoGradGuard no_grad;
  for (const auto& [name, t] : own)
    if (state.contains(name)) {
      Tensor dst = t;  // shares storage with the registered tensor
      dst.copy_(state.at(name));
    }
}

void Module::train(bool on) {
  training_ = on;
  for (auto& [name, child] : children_) child->train(on);
}

void Module::zero_grad() {
  for (Tensor& p : parameters()) p.set_grad(Tensor());
}

Module& Module::to(const Device& device) {
  check(device.type == Device::Type::cpu, "Module.to", "device '", device.str(),
        "' is not available (ojo runs on the CPU; check cuda_is_available())");
  return *this;
}

Module& Module::to(DType dtype) {
  check(is_floating(dtype), "Module.to", "nn.Module.to only accepts floating point dtypes, but got desired dtype=",
        dtype_name(dtype));
  auto convert = [&](std::vector<std::pair<std::string, Tensor>>& list, bool parameters) {
    for (auto& [name, t] : list) {
      if (!t.defined() || !is_floating(t.dtype()) || t.dtype() == dtype) continue;
      Tensor converted = t.detach().to(dtype);
      if (parameters && t.requires_grad()) converted.requires_grad_();
      t = converted;
      on_tensor_replaced(name, t);
    }
  };
  convert(params_, true);
  convert(buffers_, false);
  for (auto& [name, child] : children_) child->to(dtype);
  return *this;
}

namespace {
// Python's _addindent: every line after the first gets `spaces` more indentation.
std::string add_indent(const std::string& s, int spaces) {
  std::string out;
  for (char c : s) {
    out += c;
    if (c == '\n') out.append(spaces, ' ');
  }
  return out;
}
}  // namespace

std::string Module::repr() const {
  std::vector<std::string> lines;
  const std::string extra = extra_repr();
  size_t extra_lines = 0;
  if (!extra.empty()) {
    std::istringstream in(extra);
    for (std::string line; std::getline(in, line);) lines.push_back(line), ++extra_lines;
  }
  for (const auto& [name, child] : children_) lines.push_back("(" + name + "): " + add_indent(child->repr(), 2));
  std::string s = type_name_ + "(";
  if (extra_lines == 1 && children_.empty()) {
    s += lines[0];
  } else if (!lines.empty()) {
    s += "\n  ";
    for (size_t i = 0; i < lines.size(); ++i) s += (i ? "\n  " : "") + lines[i];
    s += "\n";
  }
  return s + ")";
}

std::ostream& operator<<(std::ostream& os, const Module& m) { return os << m.repr(); }

std::string py_bool(bool b) { return b ? "True" : "False"; }

std::string py_tuple(const std::vector<int64_t>& v) {
  std::string s = "(";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + (v.size() == 1 ? ",)" : ")");
}

}  // namespace ojo::nn
