// ctest-labels: opencv
// getStructuringElement, erode, dilate and morphologyEx (fast path and ojo::ref) against OpenCV 4.6.
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <random>

#include "ojo/core/parallel.hpp"
#include "ojo/imgproc/morphology.hpp"
#include "test_util.hpp"

using namespace ojo;
using namespace ojo::test;

namespace {

const int kBorders[] = {BORDER_CONSTANT, BORDER_REPLICATE, BORDER_REFLECT, BORDER_REFLECT_101};

Tensor photo(const std::string& name, int flags = cv::IMREAD_UNCHANGED) {
  return from_cv(cv_imread_rgb(skimage_dir() + "/" + name, flags));
}

cv::Scalar to_scalar(const std::vector<double>& v) {
  cv::Scalar s(0, 0, 0, 0);
  for (size_t i = 0; i < v.size() && i < 4; ++i) s[static_cast<int>(i)] = v[i];
  return s;
}

cv::Mat cv_kernel(const Tensor& k) { return k.defined() ? to_cv(k) : cv::Mat(); }

// A deterministic irregular kernel (not a rectangle) with a given fill pattern.
Tensor odd_kernel(int64_t kh, int64_t kw, unsigned seed) {
  std::mt19937 rng(seed);
  Tensor k = zeros({kh, kw}, DType::u8);
  for (int64_t i = 0; i < k.numel(); ++i) k.data<uint8_t>()[i] = rng() % 3 != 0;
  k.data<uint8_t>()[0] = 0;
  k.data<uint8_t>()[k.numel() - 1] = 1;
  return k;
}

struct MorphCase {
  Tensor kernel;
  Point anchor{-1, -1};
  int iterations = 1;
  int border = BORDER_CONSTANT;
  std::vector<double> value = morphologyDefaultBorderValue();
};

std::string describe(const MorphCase& c) {
  std::ostringstream s;
  s << "kernel " << (c.kernel.defined() ? shape_str(c.kernel.shape()) : "none") << " anchor (" << c.anchor.x << ","
    << c.anchor.y << ") it " << c.iterations << " border " << c.border << " value " << c.value[0];
  return s.str();
}

// Runs erode and dilate (fast, and ref when `with_ref`) and compares each with OpenCV.
void expect_morph_matches(const Tensor& src, const MorphCase& c, bool with_ref, const std::string& label) {
  const cv::Mat m = to_cv(src);
  const cv::Point a(static_cast<int>(c.anchor.x), static_cast<int>(c.anchor.y));
  cv::Mat ce, cd;
  cv::erode(m, ce, cv_kernel(c.kernel), a, c.iterations, c.border, to_scalar(c.value));
  cv::dilate(m, cd, cv_kernel(c.kernel), a, c.iterations, c.border, to_scalar(c.value));
  const std::string what = label + " " + describe(c);
  expect_equal_images(erode(src, c.kernel, c.anchor, c.iterations, c.border, c.value), ce, "erode " + what);
  expect_equal_images(dilate(src, c.kernel, c.anchor, c.iterations, c.border, c.value), cd, "dilate " + what);
  if (with_ref) {
    expect_equal_images(ref::erode(src, c.kernel, c.anchor, c.iterations, c.border, c.value), ce, "ref erode " + what);
    expect_equal_images(ref::dilate(src, c.kernel, c.anchor, c.iterations, c.border, c.value), cd,
                        "ref dilate " + what);
  }
}

std::vector<MorphCase> kernel_cases() {
  std::vector<MorphCase> out;
  out.push_back({});
  out.push_back({getStructuringElement(MORPH_RECT, {3, 3})});
  out.push_back({getStructuringElement(MORPH_RECT, {5, 5})});
  out.push_back({getStructuringElement(MORPH_RECT, {4, 2}), {0, 1}});
  out.push_back({getStructuringElement(MORPH_ELLIPSE, {5, 5})});
  out.push_back({getStructuringElement(MORPH_ELLIPSE, {7, 3})});
  out.push_back({getStructuringElement(MORPH_ELLIPSE, {15, 11})});
  out.push_back({getStructuringElement(MORPH_CROSS, {5, 5}, {1, 3}), {1, 3}});
  out.push_back({odd_kernel(4, 6, 1), {0, 3}});
  out.push_back({odd_kernel(3, 9, 2)});
  out.push_back({getStructuringElement(MORPH_RECT, {21, 1})});
  return out;
}

}  // namespace

