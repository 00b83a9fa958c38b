// Shared inputs and comparisons of the filter tests (tests/imgproc/filter*_opencv_test.cpp).
#pragma once

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "ojo/core/parallel.hpp"
#include "ojo/imgproc/filter.hpp"
#include "test_util.hpp"

namespace ojo::test {

// A real photo (gray or RGB), optionally resized (INTER_AREA) to keep the plain reference loops quick.
inline Tensor photo(const std::string& name, bool gray, int width = 0, int height = 0) {
  cv::Mat m = cv_imread_rgb(skimage_dir() + "/" + name, gray ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
  if (m.empty()) throw std::runtime_error("cannot read " + name);
  if (width > 0) cv::resize(m, m, cv::Size(width, height), 0, 0, cv::INTER_AREA);
  return from_cv(m);
}

struct NamedImage {
  std::string name;
  Tensor image;
};

// Photos and edge cases: gray and RGB, odd sizes, 1x1, 1xN, Nx1, constant images.
inline const std::vector<NamedImage>& test_images() {
  static const std::vector<NamedImage> all = [] {
    std::vector<NamedImage> v;
    v.push_back({"camera_gray", photo("camera.png", true)});
    v.push_back({"astronaut_rgb", photo("astronaut.png", false)});
    v.push_back({"coins_gray", photo("coins.png", true)});
    v.push_back({"chelsea_rgb_17x31", photo("chelsea.png", false, 31, 17)});
    v.push_back({"coffee_gray_1x1", photo("coffee.png", true, 1, 1)});
    v.push_back({"coffee_rgb_1x23", photo("coffee.png", false, 23, 1)});
    v.push_back({"coffee_gray_23x1", photo("coffee.png", true, 1, 23)});
    v.push_back({"coffee_rgb_2x3", photo("coffee.png", false, 3, 2)});
    v.push_back({"all0_9x7", zeros({9, 7}, DType::u8)});
    v.push_back({"all255_rgb_8x5", full({8, 5, 3}, 255, DType::u8)});
    return v;
  }();
  return all;
}

// Small images for the slow plain-loop references (and for sweeps with many parameters).
inline const std::vector<NamedImage>& small_images() {
  static const std::vector<NamedImage> all = [] {
    std::vector<NamedImage> v;
    v.push_back({"camera_gray_64x48", photo("camera.png", true, 48, 64)});
    v.push_back({"astronaut_rgb_37x29", photo("astronaut.png", false, 29, 37)});
    v.push_back({"chelsea_rgb_17x31", photo("chelsea.png", false, 31, 17)});
    v.push_back({"coffee_gray_1x1", photo("coffee.png", true, 1, 1)});
    v.push_back({"coffee_rgb_1x23", photo("coffee.png", false, 23, 1)});
    v.push_back({"coffee_gray_23x1", photo("coffee.png", true, 1, 23)});
    v.push_back({"all255_rgb_8x5", full({8, 5, 3}, 255, DType::u8)});
    return v;
  }();
  return all;
}

inline const int kBorders[] = {BORDER_REFLECT_101, BORDER_REFLECT, BORDER_REPLICATE, BORDER_CONSTANT};
inline std::string border_name(int b) {
  switch (b & ~BORDER_ISOLATED) {
    case BORDER_REFLECT_101: return "REFLECT_101";
    case BORDER_REFLECT: return "REFLECT";
    case BORDER_REPLICATE: return "REPLICATE";
    case BORDER_CONSTANT: return "CONSTANT";
  }
  return std::to_string(b);
}

// Exact for integer dtypes; for floats |a - b| <= tol * max(1, |b|). Reports the worst element.
inline ::testing::AssertionResult close_to(const Tensor& actual, const cv::Mat& expected_mat, double tol = 1e-5,
                                           double int_tol = 0) {
  const Tensor expected = from_cv(expected_mat);
  if (actual.dtype() != expected.dtype() || actual.shape() != expected.shape())
    return ::testing::AssertionFailure() << "got " << dtype_name(actual.dtype()) << " " << shape_str(actual.shape())
                                         << ", OpenCV " << dtype_name(expected.dtype()) << " " << shape_str(expected.shape());
  const Tensor a = actual.contiguous().to(DType::f64), b = expected.to(DType::f64);
  const double *pa = a.data<double>(), *pb = b.data<double>();
  const bool is_float = is_floating(actual.dtype());
  double worst = 0;
  int64_t worst_at = -1, bad = 0;
  for (int64_t i = 0; i < a.numel(); ++i) {
    const double d = std::abs(pa[i] - pb[i]);
    const double allowed = is_float ? tol * std::max(1.0, std::abs(pb[i])) : int_tol;
    if (d > allowed) {
      ++bad;
      if (d > worst) worst = d, worst_at = i;
    }
  }
  if (bad == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << bad << " of " << a.numel() << " elements differ beyond tolerance; worst at flat index "
                                       << worst_at << ": ojo " << pa[worst_at] << " vs OpenCV " << pb[worst_at]
                                       << " (shape " << shape_str(a.shape()) << ")";
}

inline int cv_border(int b) { return b; }  // same numeric values as OpenCV

// Runs `f` at 1 and 2 threads and checks both results are identical; returns the 1-thread one.
template <class F>
Tensor at_1_and_2_threads(F&& f) {
  set_num_threads(1);
  Tensor one = f();
  set_num_threads(2);
  Tensor two = f();
  EXPECT_TRUE(tensors_equal(one, two)) << "results differ between 1 and 2 threads";
  return one;
}

}  // namespace ojo::test
