// ctest-labels: pytorch
// Optimizers and learning-rate schedulers against PyTorch 1.13 reference data made by
// scripts/reference/optim_reference.py (tests/optim/data): the same three starting parameters
// and the same five steps of gradients (some None) go through every optimizer case; the
// parameters after each step, the state_dict after the last one, and the learning-rate
// sequences of the schedulers are compared with torch's.
// Tolerance: |ojo - torch| <= 1e-6 + 1e-5 * |torch| element-wise for parameters and buffers;
// learning rates (doubles computed by the same formulas) within 4 ulps.
#include <filesystem>
#include <functional>
#include <memory>
#include <set>

#include "autograd/compare.hpp"
#include "ojo/io/npy.hpp"
#include "ojo/optim/lr_scheduler.hpp"
#include "ojo/optim/optimizer.hpp"
#include "ojo/tensor/ops.hpp"

namespace ojo::test {
namespace {

using optim::Optimizer;

constexpr double kAtol = 1e-6, kRtol = 1e-5;
constexpr int kSteps = 5, kParams = 3;
const char* kHint = "(regenerate with /usr/bin/python3 scripts/reference/optim_reference.py)";

std::string data_path(const std::string& name) { return source_dir() + "/tests/optim/data/" + name + ".npy"; }
bool has(const std::string& name) { return std::filesystem::exists(data_path(name)); }
Tensor data(const std::string& name) { return load_npy(data_path(name)); }

struct OptimCase {
  std::string name;
  DType dtype;
  std::function<std::unique_ptr<Optimizer>(std::vector<Tensor>)> make;
};

template <class O, class Options>
std::function<std::unique_ptr<Optimizer>(std::vector<Tensor>)> maker(Options o) {
  return [o](std::vector<Tensor> p) { return std::make_unique<O>(std::move(p), o); };
}

// The same cases, by name, as CASES in scripts/reference/optim_reference.py.
std::vector<OptimCase> cases() {
  using namespace optim;
  const DType f32 = DType::f32, f64 = DType::f64;
  return {
      {"sgd", f32, maker<SGD>(SGDOptions{.lr = 0.1})},
      {"sgd_momentum", f32, maker<SGD>(SGDOptions{.lr = 0.1, .momentum = 0.9})},
      {"sgd_dampening_wd", f32,
       maker<SGD>(SGDOptions{.lr = 0.05, .momentum = 0.9, .dampening = 0.3, .weight_decay = 0.1})},
      {"sgd_nesterov", f32, maker<SGD>(SGDOptions{.lr = 0.1, .momentum = 0.8, .weight_decay = 0.05, .nesterov = true})},
      {"sgd_maximize", f32, maker<SGD>(SGDOptions{.lr = 0.1, .momentum = 0.5, .maximize = true})},
      {"sgd_momentum_f64", f64, maker<SGD>(SGDOptions{.lr = 0.1, .momentum = 0.9, .weight_decay = 0.01})},
      {"adam", f32, maker<Adam>(AdamOptions{.lr = 0.05})},
      {"adam_defaults", f32, maker<Adam>(AdamOptions{})},
      {"adam_wd_betas", f32, maker<Adam>(AdamOptions{.lr = 0.05, .betas = {0.8, 0.99}, .weight_decay = 0.1})},
      {"adam_amsgrad", f32, maker<Adam>(AdamOptions{.lr = 0.05, .amsgrad = true})},
      {"adam_maximize_eps", f32, maker<Adam>(AdamOptions{.lr = 0.05, .eps = 1e-3, .maximize = true})},
      {"adam_amsgrad_f64", f64, maker<Adam>(AdamOptions{.lr = 0.05, .weight_decay = 0.01, .amsgrad = true})},
      {"adamw", f32, maker<AdamW>(AdamWOptions{.lr = 0.05})},
      {"adamw_amsgrad_wd", f32, maker<AdamW>(AdamWOptions{.lr = 0.05, .weight_decay = 0.2, .amsgrad = true})},
      {"adamw_maximize", f32, maker<AdamW>(AdamWOptions{.lr = 0.05, .betas = {0.5, 0.9}, .maximize = true})},
      {"rmsprop", f32, maker<RMSprop>(RMSpropOptions{.lr = 0.01})},
      {"rmsprop_momentum_wd", f32, maker<RMSprop>(RMSpropOptions{.lr = 0.01, .weight_decay = 0.1, .momentum = 0.9})},
      {"rmsprop_centered", f32, maker<RMSprop>(RMSpropOptions{.lr = 0.01, .alpha = 0.9, .centered = true})},
      {"rmsprop_centered_momentum_max", f32,
       maker<RMSprop>(RMSpropOptions{.lr = 0.02, .eps = 1e-4, .momentum = 0.5, .centered = true, .maximize = true})},
      {"rmsprop_f64", f64, maker<RMSprop>(RMSpropOptions{.lr = 0.01, .momentum = 0.3})},
  };
}

std::vector<Tensor> start_params(DType dtype) {
  std::vector<Tensor> params;
  for (int j = 0; j < kParams; ++j) params.push_back(data("param." + std::to_string(j)).to(dtype).requires_grad_());
  return params;
}

// Sets each parameter's grad as torch's step s had it (undefined where torch's was None).
void set_grads(const std::vector<Tensor>& params, int s) {
  for (int j = 0; j < kParams; ++j) {
    const std::string g = "grad." + std::to_string(s) + "." + std::to_string(j);
    Tensor p = params[j];
    p.set_grad(has(g) ? data(g).to(p.dtype()) : Tensor());
  }
}

// The parameters flattened and concatenated, as a row of <case>.params.npy.
Tensor flat(const std::vector<Tensor>& params) {
  NoGradGuard no_grad;
  std::vector<Tensor> parts;
  for (const Tensor& p : params) parts.push_back(p.detach().reshape({-1}));
  return cat(parts);
}

// gtest prints parameters on failure: the case name, not its bytes.
void PrintTo(const OptimCase& c, std::ostream* os) { *os << c.name; }

class OptimPytorch : public ::testing::TestWithParam<OptimCase> {};

TEST_P(OptimPytorch, EveryStep) {
  const OptimCase& c = GetParam();
  ASSERT_TRUE(has(c.name + ".params")) << "no reference data for " << c.name << " " << kHint;
  const Tensor expected = data(c.name + ".params");
  std::vector<Tensor> params = start_params(c.dtype);
  auto opt = c.make(params);
  for (int s = 0; s < kSteps; ++s) {
    set_grads(params, s);
    opt->step();
    EXPECT_TRUE(allclose(flat(params), expected[s], kAtol, kRtol)) << c.name << " after step " << s << " " << kHint;
  }
}

TEST_P(OptimPytorch, StateDictMatchesTorch) {
  const OptimCase& c = GetParam();
  std::vector<Tensor> params = start_params(c.dtype);
  auto opt = c.make(params);
  for (int s = 0; s < kSteps; ++s) {
    set_grads(params, s);
    opt->step();
  }
  const StateDict sd = opt->state_dict();
  for (const auto& [key, t] : sd) {
    if (key == "param_groups.0.params") {
      EXPECT_TENSOR_EQ(t, arange(kParams));
    } else if (key.starts_with("state.")) {
      // "state.<i>.<buffer>" -> file <case>.state.<i>.<buffer>.npy
      ASSERT_TRUE(has(c.name + ".state" + key.substr(5))) << c.name << ": torch has no " << key;
      EXPECT_TRUE(allclose(t, data(c.name + ".state" + key.substr(5)), kAtol, kRtol)) << c.name << " " << key;
    } else {
      const std::string name = key.substr(std::string("param_groups.0.").size());
      ASSERT_TRUE(has(c.name + ".group." + name)) << c.name << ": torch's param group has no " << name;
      EXPECT_TRUE(allclose(t.to(DType::f64), data(c.name + ".group." + name).to(DType::f64), 0, 0))
          << c.name << " " << key;
    }
  }
  // And the other way: everything torch saved, ojo has.
  for (const auto& e : std::filesystem::directory_iterator(source_dir() + "/tests/optim/data")) {
    const std::string f = e.path().filename().string();
    if (!f.starts_with(c.name + ".") || !f.ends_with(".npy")) continue;
    std::string rest = f.substr(c.name.size() + 1, f.size() - c.name.size() - 5);
    if (rest.starts_with("state.")) {
      EXPECT_TRUE(sd.contains(rest)) << c.name << ": ojo has no " << rest;
    } else if (rest.starts_with("group.")) {
      EXPECT_TRUE(sd.contains("param_groups.0." + rest.substr(6))) << c.name << ": ojo has no " << rest;
    }
  }
}

// Resuming: 3 steps, state_dict, a new optimizer on copies of the parameters, load_state_dict,
// 2 more steps: identical to 5 uninterrupted steps (and so to torch).
TEST_P(OptimPytorch, StateDictRoundTripResumes) {
  const OptimCase& c = GetParam();
  std::vector<Tensor> straight = start_params(c.dtype);
  auto a = c.make(straight);
  std::vector<Tensor> first = start_params(c.dtype);
  auto b = c.make(first);
  for (int s = 0; s < 3; ++s) {
    set_grads(straight, s);
    a->step();
    set_grads(first, s);
    b->step();
  }
  const StateDict saved = b->state_dict();
  std::vector<Tensor> resumed;
  for (const Tensor& p : first) resumed.push_back(p.detach().clone().requires_grad_());
  auto r = c.make(resumed);
  r->load_state_dict(saved);
  b.reset();
  for (int s = 3; s < kSteps; ++s) {
    set_grads(straight, s);
    a->step();
    set_grads(resumed, s);
    r->step();
  }
  EXPECT_TENSOR_EQ(flat(resumed), flat(straight)) << c.name;
  EXPECT_TRUE(allclose(flat(resumed), data(c.name + ".params")[kSteps - 1], kAtol, kRtol)) << c.name << " " << kHint;
  // The loaded state is a copy: the saved dict did not move with the resumed optimizer.
  for (const auto& [key, t] : saved) {
    if (key.ends_with(".exp_avg") || key.ends_with(".momentum_buffer") || key.ends_with(".square_avg")) {
      EXPECT_FALSE(t.equal(r->state_dict().at(key))) << c.name << " " << key << " was aliased";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, OptimPytorch, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return info.param.name; });

TEST(OptimPytorch, EveryReferenceCaseHasACppCase) {
  std::set<std::string> known;
  for (const auto& c : cases()) known.insert(c.name);
  int found = 0;
  for (const auto& e : std::filesystem::directory_iterator(source_dir() + "/tests/optim/data")) {
    const std::string f = e.path().filename().string();
    if (f.ends_with(".params.npy")) {
      ++found;
      EXPECT_TRUE(known.count(f.substr(0, f.size() - 11))) << f;
    }
  }
  EXPECT_EQ(found, static_cast<int>(known.size())) << kHint;
}

// --- schedulers ---

struct SchedCase {
  std::string name;
  double lr;
  std::function<std::unique_ptr<optim::LRScheduler>(Optimizer&)> make;
};

std::vector<SchedCase> sched_cases() {
  using namespace optim;
  return {
      {"step_3_half", 0.1, [](Optimizer& o) { return std::make_unique<StepLR>(o, 3, 0.5); }},
      {"step_default_gamma", 0.5, [](Optimizer& o) { return std::make_unique<StepLR>(o, 2); }},
      {"cosine_4_min", 0.1, [](Optimizer& o) { return std::make_unique<CosineAnnealingLR>(o, 4, 0.01); }},
      {"cosine_10", 0.05, [](Optimizer& o) { return std::make_unique<CosineAnnealingLR>(o, 10); }},
  };
}

void PrintTo(const SchedCase& c, std::ostream* os) { *os << c.name; }

class SchedulerPytorch : public ::testing::TestWithParam<SchedCase> {};

TEST_P(SchedulerPytorch, LearningRates) {
  const SchedCase& c = GetParam();
  const Tensor expected = data("sched." + c.name);
  const double* want = expected.data<double>();
  optim::SGD opt({zeros({1}).requires_grad_()}, {.lr = c.lr});
  auto sched = c.make(opt);
  EXPECT_EQ(sched->last_epoch(), 0);
  EXPECT_DOUBLE_EQ(sched->get_last_lr(), want[0]);
  for (int64_t e = 1; e < expected.numel(); ++e) {
    opt.step();
    sched->step();
    EXPECT_EQ(sched->last_epoch(), e);
    EXPECT_DOUBLE_EQ(sched->get_last_lr(), want[e]) << c.name << " epoch " << e << " " << kHint;
    EXPECT_EQ(opt.lr(), sched->get_last_lr());
  }
}

TEST_P(SchedulerPytorch, StateDictRoundTripResumes) {
  const SchedCase& c = GetParam();
  const Tensor expected = data("sched." + c.name);
  optim::SGD opt({zeros({1}).requires_grad_()}, {.lr = c.lr});
  auto sched = c.make(opt);
  const int64_t half = expected.numel() / 2;
  for (int64_t e = 1; e <= half; ++e) sched->step();
  const StateDict opt_sd = opt.state_dict(), sched_sd = sched->state_dict();
  EXPECT_EQ(sched_sd.at("last_epoch").item(), static_cast<double>(half));

  optim::SGD opt2({zeros({1}).requires_grad_()}, {.lr = 123.0});
  opt2.load_state_dict(opt_sd);  // the lr comes back with the optimizer
  auto sched2 = c.make(opt2);
  sched2->load_state_dict(sched_sd);
  EXPECT_EQ(sched2->last_epoch(), half);
  EXPECT_EQ(sched2->base_lr(), c.lr);
  for (int64_t e = half + 1; e < expected.numel(); ++e) {
    sched2->step();
    EXPECT_DOUBLE_EQ(sched2->get_last_lr(), expected.data<double>()[e]) << c.name << " epoch " << e;
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, SchedulerPytorch, ::testing::ValuesIn(sched_cases()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace ojo::test
