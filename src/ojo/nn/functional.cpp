// linear (a primitive over the GEMM kernel), batch_norm and dropout (composites of tensor ops), flatten.
#include "ojo/nn/functional.hpp"

#include "../tensor/gemm.hpp"
#include "../tensor/kernels.hpp"
#include "ojo/autograd/autograd.hpp"
#include "ojo/nn/module.hpp"

namespace ojo::nn::functional {

namespace {
// Sum of the rows of g {m, n} into {n}, in a fixed order (double accumulation).
Tensor sum_rows(const Tensor& g, int64_t m, int64_t n) {
  Tensor out = Tensor::empty({n}, g.dtype());
  kernels::visit_float(g.dtype(), "linear backward", [&](auto tag) {
    using T = decltype(tag);
    std::vector<double> acc(static_cast<size_t>(n), 0.0);
    const T* p = g.data<T>();
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) acc[j] += p[i * n + j];
    T* o = out.data<T>();
    for (int64_t j = 0; j < n; ++j) o[j] = static_cast<T>(acc[j]);
  });
  return out;
}
}  // namespace

Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias) {
  const char* op = "linear";
  check(input.defined() && weight.defined(), op, "input and weight must be defined");
  if (!(weight.dim() == 2)) fail(op, "weight must be 2-D {out_features, in_features}, got shape ", shape_str(weight.shape()));
  check(input.dim() >= 1, op, "input must have at least one dimension, got a 0-d tensor");
  const int64_t in_f = weight.size(1), out_f = weight.size(0);
  if (input.size(-1) != in_f)
    fail(op, "input has ", input.size(-1), " features, weight expects ", in_f, "; input shape ",
         shape_str(input.shape()));
  check(input.dtype() == weight.dtype() && is_floating(input.dtype()), op,
        "expected input and weight of the same float dtype, got ", dtype_name(input.dtype()), " and ",
        dtype_name(weight.dtype()));
  if (bias.defined())
    if (!(bias.dim() == 1 && bias.size(0) == out_f && bias.dtype() == input.dtype())) fail(op, "bias must be {", out_f,
          "} ", dtype_name(input.dtype()), ", got shape ", shape_str(bias.shape()), " ", dtype_name(bias.dtype()));
  Shape out_shape = input.shape();
  out_shape.back() = out_f;
  const int64_t m = input.numel() / std::max<int64_t>(in_f, 1);
  Tensor kept[3];
  const Tensor& x = kernels::contiguous_in(input, kept[0]);
  const Tensor& w = kernels::contiguous_in(weight, kept[1]);
  const Tensor& b = kernels::contiguous_in(bias, kept[2]);
  Tensor y = Tensor::empty(out_shape, x.dtype());
  kernels::visit_float(x.dtype(), op, [&](auto tag) {
    using T = decltype(tag);
    kernels::affine_rows<T>(m, out_f, in_f, x.data<T>(), w.data<T>(), b.defined() ? b.data<T>() : nullptr, y.data<T>());
  });
  if (!any_requires_grad({input, weight, bias})) return y;
  const bool need_x = input.requires_grad(), need_w = weight.requires_grad(),
             need_b = bias.defined() && bias.requires_grad();
  return record("AddmmBackward0", y, {input, weight, bias},
                [x = x.detach(), w = w.detach(), m, in_f, out_f, need_x, need_w, need_b](const Tensor& grad) -> std::vector<Tensor> {
                  const Tensor g = grad.contiguous();
                  Tensor gx, gw, gb;
                  kernels::visit_float(g.dtype(), "linear backward", [&](auto tag) {
                    using T = decltype(tag);
                    if (need_x) {  // gx {m, in} = g {m, out} · W {out, in}
                      gx = Tensor::empty(x.shape(), x.dtype());
                      kernels::gemm_parallel<T>(false, false, m, in_f, out_f, g.data<T>(), out_f, w.data<T>(), in_f,
                                                T(0), gx.data<T>(), in_f);
                    }
                    if (need_w) {  // gw {out, in} = gᵀ {out, m} · x {m, in}
                      gw = Tensor::empty(w.shape(), w.dtype());
                      kernels::gemm_parallel<T>(true, false, out_f, in_f, m, g.data<T>(), out_f, x.data<T>(), in_f,
                                                T(0), gw.data<T>(), in_f);
                    }
                  });
                  if (need_b) gb = sum_rows(g, m, out_f);
                  return {gx, gw, gb};
                });
}

