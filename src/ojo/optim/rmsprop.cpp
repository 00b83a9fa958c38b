// torch.optim.RMSprop (torch/optim/rmsprop.py, _single_tensor_rmsprop), element by element in the
// same float operations:
//   g = g.add(p, alpha=wd);  v.mul_(alpha).addcmul_(g, g, value=1-alpha)
//   centered: ga.mul_(alpha).add_(g, alpha=1-alpha); avg = v.addcmul(ga, ga, value=-1).sqrt_()
//   else avg = v.sqrt();  avg.add_(eps)
//   momentum > 0: buf.mul_(momentum).addcdiv_(g, avg); p.add_(buf, alpha=-lr)
//   else p.addcdiv_(g, avg, value=-lr)
// torch keeps `step` as a Python int here (an i64 0-d tensor in the state_dict).
#include "ojo/optim/optimizer.hpp"
#include "update.hpp"

namespace ojo::optim {
namespace {

std::vector<Tensor> checked(std::vector<Tensor> params, const RMSpropOptions& o) {
  if (!(o.lr >= 0)) fail("RMSprop", "Invalid learning rate: ", o.lr);
  if (!(o.eps >= 0)) fail("RMSprop", "Invalid epsilon value: ", o.eps);
  if (!(o.momentum >= 0)) fail("RMSprop", "Invalid momentum value: ", o.momentum);
  if (!(o.weight_decay >= 0)) fail("RMSprop", "Invalid weight_decay value: ", o.weight_decay);
  if (!(o.alpha >= 0)) fail("RMSprop", "Invalid alpha value: ", o.alpha);
  return params;
}

}  // namespace

RMSprop::RMSprop(std::vector<Tensor> params, RMSpropOptions options)
    : Optimizer(checked(std::move(params), options), "RMSprop"), opt_(options) {}

void RMSprop::validate() const { checked({}, opt_); }

std::vector<Optimizer::Hyper> RMSprop::hypers() {
  return {{"lr", &opt_.lr},           {"momentum", &opt_.momentum}, {"alpha", &opt_.alpha},
          {"eps", &opt_.eps},         {"centered", &opt_.centered}, {"weight_decay", &opt_.weight_decay},
          {"maximize", &opt_.maximize}};
}

std::vector<Optimizer::Buffer> RMSprop::buffers() const {
  std::vector<Buffer> b = {{"step", true, DType::i64}, {"square_avg"}};
  if (opt_.momentum > 0) b.push_back({"momentum_buffer"});
  if (opt_.centered) b.push_back({"grad_avg"});
  return b;
}

void RMSprop::step() {
  NoGradGuard no_grad;
  const RMSpropOptions o = opt_;
  for (size_t i = 0; i < params_.size(); ++i) {
    const Tensor g = grad_of(i);
    if (!g.defined()) continue;
    const Tensor& p = params_[i];
    StateDict& s = state_[i];
    if (s.empty()) {
      s.insert("step", zeros({}, DType::i64));
      s.insert("square_avg", zeros_like(p));
      if (o.momentum > 0) s.insert("momentum_buffer", zeros_like(p));
      if (o.centered) s.insert("grad_avg", zeros_like(p));
    }
    s.at("step").data<int64_t>()[0] += 1;
    detail::visit_float(p.dtype(), [&](auto tag) {
      using T = decltype(tag);
      T* pp = p.data<T>();
      const T* gp = g.data<T>();
      T* v = s.at("square_avg").data<T>();
      T* buf = o.momentum > 0 ? s.at("momentum_buffer").data<T>() : nullptr;
      T* ga = o.centered ? s.at("grad_avg").data<T>() : nullptr;
      const T wd = static_cast<T>(o.weight_decay), alpha = static_cast<T>(o.alpha);
      const T one_minus_alpha = static_cast<T>(1 - o.alpha), eps = static_cast<T>(o.eps);
      const T mom = static_cast<T>(o.momentum), neg_lr = static_cast<T>(-o.lr);
      for (int64_t k = 0, n = p.numel(); k < n; ++k) {
        T grad = o.maximize ? -gp[k] : gp[k];
        if (o.weight_decay != 0) grad = detail::add_alpha(grad, pp[k], wd);
        v[k] = detail::addcmul(v[k] * alpha, one_minus_alpha, grad, grad);
        T avg;
        if (ga) {
          ga[k] = detail::add_alpha(ga[k] * alpha, grad, one_minus_alpha);
          avg = std::sqrt(detail::addcmul(v[k], T(-1), ga[k], ga[k]));
        } else {
          avg = std::sqrt(v[k]);
        }
        avg = avg + eps;
        if (buf) {
          buf[k] = buf[k] * mom + T(1) * grad / avg;
          pp[k] = detail::add_alpha(pp[k], buf[k], neg_lr);
        } else {
          pp[k] = pp[k] + neg_lr * grad / avg;
        }
      }
    });
  }
}

}  // namespace ojo::optim
