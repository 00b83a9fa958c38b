// ctest-labels: opencv
// threshold and adaptiveThreshold against OpenCV 4.6 (cv::threshold, cv::adaptiveThreshold):
// bit-exact for every dtype, type, flag, photo and edge case, fast path and ojo::ref, 1 and 2 threads.
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "ojo/core/parallel.hpp"
#include "ojo/imgproc/threshold.hpp"
#include "test_util.hpp"

using namespace ojo;
using namespace ojo::test;

namespace {

const int kTypes[] = {THRESH_BINARY, THRESH_BINARY_INV, THRESH_TRUNC, THRESH_TOZERO, THRESH_TOZERO_INV};

Tensor photo_gray(const std::string& name) {
  return from_cv(cv::imread(skimage_dir() + "/" + name, cv::IMREAD_GRAYSCALE));
}
Tensor photo_rgb(const std::string& name) { return from_cv(cv_imread_rgb(skimage_dir() + "/" + name, cv::IMREAD_COLOR)); }

// Runs ojo::threshold and ojo::ref::threshold at 1 and 2 threads and compares retval and pixels
// with cv::threshold.
void expect_threshold_matches(const Tensor& src, double thresh, double maxval, int type, const std::string& label) {
  cv::Mat expected;
  const double expected_ret = cv::threshold(to_cv(src), expected, thresh, maxval, type);
  for (int threads : {1, 2}) {
    set_num_threads(threads);
    const std::string where = label + " thresh=" + std::to_string(thresh) + " maxval=" + std::to_string(maxval) +
                              " type=" + std::to_string(type) + " threads=" + std::to_string(threads);
    auto [ret, dst] = threshold(src, thresh, maxval, type);
    EXPECT_EQ(ret, expected_ret) << where;
    expect_equal_images(dst, expected, where);
    if (threads == 1) {
      auto [rret, rdst] = ref::threshold(src, thresh, maxval, type);
      EXPECT_EQ(rret, expected_ret) << where << " (ref)";
      expect_equal_images(rdst, expected, where + " (ref)");
    }
  }
}

// Deterministic values covering the whole range of a dtype (arange-like, wrapped).
Tensor ramp(int64_t h, int64_t w, int64_t c, DType dt, double lo, double hi) {
  Tensor t = Tensor::empty(c == 1 ? Shape{h, w} : Shape{h, w, c}, DType::f64);
  double* p = t.data<double>();
  for (int64_t i = 0; i < t.numel(); ++i) p[i] = lo + std::fmod(i * 37.25, hi - lo + 1);
  return t.to(dt);
}

}  // namespace

TEST(ThresholdVsOpenCV, EveryTypeOnGrayPhotos) {
  for (const char* name : {"camera.png", "coins.png", "moon.png"}) {
    const Tensor gray = photo_gray(name);
    for (int type : kTypes)
      for (double thresh : {10.0, 127.0, 127.9, 200.5})
        expect_threshold_matches(gray, thresh, 255, type, name);
  }
}

TEST(ThresholdVsOpenCV, EveryTypeOnColourPhotoAndOddMaxval) {
  const Tensor rgb = photo_rgb("astronaut.png");
  for (int type : kTypes)
    for (double maxval : {255.0, 100.4, 100.5, 300.0, -5.0})
      expect_threshold_matches(rgb, 90, maxval, type, "astronaut");
}

TEST(ThresholdVsOpenCV, ThresholdsOutsideTheU8Range) {
  const Tensor gray = photo_gray("camera.png").index({Slice(0, 40), Slice(0, 57)});
  for (int type : kTypes)
    for (double thresh : {-1.0, -0.5, 0.0, 254.0, 254.9, 255.0, 300.0, 1e10, -1e10})
      expect_threshold_matches(gray, thresh, 200, type, "camera crop");
}

