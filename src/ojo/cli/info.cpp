// ojo info IMAGE [IMAGE...] [--json]
//
// For each file: images (read unchanged, so the stored channels and depth show) print width,
// height, channels, dtype and per-channel min/max/mean (channel 0 = R, as imread's RGB order);
// .npy files print shape, dtype and min/max/mean over all elements. With --json the output is one
// JSON array with an object per file. A file that cannot be read is reported on stderr, the
// others are still printed, and the exit code is 1.
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "common.hpp"

namespace ojo::cli {
namespace {

struct InfoOptions {
  std::vector<std::string> paths;
  bool json = false;
};

struct Stats {
  double min, max, mean;
};

std::string stats_json(const Stats& s) {
  return "{\"min\": " + json_number(s.min) + ", \"max\": " + json_number(s.max) +
         ", \"mean\": " + json_number(s.mean) + "}";
}

std::string stats_text(const Stats& s) {
  std::ostringstream out;
  out << "min " << short_number(s.min) << ", max " << short_number(s.max) << ", mean " << s.mean;
  return out.str();
}

std::string shape_json(const Shape& shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
  return out + "]";
}

// One file's report in the requested form.
std::string describe(const std::string& path, bool json) {
  const Tensor t = read_array(path, ImreadMode::unchanged);
  std::ostringstream out;
  out.precision(6);
  if (is_npy(path)) {
    const bool any = t.numel() > 0;
    const Stats s = any ? Stats{amin(t), amax(t), mean(t)} : Stats{};
    if (json) {
      out << "{\"path\": " << json_string(path) << ", \"shape\": " << shape_json(t.shape())
          << ", \"dtype\": " << json_string(dtype_name(t.dtype()))
          << ", \"stats\": " << (any ? stats_json(s) : "null") << "}";
    } else {
      out << path << "\n  shape " << shape_str(t.shape()) << ", dtype " << dtype_name(t.dtype()) << "\n  "
          << (any ? stats_text(s) : "empty") << "\n";
    }
    return out.str();
  }
  const int64_t channels = t.dim() == 2 ? 1 : t.size(2);
  std::vector<Stats> stats;
  for (const ChannelStats& c : channel_stats(t)) stats.push_back({c.min, c.max, c.mean});
  if (json) {
    out << "{\"path\": " << json_string(path) << ", \"width\": " << t.size(1) << ", \"height\": " << t.size(0)
        << ", \"channels\": " << channels << ", \"dtype\": " << json_string(dtype_name(t.dtype()))
        << ", \"shape\": " << shape_json(t.shape()) << ", \"stats\": [";
    for (size_t c = 0; c < stats.size(); ++c) out << (c ? ", " : "") << stats_json(stats[c]);
    out << "]}";
  } else {
    out << path << "\n  width " << t.size(1) << ", height " << t.size(0) << ", channels " << channels
        << ", dtype " << dtype_name(t.dtype()) << "\n";
    for (size_t c = 0; c < stats.size(); ++c) out << "  channel " << c << ": " << stats_text(stats[c]) << "\n";
  }
  return out.str();
}

void run_info(const InfoOptions& opts) {
  bool failed = false;
  bool first = true;
  if (opts.json) std::cout << "[";
  for (const std::string& path : opts.paths) {
    try {
      const std::string report = describe(path, opts.json);
      if (opts.json) std::cout << (first ? "\n  " : ",\n  ");
      std::cout << report;
      first = false;
    } catch (const std::exception& e) {
      std::cout.flush();
      std::cerr << "ojo: " << e.what() << '\n';
      failed = true;
    }
  }
  if (opts.json) std::cout << (first ? "]\n" : "\n]\n");
  if (failed) throw ExitStatus{1};
}

}  // namespace

void register_info(CLI::App& app) {
  auto opts = std::make_shared<InfoOptions>();
  CLI::App* cmd = app.add_subcommand(
      "info", "Print size, channels, dtype and per-channel min/max/mean of images and .npy arrays");
  cmd->add_option("IMAGE", opts->paths, "Image or .npy files")->required();
  cmd->add_flag("--json", opts->json, "Print one JSON array, an object per file");
  cmd->callback([opts] { run_info(*opts); });
}

}  // namespace ojo::cli
