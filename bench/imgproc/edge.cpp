// Edge cases of bench_imgproc: Canny(50, 100) and Canny(100, 200, L2) on every input (the RGB
// inputs use OpenCV's colour Canny: the strongest channel per pixel).
#include <memory>
#include <opencv2/imgproc.hpp>

#include "imgproc/cases.hpp"
#include "ojo/imgproc/edge.hpp"

namespace bench {

void add_edge_cases(CaseList& cases) {
  struct Case {
    std::string name;
    double t1, t2;
    bool l2;
  };
  for (const Input& in : inputs()) {
    for (const Case& c : {Case{"Canny 50/100", 50, 100, false}, Case{"Canny 100/200 L2", 100, 200, true}}) {
      auto out = std::make_shared<std::pair<ojo::Tensor, cv::Mat>>();
      cases.push_back({c.name + " | " + in.label,
                       [=] {
                         out->first = ojo::Tensor();
                         out->first = ojo::Canny(in.tensor, c.t1, c.t2, 3, c.l2);
                       },
                       [=] { cv::Canny(in.mat, out->second, c.t1, c.t2, 3, c.l2); },
                       [=] { return compare(out->first, out->second); }});
    }
  }
}

}  // namespace bench