TEST(ThresholdVsOpenCV, OtsuAndTriangleOnPhotos) {
  for (const char* name : {"camera.png", "coins.png", "moon.png", "page.png", "text.png", "horse.png"}) {
    const Tensor gray = photo_gray(name);
    for (int type : kTypes) {
      expect_threshold_matches(gray, 0, 255, type | THRESH_OTSU, name);
      expect_threshold_matches(gray, 0, 255, type | THRESH_TRIANGLE, name);
    }
  }
}

TEST(ThresholdVsOpenCV, OtsuAndTriangleOnRoiAndFlatImages) {
  const Tensor gray = photo_gray("coins.png");
  const Tensor roi = gray.index({Slice(17, 150), Slice(31, 260, 1)});
  const Tensor flipped = gray.index({Slice(None, None, -1), Slice(None, None, -1)});
  for (const Tensor& src : {roi, flipped, zeros({13, 7}, DType::u8), full({9, 11}, 255, DType::u8),
                            full({1, 1}, 77, DType::u8)}) {
    expect_threshold_matches(src, 0, 255, THRESH_BINARY | THRESH_OTSU, "otsu " + shape_str(src.shape()));
    expect_threshold_matches(src, 0, 255, THRESH_BINARY | THRESH_TRIANGLE, "triangle " + shape_str(src.shape()));
  }
  // Two-valued images: the classic Otsu case, and both triangle orientations.
  Tensor two = zeros({20, 20}, DType::u8);
  two.index({Slice(0, 5)}).fill_(200);
  expect_threshold_matches(two, 0, 255, THRESH_BINARY | THRESH_OTSU, "two values");
  expect_threshold_matches(two, 0, 255, THRESH_BINARY | THRESH_TRIANGLE, "two values");
  two.index({Slice(0, 15)}).fill_(200);
  expect_threshold_matches(two, 0, 255, THRESH_BINARY | THRESH_TRIANGLE, "two values, flipped");
}

TEST(ThresholdVsOpenCV, OtsuOnUint16) {
  const Tensor img = ramp(37, 53, 1, DType::u16, 0, 60000);
  expect_threshold_matches(img, 0, 65535, THRESH_BINARY | THRESH_OTSU, "u16 ramp");
  Tensor photo = photo_gray("camera.png").to(DType::u16);
  expect_threshold_matches(photo, 0, 1000, THRESH_TOZERO | THRESH_OTSU, "u16 camera");
}

TEST(ThresholdVsOpenCV, OtherDtypes) {
  struct Case {
    DType dt;
    double lo, hi;
  };
  for (const Case& c : {Case{DType::i16, -32768, 32767}, Case{DType::u16, 0, 65535}, Case{DType::f32, -1000, 1000},
                        Case{DType::f64, -1000, 1000}}) {
    for (int64_t ch : {1, 3}) {
      const Tensor src = ramp(17, 31, ch, c.dt, c.lo, c.hi);
      for (int type : kTypes)
        for (double thresh : {-100.5, 0.0, 33.3, 999.9})
          for (double maxval : {1.0, 77.7, 40000.0})
            expect_threshold_matches(src, thresh, maxval, type, std::string(dtype_name(c.dt)));
      // Thresholds beyond the integer ranges.
      for (int type : kTypes)
        for (double thresh : {-40000.0, 32767.0, 65535.0, 70000.0})
          expect_threshold_matches(src, thresh, 5, type, std::string(dtype_name(c.dt)) + " out of range");
    }
  }
}

TEST(ThresholdVsOpenCV, EdgeShapesAndViews) {
  const Tensor rgb = photo_rgb("chelsea.png");
  const std::vector<Tensor> inputs = {
      full({1, 1}, 128, DType::u8),
      rgb.index({Slice(0, 1), Slice(0, 33)}).select(2, 0).contiguous(),       // 1 x N
      rgb.index({Slice(0, 45), Slice(5, 6)}).select(2, 1).contiguous(),       // N x 1
      rgb.index({Slice(10, 27), Slice(40, 71)}),                               // 17 x 31 x 3 ROI
      rgb.select(2, 2),                                                        // channel view (strided)
      rgb.index({Slice(None, None, -2), Slice(None, None, 3)}),                // negative and column steps
      zeros({5, 9}, DType::u8),
      full({6, 4, 3}, 255, DType::u8),
  };
  for (const Tensor& src : inputs)
    for (int type : kTypes) expect_threshold_matches(src, 128, 250, type, "shape " + shape_str(src.shape()));
}

