// Threshold cases of bench_imgproc: threshold BINARY (every input), BINARY|OTSU (gray inputs),
// adaptiveThreshold MEAN_C and GAUSSIAN_C with an 11x11 block (gray inputs).
#include <memory>
#include <opencv2/imgproc.hpp>
#include <string>

#include "imgproc/cases.hpp"
#include "ojo/imgproc/threshold.hpp"

namespace bench {

// OpenCV writes into the same destination Mat on every call; ojo returns a new tensor. The ojo
// lambdas drop the previous result first, so the allocator hands back the same block, as
// `dst = ojo::threshold(...)` in a loop does.

namespace {
// GAUSSIAN_C: ojo's float blur is not bit-identical to OpenCV's (threshold.hpp), so allow 1 pixel
// in 10^4 to differ; everything else must be exact.
std::string compare_within(const ojo::Tensor& a, const cv::Mat& b, int64_t allowed) {
  const std::string exact = compare(a, b);
  if (exact.empty() || allowed == 0) return exact;
  const ojo::Tensor c = a.contiguous();
  const cv::Mat m = b.isContinuous() ? b : b.clone();
  if (static_cast<size_t>(c.numel()) != m.total() * m.elemSize()) return exact;
  int64_t bad = 0;
  for (int64_t i = 0; i < c.numel(); ++i) bad += c.data<uint8_t>()[i] != m.data[i];
  return bad <= allowed ? "" : std::to_string(bad) + " pixels differ";
}
}  // namespace

void add_threshold_cases(CaseList& cases) {
  for (const Input& in : inputs()) {
    const bool gray = in.mat.channels() == 1;
    struct Case {
      std::string name;
      int type;
      bool gray_only;
    };
    for (const Case& c : {Case{"threshold BINARY 127", ojo::THRESH_BINARY, false},
                          Case{"threshold BINARY|OTSU", ojo::THRESH_BINARY | ojo::THRESH_OTSU, true}}) {
      if (c.gray_only && !gray) continue;
      auto out = std::make_shared<std::pair<ojo::Tensor, cv::Mat>>();
      const int type = c.type;
      cases.push_back({c.name + " | " + in.label,
                       [=] {
                         out->first = ojo::Tensor();
                         out->first = ojo::threshold(in.tensor, 127, 255, type).second;
                       },
                       [=] { cv::threshold(in.mat, out->second, 127, 255, type); },
                       [=] { return compare(out->first, out->second); }});
    }
    if (!gray) continue;
    for (int method : {ojo::ADAPTIVE_THRESH_MEAN_C, ojo::ADAPTIVE_THRESH_GAUSSIAN_C}) {
      auto out = std::make_shared<std::pair<ojo::Tensor, cv::Mat>>();
      const std::string name = method == ojo::ADAPTIVE_THRESH_MEAN_C ? "MEAN_C" : "GAUSSIAN_C";
      const int64_t allowed = method == ojo::ADAPTIVE_THRESH_MEAN_C ? 0 : in.tensor.numel() / 10000;
      cases.push_back({"adaptiveThreshold " + name + " 11 | " + in.label,
                       [=] {
                         out->first = ojo::Tensor();
                         out->first = ojo::adaptiveThreshold(in.tensor, 255, method, ojo::THRESH_BINARY, 11, 2);
                       },
                       [=] { cv::adaptiveThreshold(in.mat, out->second, 255, method, cv::THRESH_BINARY, 11, 2); },
                       [=] { return compare_within(out->first, out->second, allowed); }});
    }
  }
}

}  // namespace bench
