// ctest-labels: pytorch
// End to end: TinyVGG (FashionMNISTModelV2(1, 10, 10)) started from PyTorch's initial weights and
// fed the same FashionMNIST batches (the first 6400 training images in file order, scaled to
// [0, 1], batch 32) follows PyTorch 1.13's loss over 200 SGD steps (lr 0.1, CrossEntropyLoss)
// (scripts/reference/models_reference.py):
// - in float64, relative difference < 1e-3 at every one of the 200 steps;
// - in float32, < 1e-3 for the first 25 steps, then the same training curve: the mean of the last 50
//   losses within 8% (equally valid float32 trajectories spread that much: torch float32 vs torch
//   float64 differ by 1.8% there, ojo float32 vs torch float32 by 4.2%; a model that stopped
//   learning would sit near 2.3, more than twice torch's 0.97). Step-by-step float32 agreement beyond ~30 steps is not reachable by any
//   implementation that sums in another order: torch's own float32 run leaves its float64 run by
//   more than 1e-3 at step 41, and a 1e-7 nudge of the weights diverges by step 35, because max-pool
//   and ReLU decisions flip (see the reference script).
// The float32 run is repeated at 1 and 2 threads and must give bit-identical losses.
#include <nlohmann/json.hpp>

#include <fstream>

#include "ojo/core/parallel.hpp"
#include "ojo/io/idx.hpp"
#include "ojo/io/npy.hpp"
#include "ojo/models/zoo.hpp"
#include "ojo/nn/loss.hpp"
#include "ojo/optim/optimizer.hpp"
#include "test_util.hpp"

namespace ojo::test {
namespace {

// The sanitizer build (Debug + ASan, ~30× slower) runs the first 30 steps only: it checks memory
// safety; the Release run checks the 200-step fidelity.
#if defined(__SANITIZE_ADDRESS__)
constexpr int kSteps = 30;
#else
constexpr int kSteps = 200;
#endif
constexpr int kBatch = 32;

std::vector<double> train_tinyvgg(int threads, DType dtype) {
  set_num_threads(threads);
  const std::string data = source_dir() + "/tests/models/data/";
  auto model = std::make_shared<models::FashionMNISTModelV2>(1, 10, 10);
  StateDict initial;
  for (const auto& [key, t] : model->state_dict()) initial.insert(key, load_npy(data + "FashionMNISTModelV2." + key + ".npy"));
  model->load_state_dict(initial);
  model->to(dtype);

  const std::string fashion = "/usr/share/datasets/fashion-mnist/";
  const Tensor images = load_idx(fashion + "train-images-idx3-ubyte.gz");
  const Tensor labels = load_idx(fashion + "train-labels-idx1-ubyte.gz");
  nn::CrossEntropyLoss loss_fn;
  optim::SGD optimizer(model->parameters(), {.lr = 0.1});
  model->train();
  std::vector<double> losses;
  for (int64_t step = 0; step < kSteps; ++step) {
    const Slice batch(step * kBatch, (step + 1) * kBatch);
    const Tensor x = (images.index({batch}).to(dtype) / 255.0).unsqueeze(1);
    const Tensor y = labels.index({batch}).to(DType::i64);
    Tensor loss = loss_fn((*model)(x), y);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    losses.push_back(loss.item());
  }
  return losses;
}

std::vector<double> expected_losses(const std::string& file) {
  const Tensor t = load_npy(source_dir() + "/tests/models/data/" + file).to(DType::f64);
  return std::vector<double>(t.data<double>(), t.data<double>() + t.numel());
}

double relative(double a, double b) { return std::fabs(a - b) / std::fabs(b); }

TEST(TinyVGGTraining, Float64FollowsPytorchLossFor200SgdSteps) {
  const std::vector<double> expected = expected_losses("tinyvgg_train_f64.losses.npy");
  ASSERT_GE(expected.size(), size_t(kSteps));
  const std::vector<double> ours = train_tinyvgg(2, DType::f64);
  double worst = 0;
  for (int i = 0; i < kSteps; ++i) {
    worst = std::max(worst, relative(ours[i], expected[i]));
    EXPECT_LT(relative(ours[i], expected[i]), 1e-3) << "step " << i << ": ojo " << ours[i] << ", torch " << expected[i];
  }
  std::cout << "float64: max relative loss difference over " << kSteps << " steps: " << worst << "\n";
}

TEST(TinyVGGTraining, Float32TracksPytorchThenFollowsTheSameCurve) {
  const std::vector<double> expected = expected_losses("tinyvgg_train.losses.npy");
  ASSERT_GE(expected.size(), size_t(kSteps));
  const std::vector<double> two = train_tinyvgg(2, DType::f32);
  double worst = 0;
  for (int i = 0; i < 25; ++i) {
    worst = std::max(worst, relative(two[i], expected[i]));
    EXPECT_LT(relative(two[i], expected[i]), 1e-3) << "step " << i << ": ojo " << two[i] << ", torch " << expected[i];
  }
  double ours_tail = 0, torch_tail = 0;
  for (int i = std::max(0, kSteps - 50); i < kSteps; ++i) ours_tail += two[i], torch_tail += expected[i];
  if (kSteps >= 100) {
    EXPECT_LT(relative(ours_tail, torch_tail), 0.08)
        << "mean loss of the last 50 steps: ojo " << ours_tail / 50 << ", torch " << torch_tail / 50;
  }
  std::cout << "float32: max relative difference over the first 25 steps " << worst << "; last-50 mean ojo "
            << ours_tail / 50 << ", torch " << torch_tail / 50 << "\n";
  EXPECT_EQ(train_tinyvgg(1, DType::f32), two) << "losses depend on the thread count";
  set_num_threads(2);
}

}  // namespace
}  // namespace ojo::test
