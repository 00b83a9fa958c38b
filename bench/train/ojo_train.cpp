// bench_train_ojo: the ojo side of bench_train (see common.hpp for the cases and the output).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <vector>

#include "common.hpp"
#include "ojo/autograd/autograd.hpp"
#include "ojo/core/parallel.hpp"
#include "ojo/io/idx.hpp"
#include "ojo/models/zoo.hpp"
#include "ojo/nn/loss.hpp"
#include "ojo/optim/optimizer.hpp"
#include "ojo/tensor/ops.hpp"

using namespace ojo;
using Clock = std::chrono::steady_clock;

namespace {

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

int train(const bench_train::Args& a, nn::Module& model, const Tensor& images, const Tensor& labels) {
  nn::CrossEntropyLoss loss_fn;
  optim::SGD optimizer(model.parameters(), {.lr = 0.1});
  model.train();
  const int64_t batches = images.size(0) / bench_train::kBatch;
  double loss_sum = 0, seconds = 0;
  for (int step = 0; step < bench_train::kWarmup + a.steps; ++step) {
    if (step == bench_train::kWarmup) loss_sum = 0;
    const auto t0 = Clock::now();
    const int64_t b = step % batches;
    const Slice batch(b * bench_train::kBatch, (b + 1) * bench_train::kBatch);
    Tensor x = images.index({batch});
    if (x.dtype() == DType::u8) x = (x.to(DType::f32) / 255.0).unsqueeze(1);
    const Tensor y = labels.index({batch}).to(DType::i64);
    Tensor loss = loss_fn(model(x), y);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    loss_sum += loss.item();
    if (step >= bench_train::kWarmup) seconds += since(t0);
  }
  bench_train::report(seconds, a.steps, loss_sum / a.steps);
  return 0;
}

int infer(nn::Module& model, const Tensor& x, int calls) {
  model.eval();
  InferenceMode guard;
  for (int i = 0; i < 20; ++i) model(x);
  std::vector<double> t;
  for (int i = 0; i < calls; ++i) {
    const auto t0 = Clock::now();
    const Tensor logits = model(x);
    t.push_back(since(t0));
  }
  std::sort(t.begin(), t.end());
  bench_train::report(t[t.size() / 2], 1, 0);
  return 0;
}

}  // namespace

int run(int argc, char** argv) {
  const bench_train::Args a = bench_train::parse(argc, argv);
  set_num_threads(a.threads);
  manual_seed(42);
  if (a.which == "cifar") {
    models::CIFAR10Model model;
    const int n = bench_train::kBatch * 8;  // 8 distinct random batches, cycled
    return train(a, model, randn({n, 3, 32, 32}), randint(0, 10, {n}, DType::u8));
  }
  const Tensor images = load_idx(a.data + "train-images-idx3-ubyte.gz");
  const Tensor labels = load_idx(a.data + "train-labels-idx1-ubyte.gz");
  if (a.which == "v1") {
    models::FashionMNISTModelV1 model(784, 100, 10);
    return train(a, model, images, labels);
  }
  models::FashionMNISTModelV2 model(1, 10, 10);
  if (a.which == "tinyvgg") return train(a, model, images, labels);
  if (a.which == "infer1")
    return infer(model, (images.index({Slice(0, 1)}).to(DType::f32) / 255.0).unsqueeze(1), bench_train::kInferCalls);
  if (a.which == "infer256")
    return infer(model, (images.index({Slice(0, 256)}).to(DType::f32) / 255.0).unsqueeze(1), bench_train::kInfer256Calls);
  std::fprintf(stderr, "bench_train_ojo: unknown case '%s'\n", a.which.c_str());
  return 2;
}

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {  // a missing data set, for one: say so instead of aborting
    std::fprintf(stderr, "bench_train_ojo: %s\n", e.what());
    return 1;
  }
}
