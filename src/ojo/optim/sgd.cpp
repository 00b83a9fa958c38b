// torch.optim.SGD (torch/optim/sgd.py, _single_tensor_sgd), element by element in the same float
// operations: maximize negates, weight decay is d.add(p, alpha=wd), the momentum buffer is
// buf.mul_(momentum).add_(d, alpha=1-dampening) (a clone of d on its first step), nesterov is
// d.add(buf, alpha=momentum), and the update p.add_(d, alpha=-lr).
#include "ojo/optim/optimizer.hpp"
#include "update.hpp"
#include "update_fast.hpp"

namespace ojo::optim {
namespace {

std::vector<Tensor> checked(std::vector<Tensor> params, const SGDOptions& o) {
  if (o.lr < 0) fail("SGD", "Invalid learning rate: ", o.lr);
  if (o.momentum < 0) fail("SGD", "Invalid momentum value: ", o.momentum);
  if (o.weight_decay < 0) fail("SGD", "Invalid weight_decay value: ", o.weight_decay);
  if (o.nesterov && (o.momentum <= 0 || o.dampening != 0))
    fail("SGD", "Nesterov momentum requires a momentum and zero dampening");
  return params;
}

}  // namespace

SGD::SGD(std::vector<Tensor> params, SGDOptions options)
    : Optimizer(checked(std::move(params), options), "SGD"), opt_(options) {}

void SGD::validate() const { checked({}, opt_); }

std::vector<Optimizer::Hyper> SGD::hypers() {
  return {{"lr", &opt_.lr},       {"momentum", &opt_.momentum}, {"dampening", &opt_.dampening},
          {"weight_decay", &opt_.weight_decay}, {"nesterov", &opt_.nesterov}, {"maximize", &opt_.maximize}};
}

std::vector<Optimizer::Buffer> SGD::buffers() const {
  if (opt_.momentum == 0) return {};
  return {{"momentum_buffer"}};
}

void SGD::step() {
  NoGradGuard no_grad;
  const SGDOptions o = opt_;
  for (size_t i = 0; i < params_.size(); ++i) {
    const Tensor g = grad_of(i);
    if (!g.defined()) continue;
    const Tensor& p = params_[i];
    const bool first = o.momentum != 0 && state_[i].empty();
    if (first) state_[i].insert("momentum_buffer", empty_like(p));
    const Tensor buf = o.momentum != 0 ? state_[i].at("momentum_buffer") : Tensor();
    detail::visit_float(p.dtype(), [&](auto tag) {
      using T = decltype(tag);
      T* pp = p.data<T>();
      const T* gp = g.data<T>();
      T* bp = detail::ptr<T>(buf);
      const T wd = static_cast<T>(o.weight_decay), mom = static_cast<T>(o.momentum);
      const T keep = static_cast<T>(1 - o.dampening), neg_lr = static_cast<T>(-o.lr);
      if (!o.maximize && o.weight_decay == 0 && !bp) {  // plain SGD, the guide's: p.add_(g, alpha=-lr)
        detail::add_alpha_inplace(pp, gp, neg_lr, p.numel());
        return;
      }
      for (int64_t k = 0, n = p.numel(); k < n; ++k) {
        T d = o.maximize ? -gp[k] : gp[k];
        if (o.weight_decay != 0) d = detail::add_alpha(d, pp[k], wd);
        if (bp) {
          bp[k] = first ? d : detail::add_alpha(bp[k] * mom, d, keep);
          d = o.nesterov ? detail::add_alpha(d, bp[k], mom) : bp[k];
        }
        pp[k] = detail::add_alpha(pp[k], d, neg_lr);
      }
    });
  }
}

}  // namespace ojo::optim
