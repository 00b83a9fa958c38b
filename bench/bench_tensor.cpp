// bench_tensor: tensor math (element-wise ops, reductions, softmax) of ojo against PyTorch 1.13
// (python, bench/tensor/pytorch_ops.py), side by side in the same run on the same data.
//
//   build/bin/bench_tensor [--threads 1,2] [--rounds 3] [--reps 50]
//
// Two sizes: a FashionMNIST batch (32 × 784) and 1000 × 1000 float32. Each round times every case
// in ojo (the median of --reps calls), then runs the PyTorch worker once, which does the same; the
// medians over rounds are compared. PyTorch's times include python's call overhead (~1–2 µs), as a
// user of the guide's python code pays it. Threads: ojo::set_num_threads(n), torch.set_num_threads(n).
// Prints `NAME | SIZE | Nt  ojo  PyTorch  ratio` per case, then `geomean ratio X` (below 1: ojo faster).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "ojo/core/parallel.hpp"
#include "ojo/tensor/ops.hpp"

using namespace ojo;
using Clock = std::chrono::steady_clock;

namespace {

// sin(0.737 i + phase) · 2 over the elements in order, float32: the python worker's inputs.
Tensor wave(int64_t rows, int64_t cols, double phase) {
  std::vector<float> v(static_cast<size_t>(rows * cols));
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(std::sin(0.737 * static_cast<double>(i) + phase) * 2);
  return Tensor::from_vector(v, {rows, cols});
}

std::vector<std::pair<std::string, std::function<Tensor()>>> cases(int64_t rows, int64_t cols) {
  const Tensor x = wave(rows, cols, 0.3), y = wave(rows, cols, 1.3), p = abs(x) + 0.5;
  return {
      {"add", [=] { return x + y; }},
      {"mul", [=] { return x * y; }},
      {"add_scalar", [=] { return x + 1.0; }},
      {"div_scalar", [=] { return x / 255.0; }},
      {"rsub_scalar", [=] { return 1.0 - x; }},
      {"pow_2", [=] { return pow(x, 2); }},
      {"pow_3", [=] { return pow(x, 3); }},
      {"sqrt", [=] { return sqrt(p); }},
      {"exp", [=] { return exp(x); }},
      {"log", [=] { return log(p); }},
      {"sigmoid", [=] { return sigmoid(x); }},
      {"tanh", [=] { return tanh(x); }},
      {"relu", [=] { return relu(x); }},
      {"abs", [=] { return abs(x); }},
      {"clamp", [=] { return clamp(x, -0.5, 0.5); }},
      {"round", [=] { return round(x); }},
      {"maximum", [=] { return maximum(x, y); }},
      {"gt_scalar", [=] { return gt(x, 0.0); }},
      {"where", [=] { return where(gt(x, 0.0), x, y); }},
      {"sum", [=] { return x.sum(); }},
      {"mean", [=] { return x.mean(); }},
      {"sum_dim0", [=] { return x.sum(0); }},
      {"sum_dim1", [=] { return x.sum(1); }},
      {"max", [=] { return x.max(); }},
      {"argmax_dim1", [=] { return x.argmax(1); }},
      {"softmax_dim1", [=] { return softmax(x, 1); }},
      {"log_softmax_dim1", [=] { return log_softmax(x, 1); }},
      {"transpose_contiguous", [=] { return x.transpose(0, 1).contiguous(); }},
  };
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? NAN : v[v.size() / 2];
}

// One round of ojo: case key ("name|RxC") -> median microseconds of `reps` calls.
std::map<std::string, double> ojo_round(int reps) {
  std::map<std::string, double> out;
  NoGradGuard no_grad;
  for (auto [rows, cols] : {std::pair<int64_t, int64_t>{32, 784}, {1000, 1000}})
    for (const auto& [name, fn] : cases(rows, cols)) {
      fn();
      std::vector<double> t;
      for (int r = 0; r < reps; ++r) {
        const auto t0 = Clock::now();
        const Tensor result = fn();
        t.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
      }
      out[name + "|" + std::to_string(rows) + "x" + std::to_string(cols)] = median(t);
    }
  return out;
}

// One round of the PyTorch worker, parsed the same way.
std::map<std::string, double> torch_round(int threads, int reps) {
  const std::string command = "OMP_NUM_THREADS=" + std::to_string(threads) + " /usr/bin/python3 " OJO_SOURCE_DIR
                              "/bench/tensor/pytorch_ops.py --threads " + std::to_string(threads) +
                              " --reps " + std::to_string(reps);
  std::map<std::string, double> out;
  FILE* p = popen(command.c_str(), "r");
  if (!p) return out;
  char key[256];
  double us;
  while (std::fscanf(p, "%255s %lf", key, &us) == 2) out[key] = us;
  pclose(p);
  return out;
}

std::vector<int> parse_list(const std::string& s) {
  std::vector<int> v;
  for (size_t i = 0; i < s.size();) {
    const size_t j = s.find(',', i);
    v.push_back(std::stoi(s.substr(i, j - i)));
    i = j == std::string::npos ? s.size() : j + 1;
  }
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> threads{1, 2};
  int rounds = 3, reps = 50;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--threads") threads = parse_list(v);
    else if (k == "--rounds") rounds = std::max(1, std::stoi(v));
    else if (k == "--reps") reps = std::max(1, std::stoi(v));
    else return std::fprintf(stderr, "usage: %s [--threads 1,2] [--rounds 3] [--reps 50]\n", argv[0]), 2;
  }
  std::printf("%-44s %12s %12s %8s\n", "case", "ojo", "PyTorch", "ratio");
  double log_sum = 0;
  int count = 0;
  for (int n : threads) {
    set_num_threads(n);
    std::map<std::string, std::vector<double>> ojo_t, torch_t;
    for (int r = 0; r < rounds; ++r) {
      for (const auto& [k, us] : ojo_round(reps)) ojo_t[k].push_back(us);
      for (const auto& [k, us] : torch_round(n, reps)) torch_t[k].push_back(us);
    }
    for (auto [rows, cols] : {std::pair<int64_t, int64_t>{32, 784}, {1000, 1000}})
      for (const auto& c : cases(rows, cols)) {
        const std::string size = std::to_string(rows) + "x" + std::to_string(cols), key = c.first + "|" + size;
        const double o = median(ojo_t[key]), t = median(torch_t[key]);
        const double ratio = o / t;
        if (std::isfinite(ratio) && ratio > 0) log_sum += std::log(ratio), ++count;
        std::printf("%-44s %10.2fus %10.2fus %8.3f\n", (c.first + " | " + size + " | " + std::to_string(n) + "t").c_str(),
                    o, t, ratio);
      }
    std::fflush(stdout);
  }
  std::printf("geomean ratio %.3f\n", count ? std::exp(log_sum / count) : NAN);
  return count ? 0 : 1;
}
