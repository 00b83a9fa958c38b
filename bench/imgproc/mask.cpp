// Mask and channel cases for bench_imgproc: inRange, bitwise_* (with and without mask), setTo,
// copyTo, split, merge — ojo against the OpenCV call on the same input.
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "imgproc/cases.hpp"
#include "ojo/imgproc/channels.hpp"
#include "ojo/imgproc/mask.hpp"

namespace bench {

void add_mask_cases(CaseList& cases) {
  for (const Input& in : inputs()) {
    const bool rgb = in.mat.channels() == 3;
    const int h = in.mat.rows, w = in.mat.cols;
    struct State {
      cv::Mat src, mask, cv_out, cv_dst;
      ojo::Tensor tsrc, tmask, ojo_out, ojo_dst;
      std::vector<cv::Mat> cv_planes;
      std::vector<ojo::Tensor> ojo_planes;
    };
    auto st = std::make_shared<State>();
    st->src = in.mat;
    st->tsrc = in.tensor;
    const cv::Scalar lo = rgb ? cv::Scalar(0, 0, 120) : cv::Scalar(100), hi = rgb ? cv::Scalar(150, 200, 255) : cv::Scalar(200);
    const std::vector<double> vlo = rgb ? std::vector<double>{0, 0, 120} : std::vector<double>{100};
    const std::vector<double> vhi = rgb ? std::vector<double>{150, 200, 255} : std::vector<double>{200};
    cv::inRange(in.mat, lo, hi, st->mask);
    st->tmask = ojo::Tensor::from_blob(st->mask.data, {h, w}, ojo::DType::u8);
    const std::string tag = " | " + in.label;
    auto out_cmp = [st] { return compare(st->ojo_out, st->cv_out); };

    cases.push_back({"inRange" + tag,
                     [st, vlo, vhi] {
                       st->ojo_out = ojo::Tensor();  // as in morphology.cpp: OpenCV reuses its destination
                       st->ojo_out = ojo::inRange(st->tsrc, vlo, vhi);
                     },
                     [st, lo, hi] { cv::inRange(st->src, lo, hi, st->cv_out); }, out_cmp});
    cases.push_back({"bitwise_not" + tag,
                     [st] {
                       st->ojo_out = ojo::Tensor();  // as in morphology.cpp: OpenCV reuses its destination
                       st->ojo_out = ojo::bitwise_not(st->tsrc);
                     },
                     [st] { cv::bitwise_not(st->src, st->cv_out); }, out_cmp});
    cases.push_back({"bitwise_and mask" + tag, [st] { st->ojo_out = ojo::bitwise_and(st->tsrc, st->tsrc, st->tmask); },
                     [st] {
                       st->cv_out.release();  // a fresh destination each call, as cv2.bitwise_and(.., mask=) in Python
                       cv::bitwise_and(st->src, st->src, st->cv_out, st->mask);
                     },
                     out_cmp});
    cases.push_back({"setTo mask" + tag,
                     [st, rgb] {
                       st->ojo_out = st->tsrc.clone();
                       ojo::setTo(st->ojo_out, rgb ? std::vector<double>{0, 0, 0} : std::vector<double>{0}, st->tmask);
                     },
                     [st] {
                       st->cv_out = st->src.clone();
                       st->cv_out.setTo(cv::Scalar::all(0), st->mask);
                     },
                     out_cmp});
    if (!rgb) continue;
    cases.push_back({"split" + tag,
                     [st] {
                       st->ojo_planes.clear();  // as OpenCV reuses cv_planes (see morphology.cpp)
                       st->ojo_planes = ojo::split(st->tsrc);
                     },
                     [st] { cv::split(st->src, st->cv_planes); },
                     [st] {
                       for (int c = 0; c < 3; ++c) {
                         const std::string d = compare(st->ojo_planes[c], st->cv_planes[c]);
                         if (!d.empty()) return d;
                       }
                       return std::string();
                     }});
    cases.push_back({"merge" + tag,
                     [st] {
                       if (st->ojo_planes.empty()) st->ojo_planes = ojo::split(st->tsrc);
                       st->ojo_out = ojo::Tensor();  // as OpenCV reuses cv_out (see morphology.cpp)
                       st->ojo_out = ojo::merge(st->ojo_planes);
                     },
                     [st] {
                       if (st->cv_planes.empty()) cv::split(st->src, st->cv_planes);
                       cv::merge(st->cv_planes, st->cv_out);
                     },
                     out_cmp});
  }
}

}  // namespace bench
