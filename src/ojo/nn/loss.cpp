// Losses (manual in include/ojo/nn/loss.hpp). Each primitive computes its forward on detached
// tensors and records one backward rule with torch 1.13's formula (derivatives.yaml):
// mse_loss, binary_cross_entropy(_with_logits), nll_loss and the fused cross_entropy. l1_loss,
// label smoothing and probability targets are compositions of differentiable ops, as in torch.
#include "ojo/nn/loss.hpp"

#include <cmath>
#include <limits>
#include <vector>

#include "../tensor/kernels.hpp"
#include "ojo/autograd/autograd.hpp"
#include "ojo/tensor/ops.hpp"

namespace ojo::nn {

namespace functional {
namespace {
using Grads = std::vector<Tensor>;

// PyTorch's ScalarType names, for its "expected scalar type Long but found Float".
const char* torch_type(DType t) {
  switch (t) {
    case DType::boolean: return "Bool";
    case DType::u8: return "Byte";
    case DType::i8: return "Char";
    case DType::u16: return "UInt16";
    case DType::i16: return "Short";
    case DType::i32: return "Int";
    case DType::i64: return "Long";
    case DType::f32: return "Float";
    case DType::f64: return "Double";
  }
  return "?";
}

std::string torch_size(const Shape& s) { return "torch.Size(" + shape_str(s) + ")"; }

Tensor as(const Tensor& t, DType dt) { return t.dtype() == dt ? t : t.to(dt); }

Tensor reduce(const Tensor& loss, Reduction r) {
  if (r == Reduction::sum) return loss.sum();
  if (r == Reduction::mean) return loss.mean();
  return loss;
}

void check_input(const char* op, const Tensor& input, const Tensor& target) {
  check(input.defined() && target.defined(), op, "tensor is undefined");
  check(is_floating(input.dtype()), op, "expected a floating point input (float32 or float64), got ",
        dtype_name(input.dtype()));
}

// The gradient `g` of a broadcast result, summed and cast back to an input's shape and dtype.
Tensor fit(const Tensor& g, const Shape& shape, DType dtype) { return as(sum_to(g, shape), dtype); }

// ---------------------------------------------------------------- class-index targets

// nll_loss / cross_entropy see the input as {n, c, s} (s = product of the positions d1, ...) and
// the target as {n, s}; `loss_shape` is the shape of the reduction='none' result.
struct ClassLayout {
  int64_t n, c, s;
  Shape loss_shape;
};

ClassLayout check_class_targets(const char* op, const Tensor& input, const Tensor& target, const Tensor& weight) {
  check_input(op, input, target);
  const int64_t nd = input.dim();
  check(nd >= 1, op, "Expected 1 or more dimensions (got 0)");
  ClassLayout l;
  if (nd >= 2 && target.dim() >= 1 && input.size(0) != target.size(0))  // torch checks this first
    fail(op, "Expected input batch_size (", input.size(0), ") to match target batch_size (", target.size(0), ").");
  if (nd <= 2) {
    check(target.dim() <= 1, op, "0D or 1D target tensor expected, multi-target not supported");
    if ((nd == 1) != (target.dim() == 0))
      fail(op, "size mismatch (got input: ", shape_str(input.shape()), ", target: ", shape_str(target.shape()), ")");
    l = {nd == 1 ? 1 : input.size(0), input.size(nd - 1), 1, nd == 1 ? Shape{} : Shape{input.size(0)}};
  } else {
    Shape expected = {input.size(0)};
    expected.insert(expected.end(), input.shape().begin() + 2, input.shape().end());
    if (target.shape() != expected)
      fail(op, "Expected target size ", shape_str(expected), ", got ", shape_str(target.shape()));
    l = {input.size(0), input.size(1), shape_numel(expected) / std::max<int64_t>(input.size(0), 1), expected};
  }
  if (target.dtype() != DType::i64)
    fail(op, "expected scalar type Long but found ", torch_type(target.dtype()));
  if (weight.defined() && (weight.dim() != 1 || weight.numel() != l.c))
    fail(op, "weight tensor should be defined either for all ", l.c,
         " classes or no classes but got weight tensor of shape: ", shape_str(weight.shape()));
  return l;
}

// One loop for both primitives. For each (sample i, position j) with class k = target[i, j] not
// ignored: log p = input[i, k, j] (nll_loss), or input[i, k, j] - logsumexp_c input[i, c, j]
// (fused cross_entropy, which keeps the logsumexp per row for backward in `lse` if `keep_lse`).
// Per-row losses are -w_k log p; `total` and `total_weight` sum them and w_k (in double).
struct ClassForward {
  Tensor none;  // {n * s} per-row losses, for reduction none
  Tensor lse;   // {n * s}, fused only
  double total = 0, total_weight = 0;
};

template <class T>
ClassForward class_forward(const char* op, const Tensor& x, const Tensor& target, const Tensor& weight,
                           const ClassLayout& l, int64_t ignore_index, bool per_row, bool fused, bool keep_lse) {
  const T* px = x.data<T>();
  const int64_t* pt = target.data<int64_t>();
  const T* pw = weight.defined() ? weight.data<T>() : nullptr;
  ClassForward f;
  if (per_row) f.none = Tensor::empty({l.n * l.s}, dtype_of<T>);
  if (keep_lse) f.lse = Tensor::empty({l.n * l.s}, dtype_of<T>);
  T* po = per_row ? f.none.data<T>() : nullptr;
  T* plse = keep_lse ? f.lse.data<T>() : nullptr;
  for (int64_t i = 0; i < l.n; ++i)
    for (int64_t j = 0; j < l.s; ++j) {
      const int64_t r = i * l.s + j, k = pt[r];
      if (k == ignore_index) {
        if (po) po[r] = 0;
        continue;
      }
      if (k < 0 || k >= l.c) fail(op, "Target ", k, " is out of bounds.");
      const T* row = px + i * l.c * l.s + j;  // class c at row[c * s]
      T logp = row[k * l.s];
      if (fused) {
        T mx = -std::numeric_limits<T>::infinity();
        for (int64_t c = 0; c < l.c; ++c) mx = std::max(mx, row[c * l.s]);
        if (std::isinf(mx) && mx < 0) mx = 0;
        double sum = 0;
        for (int64_t c = 0; c < l.c; ++c) sum += std::exp(row[c * l.s] - mx);
        const T log_sum = static_cast<T>(std::log(sum));
        if (plse) plse[r] = mx + log_sum;
        logp = logp - mx - log_sum;
      }
      const T wk = pw ? pw[k] : T(1);
      const T v = -wk * logp;
      if (po) po[r] = v;
      f.total += v;
      f.total_weight += wk;
    }
  return f;
}

// The gradient of the loss w.r.t. log p[i, k, j] is -w_k * gk, gk the upstream gradient of row
// (i, j) (divided by the total weight for mean). nll_loss writes it at class k; the fused
// cross_entropy chains it through log_softmax: w_k * gk * (softmax - one_hot(k)).
template <class T>
Tensor class_backward(const Tensor& g_in, const Tensor& x, const Tensor& target, const Tensor& weight,
                      const ClassLayout& l, int64_t ignore_index, Reduction red, double total_weight,
                      const Tensor& lse) {
  const bool fused = lse.defined();
  const Tensor g = g_in.contiguous();
  Tensor gi = fused ? Tensor::empty({l.n, l.c, l.s}, dtype_of<T>) : zeros({l.n, l.c, l.s}, dtype_of<T>);
  T* out = gi.data<T>();
  const T* pg = g.data<T>();
  const T* px = fused ? x.data<T>() : nullptr;
  const T* plse = fused ? lse.data<T>() : nullptr;
  const int64_t* pt = target.data<int64_t>();
  const T* pw = weight.defined() ? weight.data<T>() : nullptr;
  const T shared = red == Reduction::mean ? pg[0] / static_cast<T>(total_weight) : pg[0];
  for (int64_t i = 0; i < l.n; ++i)
    for (int64_t j = 0; j < l.s; ++j) {
      const int64_t r = i * l.s + j, k = pt[r];
      T* row = out + i * l.c * l.s + j;
      if (k == ignore_index) {
        if (fused)
          for (int64_t c = 0; c < l.c; ++c) row[c * l.s] = 0;
        continue;
      }
      const T gk = (red == Reduction::none ? pg[r] : shared) * (pw ? pw[k] : T(1));
      if (!fused) {
        row[k * l.s] = -gk;
        continue;
      }
      const T* xr = px + i * l.c * l.s + j;
      for (int64_t c = 0; c < l.c; ++c) row[c * l.s] = gk * std::exp(xr[c * l.s] - plse[r]);
      row[k * l.s] -= gk;
    }
  return gi;
}

// nll_loss (fused = false, input holds log-probabilities) or cross_entropy (fused = true, logits).
Tensor class_loss(const char* op, const Tensor& input, const Tensor& target, const Tensor& weight_in,
                  int64_t ignore_index, Reduction red, bool fused) {
  const ClassLayout l = check_class_targets(op, input, target, weight_in);
  const DType dt = input.dtype();
  const Tensor x = input.detach().contiguous(), t = target.contiguous();
  const Tensor w = weight_in.defined() ? as(weight_in.detach(), dt).contiguous() : Tensor();
  const bool grad = any_requires_grad({input});
  ClassForward f = kernels::visit_float(dt, op, [&](auto tag) {
    return class_forward<decltype(tag)>(op, x, t, w, l, ignore_index, red == Reduction::none, fused,
                                        fused && grad);
  });
  Tensor y;
  if (red == Reduction::none) {
    y = f.none.reshape(l.loss_shape);
  } else {
    const double v = red == Reduction::sum ? f.total : f.total / f.total_weight;  // 0 / 0 is NaN, as torch
    y = full({}, v, dt);
  }
  if (!grad) return y;
  const char* name = input.dim() >= 3 ? "NllLoss2DBackward0" : "NllLossBackward0";
  return record(name, y, {input}, [x, t, w, l, ignore_index, red, tw = f.total_weight, lse = f.lse,
                                   shape = input.shape()](const Tensor& g) -> Grads {
    Tensor gi = kernels::visit_float(g.dtype(), "nll_loss", [&](auto tag) {
      return class_backward<decltype(tag)>(g, x, t, w, l, ignore_index, red, tw, lse);
    });
    return {gi.reshape(shape)};
  });
}

// A {C} weight shaped to broadcast along the class dimension of an input of `ndim` dimensions.
Tensor class_view(const Tensor& weight, int64_t ndim, int64_t class_dim) {
  Shape s(std::max<int64_t>(ndim, 1), 1);
  s[class_dim] = weight.numel();
  return weight.reshape(s);
}

Tensor cross_entropy_impl(const Tensor& input, const Tensor& target, const CrossEntropyLossOptions& o, bool fused) {
  const char* op = "cross_entropy";
  check_input(op, input, target);
  const int64_t class_dim = input.dim() == 1 ? 0 : 1;
  const double ls = o.label_smoothing;
  const Tensor w = o.weight.defined() ? as(o.weight, input.dtype()) : Tensor();
  if (input.shape() == target.shape()) {  // class probabilities
    check(is_floating(target.dtype()), op, "Expected floating point type for target with class probabilities, got ",
          torch_type(target.dtype()));
    check(o.ignore_index < 0, op, "ignore_index is not supported for floating point target");
    const int64_t c = input.dim() ? input.size(class_dim) : 1;
    if (w.defined() && (w.dim() != 1 || w.numel() != c))
      fail(op, "weight tensor should be defined either for all ", c,
           " classes or no classes but got weight tensor of shape: ", shape_str(w.shape()));
    if (ls > 0) check(ls <= 1, op, "label_smoothing must be between 0.0 and 1.0. Got: ", ls);
    const Tensor lp = log_softmax(input, class_dim);
    const Tensor t = ls > 0 ? target * (1 - ls) + ls / static_cast<double>(c) : target;
    Tensor v = lp * t;
    if (w.defined()) v = v * class_view(w, input.dim(), class_dim);
    if (o.reduction == Reduction::none) return -v.sum(class_dim);
    if (o.reduction == Reduction::sum) return -v.sum();
    return -v.sum() / static_cast<double>(input.numel() / c);
  }
  if (ls > 0) {
    check(ls <= 1, op, "label_smoothing must be between 0.0 and 1.0. Got: ", ls);
    const Tensor lp = log_softmax(input, class_dim);
    const Tensor nll = class_loss(op, lp, target, w, o.ignore_index, o.reduction, false);
    const int64_t c = input.size(class_dim);
    const Tensor ignored = eq(target, o.ignore_index), keep = ne(target, o.ignore_index);
    Tensor smooth = w.defined() ? -(lp * class_view(w, input.dim(), class_dim)).sum(class_dim) : -lp.sum(class_dim);
    smooth = masked_fill(smooth, ignored, 0);
    Tensor rest = smooth;
    if (o.reduction == Reduction::sum) {
      rest = smooth.sum();
    } else if (o.reduction == Reduction::mean) {  // normalised like nll_loss: by the weights of kept targets
      rest = w.defined() ? smooth.sum() / index_select(w, 0, masked_select(target, keep)).sum()
                         : smooth.sum() / keep.sum();
    }
    return (1 - ls) * nll + rest * (ls / static_cast<double>(c));
  }
  if (fused) return class_loss(op, input, target, w, o.ignore_index, o.reduction, true);
  return class_loss(op, log_softmax(input, class_dim), target, w, o.ignore_index, o.reduction, false);
}
}  // namespace

// ---------------------------------------------------------------- public functions

Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction) {
  check_input("mse_loss", input, target);
  const Tensor d = input.detach() - target.detach();  // broadcasts (torch only warns)
  Tensor y = reduce(d * d, reduction);
  if (!any_requires_grad({input, target})) return y;
  return record("MseLossBackward0", y, {input, target},
                [d, reduction, a = input.shape(), ad = input.dtype(), b = target.shape(),
                 bd = target.dtype()](const Tensor& g) -> Grads {
                  const double norm = reduction == Reduction::mean ? 2.0 / static_cast<double>(d.numel()) : 2.0;
                  const Tensor gi = d * norm * g;
                  return {fit(gi, a, ad), is_floating(bd) ? fit(-gi, b, bd) : Tensor()};
                });
}

Tensor l1_loss(const Tensor& input, const Tensor& target, Reduction reduction) {
  check_input("l1_loss", input, target);
  return reduce(abs(input - target), reduction);
}

Tensor binary_cross_entropy(const Tensor& input, const Tensor& target, const BCELossOptions& options) {
  const char* op = "binary_cross_entropy";
  check_input(op, input, target);
  if (input.shape() != target.shape())
    fail(op, "Using a target size (", torch_size(target.shape()), ") that is different to the input size (",
         torch_size(input.shape()), ") is deprecated. Please ensure they have the same size.");
  const Tensor x = input.detach(), t = as(target.detach(), input.dtype());
  const Tensor in_range = ge(x, 0) * le(x, 1);  // false for NaN too
  check(in_range.to(DType::i64).sum().item() == static_cast<double>(x.numel()), op,
        "all elements of input should be between 0 and 1");
  Tensor w;
  if (options.weight.defined())
    w = as(options.weight.detach(), input.dtype()).expand(broadcast_shapes(t.shape(), options.weight.shape()));
  Tensor loss = (t - 1) * clamp(log(1 - x), -100) - t * clamp(log(x), -100);
  if (w.defined()) loss = loss * w;
  Tensor y = reduce(loss, options.reduction);
  if (!any_requires_grad({input})) return y;
  return record("BinaryCrossEntropyBackward0", y, {input},
                [x, t, w, red = options.reduction](const Tensor& g) -> Grads {
                  Tensor gi = g * (x - t) / clamp((1 - x) * x, 1e-12);
                  if (w.defined()) gi = gi * w;
                  if (red == Reduction::mean) gi = gi / static_cast<double>(x.numel());
                  return {gi};
                });
}

Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target,
                                        const BCEWithLogitsLossOptions& options) {
  const char* op = "binary_cross_entropy_with_logits";
  check_input(op, input, target);
  if (input.shape() != target.shape())
    fail(op, "Target size (", torch_size(target.shape()), ") must be the same as input size (",
         torch_size(input.shape()), ")");
  const DType dt = input.dtype();
  const Tensor x = input.detach(), t = as(target.detach(), dt);
  const Tensor w = options.weight.defined() ? as(options.weight.detach(), dt) : Tensor();
  const Tensor pw = options.pos_weight.defined() ? as(options.pos_weight.detach(), dt) : Tensor();
  // log(1 + e^-x) computed as log(e^-m + e^(-x-m)) + m with m = max(-x, 0): never overflows.
  const Tensor m = clamp(-x, 0);
  const Tensor softplus = log(exp(-m) + exp(-x - m));
  Tensor loss = pw.defined() ? (1 - t) * x + ((pw - 1) * t + 1) * (softplus + m) : (1 - t) * x + m + softplus;
  if (w.defined()) loss = loss * w;
  Tensor y = reduce(loss, options.reduction);
  if (!any_requires_grad({input})) return y;
  return record("BinaryCrossEntropyWithLogitsBackward0", y, {input},
                [x, t, w, pw, red = options.reduction, n = loss.numel()](const Tensor& g) -> Grads {
                  Tensor gi;
                  if (pw.defined()) {
                    const Tensor tp = pw * t;
                    gi = ((tp + 1 - t) * sigmoid(x) - tp) * g;
                  } else {
                    gi = (sigmoid(x) - t) * g;
                  }
                  if (w.defined()) gi = gi * w;
                  if (red == Reduction::mean) gi = gi / static_cast<double>(n);
                  return {fit(gi, x.shape(), x.dtype())};
                });
}

