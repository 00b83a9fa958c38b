// bench_train_libtorch: the LibTorch 1.13 side of bench_train (see common.hpp), the guide's models
// written with torch::nn and the same loop as the other workers.
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <vector>

#include "common.hpp"

using Clock = std::chrono::steady_clock;
namespace tnn = torch::nn;

namespace {

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// torchvision-free IDX reader (the files are gzip'd: read them through zcat).
torch::Tensor load_idx(const std::string& path) {
  FILE* p = popen(("zcat " + path).c_str(), "r");
  std::vector<uint8_t> bytes;
  uint8_t buf[1 << 16];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) bytes.insert(bytes.end(), buf, buf + n);
  pclose(p);
  const int dims = bytes[3];
  std::vector<int64_t> shape;
  for (int d = 0; d < dims; ++d)
    shape.push_back(int64_t(bytes[4 + 4 * d]) << 24 | bytes[5 + 4 * d] << 16 | bytes[6 + 4 * d] << 8 | bytes[7 + 4 * d]);
  return torch::from_blob(bytes.data() + 4 + 4 * dims, shape, torch::kUInt8).clone();
}

tnn::Sequential tinyvgg() {
  auto conv = [](int64_t i, int64_t o) { return tnn::Conv2d(tnn::Conv2dOptions(i, o, 3).stride(1).padding(1)); };
  return tnn::Sequential(conv(1, 10), tnn::ReLU(), conv(10, 10), tnn::ReLU(), tnn::MaxPool2d(tnn::MaxPool2dOptions(2).stride(2)),
                         conv(10, 10), tnn::ReLU(), conv(10, 10), tnn::ReLU(), tnn::MaxPool2d(tnn::MaxPool2dOptions(2).stride(2)),
                         tnn::Flatten(), tnn::Linear(10 * 7 * 7, 10));
}

tnn::Sequential model_v1() {
  return tnn::Sequential(tnn::Flatten(), tnn::Linear(784, 100), tnn::ReLU(), tnn::Linear(100, 100), tnn::ReLU(),
                         tnn::Linear(100, 10), tnn::ReLU());
}

tnn::Sequential cifar() {
  auto conv = [](int64_t i, int64_t o) { return tnn::Conv2d(tnn::Conv2dOptions(i, o, 3).stride(1).padding(1)); };
  return tnn::Sequential(conv(3, 32), tnn::ReLU(), tnn::MaxPool2d(2), conv(32, 64), tnn::ReLU(), tnn::MaxPool2d(2),
                         tnn::Flatten(), tnn::Linear(64 * 8 * 8, 512), tnn::ReLU(), tnn::Linear(512, 10));
}

int train(const bench_train::Args& a, tnn::Sequential model, const torch::Tensor& images, const torch::Tensor& labels) {
  tnn::CrossEntropyLoss loss_fn;
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1));
  model->train();
  const int64_t batches = images.size(0) / bench_train::kBatch;
  double loss_sum = 0, seconds = 0;
  for (int step = 0; step < bench_train::kWarmup + a.steps; ++step) {
    if (step == bench_train::kWarmup) loss_sum = 0;
    const auto t0 = Clock::now();
    const int64_t b = step % batches;
    torch::Tensor x = images.slice(0, b * bench_train::kBatch, (b + 1) * bench_train::kBatch);
    if (x.scalar_type() == torch::kUInt8) x = (x.to(torch::kFloat32) / 255.0).unsqueeze(1);
    const torch::Tensor y = labels.slice(0, b * bench_train::kBatch, (b + 1) * bench_train::kBatch).to(torch::kInt64);
    torch::Tensor loss = loss_fn(model->forward(x), y);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    loss_sum += loss.item<double>();
    if (step >= bench_train::kWarmup) seconds += since(t0);
  }
  bench_train::report(seconds, a.steps, loss_sum / a.steps);
  return 0;
}

int infer(tnn::Sequential model, const torch::Tensor& x, int calls) {
  model->eval();
  c10::InferenceMode guard;
  for (int i = 0; i < 20; ++i) model->forward(x);
  std::vector<double> t;
  for (int i = 0; i < calls; ++i) {
    const auto t0 = Clock::now();
    const torch::Tensor logits = model->forward(x);
    t.push_back(since(t0));
  }
  std::sort(t.begin(), t.end());
  bench_train::report(t[t.size() / 2], 1, 0);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const bench_train::Args a = bench_train::parse(argc, argv);
  torch::set_num_threads(a.threads);
  torch::manual_seed(42);
  if (a.which == "cifar") {
    const int64_t n = bench_train::kBatch * 8;
    return train(a, cifar(), torch::randn({n, 3, 32, 32}), torch::randint(0, 10, {n}, torch::kUInt8));
  }
  const torch::Tensor images = load_idx(a.data + "train-images-idx3-ubyte.gz");
  const torch::Tensor labels = load_idx(a.data + "train-labels-idx1-ubyte.gz");
  if (a.which == "v1") return train(a, model_v1(), images, labels);
  if (a.which == "tinyvgg") return train(a, tinyvgg(), images, labels);
  auto batch = [&](int64_t n) { return (images.slice(0, 0, n).to(torch::kFloat32) / 255.0).unsqueeze(1); };
  if (a.which == "infer1") return infer(tinyvgg(), batch(1), bench_train::kInferCalls);
  if (a.which == "infer256") return infer(tinyvgg(), batch(256), bench_train::kInfer256Calls);
  std::fprintf(stderr, "bench_train_libtorch: unknown case '%s'\n", a.which.c_str());
  return 2;
}
