// StepLR and CosineAnnealingLR (torch/optim/lr_scheduler.py, PyTorch 1.13), see
// include/ojo/optim/lr_scheduler.hpp. The formulas keep torch's operation order so the doubles
// are identical.
#include "ojo/optim/lr_scheduler.hpp"

#include <cmath>
#include <numbers>
#include <set>

namespace ojo::optim {

LRScheduler::LRScheduler(Optimizer& optimizer, std::string name)
    : optimizer_(optimizer), base_lr_(optimizer.lr()), name_(std::move(name)) {}

void LRScheduler::initial_step() {
  step_count_ = 0;
  step();
}

void LRScheduler::step() {
  ++step_count_;
  ++last_epoch_;
  const double lr = get_lr();
  optimizer_.set_lr(lr);
  last_lr_ = optimizer_.lr();
}

StateDict LRScheduler::state_dict() const {
  StateDict sd;
  sd.insert("base_lrs", Tensor::from<double>({base_lr_}));
  sd.insert("last_epoch", full({}, static_cast<double>(last_epoch_), DType::i64));
  sd.insert("_step_count", full({}, static_cast<double>(step_count_), DType::i64));
  sd.insert("_last_lr", Tensor::from<double>({last_lr_}));
  for (const Field& f : const_cast<LRScheduler*>(this)->fields()) {
    if (auto* i = std::get_if<int64_t*>(&f.value)) sd.insert(f.name, full({}, static_cast<double>(**i), DType::i64));
    if (auto* d = std::get_if<double*>(&f.value)) sd.insert(f.name, full({}, **d, DType::f64));
  }
  return sd;
}

void LRScheduler::load_state_dict(const StateDict& sd) {
  const std::string op = name_ + ".load_state_dict";
  std::set<std::string> known = {"base_lrs", "last_epoch", "_step_count", "_last_lr"};
  std::vector<Field> fs = fields();
  for (const Field& f : fs) known.insert(f.name);
  std::string missing, unexpected;
  for (const std::string& k : known)
    if (!sd.contains(k)) missing += (missing.empty() ? "'" : ", '") + k + "'";
  for (const std::string& k : sd.keys())
    if (!known.count(k)) unexpected += (unexpected.empty() ? "'" : ", '") + k + "'";
  if (!missing.empty() || !unexpected.empty())
    fail(op, missing.empty() ? "" : "missing keys " + missing, !missing.empty() && !unexpected.empty() ? "; " : "",
         unexpected.empty() ? "" : "unexpected keys " + unexpected);
  auto one = [&](const std::string& k) {
    const Tensor& t = sd.at(k);
    if (t.numel() != 1) fail(op, "'", k, "' has shape ", shape_str(t.shape()), ", expected one value");
    return t.item();
  };
  auto whole = [&](const std::string& k) {
    const double v = one(k);
    if (v != std::floor(v) || std::fabs(v) > 9.0e15) fail(op, "'", k, "' is ", v, ", expected a whole number");
    return static_cast<int64_t>(v);
  };
  // Read everything before assigning anything.
  const double base = one("base_lrs"), last_lr = one("_last_lr");
  const int64_t epoch = whole("last_epoch"), count = whole("_step_count");
  std::vector<std::variant<int64_t, double>> vals;
  for (const Field& f : fs) {
    if (std::holds_alternative<int64_t*>(f.value)) {
      const int64_t v = whole(f.name);
      if (v <= 0) fail(op, "'", f.name, "' is ", v, ", expected a positive number");
      vals.emplace_back(v);
    } else {
      vals.emplace_back(one(f.name));
    }
  }
  base_lr_ = base;
  last_lr_ = last_lr;
  last_epoch_ = epoch;
  step_count_ = count;
  for (size_t k = 0; k < fs.size(); ++k) {
    if (auto* i = std::get_if<int64_t*>(&fs[k].value)) **i = std::get<int64_t>(vals[k]);
    if (auto* d = std::get_if<double*>(&fs[k].value)) **d = std::get<double>(vals[k]);
  }
}

StepLR::StepLR(Optimizer& optimizer, int64_t step_size, double gamma)
    : LRScheduler(optimizer, "StepLR"), step_size_(step_size), gamma_(gamma) {
  if (step_size <= 0) fail("StepLR", "step_size must be positive, got ", step_size);
  initial_step();
}

double StepLR::get_lr() const {
  const double lr = optimizer_.lr();
  if (last_epoch_ == 0 || last_epoch_ % step_size_ != 0) return lr;
  return lr * gamma_;
}

std::vector<LRScheduler::Field> StepLR::fields() { return {{"step_size", &step_size_}, {"gamma", &gamma_}}; }

CosineAnnealingLR::CosineAnnealingLR(Optimizer& optimizer, int64_t T_max, double eta_min)
    : LRScheduler(optimizer, "CosineAnnealingLR"), T_max_(T_max), eta_min_(eta_min) {
  if (T_max <= 0) fail("CosineAnnealingLR", "T_max must be positive, got ", T_max);
  initial_step();
}

double CosineAnnealingLR::get_lr() const {
  constexpr double pi = std::numbers::pi;
  const double lr = optimizer_.lr();
  const double t = static_cast<double>(last_epoch_), T = static_cast<double>(T_max_);
  if (last_epoch_ == 0) return lr;
  // (torch's branch for `_step_count == 1 and last_epoch > 0` needs a constructor argument
  // last_epoch >= 0, which ojo does not have: resume with load_state_dict instead.)
  if ((last_epoch_ - 1 - T_max_) % (2 * T_max_) == 0)
    return lr + (base_lr_ - eta_min_) * (1 - std::cos(pi / T)) / 2;
  return (1 + std::cos(pi * t / T)) / (1 + std::cos(pi * (t - 1) / T)) * (lr - eta_min_) + eta_min_;
}

std::vector<LRScheduler::Field> CosineAnnealingLR::fields() { return {{"T_max", &T_max_}, {"eta_min", &eta_min_}}; }

}  // namespace ojo::optim
