// bench_train: training and inference of the guide's models, ojo against PyTorch 1.13 (python)
// and LibTorch 1.13 (C++), side by side in the same run.
//
//   build/bin/bench_train [--steps N] [--cifar-steps N] [--repeats R] [--threads 1,2] [--filter CASE]
//
// Each framework runs in its own worker process (bench_train_ojo, bench_train_libtorch,
// bench/train/pytorch_train.py; the loop and the cases are in bench/train/common.hpp), so each
// one's peak resident memory is its own. For every case and thread count the three workers run
// one after the other, R times (the order rotates), and the medians are compared.
// Threads: ojo::set_num_threads(n) / torch.set_num_threads(n), with OMP_NUM_THREADS=n; the peers
// run with OPENBLAS_NUM_THREADS=1 and =n (and with n > 1 also OMP_WAIT_POLICY=PASSIVE); the
// fastest median is reported.
// Training cases time --steps steps (default: a full epoch, 1875 steps of 32) after 3 warm-up
// steps; an epoch time measured over fewer steps is the per-step time × 1875 (marked "scaled").
// GFLOP/s counts the multiply-adds of convolutions and linear layers (2 flops each; backward:
// grad of weights and inputs) and is printed next to the machine's fp32 peak
// (threads × clock × 8 lanes (16 with 512-bit FMA pipes) × 2 FMA pipes × 2 flops). They are the
// direct convolution's multiply-adds: Winograd's layers do fewer, so the column can pass the peak.
// The last lines read `ratio NAME X` (2 threads, ratio of medians, below 1: ojo faster).
// Every worker runs --repeats times per case, one-image latency 3 × --repeats times.
// Before each round of a 2-thread case two short probes measure the machine itself: the FMA
// throughput of two threads together over one thread's, and the round trip of a cache line
// between the first two CPUs. On this VM the two vCPUs share one core's FMA units some of the time
// (the first probe then reads ~1.0 instead of ~2.0), and some of the time they sit far apart (the
// round trip takes ~350 ns instead of ~55 ns): no program's second thread can overcome either,
// and one-image inference, which passes data between its threads twice per image, feels the
// second most. The case's line says how its rounds went.
#include <immintrin.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int kEpochSteps = 1875, kBatch = 32;

struct Options {
  int steps = kEpochSteps, cifar_steps = 100, repeats = 3;
  std::vector<int> threads{1, 2};
  std::string filter;
};

struct Run {
  double seconds = 0, loss = 0, peak_rss_mb = 0;
  int steps = 0;
  bool ok = false;
};

std::string self_dir() {
  char buf[4096];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  std::string p(buf, n > 0 ? n : 0);
  return p.substr(0, p.rfind('/'));
}