TEST(MorphologyVsOpenCV, StructuringElementEveryShapeSizeAndAnchor) {
  for (int shape : {MORPH_RECT, MORPH_CROSS, MORPH_ELLIPSE})
    for (int h = 1; h <= 14; ++h)
      for (int w = 1; w <= 14; ++w)
        for (Point a : {Point{-1, -1}, Point{0, 0}, Point{w - 1, h / 3}}) {
          const cv::Mat expected = cv::getStructuringElement(shape, cv::Size(w, h), cv::Point(int(a.x), int(a.y)));
          expect_equal_images(getStructuringElement(shape, {w, h}, a), expected,
                              "shape " + std::to_string(shape) + " " + std::to_string(w) + "x" + std::to_string(h));
        }
  for (int s : {25, 31, 64, 101})
    expect_equal_images(getStructuringElement(MORPH_ELLIPSE, {s, s + 6}),
                        cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(s, s + 6)), "big ellipse");
}

TEST(MorphologyVsOpenCV, PhotosEveryKernelGrayAndColour) {
  const Tensor astronaut = photo("astronaut.png");  // RGB
  const Tensor coins = photo("coins.png", cv::IMREAD_GRAYSCALE);
  for (const Tensor& img : {astronaut, coins, photo("camera.png", cv::IMREAD_GRAYSCALE)})
    for (const MorphCase& c : kernel_cases()) expect_morph_matches(img, c, false, "photo " + shape_str(img.shape()));
  // The reference loop on crops (it is slow), every kernel.
  const Tensor crop = astronaut.index({Slice(100, 161), Slice(200, 247)});
  for (const MorphCase& c : kernel_cases()) expect_morph_matches(crop, c, true, "astronaut crop");
}

TEST(MorphologyVsOpenCV, EveryBorderIterationAndValue) {
  const Tensor img = photo("chelsea.png").index({Slice(50, 123), Slice(80, 171)});
  for (MorphCase c : kernel_cases())
    for (int border : kBorders)
      for (int it : {0, 1, 2, 3}) {
        c.border = border;
        c.iterations = it;
        expect_morph_matches(img, c, it <= 2, "chelsea crop");
        if (border == BORDER_CONSTANT) {
          c.value = {40, 250, 128};
          expect_morph_matches(img, c, false, "chelsea crop, explicit value");
          c.value = {300, -5};  // saturated per channel; channel 2 gets 0
          expect_morph_matches(img, c, false, "chelsea crop, out-of-range value");
          c.value = morphologyDefaultBorderValue();
        }
      }
}

TEST(MorphologyVsOpenCV, EdgeCasesTinyImagesAndHugeKernels) {
  std::mt19937 rng(7);
  std::vector<Tensor> images;
  for (auto [h, w, c] : {std::tuple{1, 1, 1}, {1, 9, 1}, {9, 1, 3}, {17, 31, 1}, {17, 31, 3}, {3, 4, 4}, {2, 2, 2}}) {
    Tensor t = Tensor::empty(c == 1 ? Shape{h, w} : Shape{h, w, c}, DType::u8);
    for (int64_t i = 0; i < t.numel(); ++i) t.data<uint8_t>()[i] = static_cast<uint8_t>(rng());
    images.push_back(t);
  }
  images.push_back(zeros({6, 7}, DType::u8));
  images.push_back(full({6, 7, 3}, 255, DType::u8));
  std::vector<MorphCase> cases = kernel_cases();
  cases.push_back({getStructuringElement(MORPH_RECT, {9, 9})});
  cases.push_back({getStructuringElement(MORPH_ELLIPSE, {13, 9}), {12, 0}});
  cases.push_back({odd_kernel(11, 12, 3), {11, 5}});
  for (const Tensor& img : images)
    for (MorphCase c : cases)
      for (int border : kBorders)
        for (int it : {1, 2}) {
          c.border = border;
          c.iterations = it;
          expect_morph_matches(img, c, true, "tiny " + shape_str(img.shape()));
        }
}

