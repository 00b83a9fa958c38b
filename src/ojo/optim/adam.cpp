// torch.optim.Adam and AdamW (torch/optim/adam.py and adamw.py, _single_tensor_adam(w)), element
// by element in the same float operations:
//   step += 1 (a 0-d float32 tensor); bias corrections, step size and sqrt(bc2) in double (Python floats)
//   Adam:  g = g.add(p, alpha=wd)          AdamW: p.mul_(1 - lr*wd)
//   m.mul_(b1).add_(g, alpha=1-b1);  v.mul_(b2).addcmul_(g, g, value=1-b2)
//   amsgrad: vmax = maximum(vmax, v), used in place of v
//   denom = (sqrt(v) / sqrt(bc2)).add_(eps);  p.addcdiv_(m, denom, value=-lr/bc1)
// addcdiv computes self + value * t1 / t2 left to right, as ATen's CPU kernel does; addcmul see update.hpp.
#include <cmath>

#include "ojo/optim/optimizer.hpp"
#include "update.hpp"

namespace ojo::optim {
namespace {

void check_options(const std::string& name, const AdamOptions& o) {
  if (!(o.lr >= 0)) fail(name, "Invalid learning rate: ", o.lr);
  if (!(o.eps >= 0)) fail(name, "Invalid epsilon value: ", o.eps);
  if (!(o.betas[0] >= 0 && o.betas[0] < 1)) fail(name, "Invalid beta parameter at index 0: ", o.betas[0]);
  if (!(o.betas[1] >= 0 && o.betas[1] < 1)) fail(name, "Invalid beta parameter at index 1: ", o.betas[1]);
  if (!(o.weight_decay >= 0)) fail(name, "Invalid weight_decay value: ", o.weight_decay);
}

std::vector<Tensor> checked(std::vector<Tensor> params, const std::string& name, const AdamOptions& o) {
  check_options(name, o);
  return params;
}

AdamOptions as_adam(const AdamWOptions& o) {
  return {.lr = o.lr, .betas = o.betas, .eps = o.eps, .weight_decay = o.weight_decay, .amsgrad = o.amsgrad,
          .maximize = o.maximize};
}

}  // namespace

Adam::Adam(std::vector<Tensor> params, AdamOptions options) : Adam(std::move(params), options, "Adam", false) {}

Adam::Adam(std::vector<Tensor> params, AdamOptions options, std::string name, bool decoupled)
    : Optimizer(checked(std::move(params), name, options), name), opt_(options), decoupled_(decoupled) {}

AdamW::AdamW(std::vector<Tensor> params, AdamWOptions options)
    : Adam(std::move(params), as_adam(options), "AdamW", true) {}

void Adam::validate() const { check_options(name(), opt_); }

std::vector<Optimizer::Hyper> Adam::hypers() {
  return {{"lr", &opt_.lr},       {"betas", &opt_.betas},     {"eps", &opt_.eps},
          {"weight_decay", &opt_.weight_decay}, {"amsgrad", &opt_.amsgrad}, {"maximize", &opt_.maximize}};
}

std::vector<Optimizer::Buffer> Adam::buffers() const {
  std::vector<Buffer> b = {{"step", true, DType::f32}, {"exp_avg"}, {"exp_avg_sq"}};
  if (opt_.amsgrad) b.push_back({"max_exp_avg_sq"});
  return b;
}

void Adam::step() {
  NoGradGuard no_grad;
  const AdamOptions o = opt_;
  for (size_t i = 0; i < params_.size(); ++i) {
    const Tensor g = grad_of(i);
    if (!g.defined()) continue;
    const Tensor& p = params_[i];
    StateDict& s = state_[i];
    if (s.empty()) {
      s.insert("step", zeros({}, DType::f32));
      s.insert("exp_avg", zeros_like(p));
      s.insert("exp_avg_sq", zeros_like(p));
      if (o.amsgrad) s.insert("max_exp_avg_sq", zeros_like(p));
    }
    float& step_t = s.at("step").data<float>()[0];
    step_t += 1.0f;
    const double step = step_t;
    const double bias_correction1 = 1 - std::pow(o.betas[0], step);
    const double bias_correction2 = 1 - std::pow(o.betas[1], step);
    const double step_size = o.lr / bias_correction1;
    const double bias_correction2_sqrt = std::sqrt(bias_correction2);
    detail::visit_float(p.dtype(), [&](auto tag) {
      using T = decltype(tag);
      T* pp = p.data<T>();
      const T* gp = g.data<T>();
      T* m = s.at("exp_avg").data<T>();
      T* v = s.at("exp_avg_sq").data<T>();
      T* vmax = o.amsgrad ? s.at("max_exp_avg_sq").data<T>() : nullptr;
      const T wd = static_cast<T>(o.weight_decay), decay = static_cast<T>(1 - o.lr * o.weight_decay);
      const T b1 = static_cast<T>(o.betas[0]), one_minus_b1 = static_cast<T>(1 - o.betas[0]);
      const T b2 = static_cast<T>(o.betas[1]), one_minus_b2 = static_cast<T>(1 - o.betas[1]);
      const T bc2_sqrt = static_cast<T>(bias_correction2_sqrt), eps = static_cast<T>(o.eps);
      const T neg_step_size = static_cast<T>(-step_size);
      for (int64_t k = 0, n = p.numel(); k < n; ++k) {
        T grad = o.maximize ? -gp[k] : gp[k];
        if (decoupled_) pp[k] = pp[k] * decay;
        else if (o.weight_decay != 0) grad = detail::add_alpha(grad, pp[k], wd);
        m[k] = detail::add_alpha(m[k] * b1, grad, one_minus_b1);
        v[k] = detail::addcmul(v[k] * b2, one_minus_b2, grad, grad);
        T second = v[k];
        if (vmax) second = vmax[k] = detail::maximum(vmax[k], v[k]);
        const T denom = std::sqrt(second) / bc2_sqrt + eps;
        pp[k] = pp[k] + neg_step_size * m[k] / denom;
      }
    });
  }
}

}  // namespace ojo::optim
