// ctest-labels: opencv
// GaussianBlur, getGaussianKernel, blur, boxFilter and medianBlur against OpenCV 4.6, pixel for
// pixel for uint8 (fast path and ojo::ref), at 1 and 2 threads, on photos and edge cases.
#include <opencv2/core.hpp>

#include "filter_cases.hpp"

#include <hwy/targets.h>

using namespace ojo;
using namespace ojo::test;

namespace {

struct GaussCase {
  int kw, kh;
  double sx, sy;
};
const GaussCase kGauss[] = {{3, 3, 0, 0},   {5, 5, 0, 0},     {7, 7, 0, 0}, {9, 9, 0, 0},   {11, 11, 0, 0},
                            {3, 5, 0, 0},   {5, 5, 1.5, 0},   {0, 0, 1.5, 0}, {0, 0, 2, 0.7}, {7, 3, 0.5, 3},
                            {1, 5, 0, 0},   {5, 1, 1.1, 0},   {31, 31, 0, 0}, {0, 0, 0.3, 0}};

TEST(GaussianBlurOpenCV, Uint8BitExactEveryBorderKsizeSigmaOnPhotosAndEdgeCases) {
  for (const auto& [name, img] : test_images())
    for (const GaussCase& g : kGauss)
      for (int border : kBorders) {
        SCOPED_TRACE(name + " ksize " + std::to_string(g.kw) + "x" + std::to_string(g.kh) + " sigma " +
                     std::to_string(g.sx) + "," + std::to_string(g.sy) + " " + border_name(border));
        cv::Mat expected;
        cv::GaussianBlur(to_cv(img), expected, cv::Size(g.kw, g.kh), g.sx, g.sy, border);
        const Tensor got = at_1_and_2_threads([&] { return GaussianBlur(img, {g.kw, g.kh}, g.sx, g.sy, border); });
        ASSERT_TRUE(close_to(got, expected));
      }
}

TEST(GaussianBlurOpenCV, ReferenceMatchesOpenCV) {
  for (const auto& [name, img] : small_images())
    for (const GaussCase& g : kGauss)
      for (int border : kBorders) {
        SCOPED_TRACE(name + " ksize " + std::to_string(g.kw) + "x" + std::to_string(g.kh) + " " + border_name(border));
        cv::Mat expected;
        cv::GaussianBlur(to_cv(img), expected, cv::Size(g.kw, g.kh), g.sx, g.sy, border);
        ASSERT_TRUE(close_to(ref::GaussianBlur(img, {g.kw, g.kh}, g.sx, g.sy, border), expected));
      }
}

// The 8-bit passes dispatch to the best Highway target at run time: each one this CPU runs must agree.
TEST(GaussianBlurOpenCV, EveryHighwayTargetThisCpuRuns) {
  for (int64_t target : hwy::SupportedAndGeneratedTargets()) {
    hwy::SetSupportedTargetsForTest(target);
    for (const auto& [name, img] : small_images())
      for (const GaussCase& g : kGauss)
        for (int border : {int(BORDER_REFLECT_101), int(BORDER_CONSTANT)}) {
          cv::Mat expected;
          cv::GaussianBlur(to_cv(img), expected, cv::Size(g.kw, g.kh), g.sx, g.sy, border);
          EXPECT_TRUE(close_to(GaussianBlur(img, {g.kw, g.kh}, g.sx, g.sy, border), expected))
              << hwy::TargetName(target) << " " << name << " " << g.kw << "x" << g.kh << " " << border_name(border);
        }
  }
  hwy::SetSupportedTargetsForTest(0);
}

TEST(GaussianBlurOpenCV, IsolatedFlagAndWrapBorderForUint8) {
  const Tensor img = photo("coins.png", true);
  for (int border : {int(BORDER_REFLECT_101 | BORDER_ISOLATED), int(BORDER_WRAP), int(BORDER_CONSTANT | BORDER_ISOLATED)}) {
    cv::Mat expected;
    cv::GaussianBlur(to_cv(img), expected, cv::Size(5, 5), 0, 0, border);
    EXPECT_TRUE(close_to(GaussianBlur(img, {5, 5}, 0, 0, border), expected)) << border;
  }
}

TEST(GaussianBlurOpenCV, FloatImagesWithinTolerance) {
  for (const char* file : {"camera.png", "astronaut.png"}) {
    for (DType t : {DType::f32, DType::f64}) {
      const Tensor img = photo(file, std::string(file) == "camera.png", 97, 61).to(t);
      for (const GaussCase& g : kGauss) {
        cv::Mat expected;
        cv::GaussianBlur(to_cv(img), expected, cv::Size(g.kw, g.kh), g.sx, g.sy);
        EXPECT_TRUE(close_to(GaussianBlur(img, {g.kw, g.kh}, g.sx, g.sy), expected, 1e-5))
            << file << " " << dtype_name(t) << " " << g.kw << "x" << g.kh << " s" << g.sx;
      }
    }
  }
}

TEST(GaussianBlurOpenCV, RoiViewsEqualOpenCVOnTheCopiedRoi) {
  const Tensor img = photo("astronaut.png", false);
  const Tensor roi = img.index({Slice(100, 161), Slice(37, 140)});
  const Tensor flipped = img.index({Slice(None, None, -1), Slice(10, 60)});
  for (const Tensor& v : {roi, flipped}) {
    cv::Mat expected;
    cv::GaussianBlur(to_cv(v), expected, cv::Size(5, 5), 0);
    EXPECT_TRUE(close_to(GaussianBlur(v, {5, 5}, 0), expected));
  }
}

TEST(GetGaussianKernelOpenCV, SameValuesFloat32AndFloat64) {
  for (int n : {1, 3, 5, 7, 9, 11, 4, 31})
    for (double sigma : {0.0, -1.0, 0.5, 1.0, 1.5, 3.7}) {
      for (int ktype : {CV_32F, CV_64F}) {
        SCOPED_TRACE("n " + std::to_string(n) + " sigma " + std::to_string(sigma) + " ktype " + std::to_string(ktype));
        const cv::Mat expected = cv::getGaussianKernel(n, sigma, ktype);
        EXPECT_TRUE(close_to(getGaussianKernel(n, sigma, ktype), expected, ktype == CV_32F ? 0 : 1e-15));
      }
    }
}

struct BoxCase {
  int kw, kh, ax, ay;
};
const BoxCase kBox[] = {{3, 3, -1, -1}, {5, 5, -1, -1},  {4, 6, -1, -1}, {1, 7, -1, -1}, {7, 1, -1, -1},  {1, 1, -1, -1},
                        {2, 2, -1, -1}, {16, 16, -1, -1}, {17, 17, -1, -1}, {20, 20, -1, -1}, {6, 6, 0, 0}, {5, 3, 4, 1}};

TEST(BoxFilterOpenCV, EveryDdepthBorderKsizeAnchorNormalize) {
  for (const auto& [name, img] : small_images())
    for (const BoxCase& b : kBox)
      for (int border : kBorders)
        for (int ddepth : {-1, CV_16S, CV_32F, CV_64F})
          for (bool normalize : {true, false}) {
            SCOPED_TRACE(name + " ksize " + std::to_string(b.kw) + "x" + std::to_string(b.kh) + " anchor " +
                         std::to_string(b.ax) + "," + std::to_string(b.ay) + " " + border_name(border) + " ddepth " +
                         std::to_string(ddepth) + (normalize ? " normalized" : " sums"));
            cv::Mat expected;
            cv::boxFilter(to_cv(img), expected, ddepth, cv::Size(b.kw, b.kh), cv::Point(b.ax, b.ay), normalize, border);
            const Tensor got = at_1_and_2_threads(
                [&] { return boxFilter(img, ddepth, {b.kw, b.kh}, {b.ax, b.ay}, normalize, border); });
            ASSERT_TRUE(close_to(got, expected, 1e-6));
          }
}

TEST(BoxFilterOpenCV, ReferenceMatchesOpenCV) {
  for (const auto& [name, img] : small_images())
    for (const BoxCase& b : kBox)
      for (int border : kBorders)
        for (int ddepth : {-1, CV_16S}) {
          SCOPED_TRACE(name + " ksize " + std::to_string(b.kw) + "x" + std::to_string(b.kh) + " " + border_name(border));
          cv::Mat expected;
          cv::boxFilter(to_cv(img), expected, ddepth, cv::Size(b.kw, b.kh), cv::Point(b.ax, b.ay), true, border);
          ASSERT_TRUE(close_to(ref::boxFilter(img, ddepth, {b.kw, b.kh}, {b.ax, b.ay}, true, border), expected));
        }
}

TEST(BlurOpenCV, PhotosAndEdgeCasesEveryBorderKsizeUint8AndInt16) {
  for (const auto& [name, img] : test_images())
    for (const BoxCase& b : kBox)
      for (int border : kBorders)
        for (int ddepth : {-1, CV_16S}) {
          SCOPED_TRACE(name + " ksize " + std::to_string(b.kw) + "x" + std::to_string(b.kh) + " " + border_name(border) +
                       " ddepth " + std::to_string(ddepth));
          cv::Mat expected;
          cv::boxFilter(to_cv(img), expected, ddepth, cv::Size(b.kw, b.kh), cv::Point(b.ax, b.ay), true, border);
          const Tensor got = at_1_and_2_threads([&] { return boxFilter(img, ddepth, {b.kw, b.kh}, {b.ax, b.ay}, true, border); });
          ASSERT_TRUE(close_to(got, expected));
        }
}

TEST(BoxFilterOpenCV, FloatSources) {
  const Tensor img = photo("coffee.png", false, 45, 33).to(DType::f32);
  for (const BoxCase& b : kBox) {
    cv::Mat expected;
    cv::boxFilter(to_cv(img), expected, -1, cv::Size(b.kw, b.kh), cv::Point(b.ax, b.ay), true);
    EXPECT_TRUE(close_to(boxFilter(img, -1, {b.kw, b.kh}, {b.ax, b.ay}), expected, 1e-6)) << b.kw << "x" << b.kh;
  }
}

TEST(MedianBlurOpenCV, Uint8Ksizes3To9GrayAndRgb) {
  for (const auto& [name, img] : test_images())
    for (int k : {1, 3, 5, 7, 9}) {
      SCOPED_TRACE(name + " ksize " + std::to_string(k));
      cv::Mat expected;
      cv::medianBlur(to_cv(img), expected, k);
      const Tensor got = at_1_and_2_threads([&] { return medianBlur(img, k); });
      ASSERT_TRUE(close_to(got, expected));
    }
}

// ksize 3 and 5 read the interior of each row in place and its ends from replicated copies of at
// least 64 bytes' worth of pixels; the widths here put the two ends apart, overlapping, and
// covering the whole row, with vector tails of every length.
TEST(MedianBlurOpenCV, WidthsAroundTheVectorAndEndSizes) {
  for (bool gray : {true, false})
    for (int w : {2, 3, 4, 5, 31, 33, 63, 64, 65, 66, 67, 69, 100, 129, 130, 131, 133, 200}) {
      const Tensor img = photo("astronaut.png", gray, w, 9);
      for (DType t : {DType::u8, DType::f32})
        for (int k : {3, 5}) {
          SCOPED_TRACE(std::string(gray ? "gray" : "rgb") + " width " + std::to_string(w) + " " + dtype_name(t) +
                       " ksize " + std::to_string(k));
          const Tensor conv = img.to(t);
          cv::Mat expected;
          cv::medianBlur(to_cv(conv), expected, k);
          ASSERT_TRUE(close_to(at_1_and_2_threads([&] { return medianBlur(conv, k); }), expected, 0));
        }
    }
}

TEST(MedianBlurOpenCV, ReferenceAndOtherDtypes) {
  for (const auto& [name, img] : small_images()) {
    for (int k : {3, 5, 7}) {
      cv::Mat expected;
      cv::medianBlur(to_cv(img), expected, k);
      EXPECT_TRUE(close_to(ref::medianBlur(img, k), expected)) << name << " " << k;
    }
    for (DType t : {DType::f32, DType::u16, DType::i16}) {
      const Tensor conv = t == DType::i16 ? img.to(DType::f32).to(DType::i16) : img.to(t);
      for (int k : {3, 5}) {
        cv::Mat expected;
        cv::medianBlur(to_cv(conv), expected, k);
        EXPECT_TRUE(close_to(medianBlur(conv, k), expected, 0)) << name << " " << dtype_name(t) << " " << k;
      }
    }
  }
}

// ksize 3 and 5 dispatch to the best Highway target at run time: each one this CPU runs must agree.
TEST(MedianBlurOpenCV, EveryHighwayTargetThisCpuRuns) {
  for (int64_t target : hwy::SupportedAndGeneratedTargets()) {
    hwy::SetSupportedTargetsForTest(target);
    for (const auto& [name, img] : small_images())
      for (DType t : {DType::u8, DType::f32, DType::u16})
        for (int k : {3, 5}) {
          const Tensor conv = img.to(t);
          cv::Mat expected;
          cv::medianBlur(to_cv(conv), expected, k);
          EXPECT_TRUE(close_to(medianBlur(conv, k), expected, 0))
              << hwy::TargetName(target) << " " << name << " " << dtype_name(t) << " " << k;
        }
  }
  hwy::SetSupportedTargetsForTest(0);
}

TEST(MedianBlurOpenCV, RoiView) {
  const Tensor img = photo("chelsea.png", false);
  const Tensor roi = img.index({Slice(20, 97), Slice(5, 200, 2)});
  cv::Mat expected;
  cv::medianBlur(to_cv(roi), expected, 5);
  EXPECT_TRUE(close_to(medianBlur(roi, 5), expected));
}

TEST(SmoothErrors, BadInputsNameTheOperationAndTheProblem) {
  const Tensor img = photo("camera.png", true, 20, 10);
  EXPECT_THROW_MSG(GaussianBlur(img, {4, 4}, 0), "GaussianBlur: ksize must be odd and positive");
  EXPECT_THROW_MSG(GaussianBlur(img, {0, 0}, 0), "or 0 with a positive sigma");
  EXPECT_THROW_MSG(GaussianBlur(img, {-3, 3}, 0), "GaussianBlur: ksize must be odd");
  EXPECT_THROW_MSG(GaussianBlur(Tensor::empty({0, 5}, DType::u8), {3, 3}, 0), "GaussianBlur: image is empty");
  EXPECT_THROW_MSG(GaussianBlur(img, {3, 3}, 0, 0, 5), "GaussianBlur: unsupported border type 5");
  EXPECT_THROW_MSG(GaussianBlur(img.to(DType::f32), {3, 3}, 0, 0, BORDER_WRAP), "BORDER_WRAP is supported for uint8");
  EXPECT_THROW_MSG(GaussianBlur(img.to(DType::i64), {3, 3}, 0), "unsupported image dtype int64");
  EXPECT_THROW_MSG(blur(img, {0, 3}), "boxFilter: ksize must be at least 1x1, got (0, 3)");
  EXPECT_THROW_MSG(blur(img, {3, 3}, {3, 0}), "boxFilter: anchor (3, 0) is outside the 3x3 kernel");
  EXPECT_THROW_MSG(blur(img, {3, 3}, {-1, -1}, BORDER_WRAP), "boxFilter: unsupported border type 3 (BORDER_WRAP");
  EXPECT_THROW_MSG(boxFilter(img, CV_8U + 100, {3, 3}), "boxFilter: unsupported ddepth 100");
  EXPECT_THROW_MSG(boxFilter(img.to(DType::f32), CV_8U, {3, 3}), "unsupported ddepth 0 (CV_8U) for a float32 image");
  EXPECT_THROW_MSG(medianBlur(img, 4), "medianBlur: ksize must be odd and >= 1, got 4");
  EXPECT_THROW_MSG(medianBlur(img, 0), "medianBlur: ksize must be odd and >= 1, got 0");
  EXPECT_THROW_MSG(medianBlur(img.to(DType::f32), 7), "medianBlur: ksize 7 needs a uint8 image with 1, 3 or 4 channels");
  EXPECT_THROW_MSG(medianBlur(zeros({5, 5, 2}, DType::u8), 7), "1, 3 or 4 channels (got uint8 with 2 channels)");
  EXPECT_THROW_MSG(medianBlur(img.to(DType::f64), 3), "medianBlur: unsupported dtype float64");
  EXPECT_THROW_MSG(medianBlur(zeros({5}, DType::u8), 3), "medianBlur: expected an image shaped {H, W} or {H, W, C}");
  EXPECT_THROW_MSG(getGaussianKernel(0, 1), "getGaussianKernel: ksize must be positive, got 0");
  EXPECT_THROW_MSG(getGaussianKernel(3, 1, CV_8U), "getGaussianKernel: ktype must be CV_32F or CV_64F, got 0 (CV_8U)");
}

}  // namespace
