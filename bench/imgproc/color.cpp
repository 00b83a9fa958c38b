// cvtColor cases for bench_imgproc: ojo::cvtColor against cv::cvtColor on the same input.
#include <opencv2/imgproc.hpp>

#include "imgproc/cases.hpp"
#include "ojo/imgproc/color.hpp"

namespace bench {

void add_color_cases(CaseList& cases) {
  struct Code {
    int code;
    const char* name;
    bool on_gray;
    bool on_hsv;  // input is the photo converted to HSV (or HLS) first
  };
  static const Code codes[] = {
      {ojo::COLOR_RGB2GRAY, "RGB2GRAY", false, false}, {ojo::COLOR_RGB2BGR, "RGB2BGR", false, false},
      {ojo::COLOR_RGB2RGBA, "RGB2RGBA", false, false}, {ojo::COLOR_GRAY2RGB, "GRAY2RGB", true, false},
      {ojo::COLOR_RGB2HSV, "RGB2HSV", false, false},   {ojo::COLOR_HSV2RGB, "HSV2RGB", false, true},
      {ojo::COLOR_RGB2HLS, "RGB2HLS", false, false},   {ojo::COLOR_HLS2RGB, "HLS2RGB", false, true},
  };
  for (const Input& in : inputs()) {
    const bool gray = in.mat.channels() == 1;
    for (const Code& c : codes) {
      if (c.on_gray != gray) continue;
      struct State {
        cv::Mat src, cv_out;
        ojo::Tensor tsrc, ojo_out;
      };
      auto st = std::make_shared<State>();
      st->src = in.mat;
      st->tsrc = in.tensor;
      if (c.on_hsv) {
        cv::cvtColor(in.mat, st->src, c.code == ojo::COLOR_HSV2RGB ? cv::COLOR_RGB2HSV : cv::COLOR_RGB2HLS);
        st->tsrc = ojo::Tensor::from_blob(st->src.data, {st->src.rows, st->src.cols, 3}, ojo::DType::u8);
      }
      const int code = c.code;
      cases.push_back({std::string("cvtColor ") + c.name + " | " + in.label,
                       [st, code] {
                         st->ojo_out = ojo::Tensor();  // as OpenCV reuses cv_out (see morphology.cpp)
                         st->ojo_out = ojo::cvtColor(st->tsrc, code);
                       },
                       [st, code] { cv::cvtColor(st->src, st->cv_out, code); },
                       [st] { return compare(st->ojo_out, st->cv_out); }});
    }
  }
}

}  // namespace bench