TEST(MorphologyVsOpenCV, RoiViewsAndNegativeSteps) {
  const Tensor img = photo("coffee.png");
  const Tensor views[] = {img.index({Slice(33, 90), Slice(17, 140)}), img.index({Slice(None, None, -1), Slice(5, 60)}),
                          img.index({Slice(10, 40), Slice(None, None, -2)}), img.select(2, 1).index({Slice(1, 44)})};
  for (const Tensor& v : views)
    for (const MorphCase& c : kernel_cases()) expect_morph_matches(v, c, false, "view " + shape_str(v.shape()));
}

TEST(MorphologyVsOpenCV, OtherDtypes) {
  const Tensor gray = photo("camera.png", cv::IMREAD_GRAYSCALE).index({Slice(0, 64), Slice(0, 80)});
  std::vector<Tensor> inputs = {gray.to(DType::f32), gray.to(DType::f64), gray.to(DType::u16), gray.to(DType::i16)};
  for (Tensor& t : inputs) {
    for (MorphCase c : kernel_cases())
      for (int border : {BORDER_CONSTANT, BORDER_REFLECT_101}) {
        c.border = border;
        expect_morph_matches(t, c, false, std::string("dtype ") + dtype_name(t.dtype()));
      }
  }
}

TEST(MorphologyVsOpenCV, ThreadCountDoesNotChangeResults) {
  const Tensor img = photo("astronaut.png");
  const Tensor k = getStructuringElement(MORPH_ELLIPSE, {7, 7});
  set_num_threads(1);
  const Tensor e1 = erode(img, k), d1 = dilate(img, Tensor(), {-1, -1}, 3, BORDER_REFLECT);
  set_num_threads(2);
  const Tensor e2 = erode(img, k), d2 = dilate(img, Tensor(), {-1, -1}, 3, BORDER_REFLECT);
  EXPECT_TENSOR_EQ(e1, e2);
  EXPECT_TENSOR_EQ(d1, d2);
  cv::Mat ce;
  cv::erode(to_cv(img), ce, to_cv(k));
  expect_equal_images(e2, ce, "2 threads");
}

TEST(MorphologyVsOpenCV, MorphologyExEveryOperation) {
  const Tensor rgb = photo("astronaut.png").index({Slice(0, 200), Slice(100, 333)});
  const Tensor gray = photo("coins.png", cv::IMREAD_GRAYSCALE);
  for (const Tensor& img : {rgb, gray})
    for (int op : {MORPH_ERODE, MORPH_DILATE, MORPH_OPEN, MORPH_CLOSE, MORPH_GRADIENT, MORPH_TOPHAT, MORPH_BLACKHAT})
      for (const MorphCase& c : kernel_cases())
        for (auto [it, border] : {std::pair{1, BORDER_CONSTANT}, {2, BORDER_REFLECT_101}, {3, BORDER_REPLICATE}}) {
          cv::Mat expected;
          cv::morphologyEx(to_cv(img), expected, op, cv_kernel(c.kernel), cv::Point(int(c.anchor.x), int(c.anchor.y)),
                           it, border);
          expect_equal_images(morphologyEx(img, op, c.kernel, c.anchor, it, border), expected,
                              "op " + std::to_string(op) + " " + describe(c));
        }
  // Float gradient (no saturation).
  cv::Mat fexp;
  cv::morphologyEx(to_cv(gray.to(DType::f32)), fexp, cv::MORPH_GRADIENT, cv::Mat());
  expect_equal_images(morphologyEx(gray.to(DType::f32), MORPH_GRADIENT), fexp, "f32 gradient");
}

