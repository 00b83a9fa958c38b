// ctest-labels: opencv
// Sobel, Scharr, Laplacian and getDerivKernels against OpenCV 4.6: every ksize, (dx, dy), ddepth,
// border, scale/delta; uint8 -> uint8/int16 exact, float outputs within 1e-5 relative.
#include <opencv2/core.hpp>

#include "filter_cases.hpp"

using namespace ojo;
using namespace ojo::test;

namespace {

struct DerivCase {
  int dx, dy, ksize;
};
const DerivCase kDeriv[] = {{1, 0, 3}, {0, 1, 3}, {1, 1, 3}, {2, 0, 3}, {0, 2, 3}, {1, 0, 1}, {0, 1, 1}, {2, 0, 1},
                            {1, 0, 5}, {0, 1, 5}, {2, 1, 5}, {3, 0, 5}, {1, 0, 7}, {0, 2, 7}, {1, 2, 7}, {1, 0, 9},
                            {1, 0, -1}, {0, 1, -1}};
struct ScaleDelta {
  double scale, delta;
};
const ScaleDelta kScales[] = {{1, 0}, {2, 10}, {0.5, 0.25}, {1, 128}, {0.125, 0}};

std::string deriv_label(const std::string& name, const DerivCase& d, int ddepth, int border, ScaleDelta s) {
  return name + " dx " + std::to_string(d.dx) + " dy " + std::to_string(d.dy) + " ksize " + std::to_string(d.ksize) +
         " ddepth " + std::to_string(ddepth) + " " + border_name(border) + " scale " + std::to_string(s.scale) +
         " delta " + std::to_string(s.delta);
}

TEST(SobelOpenCV, Int16OutputEveryKsizeOrderBorderOnPhotos) {
  for (const auto& [name, img] : test_images())
    for (const DerivCase& d : kDeriv)
      for (int border : kBorders) {
        SCOPED_TRACE(deriv_label(name, d, CV_16S, border, {1, 0}));
        cv::Mat expected;
        cv::Sobel(to_cv(img), expected, CV_16S, d.dx, d.dy, d.ksize, 1, 0, border);
        const Tensor got = at_1_and_2_threads([&] { return Sobel(img, CV_16S, d.dx, d.dy, d.ksize, 1, 0, border); });
        ASSERT_TRUE(close_to(got, expected));
      }
}

TEST(SobelOpenCV, EveryDdepthScaleDelta) {
  for (const auto& [name, img] : small_images())
    for (const DerivCase& d : kDeriv)
      for (int ddepth : {-1, CV_16S, CV_32F, CV_64F})
        for (ScaleDelta s : kScales)
          for (int border : kBorders) {
            SCOPED_TRACE(deriv_label(name, d, ddepth, border, s));
            cv::Mat expected;
            cv::Sobel(to_cv(img), expected, ddepth, d.dx, d.dy, d.ksize, s.scale, s.delta, border);
            ASSERT_TRUE(close_to(Sobel(img, ddepth, d.dx, d.dy, d.ksize, s.scale, s.delta, border), expected, 1e-5));
          }
}

TEST(SobelOpenCV, ReferenceMatchesOpenCV) {
  for (const auto& [name, img] : small_images())
    for (const DerivCase& d : kDeriv)
      for (int ddepth : {-1, CV_16S, CV_32F})
        for (int border : kBorders) {
          SCOPED_TRACE(deriv_label(name, d, ddepth, border, {1, 0}));
          cv::Mat expected;
          cv::Sobel(to_cv(img), expected, ddepth, d.dx, d.dy, d.ksize, 1, 0, border);
          ASSERT_TRUE(close_to(ref::Sobel(img, ddepth, d.dx, d.dy, d.ksize, 1, 0, border), expected, 1e-5));
        }
}

TEST(SobelOpenCV, FloatSources) {
  for (DType t : {DType::f32, DType::f64}) {
    const Tensor img = photo("astronaut.png", false, 53, 41).to(t);
    for (const DerivCase& d : kDeriv) {
      cv::Mat expected;
      cv::Sobel(to_cv(img), expected, -1, d.dx, d.dy, d.ksize, 0.5, 3);
      EXPECT_TRUE(close_to(Sobel(img, -1, d.dx, d.dy, d.ksize, 0.5, 3), expected, 1e-5))
          << dtype_name(t) << " dx " << d.dx << " dy " << d.dy << " k " << d.ksize;
    }
  }
}

TEST(ScharrOpenCV, BothDirectionsEveryDdepth) {
  for (const auto& [name, img] : test_images())
    for (auto [dx, dy] : {std::pair{1, 0}, std::pair{0, 1}})
      for (int ddepth : {-1, CV_16S, CV_32F})
        for (int border : kBorders) {
          SCOPED_TRACE(name + " dx " + std::to_string(dx) + " ddepth " + std::to_string(ddepth) + " " + border_name(border));
          cv::Mat expected;
          cv::Scharr(to_cv(img), expected, ddepth, dx, dy, 1, 0, border);
          ASSERT_TRUE(close_to(Scharr(img, ddepth, dx, dy, 1, 0, border), expected, 1e-5));
        }
}

TEST(LaplacianOpenCV, Ksize1To7EveryDdepthScaleBorder) {
  for (const auto& [name, img] : small_images())
    for (int ksize : {1, 3, 5, 7})
      for (int ddepth : {-1, CV_16S, CV_32F, CV_64F})
        for (ScaleDelta s : kScales)
          for (int border : kBorders) {
            SCOPED_TRACE(name + " ksize " + std::to_string(ksize) + " ddepth " + std::to_string(ddepth) + " " +
                         border_name(border) + " scale " + std::to_string(s.scale) + " delta " + std::to_string(s.delta));
            cv::Mat expected;
            cv::Laplacian(to_cv(img), expected, ddepth, ksize, s.scale, s.delta, border);
            ASSERT_TRUE(close_to(Laplacian(img, ddepth, ksize, s.scale, s.delta, border), expected, 1e-5));
          }
}

TEST(LaplacianOpenCV, PhotosAtOneAndTwoThreads) {
  for (const auto& [name, img] : test_images())
    for (int ksize : {1, 3, 5}) {
      cv::Mat expected;
      cv::Laplacian(to_cv(img), expected, CV_16S, ksize);
      const Tensor got = at_1_and_2_threads([&] { return Laplacian(img, CV_16S, ksize); });
      EXPECT_TRUE(close_to(got, expected)) << name << " " << ksize;
    }
}

TEST(GetDerivKernelsOpenCV, SobelAndScharrTapsNormalizedOrNot) {
  for (const DerivCase& d : kDeriv)
    for (bool normalize : {false, true})
      for (int ktype : {CV_32F, CV_64F}) {
        SCOPED_TRACE("dx " + std::to_string(d.dx) + " dy " + std::to_string(d.dy) + " ksize " + std::to_string(d.ksize));
        cv::Mat kx, ky;
        cv::getDerivKernels(kx, ky, d.dx, d.dy, d.ksize, normalize, ktype);
        auto [ox, oy] = getDerivKernels(d.dx, d.dy, d.ksize, normalize, ktype);
        EXPECT_TRUE(close_to(ox, kx, 0));
        EXPECT_TRUE(close_to(oy, ky, 0));
      }
  cv::Mat kx, ky;
  cv::getDerivKernels(kx, ky, 1, 0, 31, false, CV_64F);
  EXPECT_TRUE(close_to(getDerivKernels(1, 0, 31, false, CV_64F).first, kx, 0));
}

TEST(DerivErrors, BadInputsNameTheOperationAndTheProblem) {
  const Tensor img = photo("camera.png", true, 20, 10);
  EXPECT_THROW_MSG(Sobel(img, CV_16S, 1, 0, 4), "Sobel: ksize must be odd and not larger than 31 (or FILTER_SCHARR), got 4");
  EXPECT_THROW_MSG(Sobel(img, CV_16S, 1, 0, 33), "got 33");
  EXPECT_THROW_MSG(Sobel(img, CV_16S, 0, 0, 3), "Sobel: dx and dy must be >= 0 with dx + dy > 0, got dx=0 dy=0");
  EXPECT_THROW_MSG(Sobel(img, CV_16S, -1, 1, 3), "dx=-1");
  EXPECT_THROW_MSG(Sobel(img, CV_16S, 3, 0, 3), "Sobel: derivative order 3 (dx) needs a larger kernel than ksize 3");
  EXPECT_THROW_MSG(Sobel(img, CV_16S, 0, 3, 1), "derivative order 3 (dy) needs a larger kernel than ksize 1");
  EXPECT_THROW_MSG(Sobel(img, CV_16S, 1, 0, -2), "Sobel: ksize must be FILTER_SCHARR (-1) or odd in 1..31, got -2");
  EXPECT_THROW_MSG(Sobel(img, CV_16U, 1, 0), "Sobel: unsupported ddepth 2 (CV_16U) for a uint8 image");
  EXPECT_THROW_MSG(Sobel(img.to(DType::f32), CV_16S, 1, 0), "unsupported ddepth 3 (CV_16S) for a float32 image");
  EXPECT_THROW_MSG(Sobel(img, CV_16S, 1, 0, 3, 1, 0, BORDER_WRAP), "Sobel: unsupported border type 3");
  EXPECT_THROW_MSG(Sobel(Tensor::empty({3, 0}, DType::u8), CV_16S, 1, 0), "Sobel: image is empty");
  EXPECT_THROW_MSG(Scharr(img, CV_16S, 1, 1), "Scharr: the Scharr kernel needs (dx, dy) = (1, 0) or (0, 1), got (1, 1)");
  EXPECT_THROW_MSG(Laplacian(img, CV_16S, 2), "Laplacian: ksize must be odd in 1..31, got 2");
  EXPECT_THROW_MSG(Laplacian(img, CV_16S, 33), "got 33");
  EXPECT_THROW_MSG(Laplacian(img, CV_8S, 3), "Laplacian: unsupported ddepth 1 (CV_8S)");
  EXPECT_THROW_MSG(getDerivKernels(1, 0, 3, false, CV_16S), "getDerivKernels: ktype must be CV_32F or CV_64F");
}

}  // namespace
