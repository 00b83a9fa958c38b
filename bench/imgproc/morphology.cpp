// Morphology cases of bench_imgproc: erode/dilate with 3x3 and 5x5 rectangles and a 5x5 ellipse,
// morphologyEx OPEN and GRADIENT, on every input.
#include <memory>
#include <opencv2/imgproc.hpp>

#include "imgproc/cases.hpp"
#include "ojo/imgproc/morphology.hpp"

namespace bench {

// OpenCV writes into the same destination Mat on every call; ojo returns a new tensor. The ojo
// lambdas drop the previous result first, so the allocator hands back the same (cache-warm) block,
// as `dst = ojo::erode(src, k)` in a loop does.

void add_morphology_cases(CaseList& cases) {
  struct Kernel {
    std::string name;
    int shape, size;
  };
  const Kernel kernels[] = {{"rect 3x3", ojo::MORPH_RECT, 3}, {"rect 5x5", ojo::MORPH_RECT, 5},
                            {"ellipse 5x5", ojo::MORPH_ELLIPSE, 5}};
  struct Op {
    std::string name;
    int op;
  };
  const Op ops[] = {{"erode", ojo::MORPH_ERODE}, {"dilate", ojo::MORPH_DILATE}};
  for (const Input& in : inputs()) {
    for (const Kernel& k : kernels) {
      const ojo::Tensor kt = ojo::getStructuringElement(k.shape, {k.size, k.size});
      const cv::Mat km = cv::getStructuringElement(k.shape, cv::Size(k.size, k.size));
      for (const Op& op : ops) {
        auto out = std::make_shared<std::pair<ojo::Tensor, cv::Mat>>();
        const bool is_erode = op.op == ojo::MORPH_ERODE;
        cases.push_back({op.name + " " + k.name + " | " + in.label,
                         [=] {
                           out->first = ojo::Tensor();
                           out->first = is_erode ? ojo::erode(in.tensor, kt) : ojo::dilate(in.tensor, kt);
                         },
                         [=] {
                           if (is_erode) cv::erode(in.mat, out->second, km);
                           else cv::dilate(in.mat, out->second, km);
                         },
                         [=] { return compare(out->first, out->second); }});
      }
    }
    const ojo::Tensor kt = ojo::getStructuringElement(ojo::MORPH_ELLIPSE, {5, 5});
    const cv::Mat km = cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(5, 5));
    for (const Op& op : {Op{"OPEN", ojo::MORPH_OPEN}, Op{"GRADIENT", ojo::MORPH_GRADIENT}}) {
      auto out = std::make_shared<std::pair<ojo::Tensor, cv::Mat>>();
      cases.push_back({"morphologyEx " + op.name + " ellipse 5x5 | " + in.label,
                       [=] {
                         out->first = ojo::Tensor();
                         out->first = ojo::morphologyEx(in.tensor, op.op, kt);
                       },
                       [=] { cv::morphologyEx(in.mat, out->second, op.op, km); },
                       [=] { return compare(out->first, out->second); }});
    }
  }
}

}  // namespace bench
