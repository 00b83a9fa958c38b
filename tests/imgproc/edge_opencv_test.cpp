// ctest-labels: opencv
// Canny against OpenCV 4.6 (cv::Canny): bit-exact on photos (gray, RGB, RGBA), every aperture,
// L1/L2, the guide's thresholds, edge shapes and views; fast path and ojo::ref; 1 and 2 threads.
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <hwy/targets.h>
#include <string>
#include <vector>

#include "ojo/core/parallel.hpp"
#include "ojo/imgproc/edge.hpp"
#include "test_util.hpp"

using namespace ojo;
using namespace ojo::test;

namespace {

Tensor photo_gray(const std::string& name) {
  return from_cv(cv::imread(skimage_dir() + "/" + name, cv::IMREAD_GRAYSCALE));
}
Tensor photo_rgb(const std::string& name) { return from_cv(cv_imread_rgb(skimage_dir() + "/" + name, cv::IMREAD_COLOR)); }

void expect_canny_matches(const Tensor& src, double t1, double t2, int aperture, bool l2, const std::string& label,
                          bool with_ref = true) {
  cv::Mat expected;
  cv::Canny(to_cv(src), expected, t1, t2, aperture, l2);
  const std::string where = label + " t=" + std::to_string(t1) + "," + std::to_string(t2) +
                            " aperture=" + std::to_string(aperture) + " L2=" + std::to_string(l2);
  for (int threads : {1, 2}) {
    set_num_threads(threads);
    expect_equal_images(Canny(src, t1, t2, aperture, l2), expected, where + " threads=" + std::to_string(threads));
  }
  if (with_ref) expect_equal_images(ref::Canny(src, t1, t2, aperture, l2), expected, where + " (ref)");
}

}  // namespace

TEST(CannyVsOpenCV, GuideThresholdsOnGrayPhotos) {  // §20: (0, 20), (50, 100), (200, 240)
  for (const char* name : {"camera.png", "coins.png", "astronaut.png", "page.png"}) {
    const Tensor gray = photo_gray(name);
    for (auto [t1, t2] : {std::pair{0.0, 20.0}, std::pair{50.0, 100.0}, std::pair{200.0, 240.0},
                          std::pair{100.0, 50.0}, std::pair{50.7, 100.2}})
      expect_canny_matches(gray, t1, t2, 3, false, name);
  }
}

TEST(CannyVsOpenCV, EveryApertureAndNorm) {
  const Tensor gray = photo_gray("camera.png");
  for (int aperture : {3, 5, 7})
    for (bool l2 : {false, true})
      for (auto [t1, t2] : {std::pair{30.0, 90.0}, std::pair{100.0, 200.0}, std::pair{400.0, 1000.0}})
        expect_canny_matches(gray, t1, t2, aperture, l2, "camera");
  expect_canny_matches(gray, -10, 40000, 3, true, "camera, clamped L2 thresholds");
}

TEST(CannyVsOpenCV, ColourImagesUseTheStrongestChannel) {
  const Tensor rgb = photo_rgb("astronaut.png");
  const Tensor coffee = photo_rgb("coffee.png");
  cv::Mat rgba = cv::imread(skimage_dir() + "/logo.png", cv::IMREAD_UNCHANGED);
  for (bool l2 : {false, true}) {
    expect_canny_matches(rgb, 50, 100, 3, l2, "astronaut");
    expect_canny_matches(coffee, 100, 200, 5, l2, "coffee");
    expect_canny_matches(from_cv(rgba), 50, 150, 3, l2, "logo RGBA");
  }
  expect_canny_matches(coffee, 50, 100, 7, false, "coffee aperture 7");
}