Run run_worker(const std::string& command) {
  Run r;
  FILE* p = popen(command.c_str(), "r");
  if (!p) return r;
  char line[256];
  std::map<std::string, double> v;
  while (std::fgets(line, sizeof line, p)) {
    char key[64];
    double value;
    if (std::sscanf(line, "%63s %lf", key, &value) == 2) v[key] = value;
  }
  r.ok = pclose(p) == 0 && v.count("time_s");
  r.seconds = v["time_s"], r.loss = v["loss"], r.peak_rss_mb = v["peak_rss_mb"], r.steps = int(v["steps"]);
  if (!r.ok) std::fprintf(stderr, "bench_train: failed: %s\n", command.c_str());
  return r;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Multiply-adds of one forward pass per sample, and of one training step per sample.
struct Flops {
  double forward = 0, train = 0;
  void conv(double cin, double cout, double hw, bool first) {
    const double mac = cin * cout * 9 * hw;
    forward += 2 * mac, train += 2 * mac * (first ? 2 : 3);
  }
  void linear(double in, double out, bool first) {
    forward += 2 * in * out, train += 2 * in * out * (first ? 2 : 3);
  }
};

Flops flops_of(const std::string& c) {
  Flops f;
  if (c == "v1") f.linear(784, 100, true), f.linear(100, 100, false), f.linear(100, 10, false);
  else if (c == "cifar")
    f.conv(3, 32, 32 * 32, true), f.conv(32, 64, 16 * 16, false), f.linear(4096, 512, false), f.linear(512, 10, false);
  else
    f.conv(1, 10, 784, true), f.conv(10, 10, 784, false), f.conv(10, 10, 196, false), f.conv(10, 10, 196, false),
        f.linear(490, 10, false);
  return f;
}

// AMD's Zen 4 (family 25 with AVX-512) runs a 512-bit FMA as two halves on its two 256-bit pipes:
// AVX-512 doubles the FMA lanes per cycle only on cores with 512-bit pipes.
double machine_peak_gflops(int threads) {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  double mhz = 0;
  bool avx512 = false, amd = false;
  int family = 0;
  const auto value = [&] { return line.substr(line.find(':') + 1); };
  while (std::getline(in, line)) {
    if (!mhz && line.rfind("cpu MHz", 0) == 0) mhz = std::atof(value().c_str());
    if (!family && line.rfind("cpu family", 0) == 0) family = std::atoi(value().c_str());
    if (line.rfind("vendor_id", 0) == 0 && line.find("AuthenticAMD") != std::string::npos) amd = true;
    if (line.rfind("flags", 0) == 0 && line.find(" avx512f") != std::string::npos) avx512 = true;
  }
  const bool wide_pipes = avx512 && !(amd && family == 25);
  return threads * mhz / 1000 * (wide_pipes ? 16 : 8) * 2 * 2;
}

// GFLOP/s of independent AVX2 FMA chains in registers for `seconds` (0 without FMA).
__attribute__((target("avx2,fma"))) double fma_gflops(double seconds) {
  if (!__builtin_cpu_supports("fma")) return 0;
  __m256 acc[10];
  for (int i = 0; i < 10; ++i) acc[i] = _mm256_set1_ps(0.001f * static_cast<float>(i));
  const __m256 a = _mm256_set1_ps(0.9999f), b = _mm256_set1_ps(0.0001f);
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  long rounds = 0;
  double elapsed = 0;
  do {
    for (int k = 0; k < 100000; ++k)
      for (__m256& v : acc) v = _mm256_fmadd_ps(v, a, b);
    ++rounds;
    elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
  } while (elapsed < seconds);
  float sink = 0;
  for (const __m256& v : acc) sink += _mm256_cvtss_f32(v);
  asm volatile("" : : "x"(sink));  // keeps the chains
  return rounds * 100000.0 * 10 * 16 / elapsed / 1e9;
}

// Two threads' FMA throughput together over one thread's (~2 with a core each).
double fma_scaling_two_threads() {
  const double one = fma_gflops(0.01);
  double other = 0;
  std::thread t([&] { other = fma_gflops(0.01); });
  const double mine = fma_gflops(0.01);
  t.join();
  return one > 0 ? (mine + other) / one : 0;
}

// Nanoseconds for a cache line to go from the first of this process's CPUs to the second and back
// (two pinned threads taking turns on one atomic): the median of 100 samples of 20 round trips;
// 0 with fewer than two CPUs.
double round_trip_ns() {
  cpu_set_t allowed;
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0 || CPU_COUNT(&allowed) < 2) return 0;
  int cpus[2], found = 0;
  for (int c = 0; c < CPU_SETSIZE && found < 2; ++c)
    if (CPU_ISSET(c, &allowed)) cpus[found++] = c;
  const auto pin = [](int cpu) {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    return pthread_setaffinity_np(pthread_self(), sizeof one, &one) == 0;
  };
  constexpr int kSamples = 100, kPerSample = 20, kTrips = kSamples * kPerSample;
  alignas(64) std::atomic<int> turn{0};
  std::atomic<int> other_pinned{-1};  // -1 until the other thread has tried
  std::thread other([&] {
    other_pinned = pin(cpus[1]) ? 1 : 0;
    for (int i = 0; i < kTrips && other_pinned == 1; ++i) {
      int t;
      while ((t = turn.load(std::memory_order_acquire)) != 2 * i + 1 && t >= 0) _mm_pause();
      if (t < 0) break;
      turn.store(2 * i + 2, std::memory_order_release);
    }
  });
  while (other_pinned.load() < 0) _mm_pause();
  std::vector<double> ns;
  if (other_pinned == 1 && pin(cpus[0]))
    for (int sample = 0; sample < kSamples; ++sample) {
      const auto t0 = std::chrono::steady_clock::now();
      for (int i = sample * kPerSample; i < (sample + 1) * kPerSample; ++i) {
        turn.store(2 * i + 1, std::memory_order_release);
        while (turn.load(std::memory_order_acquire) != 2 * i + 2) _mm_pause();
      }
      ns.push_back(std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count() / kPerSample);
    }
  else turn.store(-1);  // ends the other thread's wait
  other.join();
  pthread_setaffinity_np(pthread_self(), sizeof allowed, &allowed);
  return ns.empty() ? 0 : median(ns);
}

