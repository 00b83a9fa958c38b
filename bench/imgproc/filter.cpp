// Filter cases of bench_imgproc: ojo vs OpenCV on the same 1080p/2160p gray/RGB inputs.
#include <opencv2/imgproc.hpp>

#include <memory>

#include "imgproc/cases.hpp"
#include "ojo/imgproc/filter.hpp"

namespace bench {

namespace {

struct Op {
  std::string name;
  std::function<ojo::Tensor(const ojo::Tensor&)> ojo_op;
  std::function<void(const cv::Mat&, cv::Mat&)> cv_op;
};

}  // namespace

// As in morphology.cpp: the ojo lambdas drop the previous result first, so the allocator can hand
// back the same block, as OpenCV reuses its destination Mat.
void add_filter_cases(CaseList& cases) {
  const ojo::Tensor sharpen = ojo::namedKernel("sharpen");
  const cv::Mat sharpen_cv = (cv::Mat_<float>(3, 3) << 0, -1, 0, -1, 5, -1, 0, -1, 0);
  const std::vector<Op> ops = {
      {"GaussianBlur 3x3", [](const ojo::Tensor& s) { return ojo::GaussianBlur(s, {3, 3}, 0); },
       [](const cv::Mat& s, cv::Mat& d) { cv::GaussianBlur(s, d, {3, 3}, 0); }},
      {"GaussianBlur 5x5", [](const ojo::Tensor& s) { return ojo::GaussianBlur(s, {5, 5}, 0); },
       [](const cv::Mat& s, cv::Mat& d) { cv::GaussianBlur(s, d, {5, 5}, 0); }},
      {"GaussianBlur sigma 2", [](const ojo::Tensor& s) { return ojo::GaussianBlur(s, {0, 0}, 2); },
       [](const cv::Mat& s, cv::Mat& d) { cv::GaussianBlur(s, d, {0, 0}, 2); }},
      {"blur 5x5", [](const ojo::Tensor& s) { return ojo::blur(s, {5, 5}); },
       [](const cv::Mat& s, cv::Mat& d) { cv::blur(s, d, {5, 5}); }},
      {"filter2D 3x3 sharpen", [sharpen](const ojo::Tensor& s) { return ojo::filter2D(s, -1, sharpen); },
       [sharpen_cv](const cv::Mat& s, cv::Mat& d) { cv::filter2D(s, d, -1, sharpen_cv); }},
      {"Sobel dx=1 3x3 16S", [](const ojo::Tensor& s) { return ojo::Sobel(s, CV_16S, 1, 0, 3); },
       [](const cv::Mat& s, cv::Mat& d) { cv::Sobel(s, d, CV_16S, 1, 0, 3); }},
      {"Laplacian 3x3 16S", [](const ojo::Tensor& s) { return ojo::Laplacian(s, CV_16S, 3); },
       [](const cv::Mat& s, cv::Mat& d) { cv::Laplacian(s, d, CV_16S, 3); }},
      {"medianBlur 3", [](const ojo::Tensor& s) { return ojo::medianBlur(s, 3); },
       [](const cv::Mat& s, cv::Mat& d) { cv::medianBlur(s, d, 3); }},
      {"medianBlur 5", [](const ojo::Tensor& s) { return ojo::medianBlur(s, 5); },
       [](const cv::Mat& s, cv::Mat& d) { cv::medianBlur(s, d, 5); }},
  };
  for (const Op& op : ops)
    for (const Input& in : inputs()) {
      auto ojo_out = std::make_shared<ojo::Tensor>();
      auto cv_out = std::make_shared<cv::Mat>();
      const Input* input = &in;
      cases.push_back({op.name + " | " + in.label, [op, input, ojo_out] {
                         *ojo_out = ojo::Tensor();
                         *ojo_out = op.ojo_op(input->tensor);
                       },
                       [op, input, cv_out] { op.cv_op(input->mat, *cv_out); },
                       [ojo_out, cv_out] { return compare(*ojo_out, *cv_out); }});
    }
}

}  // namespace bench