Tensor nll_loss(const Tensor& input, const Tensor& target, const NLLLossOptions& o) {
  return class_loss("nll_loss", input, target, o.weight, o.ignore_index, o.reduction, false);
}

Tensor cross_entropy(const Tensor& input, const Tensor& target, const CrossEntropyLossOptions& options) {
  return cross_entropy_impl(input, target, options, true);
}

Tensor ref::cross_entropy(const Tensor& input, const Tensor& target, const CrossEntropyLossOptions& options) {
  return cross_entropy_impl(input, target, options, false);
}

}  // namespace functional

// ---------------------------------------------------------------- modules

namespace F = functional;

Tensor MSELoss::forward(const Tensor& input, const Tensor& target) {
  return F::mse_loss(input, target, options.reduction);
}

Tensor L1Loss::forward(const Tensor& input, const Tensor& target) {
  return F::l1_loss(input, target, options.reduction);
}

BCELoss::BCELoss(BCELossOptions o) : Loss("BCELoss"), options(std::move(o)) {
  register_buffer("weight", options.weight);
}
Tensor BCELoss::forward(const Tensor& input, const Tensor& target) {
  return F::binary_cross_entropy(input, target, options);
}

BCEWithLogitsLoss::BCEWithLogitsLoss(BCEWithLogitsLossOptions o) : Loss("BCEWithLogitsLoss"), options(std::move(o)) {
  register_buffer("weight", options.weight);
  register_buffer("pos_weight", options.pos_weight);
}
Tensor BCEWithLogitsLoss::forward(const Tensor& input, const Tensor& target) {
  return F::binary_cross_entropy_with_logits(input, target, options);
}

NLLLoss::NLLLoss(NLLLossOptions o) : Loss("NLLLoss"), options(std::move(o)) {
  register_buffer("weight", options.weight);
}
Tensor NLLLoss::forward(const Tensor& input, const Tensor& target) { return F::nll_loss(input, target, options); }

CrossEntropyLoss::CrossEntropyLoss(CrossEntropyLossOptions o) : Loss("CrossEntropyLoss"), options(std::move(o)) {
  register_buffer("weight", options.weight);
}
Tensor CrossEntropyLoss::forward(const Tensor& input, const Tensor& target) {
  return F::cross_entropy(input, target, options);
}

}  // namespace ojo::nn
