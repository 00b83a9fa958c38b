// Geometry cases of bench_imgproc: resize down to 640x360 (LINEAR, AREA), x2 up (LINEAR, CUBIC),
// NEAREST down, and flip 0/1/-1, on every input; warpAffine rotation by 30 degrees at 1080p.
#include <memory>
#include <opencv2/imgproc.hpp>

#include "imgproc/cases.hpp"
#include "ojo/imgproc/geometry.hpp"

namespace bench {

// As in morphology.cpp: the ojo lambdas drop the previous result first, so the allocator can hand
// back the same block, as OpenCV reuses its destination Mat.
void add_geometry_cases(CaseList& cases) {
  struct Resize {
    std::string name;
    int interp;
    bool up;  // x2 up, else down to 640x360
  };
  const Resize resizes[] = {{"LINEAR to 640x360", ojo::INTER_LINEAR, false},
                            {"AREA to 640x360", ojo::INTER_AREA, false},
                            {"NEAREST to 640x360", ojo::INTER_NEAREST, false},
                            {"LINEAR x2", ojo::INTER_LINEAR, true},
                            {"CUBIC x2", ojo::INTER_CUBIC, true}};
  for (const Input& in : inputs()) {
    for (const Resize& r : resizes) {
      if (r.up && in.mat.rows > 1080) continue;  // 2160p x2 is 7680x4320: skip
      const int w = r.up ? in.mat.cols * 2 : 640, h = r.up ? in.mat.rows * 2 : 360;
      auto out = std::make_shared<std::pair<ojo::Tensor, cv::Mat>>();
      cases.push_back({"resize " + r.name + " | " + in.label,
                       [=] {
                         out->first = ojo::Tensor();
                         out->first = ojo::resize(in.tensor, {w, h}, 0, 0, r.interp);
                       },
                       [=] { cv::resize(in.mat, out->second, cv::Size(w, h), 0, 0, r.interp); },
                       [=] { return compare(out->first, out->second); }});
    }
    if (in.mat.rows <= 1080) {  // warpAffine: rotation by 30 degrees about the centre, same size
      const cv::Mat M = cv::getRotationMatrix2D(cv::Point2f(in.mat.cols / 2.f, in.mat.rows / 2.f), 30, 1);
      const ojo::Tensor Mt = ojo::getRotationMatrix2D({in.mat.cols / 2.0, in.mat.rows / 2.0}, 30, 1);
      for (auto [name, interp] : {std::pair{"LINEAR", int(ojo::INTER_LINEAR)}, {"NEAREST", int(ojo::INTER_NEAREST)},
                                  {"CUBIC", int(ojo::INTER_CUBIC)}}) {
        auto out = std::make_shared<std::pair<ojo::Tensor, cv::Mat>>();
        const int w = in.mat.cols, h = in.mat.rows;
        cases.push_back({std::string("warpAffine rotate 30 ") + name + " | " + in.label,
                         [=] {
                           out->first = ojo::Tensor();
                           out->first = ojo::warpAffine(in.tensor, Mt, {w, h}, interp);
                         },
                         [=] { cv::warpAffine(in.mat, out->second, M, cv::Size(w, h), interp); },
                         [=] { return compare(out->first, out->second); }});
      }
    }
    for (int code : {0, 1, -1}) {
      auto out = std::make_shared<std::pair<ojo::Tensor, cv::Mat>>();
      cases.push_back({"flip " + std::to_string(code) + " | " + in.label,
                       [=] {
                         out->first = ojo::Tensor();
                         out->first = ojo::flip(in.tensor, code);
                       },
                       [=] { cv::flip(in.mat, out->second, code); },
                       [=] { return compare(out->first, out->second); }});
    }
  }
}

}  // namespace bench
