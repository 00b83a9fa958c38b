// ctest-labels: opencv
// ojo::cvtColor (fast path and ojo::ref) against OpenCV 4.6's cv::cvtColor, pixel for pixel for u8,
// within a stated tolerance for f32. Inputs: every one of the 2^24 colours (laid out so that both
// OpenCV's SIMD blocks and its row tails see them), the skimage photos, ROI / flipped views, edge sizes.
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <hwy/targets.h>

#include <cmath>
#include <cstring>
#include <string>

#include "ojo/core/parallel.hpp"
#include "ojo/imgproc/color.hpp"
#include "test_util.hpp"

using namespace ojo;
using namespace ojo::test;

namespace {

// Every code ojo implements, with the channel count of the input it takes.
struct CodeCase {
  int code;
  int scn;
};
const CodeCase kForward[] = {
    {COLOR_RGB2GRAY, 3},   {COLOR_BGR2GRAY, 3},    {COLOR_RGBA2GRAY, 4},    {COLOR_BGRA2GRAY, 4},
    {COLOR_RGB2BGR, 3},    {COLOR_BGR2BGRA, 3},    {COLOR_BGRA2BGR, 4},     {COLOR_BGR2RGBA, 3},
    {COLOR_RGBA2BGR, 4},   {COLOR_BGRA2RGBA, 4},   {COLOR_RGB2HSV, 3},      {COLOR_BGR2HSV, 3},
    {COLOR_RGB2HSV_FULL, 3}, {COLOR_BGR2HSV_FULL, 3}, {COLOR_RGB2HLS, 3},   {COLOR_BGR2HLS, 3},
    {COLOR_RGB2HLS_FULL, 3}, {COLOR_BGR2HLS_FULL, 3}, {COLOR_RGB2HSV, 4},   {COLOR_RGB2HLS, 4},
    {COLOR_RGB2BGR, 4},    {COLOR_BGRA2BGR, 3},     {COLOR_BGR2BGRA, 4},   {COLOR_RGB2GRAY, 4},
};
const int kInverse[] = {COLOR_HSV2RGB, COLOR_HSV2BGR, COLOR_HSV2RGB_FULL, COLOR_HSV2BGR_FULL,
                        COLOR_HLS2RGB, COLOR_HLS2BGR, COLOR_HLS2RGB_FULL, COLOR_HLS2BGR_FULL};

std::string name_of(int code) { return color_code_name(code); }

cv::Mat cv_convert(const Tensor& src, int code, int dcn = 0) {
  cv::Mat out;
  cv::cvtColor(to_cv(src), out, code, dcn);
  return out;
}

// Fast path at 1 and 2 threads and the reference, all equal to OpenCV.
void expect_exact(const Tensor& src, int code, const std::string& label, int dcn = 0) {
  SCOPED_TRACE(label + " " + name_of(code) + " dstCn " + std::to_string(dcn));
  const cv::Mat expected = cv_convert(src, code, dcn);
  for (int threads : {1, 2}) {
    set_num_threads(threads);
    expect_equal_images(cvtColor(src, code, dcn), expected, "fast, threads " + std::to_string(threads));
  }
  expect_equal_images(ref::cvtColor(src, code, dcn), expected, "ref");
}

// For the 2^24-pixel images: the fast path (2 threads) once, the reference only where it is a
// different algorithm (gray; the HSV/HLS reference shares its per-pixel model with the fast path and
// is checked on the photos). memcmp first, the detailed report only on a mismatch.
void expect_exact_big(const Tensor& src, int code, const std::string& label, int dcn = 0) {
  SCOPED_TRACE(label + " " + name_of(code) + " dstCn " + std::to_string(dcn));
  cv::Mat expected = cv_convert(src, code, dcn);
  set_num_threads(2);
  std::vector<Tensor> got;
  got.reserve(2);  // (GCC 12 warns falsely about the vector growing from an initializer list)
  got.push_back(cvtColor(src, code, dcn));
  if (code == COLOR_RGB2GRAY || code == COLOR_BGR2GRAY) got.push_back(ref::cvtColor(src, code, dcn));
  for (const Tensor& g : got) {
    const size_t bytes = expected.total() * expected.elemSize();
    ASSERT_EQ(static_cast<size_t>(g.numel()), bytes);
    if (std::memcmp(g.raw_data(), expected.data, bytes) != 0) expect_equal_images(g, expected);
  }
}

// Every u8 triple (a, b, c) = (i >> 16, i >> 8, i) in an image `width` pixels wide.
Tensor all_colours(int64_t width) {
  const int64_t n = int64_t{1} << 24, h = (n + width - 1) / width;
  Tensor t = zeros({h, width, 3}, DType::u8);
  uint8_t* p = t.data<uint8_t>();
  for (int64_t i = 0; i < n; ++i) p[3 * i] = static_cast<uint8_t>(i >> 16), p[3 * i + 1] = static_cast<uint8_t>(i >> 8), p[3 * i + 2] = static_cast<uint8_t>(i);
  return t;
}

Tensor photo(const std::string& name, int channels = 3) {
  cv::Mat m = cv_imread_rgb(skimage_dir() + "/" + name, channels == 1 ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
  if (channels == 4) cv::cvtColor(m, m, cv::COLOR_RGB2RGBA);
  return from_cv(m);
}

Tensor with_channels(const Tensor& rgb, int scn) {
  if (scn == 3) return rgb;
  cv::Mat m = to_cv(rgb), out;
  cv::cvtColor(m, out, cv::COLOR_RGB2RGBA);
  // a varying alpha, so that copying it is checked
  for (int y = 0; y < out.rows; ++y)
    for (int x = 0; x < out.cols; ++x) out.at<cv::Vec4b>(y, x)[3] = static_cast<uchar>(x * 7 + y * 3);
  return from_cv(out);
}

}  // namespace

// --- exhaustive u8: OpenCV's HSV/HLS float paths round differently in SIMD blocks and row tails ---
TEST(CvtColorAllColours, ForwardCodesEveryColourWidth4096SimdBlocks) {
  const Tensor img = all_colours(4096);
  for (int code : {COLOR_RGB2HSV, COLOR_BGR2HSV_FULL, COLOR_RGB2HLS, COLOR_BGR2HLS_FULL, COLOR_RGB2GRAY, COLOR_BGR2GRAY})
    expect_exact_big(img, code, "all colours 4096 wide");
}

TEST(CvtColorAllColours, ForwardCodesEveryColourWidth31RowTails) {
  const Tensor img = all_colours(31);
  for (int code : {COLOR_RGB2HSV, COLOR_RGB2HSV_FULL, COLOR_RGB2HLS, COLOR_RGB2HLS_FULL, COLOR_RGB2GRAY})
    expect_exact_big(img, code, "all colours 31 wide");
}

TEST(CvtColorAllColours, InverseCodesEveryTripleWidth4096And31) {
  for (int64_t width : {4096, 31}) {
    const Tensor img = all_colours(width);
    for (int code : kInverse) expect_exact_big(img, code, "all triples " + std::to_string(width) + " wide");
  }
}

TEST(CvtColorAllColours, InverseCodesWithAlphaOutput) {
  const Tensor img = all_colours(300);  // 288 SIMD + 12 tail (HSV), 296 + 4 (HLS)
  for (int code : {COLOR_HSV2RGB, COLOR_HLS2BGR, COLOR_HSV2BGR_FULL, COLOR_HLS2RGB_FULL})
    expect_exact_big(img, code, "all triples 300 wide, 4 channels out", 4);
}

// The fast rows dispatch at run time to the best Highway target the CPU has; every target compiled
// in and supported here must give OpenCV's bytes (the float HSV/HLS kernels run only where FMA is
// native, elsewhere the reference rows do the work). AVX-512 is checked only on a CPU that has it.
TEST(CvtColorAllColours, EveryHighwayTargetThisCpuRuns) {
  const Tensor img = all_colours(4096);
  for (int64_t target : hwy::SupportedAndGeneratedTargets()) {
    hwy::SetSupportedTargetsForTest(target);
    for (int code : {COLOR_RGB2HSV, COLOR_BGR2HLS_FULL, COLOR_HSV2BGR, COLOR_HLS2RGB})
      expect_exact_big(img, code, std::string("Highway target ") + hwy::TargetName(target));
  }
  hwy::SetSupportedTargetsForTest(0);
}

// RGB <-> BGR, gray -> colour and 3 -> 4 channels run in 16-pixel groups, 128 or 256 bits at a
// time depending on the target, and outputs of 16 MiB and more are written with streaming stores:
// a photo and a 3001x1999 enlargement of it (odd pixel count: a scalar tail), every target.
TEST(CvtColorShuffles, EveryHighwayTargetPhotoAndLargeImage) {
  const Tensor rgb = photo("coffee.png"), gray = photo("camera.png", 1);
  cv::Mat big_rgb, big_gray;
  cv::resize(to_cv(rgb), big_rgb, cv::Size(3001, 1999), 0, 0, cv::INTER_LINEAR);
  cv::resize(to_cv(gray), big_gray, cv::Size(3001, 1999), 0, 0, cv::INTER_LINEAR);
  const Tensor large_rgb = from_cv(big_rgb), large_gray = from_cv(big_gray);
  const int colour_codes[] = {COLOR_RGB2BGR, COLOR_BGR2RGB, COLOR_RGB2RGBA, COLOR_BGR2RGBA};
  const int gray_codes[] = {COLOR_GRAY2RGB, COLOR_GRAY2BGRA};
  for (int code : colour_codes) expect_exact(large_rgb, code, "3001x1999, best target");
  for (int code : gray_codes) expect_exact(large_gray, code, "3001x1999, best target");
  for (int64_t target : hwy::SupportedAndGeneratedTargets()) {
    hwy::SetSupportedTargetsForTest(target);
    const std::string label = std::string("Highway target ") + hwy::TargetName(target);
    for (int code : colour_codes)
      for (const Tensor* img : {&rgb, &large_rgb}) expect_exact_big(*img, code, label);
    for (int code : gray_codes)
      for (const Tensor* img : {&gray, &large_gray}) expect_exact_big(*img, code, label);
  }
  hwy::SetSupportedTargetsForTest(0);
}

// --- photos and views ---
TEST(CvtColorPhotos, EveryCodeOnAstronautChelseaCoffee) {
  for (const char* name : {"astronaut.png", "chelsea.png", "coffee.png"}) {
    const Tensor rgb = photo(name);
    for (const CodeCase& c : kForward) expect_exact(with_channels(rgb, c.scn), c.code, std::string(name) + " scn " + std::to_string(c.scn));
    const Tensor hsv = cvtColor(rgb, COLOR_RGB2HSV), hls = cvtColor(rgb, COLOR_RGB2HLS);
    for (int code : kInverse) expect_exact(code == COLOR_HLS2RGB || code == COLOR_HLS2BGR ? hls : hsv, code, name);
  }
}

TEST(CvtColorPhotos, GrayToColourOnCameraAndCoins) {
  for (const char* name : {"camera.png", "coins.png"}) {
    const Tensor gray = photo(name, 1);
    for (int code : {COLOR_GRAY2RGB, COLOR_GRAY2RGBA}) {
      expect_exact(gray, code, name);
      expect_exact(gray.unsqueeze(2), code, std::string(name) + " {H, W, 1}");
    }
  }
}

TEST(CvtColorViews, RoiOddSizeAndNegativeStepViews) {
  const Tensor rgb = photo("astronaut.png");
  const Tensor roi = rgb.index({Slice(100, 117), Slice(33, 64)});                // 17x31 ROI
  const Tensor flipped = rgb.index({Slice(None, None, -1), Slice(None, None, -2)});  // both axes reversed
  const Tensor bgr_view = rgb.index({Slice(), Slice(), Slice(None, None, -1)});     // channel-reversed view
  for (const Tensor* v : {&roi, &flipped, &bgr_view})
    for (int code : {COLOR_RGB2GRAY, COLOR_RGB2HSV, COLOR_RGB2HLS, COLOR_HSV2RGB, COLOR_RGB2BGR, COLOR_RGB2RGBA})
      expect_exact(*v, code, "view " + shape_str(v->shape()));
}

TEST(CvtColorEdges, TinyAndConstantImages) {
  const Tensor rgb = photo("chelsea.png");
  const Tensor cases[] = {rgb.index({Slice(0, 1), Slice(0, 1)}),  rgb.index({Slice(5, 6), Slice()}),
                          rgb.index({Slice(), Slice(9, 10)}),     zeros({13, 37, 3}, DType::u8),
                          full({13, 37, 3}, 255, DType::u8),      rgb.index({Slice(0, 33), Slice(0, 65)})};
  for (const Tensor& t : cases)
    for (int code : {COLOR_RGB2GRAY, COLOR_BGR2GRAY, COLOR_RGB2HSV, COLOR_RGB2HSV_FULL, COLOR_RGB2HLS, COLOR_HSV2RGB,
                     COLOR_HLS2RGB, COLOR_HSV2RGB_FULL, COLOR_RGB2BGRA})
      expect_exact(t, code, "edge " + shape_str(t.shape()));
}

TEST(CvtColorThreads, SameResultForOneAndTwoThreads) {
  const Tensor rgb = photo("coffee.png");
  for (int code : {COLOR_RGB2GRAY, COLOR_RGB2HSV, COLOR_RGB2HLS}) {
    set_num_threads(1);
    const Tensor one = cvtColor(rgb, code);
    set_num_threads(2);
    EXPECT_TENSOR_EQ(cvtColor(rgb, code), one);
  }
}

// --- float32: OpenCV mixes FMA and plain arithmetic between its SIMD and scalar code ---
TEST(CvtColorFloat, F32CodesWithinTolerance) {
  const Tensor rgb = photo("astronaut.png").to(DType::f32);
  Tensor unit = rgb.clone();  // RGB in 0..1, as OpenCV expects for float HSV/HLS
  float* p = unit.data<float>();
  for (int64_t i = 0; i < unit.numel(); ++i) p[i] /= 255.f;
  auto expect_close = [&](const Tensor& src, int code, double atol) {
    SCOPED_TRACE(name_of(code));
    const Tensor expected = from_cv(cv_convert(src, code));
    for (const Tensor& got : {cvtColor(src, code), ref::cvtColor(src, code)}) {
      ASSERT_EQ(got.shape(), expected.shape());
      ASSERT_EQ(got.dtype(), DType::f32);
      const float* a = got.data<float>();
      const float* b = expected.contiguous().data<float>();
      double worst = 0;
      for (int64_t i = 0; i < got.numel(); ++i) worst = std::max(worst, std::abs(double(a[i]) - double(b[i])));
      EXPECT_LE(worst, atol) << "max |ojo - OpenCV|";
    }
  };
  expect_close(unit, COLOR_RGB2GRAY, 1e-6);
  expect_close(rgb, COLOR_RGB2GRAY, 1e-4);
  expect_close(unit, COLOR_RGB2BGR, 0);
  expect_close(unit, COLOR_RGB2RGBA, 0);
  expect_close(unit, COLOR_RGB2HSV, 1e-3);  // hue in degrees; S, V in 0..1
  expect_close(unit, COLOR_RGB2HLS, 1e-3);
  const Tensor hsv = from_cv(cv_convert(unit, COLOR_RGB2HSV)), hls = from_cv(cv_convert(unit, COLOR_RGB2HLS));
  expect_close(hsv, COLOR_HSV2RGB, 1e-5);
  expect_close(hls, COLOR_HLS2RGB, 1e-5);
  expect_close(hsv, COLOR_HSV2BGR_FULL, 1e-5);  // f32 ignores _FULL, as OpenCV
}

// --- bad input ---
TEST(CvtColorErrors, UnknownCodeWrongChannelsDtypeAndDstCn) {
  const Tensor rgb = zeros({4, 5, 3}, DType::u8), gray = zeros({4, 5}, DType::u8), rgba = zeros({4, 5, 4}, DType::u8);
  EXPECT_THROW_MSG(cvtColor(rgb, 999), "unknown or unsupported colour conversion code 999");
  EXPECT_THROW_MSG(cvtColor(rgb, 44), "unknown or unsupported colour conversion code 44");  // COLOR_BGR2Lab
  EXPECT_THROW_MSG(cvtColor(gray, COLOR_RGB2GRAY), "COLOR_RGB2GRAY: expected a 3- or 4-channel image, got 1 channels");
  EXPECT_THROW_MSG(cvtColor(rgb, COLOR_GRAY2RGB), "COLOR_GRAY2BGR: expected a 1-channel image");
  EXPECT_THROW_MSG(cvtColor(rgba, COLOR_HSV2RGB), "COLOR_HSV2RGB: expected a 3-channel image, got 4 channels");
  EXPECT_THROW_MSG(cvtColor(rgb, COLOR_HSV2RGB, 2), "dstCn must be 0, 3 or 4, got 2");
  EXPECT_THROW_MSG(cvtColor(zeros({4, 5, 3}, DType::i16), COLOR_RGB2GRAY), "expected a uint8 or float32 image, got int16");
  EXPECT_THROW_MSG(cvtColor(zeros({0, 5, 3}, DType::u8), COLOR_RGB2GRAY), "image is empty");
  EXPECT_THROW_MSG(cvtColor(zeros({2, 4, 5, 3}, DType::u8), COLOR_RGB2GRAY), "expected an image shaped {H, W} or {H, W, C}");
  EXPECT_THROW_MSG(cvtColor(Tensor(), COLOR_RGB2GRAY), "image is undefined");
  EXPECT_THROW_MSG(ref::cvtColor(gray, COLOR_RGB2HSV), "expected a 3- or 4-channel image");
}