TEST(ThresholdVsOpenCV, BadInput) {
  const Tensor gray = zeros({4, 4}, DType::u8);
  EXPECT_THROW_MSG(threshold(gray.to(DType::f32), 0, 255, THRESH_BINARY | THRESH_OTSU),
                   "THRESH_OTSU needs a one-channel uint8 or uint16 image, got float32");
  EXPECT_THROW_MSG(threshold(zeros({4, 4, 3}, DType::u8), 0, 255, THRESH_BINARY | THRESH_OTSU),
                   "THRESH_OTSU needs a one-channel uint8 or uint16 image, got uint8 [4, 4, 3]");
  EXPECT_THROW_MSG(threshold(gray.to(DType::u16), 0, 255, THRESH_BINARY | THRESH_TRIANGLE),
                   "THRESH_TRIANGLE needs a one-channel uint8 image, got uint16");
  EXPECT_THROW_MSG(threshold(gray, 0, 255, THRESH_OTSU | THRESH_TRIANGLE), "cannot be combined");
  EXPECT_THROW_MSG(threshold(gray, 0, 255, 5), "threshold: unknown threshold type 5");
  EXPECT_THROW_MSG(threshold(gray, 0, 255, 32), "unknown threshold flags 32");
  EXPECT_THROW_MSG(threshold(gray.to(DType::i32), 0, 255, THRESH_BINARY), "unsupported dtype int32");
  EXPECT_THROW_MSG(threshold(zeros({0, 4}, DType::u8), 0, 255, THRESH_BINARY), "image is empty");
  EXPECT_THROW_MSG(threshold(zeros({4}, DType::u8), 0, 255, THRESH_BINARY), "expected an image");
  EXPECT_THROW_MSG(ref::threshold(gray, 0, 255, 5), "unknown threshold type 5");
}

namespace {
void expect_adaptive_matches(const Tensor& src, double maxValue, int method, int type, int block, double C,
                             const std::string& label) {
  cv::Mat expected;
  cv::adaptiveThreshold(to_cv(src), expected, maxValue, method, type, block, C);
  const std::string where = label + " method=" + std::to_string(method) + " type=" + std::to_string(type) +
                            " block=" + std::to_string(block) + " C=" + std::to_string(C) +
                            " maxValue=" + std::to_string(maxValue);
  // MEAN_C is bit-exact. GAUSSIAN_C rounds a float32 GaussianBlur to u8; ojo's float blur is not
  // bit-identical to OpenCV's AVX2/FMA one (filter.hpp: 1e-5 relative), so a pixel whose mean lies
  // within float rounding of .5 may land on the other side: allow 1 pixel in 10^4 to differ.
  const Tensor want = from_cv(expected);
  const int64_t allowed = method == ADAPTIVE_THRESH_MEAN_C ? 0 : want.numel() / 10000;
  auto check = [&](const Tensor& got, const std::string& what) {
    ASSERT_EQ(got.shape(), want.shape()) << what;
    const Tensor g = got.contiguous();
    int64_t bad = 0;
    for (int64_t i = 0; i < g.numel(); ++i) bad += g.data<uint8_t>()[i] != want.data<uint8_t>()[i];
    EXPECT_LE(bad, allowed) << what << ": " << bad << " of " << g.numel() << " pixels differ";
  };
  for (int threads : {1, 2}) {
    set_num_threads(threads);
    check(adaptiveThreshold(src, maxValue, method, type, block, C), where + " threads=" + std::to_string(threads));
  }
  if (src.numel() <= 65536 || block <= 11)  // the reference filters are slow for big windows
    check(ref::adaptiveThreshold(src, maxValue, method, type, block, C), where + " (ref)");
}
}  // namespace

