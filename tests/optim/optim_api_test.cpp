// Optimizer and scheduler contracts that need no reference data: argument checks with torch's
// messages, zero_grad, parameters without gradients, and every load_state_dict error.
// (The numbers themselves are compared with PyTorch in optim_test.cpp.)
#include "ojo/io/safetensors.hpp"
#include "ojo/optim/lr_scheduler.hpp"
#include "ojo/optim/optimizer.hpp"
#include "ojo/tensor/ops.hpp"
#include "test_util.hpp"

namespace ojo::test {
namespace {

using namespace optim;

Tensor param(Shape shape) { return linspace(-1, 1, shape_numel(shape)).reshape(shape).requires_grad_(); }

TEST(Optimizer, RejectsBadParameterLists) {
  EXPECT_THROW_MSG(SGD({}, {.lr = 0.1}), "optimizer got an empty parameter list");
  EXPECT_THROW_MSG(Adam({}), "Adam: optimizer got an empty parameter list");
  EXPECT_THROW_MSG(SGD({linspace(0, 1, 3)}), "parameter 0 does not require grad");
  EXPECT_THROW_MSG(SGD({Tensor()}), "parameter 0 is an undefined tensor");
  EXPECT_THROW_MSG(SGD({arange(3)}), "parameter 0 has dtype int64, expected float32 or float64");
  const Tensor w = param({2, 3});
  EXPECT_THROW_MSG(SGD({w, w * 2}), "can't optimize a non-leaf Tensor (parameter 1)");
  EXPECT_THROW_MSG(SGD({w, w}), "parameter 1 appears twice");
  EXPECT_THROW_MSG(SGD({zeros({3, 4}).transpose(0, 1).requires_grad_()}), "parameter 0 is not contiguous");
}

TEST(Optimizer, ValidatesHyperParametersAsTorch) {
  const std::vector<Tensor> p = {param({3})};
  EXPECT_THROW_MSG(SGD(p, {.lr = -1}), "SGD: Invalid learning rate: -1");
  EXPECT_THROW_MSG(SGD(p, {.momentum = -0.5}), "Invalid momentum value: -0.5");
  EXPECT_THROW_MSG(SGD(p, {.weight_decay = -1}), "Invalid weight_decay value: -1");
  EXPECT_THROW_MSG(SGD(p, {.nesterov = true}), "Nesterov momentum requires a momentum and zero dampening");
  EXPECT_THROW_MSG(SGD(p, {.momentum = 0.9, .dampening = 0.1, .nesterov = true}),
                   "Nesterov momentum requires a momentum and zero dampening");
  EXPECT_THROW_MSG(Adam(p, {.lr = -0.1}), "Adam: Invalid learning rate: -0.1");
  EXPECT_THROW_MSG(Adam(p, {.betas = {1.0, 0.999}}), "Invalid beta parameter at index 0: 1");
  EXPECT_THROW_MSG(Adam(p, {.betas = {0.9, -0.1}}), "Invalid beta parameter at index 1: -0.1");
  EXPECT_THROW_MSG(Adam(p, {.eps = -1e-8}), "Invalid epsilon value: -1e-08");
  EXPECT_THROW_MSG(AdamW(p, {.weight_decay = -0.01}), "AdamW: Invalid weight_decay value: -0.01");
  EXPECT_THROW_MSG(RMSprop(p, {.alpha = -0.5}), "RMSprop: Invalid alpha value: -0.5");
  EXPECT_THROW_MSG(RMSprop(p, {.momentum = -1}), "Invalid momentum value: -1");
  // Hyper-parameters are checked before the parameters, as torch does.
  EXPECT_THROW_MSG(SGD({}, {.lr = -1}), "Invalid learning rate: -1");
}

TEST(Optimizer, DefaultsAreTorchs) {
  const std::vector<Tensor> p = {param({3})};
  EXPECT_EQ(Adam(p).lr(), 1e-3);
  EXPECT_EQ(AdamW(p).state_dict().at("param_groups.0.weight_decay").item(), 1e-2);
  EXPECT_EQ(Adam(p).state_dict().at("param_groups.0.weight_decay").item(), 0.0);
  EXPECT_EQ(RMSprop(p).lr(), 1e-2);
  EXPECT_EQ(RMSprop(p).options().alpha, 0.99);
  EXPECT_EQ(Adam(p).options().betas[1], 0.999);
}

TEST(Optimizer, ZeroGrad) {
  Tensor w = param({2, 2});
  SGD opt({w}, {.lr = 0.1});
  (w * w).sum().backward();
  ASSERT_TRUE(w.grad().defined());
  opt.zero_grad(false);
  ASSERT_TRUE(w.grad().defined());
  EXPECT_TENSOR_EQ(w.grad(), zeros({2, 2}));
  opt.zero_grad();
  EXPECT_FALSE(w.grad().defined());
}

TEST(Optimizer, SkipsParametersWithoutGradient) {
  Tensor a = param({3}), b = param({2});
  const Tensor b0 = b.detach().clone();
  Adam opt({a, b}, {.lr = 0.1});
  a.set_grad(ones({3}));
  opt.step();
  EXPECT_TENSOR_EQ(b.detach(), b0);
  const StateDict sd = opt.state_dict();
  EXPECT_TRUE(sd.contains("state.0.exp_avg"));
  EXPECT_FALSE(sd.contains("state.1.exp_avg"));
  EXPECT_EQ(sd.at("state.0.step").item(), 1.0);
}

TEST(Optimizer, TakesGradientsOfAnyLayoutAndFloatType) {
  // A transposed f64 gradient on an f32 parameter updates as its contiguous f32 copy does.
  Tensor a = param({3, 2}), b = param({3, 2});
  SGD opt_a({a}, {.lr = 0.5, .momentum = 0.9}), opt_b({b}, {.lr = 0.5, .momentum = 0.9});
  const Tensor g = linspace(0.5, 3, 6, DType::f64).reshape({2, 3}).transpose(0, 1);
  for (int s = 0; s < 2; ++s) {
    a.set_grad(g);
    b.set_grad(g.to(DType::f32).contiguous());
    opt_a.step();
    opt_b.step();
  }
  EXPECT_TENSOR_EQ(a.detach(), b.detach());
  EXPECT_FALSE(a.detach().equal(param({3, 2}).detach()));
}

TEST(Optimizer, StepDoesNotRecord) {
  Tensor w = param({3});
  SGD opt({w}, {.lr = 0.5, .momentum = 0.9});
  w.set_grad(ones({3}));
  opt.step();
  EXPECT_TRUE(w.is_leaf());
  EXPECT_TRUE(w.requires_grad());
  EXPECT_EQ(w.grad_fn_name(), "");
}

TEST(Optimizer, SetLr) {
  SGD opt({param({3})}, {.lr = 0.1});
  opt.set_lr(0.25);
  EXPECT_EQ(opt.lr(), 0.25);
  EXPECT_EQ(opt.options().lr, 0.25);
  EXPECT_EQ(opt.state_dict().at("param_groups.0.lr").item(), 0.25);
}

// An Adam that has taken one step on two parameters.
StateDict adam_state(bool amsgrad = false) {
  Tensor a = param({3}), b = param({2, 2});
  Adam opt({a, b}, {.lr = 0.1, .amsgrad = amsgrad});
  a.set_grad(ones({3}));
  b.set_grad(ones({2, 2}));
  opt.step();
  return opt.state_dict();
}

StateDict without(const StateDict& sd, const std::string& key) {
  StateDict out;
  for (const auto& [k, t] : sd)
    if (k != key) out.insert(k, t);
  return out;
}

TEST(OptimizerLoad, ReportsEveryProblemByName) {
  const StateDict good = adam_state();
  Adam opt({param({3}), param({2, 2})}, {.lr = 0.5});
  Adam one({param({3})});
  EXPECT_THROW_MSG(one.load_state_dict(good), "loaded state dict has 2 parameters");
  EXPECT_THROW_MSG(one.load_state_dict(good), "the optimizer has 1");
  EXPECT_THROW_MSG(opt.load_state_dict(StateDict()), "missing key 'param_groups.0.params'");
  EXPECT_THROW_MSG(opt.load_state_dict(without(good, "state.1.exp_avg_sq")), "missing keys 'state.1.exp_avg_sq'");
  EXPECT_THROW_MSG(opt.load_state_dict(without(good, "param_groups.0.eps")), "missing keys 'param_groups.0.eps'");
  StateDict extra = good;
  extra.insert("state.0.momentum_buffer", zeros({3}));
  extra.insert("state.7.exp_avg", zeros({3}));
  EXPECT_THROW_MSG(opt.load_state_dict(extra), "unexpected keys 'state.0.momentum_buffer', 'state.7.exp_avg'");
  StateDict misshaped = good;
  misshaped.insert("state.1.exp_avg", zeros({4}));
  EXPECT_THROW_MSG(opt.load_state_dict(misshaped),
                   "'state.1.exp_avg' has shape [4], expected [2, 2] (the shape of parameter 1)");
  StateDict bad_lr = good;
  bad_lr.insert("param_groups.0.lr", full({}, -1.0, DType::f64));
  EXPECT_THROW_MSG(opt.load_state_dict(bad_lr), "Invalid learning rate: -1");
  StateDict bad_betas = good;
  bad_betas.insert("param_groups.0.betas", zeros({3}, DType::f64));
  EXPECT_THROW_MSG(opt.load_state_dict(bad_betas), "'param_groups.0.betas' has shape [3], expected 2 values");
  // amsgrad=true in the dict needs max_exp_avg_sq buffers.
  StateDict ams = good;
  ams.insert("param_groups.0.amsgrad", full({}, 1, DType::boolean));
  EXPECT_THROW_MSG(opt.load_state_dict(ams), "missing keys 'state.0.max_exp_avg_sq', 'state.1.max_exp_avg_sq'");
  // Nothing changed on any failure.
  EXPECT_EQ(opt.lr(), 0.5);
  EXPECT_FALSE(opt.options().amsgrad);
  EXPECT_FALSE(opt.state_dict().contains("state.0.step"));
  // The good one loads, hyper-parameters included.
  opt.load_state_dict(good);
  EXPECT_EQ(opt.lr(), 0.1);
  EXPECT_EQ(opt.state_dict().at("state.1.step").item(), 1.0);
}

TEST(OptimizerLoad, AnotherOptimizersStateIsRefused) {
  SGD sgd({param({3}), param({2, 2})}, {.lr = 0.1, .momentum = 0.9});
  EXPECT_THROW_MSG(sgd.load_state_dict(adam_state()), "SGD.load_state_dict: missing keys 'param_groups.0.momentum'");
  EXPECT_THROW_MSG(sgd.load_state_dict(adam_state()), "unexpected keys 'state.0.step'");
}

TEST(OptimizerLoad, ConvertsBuffersToTheParameterDtype) {
  const StateDict sd = adam_state(true);
  Tensor a = param({3}).detach().to(DType::f64).requires_grad_(), b = param({2, 2}).detach().to(DType::f64).requires_grad_();
  Adam opt({a, b}, {.amsgrad = true});
  opt.load_state_dict(sd);
  EXPECT_EQ(opt.state_dict().at("state.0.exp_avg").dtype(), DType::f64);
  EXPECT_EQ(opt.state_dict().at("state.0.step").dtype(), DType::f32);
  EXPECT_TRUE(opt.options().amsgrad);
  a.set_grad(ones({3}, DType::f64));
  opt.step();
  EXPECT_EQ(opt.state_dict().at("state.0.step").item(), 2.0);
}

TEST(OptimizerLoad, ThroughASafetensorsFile) {
  // A checkpoint: optimizer and scheduler state in weight files, resumed in a fresh process.
  TempDir dir;
  Tensor a = param({3}), b = param({2, 2});
  RMSprop opt({a, b}, {.lr = 0.1, .momentum = 0.5, .centered = true});
  CosineAnnealingLR sched(opt, 5);
  for (int s = 0; s < 3; ++s) {
    a.set_grad(full({3}, 0.5 + s));
    b.set_grad(full({2, 2}, -1.0 * s));
    opt.step();
    sched.step();
  }
  safetensors::save(opt.state_dict(), dir.path("opt.safetensors"));
  safetensors::save(sched.state_dict(), dir.path("sched.safetensors"));

  Tensor a2 = a.detach().clone().requires_grad_(), b2 = b.detach().clone().requires_grad_();
  RMSprop opt2({a2, b2});
  opt2.load_state_dict(safetensors::load(dir.path("opt.safetensors")));
  CosineAnnealingLR sched2(opt2, 1);
  sched2.load_state_dict(safetensors::load(dir.path("sched.safetensors")));
  EXPECT_TRUE(opt2.options().centered);
  EXPECT_EQ(opt2.lr(), opt.lr());
  for (int s = 3; s < 5; ++s) {
    a.set_grad(full({3}, 0.5 + s));
    a2.set_grad(full({3}, 0.5 + s));
    b.set_grad(full({2, 2}, 0.25 * s));
    b2.set_grad(full({2, 2}, 0.25 * s));
    opt.step();
    opt2.step();
    sched.step();
    sched2.step();
  }
  EXPECT_TENSOR_EQ(a2.detach(), a.detach());
  EXPECT_TENSOR_EQ(b2.detach(), b.detach());
  EXPECT_EQ(sched2.get_last_lr(), sched.get_last_lr());
}

TEST(Scheduler, RejectsBadArguments) {
  SGD opt({param({3})}, {.lr = 0.1});
  EXPECT_THROW_MSG(StepLR(opt, 0), "StepLR: step_size must be positive, got 0");
  EXPECT_THROW_MSG(CosineAnnealingLR(opt, -2), "CosineAnnealingLR: T_max must be positive, got -2");
  StepLR sched(opt, 3);
  StateDict sd = sched.state_dict();
  EXPECT_THROW_MSG(sched.load_state_dict(without(sd, "gamma")), "StepLR.load_state_dict: missing keys 'gamma'");
  sd.insert("T_max", full({}, 3, DType::i64));
  EXPECT_THROW_MSG(sched.load_state_dict(sd), "unexpected keys 'T_max'");
  StateDict frac = sched.state_dict();
  frac.insert("last_epoch", full({}, 2.5, DType::f64));
  EXPECT_THROW_MSG(sched.load_state_dict(frac), "'last_epoch' is 2.5, expected a whole number");
}

TEST(Scheduler, FollowsManualLrChanges) {
  // torch's recursive form multiplies whatever lr the optimizer has now.
  SGD opt({param({3})}, {.lr = 1.0});
  StepLR sched(opt, 2, 0.5);
  sched.step();
  opt.set_lr(4.0);
  sched.step();
  EXPECT_EQ(opt.lr(), 2.0);
  EXPECT_EQ(sched.get_last_lr(), 2.0);
}

}  // namespace
}  // namespace ojo::test
