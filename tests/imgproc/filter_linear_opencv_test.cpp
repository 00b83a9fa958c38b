// ctest-labels: opencv
// filter2D, sepFilter2D and the guide's named kernels against OpenCV 4.6.
#include <hwy/targets.h>
#include <opencv2/core.hpp>

#include "filter_cases.hpp"
#include "ojo/core/random.hpp"

using namespace ojo;
using namespace ojo::test;

namespace {

const char* kNames[] = {"sobel_x", "sobel_y", "laplacian", "sharpen", "emboss", "outline", "average"};

// Deterministic float kernel with fractional values (no RNG shared with OpenCV: the same tensor goes to both).
Tensor ramp_kernel(int64_t h, int64_t w, DType t) {
  std::vector<double> v;
  for (int64_t i = 0; i < h * w; ++i) v.push_back(std::sin(0.7 * static_cast<double>(i) + 0.3) / static_cast<double>(h * w) * 3);
  return Tensor::from_vector(v, {h, w}).to(t);
}

TEST(NamedKernel, TheGuideMatrices) {
  EXPECT_TENSOR_EQ(namedKernel("sharpen"), Tensor::from<float>({{0, -1, 0}, {-1, 5, -1}, {0, -1, 0}}));
  EXPECT_TENSOR_EQ(namedKernel("emboss"), Tensor::from<float>({{-2, -1, 0}, {-1, 1, 1}, {0, 1, 2}}));
  EXPECT_TENSOR_EQ(namedKernel("outline"), Tensor::from<float>({{-1, -1, -1}, {-1, 8, -1}, {-1, -1, -1}}));
  EXPECT_TENSOR_EQ(namedKernel("laplacian"), Tensor::from<float>({{0, -1, 0}, {-1, 4, -1}, {0, -1, 0}}));
  EXPECT_TENSOR_EQ(namedKernel("sobel_x"), Tensor::from<float>({{-1, 0, 1}, {-2, 0, 2}, {-1, 0, 1}}));
  EXPECT_TENSOR_EQ(namedKernel("sobel_y"), Tensor::from<float>({{-1, -2, -1}, {0, 0, 0}, {1, 2, 1}}));
  EXPECT_FLOAT_EQ(namedKernel("average").at<float>(1, 1), 1.0f / 9.0f);
  EXPECT_THROW_MSG(namedKernel("blurry"), "namedKernel: unknown kernel name 'blurry' (expected sobel_x, sobel_y");
}

TEST(Filter2DOpenCV, GuideKernelsEveryDdepthBorderOnPhotos) {
  for (const auto& [name, img] : test_images())
    for (const char* k : kNames)
      for (int ddepth : {-1, CV_16S, CV_32F, CV_64F})
        for (int border : kBorders) {
          SCOPED_TRACE(name + " kernel " + k + " ddepth " + std::to_string(ddepth) + " " + border_name(border));
          cv::Mat expected;
          const Tensor kernel = namedKernel(k);
          cv::filter2D(to_cv(img), expected, ddepth, to_cv(kernel), cv::Point(-1, -1), 0, border);
          const Tensor got = at_1_and_2_threads([&] { return filter2D(img, ddepth, kernel, {-1, -1}, 0, border); });
          ASSERT_TRUE(close_to(got, expected, 1e-5));
        }
}

TEST(Filter2DOpenCV, ShapesAnchorsDeltasAndFractionalKernels) {
  struct K {
    int64_t h, w, ax, ay;
  };
  const K shapes[] = {{1, 1, -1, -1}, {1, 5, -1, -1}, {5, 1, -1, -1}, {3, 3, 0, 0}, {4, 6, -1, -1},
                      {5, 5, 4, 1},   {7, 7, -1, -1}, {9, 3, 1, 7},   {1, 9, 8, 0}};
  for (const auto& [name, img] : small_images())
    for (const K& s : shapes)
      for (DType kt : {DType::f32, DType::f64})
        for (double delta : {0.0, 3.0, -0.5})
          for (int ddepth : {-1, CV_16S, CV_32F, CV_64F})
            for (int border : kBorders) {
              SCOPED_TRACE(name + " kernel " + std::to_string(s.h) + "x" + std::to_string(s.w) + " anchor " +
                           std::to_string(s.ax) + "," + std::to_string(s.ay) + " " + dtype_name(kt) + " delta " +
                           std::to_string(delta) + " ddepth " + std::to_string(ddepth) + " " + border_name(border));
              const Tensor kernel = ramp_kernel(s.h, s.w, kt);
              cv::Mat expected;
              cv::filter2D(to_cv(img), expected, ddepth, to_cv(kernel), cv::Point(static_cast<int>(s.ax), static_cast<int>(s.ay)),
                           delta, border);
              // Float outputs: 1e-4 relative (these kernels cancel, so float sums differ in low bits).
              ASSERT_TRUE(close_to(filter2D(img, ddepth, kernel, {s.ax, s.ay}, delta, border), expected, 1e-4));
              ASSERT_TRUE(close_to(ref::filter2D(img, ddepth, kernel, {s.ax, s.ay}, delta, border), expected, 1e-4));
            }
}

// Integer kernels on uint8 with uint8 or int16 results run one vector pass per row
// (filter2d_fast.cpp), the last vector overlapping the one before; rows narrower than a vector
// take the plain loops. Every Highway target compiled in and supported here, at widths around
// 8, 16 and 32 lanes, with a delta, and with sums near int16's limit (saturated to uint8).
TEST(Filter2DOpenCV, IntegerKernelsEveryHighwayTarget) {
  std::vector<NamedImage> images = {{"camera_gray", photo("camera.png", true)},
                                    {"astronaut_rgb_101x67", photo("astronaut.png", false, 67, 101)}};
  for (int64_t w : {7, 8, 9, 15, 16, 17, 31, 33, 63, 65})
    images.push_back({"coins_gray_9x" + std::to_string(w), photo("coins.png", true, w, 9)});
  for (int64_t w : {5, 11, 21})
    images.push_back({"chelsea_rgb_6x" + std::to_string(w), photo("chelsea.png", false, w, 6)});
  std::vector<std::pair<std::string, Tensor>> kernels;
  for (const char* k : {"sobel_x", "laplacian", "sharpen", "emboss", "outline"}) kernels.emplace_back(k, namedKernel(k));
  kernels.emplace_back("3x3 of -14 (sums to -32130)", full({3, 3}, -14.0));
  kernels.emplace_back("1x5 of 2, -3, 25, -3, 2", Tensor::from<float>({{2, -3, 25, -3, 2}}));
  for (int64_t target : hwy::SupportedAndGeneratedTargets()) {
    hwy::SetSupportedTargetsForTest(target);
    for (const auto& [name, img] : images)
      for (const auto& [kname, kernel] : kernels)
        for (double delta : {0.0, -7.0})
          for (int ddepth : {-1, CV_16S}) {
            SCOPED_TRACE(name + " kernel " + kname + " delta " + std::to_string(delta) + " ddepth " +
                         std::to_string(ddepth) + " Highway target " + hwy::TargetName(target));
            cv::Mat expected;
            cv::filter2D(to_cv(img), expected, ddepth, to_cv(kernel), cv::Point(-1, -1), delta, BORDER_REFLECT_101);
            ASSERT_TRUE(close_to(filter2D(img, ddepth, kernel, {-1, -1}, delta, BORDER_REFLECT_101), expected));
          }
  }
  hwy::SetSupportedTargetsForTest(0);
}

TEST(Filter2DOpenCV, KernelLargerThanTheImage) {
  const Tensor img = photo("coffee.png", false, 6, 5);
  for (int border : kBorders) {
    const Tensor kernel = ramp_kernel(9, 7, DType::f32);
    cv::Mat expected;
    cv::filter2D(to_cv(img), expected, CV_32F, to_cv(kernel), cv::Point(-1, -1), 0, border);
    EXPECT_TRUE(close_to(filter2D(img, CV_32F, kernel, {-1, -1}, 0, border), expected, 1e-5)) << border_name(border);
    const Tensor ones_kernel = ones({9, 7}, DType::f32);
    cv::filter2D(to_cv(img), expected, -1, to_cv(ones_kernel), cv::Point(-1, -1), 0, border);
    EXPECT_TRUE(close_to(filter2D(img, -1, ones_kernel, {-1, -1}, 0, border), expected)) << border_name(border);
  }
}

// OpenCV runs kernels of area >= 130 (uint8 -> uint8) through a DFT; ojo sums directly. Stated
// tolerance: 1 grey level, on few pixels.
TEST(Filter2DOpenCV, LargeKernelsDftPathWithinOneLevel) {
  const Tensor img = photo("camera.png", true, 200, 150);
  const Tensor kernel = ones({13, 13}, DType::f32);
  const Tensor normalised = Tensor::from_vector(std::vector<float>(169, 1.0f / 169), {13, 13});
  cv::Mat expected;
  cv::filter2D(to_cv(img), expected, -1, to_cv(normalised));
  EXPECT_TRUE(close_to(filter2D(img, -1, normalised), expected, 0, 1));
  cv::filter2D(to_cv(img), expected, CV_32F, to_cv(kernel));
  EXPECT_TRUE(close_to(filter2D(img, CV_32F, kernel), expected, 1e-4));
}

TEST(Filter2DOpenCV, FloatAndInt16Sources) {
  for (DType t : {DType::f32, DType::f64, DType::i16}) {
    const Tensor img = photo("astronaut.png", false, 41, 23).to(t);
    for (const char* k : kNames) {
      cv::Mat expected;
      cv::filter2D(to_cv(img), expected, -1, to_cv(namedKernel(k)));
      EXPECT_TRUE(close_to(filter2D(img, -1, namedKernel(k)), expected, 1e-5)) << dtype_name(t) << " " << k;
    }
  }
}

TEST(Filter2DOpenCV, RoiAndNegativeStepViews) {
  const Tensor img = photo("chelsea.png", false);
  for (const Tensor& v : {img.index({Slice(30, 90), Slice(100, 177)}), img.index({Slice(None, None, -2), Slice(None, None, -1)})}) {
    cv::Mat expected;
    cv::filter2D(to_cv(v), expected, -1, to_cv(namedKernel("sharpen")));
    EXPECT_TRUE(close_to(filter2D(v, -1, namedKernel("sharpen")), expected));
  }
}

TEST(SepFilter2DOpenCV, SmoothIntegerAndFractionalKernels) {
  const std::vector<std::pair<Tensor, Tensor>> kernels = {
      {getGaussianKernel(5, 0, CV_32F), getGaussianKernel(3, 0, CV_32F)},           // bit-exact 8-bit path
      {getGaussianKernel(7, 1.3, CV_32F), getGaussianKernel(7, 1.3, CV_32F)},       // float path
      {getDerivKernels(1, 0, 5).first, getDerivKernels(1, 0, 5).second},            // integer path
      {Tensor::from<float>({1, 2, 3, 4}), Tensor::from<float>({-1, 0, 1}).unsqueeze(0)},  // even, asymmetric
      {ramp_kernel(1, 5, DType::f64), ramp_kernel(3, 1, DType::f64)}};
  for (const auto& [name, img] : small_images())
    for (size_t i = 0; i < kernels.size(); ++i)
      for (int ddepth : {-1, CV_16S, CV_32F, CV_64F})
        for (double delta : {0.0, 2.0})
          for (int border : kBorders) {
            SCOPED_TRACE(name + " kernels #" + std::to_string(i) + " ddepth " + std::to_string(ddepth) + " delta " +
                         std::to_string(delta) + " " + border_name(border));
            const auto& [kx, ky] = kernels[i];
            cv::Mat expected;
            cv::sepFilter2D(to_cv(img), expected, ddepth, to_cv(kx.dim() == 1 ? kx.unsqueeze(1) : kx), to_cv(ky),
                            cv::Point(-1, -1), delta, border);
            // Fractional kernels (#1, #4) take the float path: OpenCV's summation order differs, so an
            // integer output may be off by 1 where the float sum lands next to .5 (stated in filter.hpp).
            const bool fractional = i == 1 || i == 4;
            ASSERT_TRUE(close_to(sepFilter2D(img, ddepth, kx, ky, {-1, -1}, delta, border), expected, 1e-4, fractional ? 1 : 0));
          }
}

TEST(LinearErrors, BadInputsNameTheOperationAndTheProblem) {
  const Tensor img = photo("camera.png", true, 20, 10);
  EXPECT_THROW_MSG(filter2D(img, -1, ones({3}, DType::f32)), "filter2D: kernel must be a 2-d matrix {rows, cols}, got shape [3]");
  EXPECT_THROW_MSG(filter2D(img, -1, ones({3, 3, 1}, DType::f32)), "got shape [3, 3, 1]");
  EXPECT_THROW_MSG(filter2D(img, -1, ones({0, 3}, DType::f32)), "filter2D: kernel is empty");
  EXPECT_THROW_MSG(filter2D(img, -1, ones({3, 3}, DType::u8)), "filter2D: kernel must be float32 or float64, got uint8");
  EXPECT_THROW_MSG(filter2D(img, -1, Tensor()), "filter2D: kernel is undefined");
  EXPECT_THROW_MSG(filter2D(img, -1, ones({3, 3}, DType::f32), {3, 0}), "filter2D: anchor (3, 0) is outside the 3x3 kernel");
  EXPECT_THROW_MSG(filter2D(img, CV_16U, ones({3, 3}, DType::f32)), "filter2D: unsupported ddepth 2 (CV_16U) for a uint8 image (expected -1, CV_16S, CV_32F, CV_64F)");
  EXPECT_THROW_MSG(filter2D(img.to(DType::f64), CV_32F, ones({3, 3}, DType::f32)), "unsupported ddepth 5 (CV_32F) for a float64 image");
  EXPECT_THROW_MSG(filter2D(zeros({0, 4}, DType::u8), -1, ones({3, 3}, DType::f32)), "filter2D: image is empty");
  EXPECT_THROW_MSG(filter2D(zeros({4, 4, 5}, DType::u8), -1, ones({3, 3}, DType::f32)), "filter2D: expected 1 to 4 channels, got 5");
  EXPECT_THROW_MSG(filter2D(img, -1, ones({3, 3}, DType::f32), {-1, -1}, 0, 7), "filter2D: unsupported border type 7");
  EXPECT_THROW_MSG(sepFilter2D(img, -1, ones({3, 3}, DType::f32), ones({3, 1}, DType::f32)),
                   "sepFilter2D: kernelX must be a vector ({n}, {n, 1} or {1, n}), got shape [3, 3]");
  EXPECT_THROW_MSG(sepFilter2D(img, -1, ones({3, 1}, DType::f32), ones({3, 1}, DType::i32)), "sepFilter2D: kernelY must be float32 or float64");
}

}  // namespace
