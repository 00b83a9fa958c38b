// Histogram cases of bench_imgproc: calcHist of a gray image (256 bins) and of an RGB image
// (3-d, 8x8x8 bins), equalizeHist (gray inputs), LUT with a u8 table (every input).
#include <memory>
#include <opencv2/imgproc.hpp>

#include "imgproc/cases.hpp"
#include "ojo/imgproc/histogram.hpp"

namespace bench {

void add_histogram_cases(CaseList& cases) {
  cv::Mat table(1, 256, CV_8U);
  for (int i = 0; i < 256; ++i) table.at<uint8_t>(i) = static_cast<uint8_t>(255 - i / 2);
  const ojo::Tensor lut = ojo::Tensor::from_blob(table.data, {256}, ojo::DType::u8);
  for (const Input& in : inputs()) {
    const bool gray = in.mat.channels() == 1;
    {
      auto out = std::make_shared<std::pair<ojo::Tensor, cv::Mat>>();
      const std::vector<int> ch = gray ? std::vector<int>{0} : std::vector<int>{0, 1, 2};
      const std::vector<int> bins = gray ? std::vector<int>{256} : std::vector<int>{8, 8, 8};
      const std::vector<float> ranges = gray ? std::vector<float>{0, 256} : std::vector<float>{0, 256, 0, 256, 0, 256};
      cases.push_back({std::string(gray ? "calcHist 256 bins" : "calcHist 3-d 8x8x8") + " | " + in.label,
                       [=] {
                         out->first = ojo::Tensor();
                         out->first = ojo::calcHist({in.tensor}, ch, ojo::Tensor(), bins, ranges);
                       },
                       [=] { cv::calcHist(std::vector<cv::Mat>{in.mat}, ch, cv::noArray(), out->second, bins, ranges); },
                       [=] { return compare(out->first, out->second); }});
    }
    if (gray) {
      auto out = std::make_shared<std::pair<ojo::Tensor, cv::Mat>>();
      cases.push_back({"equalizeHist | " + in.label,
                       [=] {
                         out->first = ojo::Tensor();
                         out->first = ojo::equalizeHist(in.tensor);
                       },
                       [=] { cv::equalizeHist(in.mat, out->second); },
                       [=] { return compare(out->first, out->second); }});
    }
    {
      auto out = std::make_shared<std::pair<ojo::Tensor, cv::Mat>>();
      cases.push_back({"LUT u8 | " + in.label,
                       [=] {
                         out->first = ojo::Tensor();
                         out->first = ojo::LUT(in.tensor, lut);
                       },
                       [=] { cv::LUT(in.mat, table, out->second); },
                       [=] { return compare(out->first, out->second); }});
    }
  }
}

}  // namespace bench
