// Learning-rate schedules — torch.optim.lr_scheduler.StepLR and CosineAnnealingLR (PyTorch 1.13),
// giving the same sequence of learning rates, computed in double as torch does in Python.
//
//   optim::SGD opt(params, {.lr = 0.1});
//   optim::StepLR sched(opt, /*step_size=*/30, /*gamma=*/0.1);   // lr 0.1 for epochs 0-29, 0.01 for 30-59, ...
//   for (int epoch = 0; epoch < 100; ++epoch) {
//     train_one_epoch(opt);   // opt.step() per batch
//     sched.step();           // once per epoch, after the optimizer steps (as torch)
//   }
//
// Construction records the optimizer's current lr as the base lr and performs torch's initial
// step (last_epoch() becomes 0, the lr is unchanged). Each step() increments last_epoch() and sets
// the optimizer's lr with torch's recursive (chainable) formula, so a scheduler composes with
// manual set_lr() changes exactly as torch's does:
//   StepLR:            lr *= gamma when last_epoch % step_size == 0 (and last_epoch > 0)
//   CosineAnnealingLR: lr_t = eta_min + (lr_{t-1} - eta_min) * (1 + cos(pi t/T_max)) / (1 + cos(pi (t-1)/T_max)),
//                      with torch's special case at t - 1 - T_max ≡ 0 (mod 2 T_max); not the closed form.
// state_dict() holds torch's scheduler fields: "base_lrs" and "_last_lr" (f64 {1}), "last_epoch" and
// "_step_count" (0-d i64), and the scheduler's own ("step_size", "gamma" / "T_max", "eta_min").
// load_state_dict() restores them (not the optimizer's lr: load the optimizer's state_dict for that).
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "ojo/core/state_dict.hpp"
#include "ojo/optim/optimizer.hpp"

namespace ojo::optim {

class LRScheduler {
 public:
  virtual ~LRScheduler() = default;
  LRScheduler(const LRScheduler&) = delete;
  LRScheduler& operator=(const LRScheduler&) = delete;

  // Advances one epoch and sets the optimizer's lr.
  void step();
  // The lr set by the last step() (torch returns it as a one-element list).
  double get_last_lr() const { return last_lr_; }
  int64_t last_epoch() const { return last_epoch_; }
  double base_lr() const { return base_lr_; }

  StateDict state_dict() const;
  void load_state_dict(const StateDict& sd);

 protected:
  LRScheduler(Optimizer& optimizer, std::string name);
  // Called by subclass constructors once their fields are set (torch's _initial_step).
  void initial_step();
  // The new lr for last_epoch_ (already incremented), from the optimizer's current lr.
  virtual double get_lr() const = 0;
  // The subclass's own fields, for state_dict: name -> pointer (int64_t or double).
  struct Field {
    std::string name;
    std::variant<int64_t*, double*> value;
  };
  virtual std::vector<Field> fields() = 0;

  Optimizer& optimizer_;
  double base_lr_;
  int64_t last_epoch_ = -1;
  int64_t step_count_ = 0;
  double last_lr_ = 0;

 private:
  std::string name_;
};

// torch.optim.lr_scheduler.StepLR: multiplies the lr by gamma every step_size epochs.
class StepLR : public LRScheduler {
 public:
  StepLR(Optimizer& optimizer, int64_t step_size, double gamma = 0.1);

 protected:
  double get_lr() const override;
  std::vector<Field> fields() override;

 private:
  int64_t step_size_;
  double gamma_;
};

// torch.optim.lr_scheduler.CosineAnnealingLR: cosine from the base lr down to eta_min over T_max
// epochs (and back up over the next T_max, as torch's recursive form does).
class CosineAnnealingLR : public LRScheduler {
 public:
  CosineAnnealingLR(Optimizer& optimizer, int64_t T_max, double eta_min = 0);

 protected:
  double get_lr() const override;
  std::vector<Field> fields() override;

 private:
  int64_t T_max_;
  double eta_min_;
};

}  // namespace ojo::optim
