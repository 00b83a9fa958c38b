// bench_imgproc: every image operation, ojo against OpenCV 4.6, side by side in the same run.
//
//   build/bin/bench_imgproc [--filter TEXT] [--threads 1,2] [--min-reps N] [--seconds S]
//
// For each case and thread count it verifies that both outputs agree, then alternates ojo and
// OpenCV calls and prints both medians, the spread and the ratio ojo/OpenCV; the last line is
// `geomean ratio X` over every case. Inputs are skimage photos resized by OpenCV to 1920x1080 and
// 3840x2160, gray and RGB.
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <cstring>
#include <string>

#include "harness.hpp"
#include "imgproc/cases.hpp"
#include "ojo/core/parallel.hpp"

namespace bench {

// Families whose file is not there yet contribute nothing (a file's own definition wins).
__attribute__((weak)) void add_color_cases(CaseList&) {}
__attribute__((weak)) void add_mask_cases(CaseList&) {}
__attribute__((weak)) void add_filter_cases(CaseList&) {}
__attribute__((weak)) void add_threshold_cases(CaseList&) {}
__attribute__((weak)) void add_edge_cases(CaseList&) {}
__attribute__((weak)) void add_morphology_cases(CaseList&) {}
__attribute__((weak)) void add_histogram_cases(CaseList&) {}
__attribute__((weak)) void add_geometry_cases(CaseList&) {}

const std::vector<Input>& inputs() {
  static const std::vector<Input> all = [] {
    const std::string photo = "/usr/lib/python3/dist-packages/skimage/data/chelsea.png";
    cv::Mat bgr = cv::imread(photo, cv::IMREAD_COLOR);
    if (bgr.empty()) {
      std::fprintf(stderr, "bench_imgproc: cannot read %s (run scripts/setup)\n", photo.c_str());
      std::exit(1);
    }
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    std::vector<Input> out;
    for (auto [w, h, name] : {std::tuple{1920, 1080, "1080p"}, std::tuple{3840, 2160, "2160p"}}) {
      cv::Mat big, gray;
      cv::resize(rgb, big, cv::Size(w, h), 0, 0, cv::INTER_CUBIC);
      cv::cvtColor(big, gray, cv::COLOR_RGB2GRAY);
      out.push_back({std::string(name) + " gray", gray, ojo::Tensor::from_blob(gray.data, {h, w}, ojo::DType::u8)});
      out.push_back({std::string(name) + " rgb", big, ojo::Tensor::from_blob(big.data, {h, w, 3}, ojo::DType::u8)});
    }
    return out;
  }();
  return all;
}

std::string compare(const ojo::Tensor& ojo_out, const cv::Mat& cv_out) {
  const ojo::Tensor a = ojo_out.contiguous();
  const size_t bytes = static_cast<size_t>(a.numel()) * a.element_size();
  if (bytes != cv_out.total() * cv_out.elemSize())
    return "size differs: ojo " + ojo::shape_str(a.shape()) + " vs OpenCV " + std::to_string(cv_out.rows) + "x" +
           std::to_string(cv_out.cols) + "x" + std::to_string(cv_out.channels());
  const cv::Mat c = cv_out.isContinuous() ? cv_out : cv_out.clone();
  return std::memcmp(a.raw_data(), c.data, bytes) == 0 ? "" : "pixels differ";
}

}  // namespace bench

int main(int argc, char** argv) {
  bench::Options options = bench::parse_options(argc, argv);
  bench::CaseList cases;
  bench::add_color_cases(cases);
  bench::add_mask_cases(cases);
  bench::add_filter_cases(cases);
  bench::add_threshold_cases(cases);
  bench::add_edge_cases(cases);
  bench::add_morphology_cases(cases);
  bench::add_histogram_cases(cases);
  bench::add_geometry_cases(cases);
  bench::Report report("OpenCV");
  for (int threads : options.threads) {
    ojo::set_num_threads(threads);
    cv::setNumThreads(threads);
    for (const auto& c : cases) {
      if (!options.selects(c.name)) continue;
      c.run_ojo();
      c.run_peer();
      const std::string problem = c.verify();
      if (!problem.empty()) {
        std::fprintf(stderr, "bench_imgproc: %s: outputs differ: %s\n", c.name.c_str(), problem.c_str());
        report.mismatch(c.name);
        continue;
      }
      report.add(c.name + " | " + std::to_string(threads) + "t", bench::time_pair(c.run_ojo, c.run_peer, options));
    }
  }
  return report.finish();
}
