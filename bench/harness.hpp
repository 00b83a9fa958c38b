// Side-by-side timing shared by every benchmark: ojo and its peer alternate on the same input in
// the same run, so machine noise hits both alike; medians are reported, never single runs.
//
//   bench::Options options = bench::parse_options(argc, argv);  // --filter, --threads, --min-reps, --seconds
//   bench::Report report("OpenCV");
//   report.add("imread png 1080p", bench::time_pair(run_ojo, run_peer, options));
//   return report.finish();  // prints "geomean ratio X"; non-zero exit if any case mismatched
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

namespace bench {

struct Options {
  std::string filter;             // only cases whose name contains this text
  std::vector<int> threads{1, 2}; // thread counts to run
  int min_reps = 5;               // at least this many timed calls per side
  double seconds = 0.25;          // and keep going until each side has run about this long
  bool selects(const std::string& name) const { return filter.empty() || name.find(filter) != std::string::npos; }
};

inline Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s: %s needs a value\n", argv[0], arg.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--filter") o.filter = value();
    else if (arg == "--min-reps") o.min_reps = std::max(1, std::atoi(value().c_str()));
    else if (arg == "--seconds") o.seconds = std::atof(value().c_str());
    else if (arg == "--threads") {
      o.threads.clear();
      const std::string list = value();
      for (size_t pos = 0; pos < list.size();) {
        const size_t comma = list.find(',', pos);
        o.threads.push_back(std::max(1, std::atoi(list.substr(pos, comma - pos).c_str())));
        pos = comma == std::string::npos ? list.size() : comma + 1;
      }
    } else {
      std::fprintf(stderr, "usage: %s [--filter TEXT] [--threads 1,2] [--min-reps N] [--seconds S]\n", argv[0]);
      std::exit(arg == "--help" || arg == "-h" ? 0 : 2);
    }
  }
  return o;
}

struct Timing {
  double ojo_median, peer_median;  // seconds
  double ojo_spread, peer_spread;  // (p90 - p10) / median
  int reps;
};

inline double seconds_of(const std::function<void()>& f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Alternates ojo and peer calls (one warm-up each) and returns both medians.
inline Timing time_pair(const std::function<void()>& run_ojo, const std::function<void()>& run_peer,
                        const Options& options) {
  run_ojo();
  run_peer();
  std::vector<double> a, b;
  double total = 0;
  while (static_cast<int>(a.size()) < options.min_reps || (total < 2 * options.seconds && a.size() < 1000)) {
    const bool ojo_first = a.size() % 2 == 0;  // alternate who goes first, too
    if (ojo_first) a.push_back(seconds_of(run_ojo));
    b.push_back(seconds_of(run_peer));
    if (!ojo_first) a.push_back(seconds_of(run_ojo));
    total += a.back() + b.back();
  }
  auto stats = [](std::vector<double> v, double& median, double& spread) {
    std::sort(v.begin(), v.end());
    median = v[v.size() / 2];
    spread = median > 0 ? (v[v.size() * 9 / 10] - v[v.size() / 10]) / median : 0;
  };
  Timing t{};
  stats(a, t.ojo_median, t.ojo_spread);
  stats(b, t.peer_median, t.peer_spread);
  t.reps = static_cast<int>(a.size());
  return t;
}

inline std::string human_time(double s) {
  char buf[32];
  if (s < 1e-3) std::snprintf(buf, sizeof buf, "%.1f us", s * 1e6);
  else if (s < 1) std::snprintf(buf, sizeof buf, "%.2f ms", s * 1e3);
  else std::snprintf(buf, sizeof buf, "%.2f s", s);
  return buf;
}

// Prints one line per case and the geometric mean of the ratios at the end.
class Report {
 public:
  explicit Report(std::string peer) : peer_(std::move(peer)) {
    std::printf("%-52s %12s %12s %8s %13s %5s\n", "case", "ojo", peer_.c_str(), "ratio", "spread o/p", "reps");
  }
  void add(const std::string& name, const Timing& t) {
    const double ratio = t.ojo_median / t.peer_median;
    log_sum_ += std::log(ratio);
    ++count_;
    std::printf("%-52s %12s %12s %8.3f %6.0f%%/%4.0f%% %5d\n", name.c_str(), human_time(t.ojo_median).c_str(),
                human_time(t.peer_median).c_str(), ratio, 100 * t.ojo_spread, 100 * t.peer_spread, t.reps);
    std::fflush(stdout);
  }
  void mismatch(const std::string& name) {
    std::printf("%-52s %12s\n", name.c_str(), "MISMATCH");
    ++mismatches_;
  }
  int finish() const {
    std::printf("geomean ratio %.3f\n", count_ ? std::exp(log_sum_ / count_) : 0.0);
    if (mismatches_) std::printf("%d case(s) with outputs that differ from %s\n", mismatches_, peer_.c_str());
    return mismatches_ ? 1 : 0;
  }

 private:
  std::string peer_;
  double log_sum_ = 0;
  int count_ = 0, mismatches_ = 0;
};

}  // namespace bench