TEST(MorphologyVsOpenCV, HitOrMiss) {
  Tensor bin = photo("coins.png", cv::IMREAD_GRAYSCALE);
  for (int64_t i = 0; i < bin.numel(); ++i) bin.data<uint8_t>()[i] = bin.data<uint8_t>()[i] > 110 ? 255 : 0;
  const Tensor kernels[] = {Tensor::from<int32_t>({{0, 1, 0}, {1, -1, 1}, {0, 1, 0}}),
                            Tensor::from<int32_t>({{1, 1, 1}, {0, 1, 0}, {-1, -1, -1}}),
                            Tensor::from<int32_t>({{-1, -1}, {-1, -1}}), Tensor::from<int32_t>({{1, 1, 1}}),
                            Tensor::from<int32_t>({{0, 0}, {0, 0}})};
  for (const Tensor& k : kernels)
    for (int border : {BORDER_CONSTANT, BORDER_REPLICATE}) {
      cv::Mat expected;
      cv::morphologyEx(to_cv(bin), expected, cv::MORPH_HITMISS, to_cv(k), cv::Point(-1, -1), 1, border);
      expect_equal_images(morphologyEx(bin, MORPH_HITMISS, k, {-1, -1}, 1, border), expected,
                          "hitmiss " + shape_str(k.shape()));
    }
}

TEST(MorphologyVsOpenCV, BadInput) {
  const Tensor img = zeros({8, 8}, DType::u8);
  EXPECT_THROW_MSG(getStructuringElement(7, {3, 3}), "getStructuringElement: unknown shape 7");
  EXPECT_THROW_MSG(getStructuringElement(MORPH_RECT, {0, 3}), "ksize must be at least 1x1, got 0x3");
  EXPECT_THROW_MSG(getStructuringElement(MORPH_CROSS, {3, 3}, {3, 0}), "anchor (3, 0) is outside the 3x3 element");
  EXPECT_THROW_MSG(erode(img, Tensor(), {-1, -1}, -1), "erode: iterations must be >= 0, got -1");
  EXPECT_THROW_MSG(dilate(img, ones({3, 3}, DType::u8), {5, 1}), "dilate: anchor (5, 1) is outside the 3x3 kernel");
  EXPECT_THROW_MSG(erode(img, ones({3}, DType::u8)), "erode: kernel must be 2-d {kh, kw}, got shape [3]");
  EXPECT_THROW_MSG(erode(img, zeros({3, 3}, DType::u8)), "erode: kernel has no nonzero entry");
  EXPECT_THROW_MSG(erode(img, Tensor(), {-1, -1}, 1, 9), "erode: unknown border type 9");
  EXPECT_THROW_MSG(erode(img, Tensor(), {-1, -1}, 1, BORDER_WRAP), "erode: BORDER_WRAP is not supported");
  EXPECT_THROW_MSG(erode(zeros({0, 5}, DType::u8)), "erode: image is empty");
  EXPECT_THROW_MSG(erode(zeros({4, 4}, DType::i32)), "erode: unsupported dtype int32");
  EXPECT_THROW_MSG(dilate(zeros({4, 4, 5}, DType::u8)), "dilate: expected 1 to 4 channels, got 5");
  EXPECT_THROW_MSG(morphologyEx(img, 8), "morphologyEx: unknown operation 8");
  EXPECT_THROW_MSG(morphologyEx(zeros({4, 4, 3}, DType::u8), MORPH_HITMISS, ones({3, 3}, DType::i32)),
                   "MORPH_HITMISS needs a u8 {H, W} image");
}