std::string human(double s) {
  char b[32];
  if (s < 1e-3) std::snprintf(b, sizeof b, "%.1f us", s * 1e6);
  else if (s < 1) std::snprintf(b, sizeof b, "%.2f ms", s * 1e3);
  else std::snprintf(b, sizeof b, "%.2f s", s);
  return b;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has = i + 1 < argc;
    if (a == "--steps" && has) o.steps = std::max(1, std::atoi(argv[++i]));
    else if (a == "--cifar-steps" && has) o.cifar_steps = std::max(1, std::atoi(argv[++i]));
    else if (a == "--repeats" && has) o.repeats = std::max(1, std::atoi(argv[++i]));
    else if (a == "--filter" && has) o.filter = argv[++i];
    else if (a == "--threads" && has) {
      o.threads.clear();
      for (std::string s = argv[++i]; !s.empty();) {
        const size_t comma = s.find(',');
        o.threads.push_back(std::max(1, std::atoi(s.substr(0, comma).c_str())));
        s = comma == std::string::npos ? "" : s.substr(comma + 1);
      }
    } else {
      std::fprintf(stderr,
                   "usage: %s [--steps N (default 1875 = one epoch)] [--cifar-steps N (100)] [--repeats R (3)]\n"
                   "          [--threads 1,2] [--filter tinyvgg|v1|cifar|infer1|infer256]\n", argv[0]);
      std::exit(a == "--help" || a == "-h" ? 0 : 2);
    }
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  const std::string dir = self_dir();
  const std::string script = std::string(OJO_SOURCE_DIR) + "/bench/train/pytorch_train.py";
  struct Case {
    std::string name, label;
    bool training;
  };
  const std::vector<Case> cases = {{"tinyvgg", "TinyVGG epoch (batch 32, SGD)", true},
                                   {"v1", "FashionMNISTModelV1 epoch (hidden 100)", true},
                                   {"cifar", "CIFAR10Model step (32x3x32x32)", true},
                                   {"infer1", "TinyVGG inference, 1 image (latency)", false},
                                   {"infer256", "TinyVGG inference, batch 256", false}};
  std::printf("steps per training run: %d (epoch = %d steps%s), CIFAR steps %d, repeats %d\n", o.steps, kEpochSteps,
              o.steps == kEpochSteps ? "" : "; epoch times below are scaled", o.cifar_steps, o.repeats);
  std::printf("%-40s %3s %11s %11s %11s %7s %7s %8s %8s %8s %14s\n", "case", "thr", "ojo", "PyTorch", "LibTorch",
              "o/PyT", "o/LibT", "rss ojo", "rss PyT", "rss LibT", "ojo GFLOP/s");
  std::map<std::string, double> ratios;
  std::map<std::string, std::map<int, double>> ojo_time;
  for (const Case& c : cases) {
    if (!o.filter.empty() && c.name.find(o.filter) == std::string::npos) continue;
    const int steps = c.name == "cifar" ? o.cifar_steps : o.steps;
    for (int n : o.threads) {
      const std::string args = " --case " + c.name + " --threads " + std::to_string(n) + " --steps " + std::to_string(steps);
      auto env = [&](int blas, bool passive = false) {
        return std::string(passive ? "OMP_WAIT_POLICY=PASSIVE " : "") + "OMP_NUM_THREADS=" + std::to_string(n) +
               " OPENBLAS_NUM_THREADS=" + std::to_string(blas) + " MKL_NUM_THREADS=" + std::to_string(blas) + " ";
      };
      // Peer settings: OpenBLAS threads 1 and n; with n > 1 also OpenMP's passive wait policy, which
      // is much faster for the peers when other processes share the cores (spinning barriers wait
      // for descheduled threads).
      struct Setting {
        int blas;
        bool passive;
      };
      std::vector<Setting> settings = {{1, false}};
      if (n > 1) settings.push_back({n, false}), settings.push_back({1, true});
      // Worker commands: ojo, then each peer at each OpenBLAS setting.
      struct Worker {
        std::string who, command;
        std::vector<Run> runs;
      };
      std::vector<Worker> workers = {{"ojo", env(1) + dir + "/bench_train_ojo" + args, {}}};
      for (const Setting& s : settings) {
        workers.push_back({"libtorch", env(s.blas, s.passive) + dir + "/bench_train_libtorch" + args, {}});
        workers.push_back({"pytorch", env(s.blas, s.passive) + "/usr/bin/python3 " + script + args, {}});
      }
      // One image's workers time milliseconds, inside one of the VM's phases (seconds long, see the
      // probe): three times the rounds, for every framework, so its median rests on more of them.
      const int rounds = c.name == "infer1" ? 3 * o.repeats : o.repeats;
      std::vector<double> scaling, trips;
      for (int r = 0; r < rounds; ++r)
        for (size_t i = 0; i < workers.size(); ++i) {
          if (n == 2 && i == 0) scaling.push_back(fma_scaling_two_threads()), trips.push_back(round_trip_ns());
          Worker& w = workers[(i + r) % workers.size()];
          w.runs.push_back(run_worker(w.command));
        }
      // Per framework: the faster median over its settings.
      std::map<std::string, double> best, rss, loss;
      for (const Worker& w : workers) {
        std::vector<double> t, m, l;
        for (const Run& run : w.runs)
          if (run.ok) t.push_back(run.seconds / run.steps), m.push_back(run.peak_rss_mb), l.push_back(run.loss);
        if (t.empty()) continue;
        const double med = median(t);
        if (!best.count(w.who) || med < best[w.who]) best[w.who] = med, rss[w.who] = median(m), loss[w.who] = median(l);
      }
      const double scale = c.name == "tinyvgg" || c.name == "v1" ? kEpochSteps : 1;
      const Flops f = flops_of(c.name);
      const double per_call_flops =
          c.training ? f.train * kBatch : f.forward * (c.name == "infer256" ? 256 : 1);
      const double gflops = best["ojo"] > 0 ? per_call_flops / best["ojo"] / 1e9 : 0;
      char peak[48];
      std::snprintf(peak, sizeof peak, "%.1f / %.0f", gflops, machine_peak_gflops(n));
      const double vs_pt = best["ojo"] / best["pytorch"], vs_lt = best["ojo"] / best["libtorch"];
      std::printf("%-40s %3d %11s %11s %11s %7.3f %7.3f %6.0fMB %6.0fMB %6.0fMB %14s\n", c.label.c_str(), n,
                  human(best["ojo"] * scale).c_str(), human(best["pytorch"] * scale).c_str(),
                  human(best["libtorch"] * scale).c_str(), vs_pt, vs_lt, rss["ojo"], rss["pytorch"], rss["libtorch"], peak);
      if (c.training)
        std::printf("%-40s     mean loss ojo %.4f, PyTorch %.4f, LibTorch %.4f\n", "", loss["ojo"], loss["pytorch"],
                    loss["libtorch"]);
      if (!scaling.empty()) {
        std::string each;
        for (double x : scaling) each += (each.empty() ? "" : ", ") + std::to_string(x).substr(0, 4);
        std::printf("%-40s     machine probe, 2 threads' FMA throughput over 1 thread's, per round: %s\n", "",
                    each.c_str());
        each.clear();
        for (double x : trips) each += (each.empty() ? "" : ", ") + std::to_string(static_cast<int>(x + 0.5));
        std::printf("%-40s     machine probe, cache-line round trip between the two CPUs (ns), per round: %s\n", "",
                    each.c_str());
      }
      std::fflush(stdout);
      ojo_time[c.name][n] = best["ojo"];
      if (n == 2) {
        if (c.name == "tinyvgg") {
          ratios["tinyvgg_epoch_vs_pytorch"] = vs_pt, ratios["tinyvgg_epoch_vs_libtorch"] = vs_lt;
          ratios["peak_rss_vs_pytorch"] = rss["ojo"] / rss["pytorch"];
        }
        if (c.name == "infer1") ratios["infer1_vs_pytorch"] = vs_pt;
        if (c.name == "cifar") ratios["cifar_step_vs_libtorch"] = vs_lt;
      }
    }
  }
  std::printf("(ojo GFLOP/s: the direct convolution's flops over ojo's time; its Winograd layers do fewer)\n");
  if (ojo_time["tinyvgg"].count(1) && ojo_time["tinyvgg"].count(2))
    std::printf("ojo TinyVGG epoch speed-up 2 threads over 1: %.2fx\n", ojo_time["tinyvgg"][1] / ojo_time["tinyvgg"][2]);
  for (const char* name : {"tinyvgg_epoch_vs_pytorch", "tinyvgg_epoch_vs_libtorch", "infer1_vs_pytorch",
                           "cifar_step_vs_libtorch", "peak_rss_vs_pytorch"})
    if (ratios.count(name)) std::printf("ratio %s %.3f\n", name, ratios[name]);
  return 0;
}
