// borderInterpolate and copyMakeBorder against OpenCV.
// ctest-labels: opencv
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "ojo/imgproc/border.hpp"
#include "test_util.hpp"

using namespace ojo;
using namespace ojo::test;

namespace {
const int kBorders[] = {BORDER_CONSTANT, BORDER_REPLICATE, BORDER_REFLECT, BORDER_WRAP, BORDER_REFLECT_101};
}

TEST(BorderVsOpenCV, InterpolateEveryPositionAndLength) {
  for (int border : kBorders)
    for (int len : {1, 2, 3, 7})
      for (int p = -3 * len - 2; p < 4 * len + 2; ++p) {
        if (border != BORDER_WRAP && border != BORDER_CONSTANT && (p < -len || p >= 2 * len) && len > 1)
          continue;  // OpenCV only defines reflections one image-length out
        ASSERT_EQ(borderInterpolate(p, len, border), cv::borderInterpolate(p, len, border))
            << "border " << border << " len " << len << " p " << p;
      }
}

TEST(BorderVsOpenCV, CopyMakeBorderOnPhotoAndRoi) {
  const cv::Mat photo = cv_imread_rgb(skimage_dir() + "/coffee.png", cv::IMREAD_COLOR);
  const Tensor img = from_cv(photo);
  const Tensor roi = img.index({Slice(30, 71), Slice(100, 157)});
  for (int border : kBorders) {
    for (const Tensor& src : {img, roi, img.select(2, 1)}) {
      cv::Mat expected;
      cv::copyMakeBorder(to_cv(src), expected, 3, 5, 7, 2, border, cv::Scalar(10, 20, 30));
      expect_equal_images(copyMakeBorder(src, 3, 5, 7, 2, border, {10, 20, 30}), expected,
                          "border " + std::to_string(border));
    }
  }
}

TEST(BorderVsOpenCV, BadInput) {
  EXPECT_THROW_MSG(borderInterpolate(-1, 5, 7), "unknown border type 7");
  EXPECT_THROW_MSG(copyMakeBorder(zeros({4, 4}, DType::u8), -1, 0, 0, 0, BORDER_REPLICATE), "must be >= 0");
  EXPECT_THROW_MSG(copyMakeBorder(zeros({0, 4}, DType::u8), 1, 1, 1, 1, BORDER_REPLICATE), "image is empty");
  EXPECT_THROW_MSG(copyMakeBorder(zeros({4}, DType::u8), 1, 1, 1, 1, BORDER_REPLICATE), "expected an image");
}