TEST(AdaptiveThresholdVsOpenCV, PhotosEveryMethodTypeAndBlock) {
  for (const char* name : {"camera.png", "page.png", "text.png"}) {
    const Tensor gray = photo_gray(name);
    for (int method : {ADAPTIVE_THRESH_MEAN_C, ADAPTIVE_THRESH_GAUSSIAN_C})
      for (int type : {THRESH_BINARY, THRESH_BINARY_INV})
        for (int block : {3, 11, 31})
          for (double C : {2.0, 0.0, -3.5})
            expect_adaptive_matches(gray, 255, method, type, block, C, name);
  }
}

TEST(AdaptiveThresholdVsOpenCV, MaxValueCAndEdgeShapes) {
  const Tensor gray = photo_gray("coins.png");
  for (double maxValue : {255.0, 100.5, 300.0, -1.0, 0.0})
    for (double C : {1e9, -1e9, 255.0, -300.0})
      expect_adaptive_matches(gray.index({Slice(0, 40), Slice(0, 50)}), maxValue, ADAPTIVE_THRESH_MEAN_C,
                              THRESH_BINARY, 5, C, "coins crop");
  const std::vector<Tensor> inputs = {full({1, 1}, 9, DType::u8),     gray.index({Slice(3, 4)}),
                                      gray.index({Slice(), Slice(5, 6)}), gray.index({Slice(20, 37), Slice(40, 71)}),
                                      gray.index({Slice(None, None, -1), Slice(None, None, -2)}),
                                      zeros({9, 9}, DType::u8),      full({8, 10}, 255, DType::u8)};
  for (const Tensor& src : inputs)
    for (int method : {ADAPTIVE_THRESH_MEAN_C, ADAPTIVE_THRESH_GAUSSIAN_C})
      for (int block : {3, 7, 41})  // 41: larger than the small images
        expect_adaptive_matches(src, 255, method, THRESH_BINARY_INV, block, 1, "shape " + shape_str(src.shape()));
}

TEST(AdaptiveThresholdVsOpenCV, BadInput) {
  const Tensor gray = zeros({8, 8}, DType::u8);
  EXPECT_THROW_MSG(adaptiveThreshold(gray, 255, ADAPTIVE_THRESH_MEAN_C, THRESH_BINARY, 4, 2),
                   "adaptiveThreshold: blockSize must be odd and > 1 (3, 5, 7, ...), got 4");
  EXPECT_THROW_MSG(adaptiveThreshold(gray, 255, ADAPTIVE_THRESH_MEAN_C, THRESH_BINARY, 1, 2), "got 1");
  EXPECT_THROW_MSG(adaptiveThreshold(gray, 255, ADAPTIVE_THRESH_MEAN_C, THRESH_BINARY, -3, 2), "got -3");
  EXPECT_THROW_MSG(adaptiveThreshold(gray, 255, 2, THRESH_BINARY, 3, 2), "unknown adaptiveMethod 2");
  EXPECT_THROW_MSG(adaptiveThreshold(gray, 255, ADAPTIVE_THRESH_MEAN_C, THRESH_TRUNC, 3, 2),
                   "unknown thresholdType 2 (expected THRESH_BINARY or THRESH_BINARY_INV)");
  EXPECT_THROW_MSG(adaptiveThreshold(zeros({8, 8, 3}, DType::u8), 255, ADAPTIVE_THRESH_MEAN_C, THRESH_BINARY, 3, 2),
                   "expected a one-channel uint8 image, got uint8 [8, 8, 3]");
  EXPECT_THROW_MSG(adaptiveThreshold(gray.to(DType::f32), 255, ADAPTIVE_THRESH_MEAN_C, THRESH_BINARY, 3, 2),
                   "got float32");
  EXPECT_THROW_MSG(adaptiveThreshold(zeros({0, 8}, DType::u8), 255, ADAPTIVE_THRESH_MEAN_C, THRESH_BINARY, 3, 2),
                   "image is empty");
}