// Magnitude and suppression rows dispatch to the best Highway target at run time: each one this
// CPU runs must agree (aperture 7 gives large derivatives).
TEST(CannyVsOpenCV, EveryHighwayTargetThisCpuRuns) {
  const Tensor gray = photo_gray("camera.png").index({Slice(100, 260), Slice(50, 301)});
  const Tensor rgb = photo_rgb("coffee.png").index({Slice(0, 140), Slice(100, 333)});
  for (int64_t target : hwy::SupportedAndGeneratedTargets()) {
    hwy::SetSupportedTargetsForTest(target);
    const std::string name = std::string("Highway target ") + hwy::TargetName(target);
    for (bool l2 : {false, true})
      for (int aperture : {3, 7}) {
        expect_canny_matches(gray, 50, 100, aperture, l2, name + " gray", false);
        expect_canny_matches(rgb, 30, 120, aperture, l2, name + " rgb", false);
      }
  }
  hwy::SetSupportedTargetsForTest(0);
}

TEST(CannyVsOpenCV, EdgeShapesAndViews) {
  const Tensor gray = photo_gray("coins.png");
  const Tensor rgb = photo_rgb("chelsea.png");
  Tensor checker = zeros({12, 12}, DType::u8);
  for (int64_t y = 0; y < 12; ++y)
    for (int64_t x = 0; x < 12; ++x) checker.at<uint8_t>(y, x) = ((y / 3 + x / 3) % 2) * 255;
  const std::vector<Tensor> inputs = {
      full({1, 1}, 9, DType::u8),
      gray.index({Slice(50, 51)}),                                      // 1 x N
      gray.index({Slice(), Slice(60, 61)}),                             // N x 1
      gray.index({Slice(40, 42), Slice(0, 100)}),                       // 2 x N
      gray.index({Slice(100, 117), Slice(200, 231)}),                   // 17 x 31 ROI
      gray.index({Slice(None, None, -1), Slice(None, None, -2)}),       // negative steps
      rgb.index({Slice(30, 90), Slice(100, 177)}),                      // colour ROI
      rgb.select(2, 1),                                                 // channel view
      zeros({9, 13}, DType::u8),
      full({9, 13}, 255, DType::u8),
      checker,
  };
  for (const Tensor& src : inputs)
    for (int aperture : {3, 5, 7})
      expect_canny_matches(src, 20, 60, aperture, aperture == 5, "shape " + shape_str(src.shape()));
}

TEST(CannyVsOpenCV, FromDerivatives) {
  const Tensor gray = photo_gray("camera.png");
  cv::Mat dx, dy, expected;
  cv::Sobel(to_cv(gray), dx, CV_16S, 1, 0, 3, 1, 0, cv::BORDER_REPLICATE);
  cv::Sobel(to_cv(gray), dy, CV_16S, 0, 1, 3, 1, 0, cv::BORDER_REPLICATE);
  for (bool l2 : {false, true}) {
    cv::Canny(dx, dy, expected, 40, 120, l2);
    expect_equal_images(Canny(from_cv(dx), from_cv(dy), 40, 120, l2), expected, "derivatives");
  }
}

TEST(CannyVsOpenCV, BadInput) {
  const Tensor gray = zeros({8, 8}, DType::u8);
  EXPECT_THROW_MSG(Canny(gray, 50, 100, 4), "Canny: apertureSize must be 3, 5 or 7, got 4");
  EXPECT_THROW_MSG(Canny(gray, 50, 100, 9), "got 9");
  EXPECT_THROW_MSG(Canny(gray, 50, 100, 1), "got 1");
  EXPECT_THROW_MSG(Canny(gray, 50, 100, -1), "got -1");  // OpenCV 4.6 rejects Scharr here too
  EXPECT_THROW_MSG(Canny(gray.to(DType::f32), 50, 100), "Canny: expected a uint8 image, got float32");
  EXPECT_THROW_MSG(Canny(zeros({0, 8}, DType::u8), 50, 100), "image is empty");
  EXPECT_THROW_MSG(Canny(zeros({8}, DType::u8), 50, 100), "expected an image");
  EXPECT_THROW_MSG(Canny(gray.to(DType::i16), zeros({8, 9}, DType::i16), 50, 100), "dy must be int16 shaped like dx");
  EXPECT_THROW_MSG(Canny(gray, gray, 50, 100), "dx must be int16 with 1 or 3 channels, got uint8");
  EXPECT_THROW_MSG(ref::Canny(gray, 50, 100, 6), "got 6");
}
