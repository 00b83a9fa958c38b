// What the three training workers of bench_train share: the command line, the cases, the report.
//
//   WORKER --case NAME --threads N [--steps S] [--data DIR]
//
// A worker runs one case once and prints `key value` lines on stdout, read by bench_train:
//   time_s T        the timed part: S training steps, or one inference call (median of many)
//   steps S         how many steps/calls T covers (training: S steps; inference: 1 call)
//   loss L          the mean loss of the timed steps (training: shows the same learning)
//   peak_rss_mb M   the process's peak resident memory (getrusage ru_maxrss)
// Cases (same data, same loop in every worker):
//   tinyvgg   FashionMNISTModelV2(1, 10, 10), batch 32, SGD lr 0.1, CrossEntropyLoss
//   v1        FashionMNISTModelV1(784, 100, 10), same loop
//   cifar     CIFAR10Model, batch 32×3×32×32 random data, same loop
//   infer1    TinyVGG one image {1,1,28,28} under inference mode: latency of one forward
//   infer256  TinyVGG a batch of 256 images under inference mode: time of one forward
// Training steps walk the FashionMNIST training set in file order (u8 images, converted to
// float/255 per batch as ToTensor does), 3 untimed warm-up steps first.
#pragma once

#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace bench_train {

struct Args {
  std::string which;
  int threads = 1;
  int steps = 100;
  std::string data = "/usr/share/datasets/fashion-mnist/";
};

inline Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--case") a.which = v;
    else if (k == "--threads") a.threads = std::atoi(v.c_str());
    else if (k == "--steps") a.steps = std::atoi(v.c_str());
    else if (k == "--data") a.data = v;
    else {
      std::fprintf(stderr, "%s: unknown option %s\n", argv[0], k.c_str());
      std::exit(2);
    }
  }
  return a;
}

constexpr int kBatch = 32, kWarmup = 3, kInferCalls = 400, kInfer256Calls = 10;

inline double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;
}

inline void report(double seconds, int steps, double loss) {
  std::printf("time_s %.9f\nsteps %d\nloss %.6f\npeak_rss_mb %.1f\n", seconds, steps, loss, peak_rss_mb());
}

}  // namespace bench_train
