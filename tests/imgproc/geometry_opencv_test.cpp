// ctest-labels: opencv
// resize, flip and crop (fast path and ojo::ref) against OpenCV 4.6.
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <hwy/targets.h>
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

// LINEAR and AREA dispatch to the best Highway target at run time: each one this CPU runs must agree.
TEST(ResizeVsOpenCV, EveryHighwayTargetThisCpuRuns) {
  for (int64_t target : hwy::SupportedAndGeneratedTargets()) {
    hwy::SetSupportedTargetsForTest(target);
    for (int64_t c : {1, 3, 4}) {
      const Tensor img = random_image(61, 97, c, 7 + static_cast<unsigned>(c));
      for (int interp : {INTER_LINEAR, INTER_AREA})
        for (Size d : {Size{32, 20}, Size{194, 122}, Size{31, 29}, Size{48, 30}})
          expect_resize_matches(img, d, 0, 0, interp, std::string("Highway target ") + hwy::TargetName(target));
    }
    // Gray LINEAR reads four destination pixels' taps from one 16-byte window while they span at
    // most 15 bytes: these widths have groups spanning 14 and 15 side by side.
    for (auto [sw, dw] : {std::pair{131, 28}, {127, 27}, {192, 41}, {93, 19}})
      expect_resize_matches(random_image(9, sw, 1, 3), {dw, 5}, 0, 0, INTER_LINEAR,
                            std::string("window limit, Highway target ") + hwy::TargetName(target));
  }
  hwy::SetSupportedTargetsForTest(0);
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
                           random_image(5, 37, 1, 4), random_image(3, 15, 1, 5),  // gray rows: 16-byte blocks + rest
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

// ------------------------------------------------------------------ warpAffine

namespace {

cv::Mat cv_matrix(const Tensor& m) {
  cv::Mat out(2, 3, CV_64F);
  const Tensor d = m.to(DType::f64).contiguous();
  for (int i = 0; i < 6; ++i) out.at<double>(i / 3, i % 3) = d.data<double>()[i];
  return out;
}

Tensor matrix(double a, double b, double c, double d, double e, double f) {
  return Tensor::from<double>({{a, b, c}, {d, e, f}});
}

// Compares ojo::warpAffine and ojo::ref::warpAffine with cv::warpAffine (dst starts as `background`
// for BORDER_TRANSPARENT).
void expect_warp_matches(const Tensor& src, const Tensor& M, Size dsize, int flags, int border,
                         const std::vector<double>& value, const std::string& label) {
  std::ostringstream what;
  what << label << " " << shape_str(src.shape()) << " -> " << dsize.width << "x" << dsize.height << " flags " << flags
       << " border " << border;
  Tensor background;
  cv::Mat expected;
  if (border == BORDER_TRANSPARENT) {
    const int64_t w = dsize.width ? dsize.width : src.size(1), h = dsize.height ? dsize.height : src.size(0);
    Shape shape = src.shape();
    shape[0] = h;
    shape[1] = w;
    background = Tensor::empty(shape, DType::u8);
    for (int64_t i = 0; i < background.numel(); ++i) background.data<uint8_t>()[i] = uint8_t(i * 37 + 11);
    expected = to_cv(background).clone();
  }
  cv::Scalar s;
  for (size_t k = 0; k < value.size() && k < 4; ++k) s[int(k)] = value[k];
  cv::warpAffine(to_cv(src), expected, cv_matrix(M), cv::Size(int(dsize.width), int(dsize.height)), flags, border, s);
  expect_equal_images(warpAffine(src, M, dsize, flags, border, value, background), expected, what.str());
  expect_equal_images(ref::warpAffine(src, M, dsize, flags, border, value, background), expected, "ref " + what.str());
}

const int kWarpInterps[] = {INTER_NEAREST, INTER_LINEAR, INTER_CUBIC};
const int kWarpBorders[] = {BORDER_CONSTANT, BORDER_REPLICATE, BORDER_REFLECT, BORDER_WRAP, BORDER_REFLECT_101,
                            BORDER_TRANSPARENT};

}  // namespace

TEST(WarpAffineVsOpenCV, RotationsOfPhotosEveryInterpolationAndBorder) {
  const Tensor imgs[] = {photo("astronaut.png").index({Slice(0, 300), Slice(0, 260)}),
                         photo("camera.png", cv::IMREAD_GRAYSCALE).index({Slice(100, 357), Slice(50, 300)})};
  for (const Tensor& img : imgs) {
    const double w = double(img.size(1)), h = double(img.size(0));
    for (double angle : {30.0, -17.5, 90.0, 180.0, 45.0})
      for (double scale : {1.0, 0.6, 1.7})
        for (Point2d c : {Point2d{w / 2, h / 2}, Point2d{0, 0}, Point2d{w * 0.8, 13.25}}) {
          const Tensor M = getRotationMatrix2D(c, angle, scale);
          for (int interp : kWarpInterps)
            expect_warp_matches(img, M, {img.size(1), img.size(0)}, interp, BORDER_CONSTANT, {},
                                "rotation " + std::to_string(angle));
        }
    const Tensor M = getRotationMatrix2D({w / 3, h / 2}, 33, 0.8);
    for (int interp : kWarpInterps)
      for (int border : kWarpBorders)
        for (int inverse : {0, int(WARP_INVERSE_MAP)})
          expect_warp_matches(img, M, {201, 187}, interp | inverse, border, {10, 200, 77, 5}, "borders");
  }
}

// LINEAR on 3 and 4 channels runs a vector kernel (one pixel per 128-bit vector) on every Highway
// target; pixels whose loads would leave the source, and border pixels, stay scalar.
// LINEAR and CUBIC on 3 and 4 channels go through vector kernels: every target this CPU runs.
TEST(WarpAffineVsOpenCV, LinearAndCubicColourEveryHighwayTarget) {
  const Tensor rgb = photo("astronaut.png").index({Slice(0, 120), Slice(0, 97)});
  cv::Mat rgba_mat;
  cv::cvtColor(to_cv(rgb), rgba_mat, cv::COLOR_RGB2RGBA);
  const Tensor rgba = from_cv(rgba_mat);
  const Tensor M = getRotationMatrix2D({40, 50}, 21, 1.15);
  for (int64_t target : hwy::SupportedAndGeneratedTargets()) {
    hwy::SetSupportedTargetsForTest(target);
    for (const Tensor* img : {&rgb, &rgba})
      for (int interp : {INTER_LINEAR, INTER_CUBIC})
        for (int border : kWarpBorders)
          expect_warp_matches(*img, M, {101, 131}, interp, border, {10, 200, 77, 5},
                              std::string("Highway target ") + hwy::TargetName(target));
  }
  hwy::SetSupportedTargetsForTest(0);
}

TEST(WarpAffineVsOpenCV, TranslationsShearsScalesAndInverseMaps) {
  const Tensor img = photo("coffee.png").index({Slice(50, 250), Slice(100, 400)});
  const Tensor gray = photo("coins.png", cv::IMREAD_GRAYSCALE);
  const Tensor Ms[] = {matrix(1, 0, 10.5, 0, 1, -7.25),  matrix(1, 0.3, 0, 0.1, 1, -5),  matrix(2.5, 0, 0, 0, 2.5, 0),
                       matrix(0.31, 0.02, 3, -0.05, 0.4, 9), matrix(-1, 0, 299, 0, 1, 0),  matrix(1, 0, 0, 0, 1, 0),
                       matrix(0.999, -0.001, 0.03125, 0.0005, 1.001, -0.015625), matrix(3, 1, -40, -2, 4, 17)};
  for (const Tensor& M : Ms)
    for (int interp : {INTER_NEAREST, INTER_LINEAR, INTER_CUBIC, INTER_AREA})
      for (int inverse : {0, int(WARP_INVERSE_MAP)}) {
        expect_warp_matches(img, M, {320, 240}, interp | inverse, BORDER_CONSTANT, {0, 0, 255}, "affine rgb");
        expect_warp_matches(gray, M, {250, 300}, interp | inverse, BORDER_REFLECT_101, {}, "affine gray");
        expect_warp_matches(gray, M, {117, 93}, interp | inverse, BORDER_REPLICATE, {}, "affine gray small");
      }
  // f32 matrices, (0, 0) dsize (the source size) and a singular matrix.
  const Tensor Mf = getRotationMatrix2D({100, 80}, 12, 1.1).to(DType::f32);
  expect_warp_matches(img, Mf, {0, 0}, INTER_LINEAR, BORDER_CONSTANT, {}, "f32 M");
  expect_warp_matches(gray, matrix(1, 2, 3, 2, 4, 6), {50, 40}, INTER_LINEAR, BORDER_REPLICATE, {}, "singular");
  expect_warp_matches(gray, matrix(1, 2, 3, 2, 4, 6), {50, 40}, INTER_NEAREST, BORDER_CONSTANT, {9}, "singular nn");
  // Huge coordinates saturate to int16 as OpenCV's maps.
  expect_warp_matches(gray, matrix(1, 0, 60000, 0, 1, -70000), {40, 30}, INTER_LINEAR, BORDER_WRAP, {}, "far");
  expect_warp_matches(gray, matrix(500, 0, 0, 0, 400, 0), {90, 70}, INTER_CUBIC | WARP_INVERSE_MAP, BORDER_REFLECT,
                      {}, "far cubic");
}

TEST(WarpAffineVsOpenCV, TinyOddFourChannelAndFlatImages) {
  for (auto [h, w, c] : {std::tuple{1, 1, 1}, {1, 1, 3}, {1, 7, 1}, {7, 1, 3}, {2, 2, 4}, {3, 4, 2}, {17, 31, 1},
                         {17, 31, 3}, {31, 17, 4}})
    for (int interp : kWarpInterps)
      for (int border : kWarpBorders)
        for (const Tensor& M : {getRotationMatrix2D({w / 2.0, h / 2.0}, 25, 1.3), matrix(0.5, 0.1, 1, -0.2, 0.7, 2)}) {
          expect_warp_matches(random_image(h, w, c, unsigned(h * 31 + w + c)), M, {9, 5}, interp, border, {99, 7, 250, 1},
                              "tiny");
          expect_warp_matches(random_image(h, w, c, unsigned(h + w)), M, {1, 1}, interp, border, {3}, "tiny 1x1 out");
        }
  const Tensor M = getRotationMatrix2D({10, 10}, 30, 1);
  for (int interp : kWarpInterps) {
    expect_warp_matches(zeros({20, 30, 3}, DType::u8), M, {25, 25}, interp, BORDER_CONSTANT, {255, 255, 255}, "all-0");
    expect_warp_matches(full({20, 30}, 255, DType::u8), M, {25, 25}, interp, BORDER_REFLECT, {}, "all-255");
  }
}

TEST(WarpAffineVsOpenCV, RoiViewsAndThreads) {
  const Tensor img = photo("chelsea.png");
  const Tensor views[] = {img.index({Slice(33, 190), Slice(17, 240)}), img.index({Slice(None, None, -1), Slice(5, 160)}),
                          img.select(2, 1).index({Slice(None, None, 2)})};
  const Tensor M = getRotationMatrix2D({60, 50}, -40, 1.2);
  for (const Tensor& v : views)
    for (int interp : kWarpInterps) expect_warp_matches(v, M, {150, 120}, interp, BORDER_REFLECT_101, {}, "view");
  const Tensor R = getRotationMatrix2D({225, 150}, 30, 1);
  for (int interp : kWarpInterps) {
    set_num_threads(1);
    const Tensor a = warpAffine(img, R, {451, 300}, interp);
    set_num_threads(2);
    const Tensor b = warpAffine(img, R, {451, 300}, interp);
    EXPECT_TENSOR_EQ(a, b);
  }
}

TEST(WarpAffineVsOpenCV, BadInput) {
  const Tensor img = zeros({8, 8}, DType::u8);
  const Tensor M = matrix(1, 0, 0, 0, 1, 0);
  EXPECT_THROW_MSG(warpAffine(img, Tensor::from<double>({{1, 0}, {0, 1}}), {4, 4}),
                   "warpAffine: M must be shaped [2, 3], got [2, 2]");
  EXPECT_THROW_MSG(warpAffine(img, zeros({2, 3}, DType::u8), {4, 4}), "warpAffine: M must be f64 or f32, got uint8");
  EXPECT_THROW_MSG(warpAffine(img, Tensor(), {4, 4}), "warpAffine: M is undefined");
  EXPECT_THROW_MSG(warpAffine(img, M, {4, 4}, 64), "warpAffine: unknown flags 64");
  EXPECT_THROW_MSG(warpAffine(img, M, {4, 4}, INTER_LANCZOS4), "INTER_LANCZOS4 is not implemented");
  EXPECT_THROW_MSG(warpAffine(img, M, {4, 4}, INTER_LINEAR_EXACT), "warpAffine: unsupported interpolation 5");
  EXPECT_THROW_MSG(warpAffine(img, M, {4, 4}, INTER_LINEAR, 7), "warpAffine: unknown borderMode 7");
  EXPECT_THROW_MSG(warpAffine(img, M, {-1, 4}), "dsize must be positive (or (0, 0) for the source size), got (-1, 4)");
  EXPECT_THROW_MSG(warpAffine(img, M, {0, 4}), "got (0, 4)");
  EXPECT_THROW_MSG(warpAffine(img.to(DType::f32), M, {4, 4}), "warpAffine: expected a u8 image, got float32");
  EXPECT_THROW_MSG(warpAffine(zeros({0, 3}, DType::u8), M, {4, 4}), "warpAffine: image is empty");
  EXPECT_THROW_MSG(warpAffine(img, M, {4, 4}, INTER_LINEAR, BORDER_TRANSPARENT),
                   "BORDER_TRANSPARENT needs dst");
  EXPECT_THROW_MSG(warpAffine(img, M, {4, 4}, INTER_LINEAR, BORDER_TRANSPARENT, {}, zeros({4, 5}, DType::u8)),
                   "dst must be a u8 image shaped [4, 4], got uint8 [4, 5]");
}
