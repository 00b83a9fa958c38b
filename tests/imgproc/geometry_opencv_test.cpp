// ctest-labels: opencv
// resize, flip and crop (fast path and ojo::ref) against OpenCV 4.6.
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <random>

#include "ojo/core/parallel.hpp"
#include "ojo/imgproc/geometry.hpp"
#include "test_util.hpp"

using namespace ojo;
using namespace ojo::test;

namespace {

Tensor photo(const std::string& name, int flags = cv::IMREAD_UNCHANGED) {
  return from_cv(cv_imread_rgb(skimage_dir() + "/" + name, flags));
}

Tensor random_image(int64_t h, int64_t w, int64_t c, unsigned seed) {
  std::mt19937 rng(seed);
  Tensor t = Tensor::empty(c == 1 ? Shape{h, w} : Shape{h, w, c}, DType::u8);
  for (int64_t i = 0; i < t.numel(); ++i) t.data<uint8_t>()[i] = static_cast<uint8_t>(rng());
  return t;
}

const int kInterps[] = {INTER_NEAREST, INTER_LINEAR, INTER_CUBIC, INTER_AREA};

// Compares ojo::resize and ojo::ref::resize with cv::resize for one call.
void expect_resize_matches(const Tensor& src, Size dsize, double fx, double fy, int interp, const std::string& label) {
  cv::Mat expected;
  cv::resize(to_cv(src), expected, cv::Size(int(dsize.width), int(dsize.height)), fx, fy, interp);
  std::ostringstream what;
  what << label << " " << shape_str(src.shape()) << " -> " << dsize.width << "x" << dsize.height << " fx " << fx
       << " fy " << fy << " interp " << interp;
  expect_equal_images(resize(src, dsize, fx, fy, interp), expected, what.str());
  expect_equal_images(ref::resize(src, dsize, fx, fy, interp), expected, "ref " + what.str());
}

}  // namespace

TEST(ResizeVsOpenCV, PhotosDownAndUpEveryInterpolation) {
  const Tensor imgs[] = {photo("astronaut.png"), photo("camera.png", cv::IMREAD_GRAYSCALE), photo("coffee.png")};
  const Size sizes[] = {{256, 256}, {170, 97}, {640, 360}, {1024, 1024}, {777, 555}, {300, 700}, {1000, 100}};
  for (const Tensor& img : imgs)
    for (int interp : kInterps)
      for (Size d : sizes) expect_resize_matches(img, d, 0, 0, interp, "photo");
}

TEST(ResizeVsOpenCV, FactorsInsteadOfSize) {
  const Tensor img = photo("chelsea.png");  // 451x300
  for (int interp : kInterps)
    for (auto [fx, fy] : {std::pair{0.5, 0.5}, {1.0 / 3, 1.0 / 3}, {2.0, 2.0}, {0.25, 0.7}, {1.5, 0.6}, {3.0, 1.0},
                          {0.1, 0.1}, {1.7, 2.3}})
      expect_resize_matches(img, {0, 0}, fx, fy, interp, "factors");
}

TEST(ResizeVsOpenCV, IntegerAreaFactorsAndOddSizes) {
  for (auto [h, w, c] : {std::tuple{17, 31, 1}, {17, 31, 3}, {30, 45, 4}, {33, 64, 2}, {64, 48, 3}, {15, 15, 1}})
    for (int interp : kInterps)
      for (Size d : {Size{w / 2, h / 2}, Size{w / 3, h / 3}, Size{(w + 1) / 2, (h + 1) / 2}, Size{w * 2, h * 2},
                     Size{w * 3, h * 3}, Size{w + 1, h - 1}, Size{5, 3}})
        if (d.width > 0 && d.height > 0)
          expect_resize_matches(random_image(h, w, c, unsigned(h * w + c)), d, 0, 0, interp, "random");
}

TEST(ResizeVsOpenCV, TinyImagesAndEdgeShapes) {
  for (auto [h, w, c] : {std::tuple{1, 1, 1}, {1, 1, 3}, {1, 9, 1}, {9, 1, 3}, {2, 2, 1}, {3, 2, 4}})
    for (int interp : kInterps)
      for (Size d : {Size{1, 1}, Size{7, 5}, Size{1, 13}, Size{40, 1}, Size{33, 17}})
        expect_resize_matches(random_image(h, w, c, unsigned(h + 7 * w)), d, 0, 0, interp, "tiny");
  for (int interp : kInterps) {
    expect_resize_matches(zeros({20, 30, 3}, DType::u8), {13, 7}, 0, 0, interp, "all-0");
    expect_resize_matches(full({20, 30}, 255, DType::u8), {47, 61}, 0, 0, interp, "all-255");
  }
}