Tensor batch_norm(const Tensor& input, const Tensor& running_mean, const Tensor& running_var, const Tensor& weight,
                  const Tensor& bias, bool training, double momentum, double eps) {
  const char* op = "batch_norm";
  check(input.defined(), op, "input is undefined");
  if (!(input.dim() >= 2)) fail(op, "expected a {N, C, ...} input, got shape ", shape_str(input.shape()));
  check(is_floating(input.dtype()), op, "expected a float tensor, got ", dtype_name(input.dtype()));
  const int64_t c = input.size(1);
  for (const Tensor* t : {&running_mean, &running_var, &weight, &bias})
    if (t->defined())
      if (!(t->dim() == 1 && t->size(0) == c)) fail(op, "expected per-channel tensors of shape [", c, "], got ",
            shape_str(t->shape()), " (input shape ", shape_str(input.shape()), ")");
  std::vector<int64_t> dims{0};
  Shape channel_shape(static_cast<size_t>(input.dim()), 1);
  channel_shape[1] = c;
  for (int64_t d = 2; d < input.dim(); ++d) dims.push_back(d);
  const int64_t count = input.numel() / std::max<int64_t>(c, 1);
  Tensor mean, var;
  if (training) {
    if (!(count > 1)) fail(op, "Expected more than 1 value per channel when training, got input size ",
          shape_str(input.shape()));
    mean = input.mean(dims, true);
    const Tensor centered = input - mean;
    var = (centered * centered).mean(dims, true);
    if (running_mean.defined() && running_var.defined()) {
      NoGradGuard no_grad;
      const Tensor bm = mean.detach().reshape({c}), bv = var.detach().reshape({c});
      Tensor rm = running_mean, rv = running_var;
      rm.copy_(rm * (1 - momentum) + bm.to(rm.dtype()) * momentum);
      rv.copy_(rv * (1 - momentum) + bv.to(rv.dtype()) * (momentum * double(count) / double(count - 1)));
    }
  } else {
    check(running_mean.defined() && running_var.defined(), op,
          "running_mean and running_var must be defined in evaluation mode");
    mean = running_mean.reshape(channel_shape);
    var = running_var.reshape(channel_shape);
  }
  Tensor y = (input - mean) * (1.0 / sqrt(var + eps));
  if (weight.defined()) y = y * weight.reshape(channel_shape);
  if (bias.defined()) y = y + bias.reshape(channel_shape);
  return y;
}

Tensor dropout(const Tensor& input, double p, bool training, Generator* gen) {
  check(p >= 0 && p <= 1, "dropout", "dropout probability has to be between 0 and 1, but got ", p);
  check(input.defined(), "dropout", "input is undefined");
  if (!training || p == 0) return input;
  if (p == 1) return input * 0.0;
  // As torch: noise = empty_like(input).bernoulli_(1 - p) (a double uniform below 1 - p keeps the
  // element), noise /= 1 - p, input * noise; the same draws after the same manual_seed.
  const Tensor keep = lt(uniform(input.shape(), 0, 1, DType::f64, gen), 1.0 - p);
  const Tensor noise = keep.to(input.dtype()) / (1.0 - p);
  return input * noise;
}

Tensor flatten(const Tensor& input, int64_t start_dim, int64_t end_dim) { return input.flatten(start_dim, end_dim); }

}  // namespace ojo::nn::functional
