// The Optimizer base: parameter checks, zero_grad, lr, and the flattened state_dict
// (see include/ojo/optim/optimizer.hpp).
#include "ojo/optim/optimizer.hpp"

#include <set>
#include <sstream>

#include "ojo/autograd/autograd.hpp"

namespace ojo::optim {
namespace {

std::string join(const std::vector<std::string>& names) {
  std::ostringstream out;
  for (size_t i = 0; i < names.size(); ++i) out << (i ? ", " : "") << "'" << names[i] << "'";
  return out.str();
}

// "state.<i>.<buffer>"
std::string state_key(size_t i, const std::string& buffer) { return "state." + std::to_string(i) + "." + buffer; }
std::string group_key(const std::string& name) { return "param_groups.0." + name; }

}  // namespace

Optimizer::Optimizer(std::vector<Tensor> params, std::string name)
    : params_(std::move(params)), state_(params_.size()), name_(std::move(name)) {
  if (params_.empty()) fail(name_, "optimizer got an empty parameter list");
  for (size_t i = 0; i < params_.size(); ++i) {
    const Tensor& p = params_[i];
    if (!p.defined()) fail(name_, "parameter ", i, " is an undefined tensor");
    if (p.dtype() != DType::f32 && p.dtype() != DType::f64)
      fail(name_, "parameter ", i, " has dtype ", dtype_name(p.dtype()), ", expected float32 or float64");
    if (!p.is_leaf()) fail(name_, "can't optimize a non-leaf Tensor (parameter ", i, ")");
    if (!p.requires_grad())
      fail(name_, "parameter ", i, " does not require grad (call requires_grad_() on it first)");
    if (!p.is_contiguous()) fail(name_, "parameter ", i, " is not contiguous (shape ", shape_str(p.shape()), ")");
    for (size_t j = 0; j < i; ++j)
      if (params_[j].storage() == p.storage() && params_[j].offset() == p.offset() && params_[j].shape() == p.shape())
        fail(name_, "parameter ", i, " appears twice in the parameter list (also at ", j, ")");
  }
}

void Optimizer::zero_grad(bool set_to_none) {
  for (Tensor& p : params_) {
    if (set_to_none) {
      p.set_grad(Tensor());
    } else if (Tensor g = p.grad(); g.defined()) {
      NoGradGuard no_grad;
      g.fill_(0);
    }
  }
}

double Optimizer::lr() const { return *std::get<double*>(const_cast<Optimizer*>(this)->hypers().front().value); }

void Optimizer::set_lr(double lr) { *std::get<double*>(hypers().front().value) = lr; }

Tensor Optimizer::grad_of(size_t i) const {
  const Tensor& p = params_[i];
  Tensor g = p.grad();
  if (!g.defined()) return g;  // (set_grad already guarantees the shape)
  if (g.dtype() != p.dtype()) g = g.to(p.dtype());
  return g.contiguous();
}

StateDict Optimizer::state_dict() const {
  StateDict sd;
  for (size_t i = 0; i < state_.size(); ++i)
    for (const auto& [name, t] : state_[i]) sd.insert(state_key(i, name), t.clone());
  for (const Hyper& h : const_cast<Optimizer*>(this)->hypers()) {
    Tensor t;
    if (auto* d = std::get_if<double*>(&h.value)) t = full({}, **d, DType::f64);
    if (auto* b = std::get_if<bool*>(&h.value)) t = full({}, **b ? 1 : 0, DType::boolean);
    if (auto* a = std::get_if<std::array<double, 2>*>(&h.value))
      t = Tensor::from_vector(std::vector<double>((*a)->begin(), (*a)->end()), {2});
    sd.insert(group_key(h.name), t);
  }
  sd.insert(group_key("params"), arange(static_cast<int64_t>(params_.size())));
  return sd;
}

void Optimizer::load_state_dict(const StateDict& sd) {
  const std::string op = name_ + ".load_state_dict";
  std::set<std::string> known;

  // The parameter count first: nothing else can be matched without it.
  const std::string params_key = group_key("params");
  if (!sd.contains(params_key)) fail(op, "missing key '", params_key, "' (not an optimizer state_dict?)");
  known.insert(params_key);
  const Tensor ids = sd.at(params_key);
  if (ids.dim() != 1 || ids.numel() != static_cast<int64_t>(params_.size()))
    fail(op, "loaded state dict has ", ids.numel(), " parameters (", params_key, " shape ",
         shape_str(ids.shape()), "), the optimizer has ", params_.size());

  // Hyper-parameters: read into the options (remembering the old values), then validate.
  std::vector<Hyper> hs = hypers();
  std::vector<std::variant<double, bool, std::array<double, 2>>> old;
  for (const Hyper& h : hs) std::visit([&](auto* p) { old.emplace_back(*p); }, h.value);
  auto restore = [&] {
    for (size_t k = 0; k < hs.size(); ++k)
      std::visit([&](auto* p) { *p = std::get<std::remove_reference_t<decltype(*p)>>(old[k]); }, hs[k].value);
  };
  std::vector<std::string> missing, unexpected;
  try {
    for (const Hyper& h : hs) {
      const std::string key = group_key(h.name);
      known.insert(key);
      if (!sd.contains(key)) {
        missing.push_back(key);
        continue;
      }
      const Tensor t = sd.at(key).to(DType::f64).contiguous();
      const int64_t want = std::holds_alternative<std::array<double, 2>*>(h.value) ? 2 : 1;
      if (t.numel() != want)
        fail(op, "'", key, "' has shape ", shape_str(t.shape()), ", expected ", want, " value", want > 1 ? "s" : "");
      const double* v = t.data<double>();
      if (auto* d = std::get_if<double*>(&h.value)) **d = v[0];
      if (auto* b = std::get_if<bool*>(&h.value)) **b = v[0] != 0;
      if (auto* a = std::get_if<std::array<double, 2>*>(&h.value)) **a = {v[0], v[1]};
    }
    validate();

    // Buffers, as the (new) options need them; a parameter has all of them or none.
    const std::vector<Buffer> bufs = buffers();
    std::vector<StateDict> state(params_.size());
    for (size_t i = 0; i < params_.size(); ++i) {
      bool any = false;
      for (const Buffer& b : bufs) {
        known.insert(state_key(i, b.name));
        any = any || sd.contains(state_key(i, b.name));
      }
      if (!any) continue;
      for (const Buffer& b : bufs) {
        const std::string key = state_key(i, b.name);
        if (!sd.contains(key)) {
          missing.push_back(key);
          continue;
        }
        const Tensor& t = sd.at(key);
        const Shape want = b.is_step ? Shape{} : params_[i].shape();
        if (t.shape() != want && !(b.is_step && t.numel() == 1))
          fail(op, "'", key, "' has shape ", shape_str(t.shape()), ", expected ", shape_str(want),
               b.is_step ? "" : " (the shape of parameter " + std::to_string(i) + ")");
        if (b.is_step && !is_floating(b.step_dtype) && t.item() != static_cast<double>(static_cast<int64_t>(t.item())))
          fail(op, "'", key, "' is ", t.item(), ", expected a whole number");
        state[i].insert(b.name, b.is_step ? t.reshape({}).to(b.step_dtype) : t.to(params_[i].dtype()).contiguous());
      }
    }
    for (const std::string& key : sd.keys())
      if (!known.count(key)) unexpected.push_back(key);
    if (!missing.empty() || !unexpected.empty()) {
      std::string msg;
      if (!missing.empty()) msg += "missing keys " + join(missing);
      if (!unexpected.empty()) msg += std::string(msg.empty() ? "" : "; ") + "unexpected keys " + join(unexpected);
      fail(op, msg, " (for ", name_, " with these options)");
    }
    // to() may return the same storage when no conversion is needed: own a copy.
    for (auto& s : state) {
      StateDict owned;
      for (const auto& [name, t] : s) owned.insert(name, t.clone());
      s = std::move(owned);
    }
    state_ = std::move(state);
  } catch (...) {
    restore();
    throw;
  }
}

}  // namespace ojo::optim