TEST(ResizeVsOpenCV, RoiViewsThreadsAndOtherDtypes) {
  const Tensor img = photo("coffee.png");
  const Tensor views[] = {img.index({Slice(33, 190), Slice(17, 240)}), img.index({Slice(None, None, -1), Slice(5, 160)}),
                          img.select(2, 0).index({Slice(None, None, 2)})};
  for (const Tensor& v : views)
    for (int interp : kInterps) expect_resize_matches(v, {123, 77}, 0, 0, interp, "view");
  for (int interp : kInterps) {
    set_num_threads(1);
    const Tensor a = resize(img, {333, 222}, 0, 0, interp);
    set_num_threads(2);
    const Tensor b = resize(img, {333, 222}, 0, 0, interp);
    EXPECT_TENSOR_EQ(a, b);
  }
  const Tensor f = img.to(DType::f32);
  cv::Mat expected;
  cv::resize(to_cv(f), expected, cv::Size(100, 80), 0, 0, cv::INTER_NEAREST);
  expect_equal_images(resize(f, {100, 80}, 0, 0, INTER_NEAREST), expected, "f32 nearest");
}

TEST(ResizeVsOpenCV, SameSizeIsACopy) {
  const Tensor img = photo("coins.png", cv::IMREAD_GRAYSCALE);
  const Tensor out = resize(img, {img.size(1), img.size(0)});
  EXPECT_TENSOR_EQ(out, img);
  EXPECT_NE(out.raw_data(), img.raw_data());
}

TEST(ResizeVsOpenCV, BadInput) {
  const Tensor img = zeros({8, 8}, DType::u8);
  EXPECT_THROW_MSG(resize(img, {0, 0}), "resize: dsize is (0, 0), so fx and fy must both be > 0, got fx=0 fy=0");
  EXPECT_THROW_MSG(resize(img, {0, 0}, -1, 2), "fx and fy must both be > 0");
  EXPECT_THROW_MSG(resize(img, {-4, 5}), "dsize must be positive or (0, 0), got (-4, 5)");
  EXPECT_THROW_MSG(resize(img, {0, 0}, 0.01, 0.01), "give an empty 0x0 result");
  EXPECT_THROW_MSG(resize(img, {4, 4}, 0, 0, 9), "resize: unsupported interpolation 9");
  EXPECT_THROW_MSG(resize(img, {4, 4}, 0, 0, INTER_LANCZOS4), "INTER_LANCZOS4, INTER_LINEAR_EXACT and");
  EXPECT_THROW_MSG(resize(img.to(DType::f32), {4, 4}), "needs a u8 image, got float32");
  EXPECT_THROW_MSG(resize(zeros({0, 3}, DType::u8), {4, 4}), "resize: image is empty");
}

TEST(FlipVsOpenCV, EveryCodeDtypeAndView) {
  const Tensor img = photo("astronaut.png");
  const Tensor inputs[] = {img, img.select(2, 1), img.index({Slice(10, 77), Slice(None, None, -3)}),
                           random_image(1, 1, 1, 1), random_image(1, 17, 3, 2), random_image(9, 1, 4, 3),
                           img.index({Slice(0, 31), Slice(0, 45)}).to(DType::f32)};
  for (const Tensor& t : inputs)
    for (int code : {0, 1, -1, 7, -3}) {
      cv::Mat expected;
      cv::flip(to_cv(t), expected, code);
      expect_equal_images(flip(t, code), expected, "flip " + std::to_string(code) + " " + shape_str(t.shape()));
      expect_equal_images(ref::flip(t, code), expected, "ref flip " + std::to_string(code));
    }
  EXPECT_THROW_MSG(flip(zeros({0, 4}, DType::u8), 1), "flip: image is empty");
}

TEST(CropIsAView, MatchesSlicingAndChecksBounds) {
  const Tensor img = photo("coffee.png");
  const Tensor c = crop(img, 10, 20, 30, 40);
  EXPECT_EQ(c.shape(), (Shape{40, 30, 3}));
  EXPECT_EQ(c.raw_data(), img.index({Slice(20, 60), Slice(10, 40)}).raw_data());
  const cv::Mat m = to_cv(img);
  expect_equal_images(c, m(cv::Rect(10, 20, 30, 40)), "crop");
  EXPECT_THROW_MSG(crop(img, 590, 0, 20, 10), "crop: rectangle x=590 y=0 w=20 h=10 is empty or leaves the 600x400");
  EXPECT_THROW_MSG(crop(img, 0, 0, 0, 10), "is empty or leaves");
}

TEST(RotationMatrixVsOpenCV, AnglesCentresScales) {
  for (double angle : {0.0, 30.0, -45.0, 90.0, 180.0, 271.5})
    for (Point2d c : {Point2d{0, 0}, Point2d{255.5, 127}, Point2d{-3, 1000}})
      for (double scale : {1.0, 0.5, 2.25}) {
        const cv::Mat expected = cv::getRotationMatrix2D(cv::Point2f(float(c.x), float(c.y)), angle, scale);
        const Tensor m = getRotationMatrix2D(c, angle, scale);
        ASSERT_EQ(m.shape(), (Shape{2, 3}));
        for (int i = 0; i < 2; ++i)
          for (int j = 0; j < 3; ++j)
            EXPECT_NEAR(m.at<double>(i, j), expected.at<double>(i, j), 1e-12) << angle << " " << i << "," << j;
      }
}
