// ctest-labels: opencv
// calcHist, equalizeHist, LUT against OpenCV 4.6 (bit-exact, fast path and ojo::ref, 1 and 2
// threads); the guide's manual equalization (§39) against NumPy reference data made by
// scripts/reference/equalize_reference.py; the §37/§38 colour recipes against the same recipes
// written with OpenCV.
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <hwy/targets.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "ojo/core/parallel.hpp"
#include "ojo/imgproc/histogram.hpp"
#include "ojo/io/npy.hpp"
#include "test_util.hpp"

using namespace ojo;
using namespace ojo::test;

namespace {

Tensor photo_gray(const std::string& name) {
  return from_cv(cv::imread(skimage_dir() + "/" + name, cv::IMREAD_GRAYSCALE));
}
Tensor photo_rgb(const std::string& name) { return from_cv(cv_imread_rgb(skimage_dir() + "/" + name, cv::IMREAD_COLOR)); }

// An OpenCV histogram (1-D: rows x 1; n-D: a dims-dimensional Mat) as an ojo tensor.
Tensor hist_from_cv(const cv::Mat& h) {
  Shape shape;
  if (h.dims == 2) shape = {h.rows, h.cols};
  else
    for (int d = 0; d < h.dims; ++d) shape.push_back(h.size[d]);
  Tensor t = Tensor::empty(shape, DType::f32);
  const cv::Mat c = h.isContinuous() ? h : h.clone();
  std::memcpy(t.raw_data(), c.data, c.total() * c.elemSize());
  return t;
}

cv::Mat hist_to_cv(const Tensor& h) {
  std::vector<int> sizes;
  for (int64_t s : h.shape()) sizes.push_back(static_cast<int>(s));
  cv::Mat m(static_cast<int>(sizes.size()), sizes.data(), CV_32F);
  const Tensor c = h.contiguous();
  std::memcpy(m.data, c.raw_data(), c.numel() * 4);
  return m;
}

struct HistArgs {
  std::vector<int> channels;
  std::vector<int> histSize;
  std::vector<float> ranges;
  bool uniform = true;
};

// cv::calcHist through its pointer overload (the one with `uniform`).
Tensor cv_calc_hist(const std::vector<Tensor>& images, const Tensor& mask, const HistArgs& a, bool accumulate = false,
                    const Tensor& start = Tensor()) {
  std::vector<cv::Mat> mats;
  for (const Tensor& t : images) mats.push_back(to_cv(t));
  std::vector<const float*> ranges;
  size_t at = 0;
  for (int n : a.histSize) {
    if (a.ranges.empty()) break;
    ranges.push_back(a.ranges.data() + at);
    at += a.uniform ? 2 : n + 1;
  }
  cv::Mat hist;
  if (accumulate) hist = hist_to_cv(start);
  cv::calcHist(mats.data(), static_cast<int>(mats.size()), a.channels.empty() ? nullptr : a.channels.data(),
               mask.defined() ? to_cv(mask) : cv::Mat(), hist, static_cast<int>(a.histSize.size()), a.histSize.data(),
               ranges.empty() ? nullptr : ranges.data(), a.uniform, accumulate);
  return hist_from_cv(hist);
}

void expect_hist_matches(const std::vector<Tensor>& images, const Tensor& mask, const HistArgs& a,
                         const std::string& label) {
  const Tensor expected = cv_calc_hist(images, mask, a);
  for (int threads : {1, 2}) {
    set_num_threads(threads);
    EXPECT_TENSOR_EQ(calcHist(images, a.channels, mask, a.histSize, a.ranges, a.uniform), expected)
        << label << " threads=" << threads;
  }
  EXPECT_TENSOR_EQ(ref::calcHist(images, a.channels, mask, a.histSize, a.ranges, a.uniform), expected)
      << label << " (ref)";
}

Tensor disk_mask(int64_t h, int64_t w) {
  Tensor m = zeros({h, w}, DType::u8);
  for (int64_t y = 0; y < h; ++y)
    for (int64_t x = 0; x < w; ++x)
      if ((y - h / 2) * (y - h / 2) + (x - w / 3) * (x - w / 3) < h * w / 8) m.at<uint8_t>(y, x) = 1 + (x % 200);
  return m;
}

}  // namespace

TEST(CalcHistVsOpenCV, GrayPhotosEveryBinCountAndRange) {
  for (const char* name : {"camera.png", "moon.png", "coins.png"}) {
    const Tensor gray = photo_gray(name);
    for (const HistArgs& a : {HistArgs{{0}, {256}, {0, 256}}, HistArgs{{0}, {16}, {0, 256}},
                              HistArgs{{0}, {7}, {0, 256}}, HistArgs{{0}, {1}, {0, 256}},
                              HistArgs{{0}, {9}, {1, 255}}, HistArgs{{0}, {29}, {0, 100}},
                              HistArgs{{0}, {300}, {0, 256}}, HistArgs{{0}, {13}, {10.5f, 200.3f}},
                              HistArgs{{0}, {256}, {}}, HistArgs{{0}, {10}, {}}, HistArgs{{}, {64}, {0, 256}}})
      expect_hist_matches({gray}, Tensor(), a, std::string(name) + " bins " + std::to_string(a.histSize[0]));
  }
}

TEST(CalcHistVsOpenCV, ColourPhotoOneTwoAndThreeDimensions) {
  const Tensor rgb = photo_rgb("astronaut.png");
  for (const HistArgs& a :
       {HistArgs{{0}, {256}, {0, 256}}, HistArgs{{2}, {32}, {0, 256}}, HistArgs{{0, 1}, {32, 32}, {0, 256, 0, 256}},
        HistArgs{{2, 0}, {30, 17}, {0, 180, 20, 256}}, HistArgs{{0, 1, 2}, {8, 8, 8}, {0, 256, 0, 256, 0, 256}},
        HistArgs{{1, 2, 0}, {5, 3, 11}, {0, 200, 50, 256, 0, 256}}, HistArgs{{0, 1, 2}, {64, 64, 64}, {}},
        HistArgs{{1, 1}, {4, 4}, {0, 256, 0, 256}}})
    expect_hist_matches({rgb}, Tensor(), a, "astronaut dims " + std::to_string(a.histSize.size()));
}

TEST(CalcHistVsOpenCV, Masks) {
  const Tensor rgb = photo_rgb("chelsea.png");
  const Tensor mask = disk_mask(rgb.size(0), rgb.size(1));
  for (const HistArgs& a : {HistArgs{{1}, {256}, {0, 256}}, HistArgs{{0, 2}, {16, 16}, {0, 256, 0, 256}},
                            HistArgs{{0, 1, 2}, {8, 8, 8}, {0, 256, 0, 256, 0, 256}}}) {
    expect_hist_matches({rgb}, mask, a, "chelsea masked");
    expect_hist_matches({rgb}, mask.to(DType::boolean), a, "chelsea bool mask");
  }
  expect_hist_matches({rgb}, zeros({rgb.size(0), rgb.size(1)}, DType::u8), HistArgs{{0}, {256}, {0, 256}},
                      "empty mask");
}

TEST(CalcHistVsOpenCV, SeveralImagesAndViews) {
  const Tensor rgb = photo_rgb("coffee.png");
  const Tensor gray = photo_gray("coffee.png");
  expect_hist_matches({gray, rgb}, Tensor(), HistArgs{{0, 3}, {16, 16}, {0, 256, 0, 256}}, "gray + rgb");
  expect_hist_matches({rgb, gray}, Tensor(), HistArgs{{3, 1, 2}, {4, 5, 6}, {0, 256, 0, 256, 0, 256}}, "rgb + gray");
  expect_hist_matches({gray, gray}, Tensor(), HistArgs{{}, {8, 8}, {0, 256, 0, 256}}, "no channels");
  const Tensor roi = rgb.index({Slice(33, 150), Slice(71, 300)});
  const Tensor flipped = rgb.index({Slice(None, None, -1), Slice(None, None, -3)});
  for (const Tensor& v : {roi, flipped, rgb.select(2, 1)}) {
    const std::vector<int> ch3 = v.dim() == 3 ? std::vector<int>{0, 1, 2} : std::vector<int>{0, 0, 0};
    expect_hist_matches({v}, Tensor(), HistArgs{{0}, {256}, {0, 256}}, "view " + shape_str(v.shape()));
    expect_hist_matches({v}, Tensor(), HistArgs{ch3, {6, 6, 6}, {0, 256, 0, 256, 0, 256}},
                        "view 3-d " + shape_str(v.shape()));
  }
}

TEST(CalcHistVsOpenCV, NonUniformBins) {
  const Tensor rgb = photo_rgb("astronaut.png");
  expect_hist_matches({rgb}, Tensor(), HistArgs{{1}, {4}, {0, 10.5f, 64, 200, 255.5f}, false}, "1-d edges");
  expect_hist_matches({rgb}, Tensor(), HistArgs{{0, 2}, {3, 2}, {5, 50, 100, 250, 0, 128, 256}, false}, "2-d edges");
  const Tensor f = rgb.to(DType::f32);
  expect_hist_matches({f}, Tensor(), HistArgs{{0, 2}, {3, 2}, {5, 50, 100, 250.5f, 0, 128, 256}, false}, "f32 edges");
}

TEST(CalcHistVsOpenCV, Uint16AndFloatImages) {
  const Tensor gray = photo_gray("camera.png");
  Tensor f = gray.to(DType::f32);
  float* p = f.data<float>();
  for (int64_t i = 0; i < f.numel(); ++i) p[i] = p[i] / 255.f * 3.f - 1.f;  // -1 .. 2
  p[5] = std::numeric_limits<float>::quiet_NaN();                           // goes to bin 0, as OpenCV
  p[6] = std::numeric_limits<float>::infinity();
  for (const HistArgs& a : {HistArgs{{0}, {10}, {0, 1}}, HistArgs{{0}, {33}, {-1, 2}}, HistArgs{{0}, {7}, {-0.3f, 1.7f}}})
    expect_hist_matches({f}, Tensor(), a, "f32");
  const Tensor u16 = gray.to(DType::u16);
  expect_hist_matches({u16}, Tensor(), HistArgs{{0}, {100}, {0, 65536}}, "u16");
  expect_hist_matches({u16}, disk_mask(u16.size(0), u16.size(1)), HistArgs{{0}, {50}, {20, 200}}, "u16 masked");
  const Tensor rgbf = photo_rgb("coffee.png").to(DType::f32);
  expect_hist_matches({rgbf}, Tensor(), HistArgs{{0, 1, 2}, {4, 4, 4}, {0, 256, 0, 256, 0, 256}}, "f32 3-d");
}

TEST(CalcHistVsOpenCV, EdgeShapes) {
  const Tensor gray = photo_gray("camera.png");
  for (const Tensor& v : {gray.index({Slice(0, 1), Slice(0, 1)}), gray.index({Slice(5, 6)}),
                          gray.index({Slice(), Slice(7, 8)}), gray.index({Slice(0, 17), Slice(0, 31)}),
                          zeros({9, 9}, DType::u8), full({9, 9}, 255, DType::u8)})
    expect_hist_matches({v}, Tensor(), HistArgs{{0}, {256}, {0, 256}}, "shape " + shape_str(v.shape()));
}

TEST(CalcHistVsOpenCV, Accumulate) {
  const Tensor a = photo_gray("camera.png"), b = photo_gray("moon.png").index({Slice(0, 512), Slice(0, 512)});
  const HistArgs args{{0}, {32}, {0, 256}};
  Tensor start = calcHist({a}, {0}, Tensor(), {32}, {0, 256});
  start.data<float>()[3] += 0.5f;  // OpenCV rounds to integers before adding
  start.data<float>()[4] += 0.6f;
  const Tensor expected = cv_calc_hist({b}, Tensor(), args, true, start);
  EXPECT_TENSOR_EQ(calcHist({b}, {0}, Tensor(), {32}, {0, 256}, true, true, start), expected);
  EXPECT_TENSOR_EQ(ref::calcHist({b}, {0}, Tensor(), {32}, {0, 256}, true, true, start), expected);
  const HistArgs args3{{0, 1, 2}, {4, 4, 4}, {0, 256, 0, 256, 0, 256}};
  const Tensor rgb = photo_rgb("astronaut.png");
  const Tensor start3 = calcHist({rgb}, {2, 1, 0}, Tensor(), {4, 4, 4}, {0, 256, 0, 256, 0, 256});
  EXPECT_TENSOR_EQ(calcHist({rgb}, {0, 1, 2}, Tensor(), {4, 4, 4}, {0, 256, 0, 256, 0, 256}, true, true, start3),
                   cv_calc_hist({rgb}, Tensor(), args3, true, start3));
}

TEST(CalcHistVsOpenCV, BadInput) {
  const Tensor gray = zeros({4, 5}, DType::u8), rgb = zeros({4, 5, 3}, DType::u8);
  EXPECT_THROW_MSG(calcHist({gray}, {0, 0}, Tensor(), {8}, {0, 256}), "channels has 2 entries but histSize has 1");
  EXPECT_THROW_MSG(calcHist({gray}, {0}, Tensor(), {8}, {0, 256, 0}), "ranges has 3 numbers; expected 2");
  EXPECT_THROW_MSG(calcHist({rgb}, {3}, Tensor(), {8}, {0, 256}), "channel 3 is out of range: the images have 3");
  EXPECT_THROW_MSG(calcHist({rgb}, {-1}, Tensor(), {8}, {0, 256}), "channel -1 is out of range");
  EXPECT_THROW_MSG(calcHist({gray}, {0}, Tensor(), {0}, {0, 256}), "histSize[0] is 0; expected at least 1 bin");
  EXPECT_THROW_MSG(calcHist({gray}, {0}, Tensor(), {}, {}), "histSize has 0 entries; expected 1 to 3");
  EXPECT_THROW_MSG(calcHist({gray}, {0}, Tensor(), {8}, {256, 0}), "range 0 is [256, 0); expected low < high");
  EXPECT_THROW_MSG(calcHist({gray}, {0}, zeros({4, 4}, DType::u8), {8}, {0, 256}),
                   "mask has shape [4, 4] but the images are 4x5");
  EXPECT_THROW_MSG(calcHist({gray}, {0}, zeros({4, 5}, DType::f32), {8}, {0, 256}),
                   "mask must be uint8 or bool {H, W}, got float32");
  EXPECT_THROW_MSG(calcHist({gray}, {0}, zeros({4, 5, 3}, DType::u8), {8}, {0, 256}), "mask must be uint8 or bool");
  EXPECT_THROW_MSG(calcHist({gray, zeros({4, 6}, DType::u8)}, {0, 1}, Tensor(), {8, 8}, {0, 256, 0, 256}),
                   "image 1 has shape [4, 6] but image 0 has [4, 5]");
  EXPECT_THROW_MSG(calcHist({gray.to(DType::f32)}, {0}, Tensor(), {8}, {}), "ranges may be empty only for uint8");
  EXPECT_THROW_MSG(calcHist({gray.to(DType::i16)}, {0}, Tensor(), {8}, {0, 256}), "has dtype int16");
  EXPECT_THROW_MSG(calcHist({gray}, {0}, Tensor(), {2}, {0, 10, 5}, false), "bin edges of dimension 0 must increase");
  EXPECT_THROW_MSG(calcHist({gray}, {0}, Tensor(), {2}, {0, 10}, false), "a non-uniform histogram needs 3");
  EXPECT_THROW_MSG(calcHist({gray}, {0}, Tensor(), {8}, {0, 256}, true, true), "accumulate is true but no hist");
  EXPECT_THROW_MSG(calcHist({gray}, {0}, Tensor(), {8}, {0, 256}, true, true, zeros({8})),
                   "hist to accumulate into is float32 [8]; expected float32 [8, 1]");
  EXPECT_THROW_MSG(calcHist({zeros({0, 3}, DType::u8)}, {0}, Tensor(), {8}, {0, 256}), "image is empty");
  EXPECT_THROW_MSG(calcHist({}, {0}, Tensor(), {8}, {0, 256}), "calcHist: no images given");
}

TEST(EqualizeHistVsOpenCV, PhotosViewsAndFlatImages) {
  std::vector<Tensor> inputs;
  for (const char* name : {"camera.png", "moon.png", "coins.png", "page.png"}) inputs.push_back(photo_gray(name));
  const Tensor rgb = photo_rgb("astronaut.png");
  inputs.push_back(rgb.select(2, 0));                                       // channel view
  inputs.push_back(inputs[0].index({Slice(100, 117), Slice(3, 34)}));       // 17x31 ROI
  inputs.push_back(inputs[1].index({Slice(None, None, -1), Slice(None, None, -2)}));
  inputs.push_back(full({1, 1}, 17, DType::u8));
  inputs.push_back(full({7, 5}, 200, DType::u8));
  inputs.push_back(zeros({3, 8}, DType::u8));
  Tensor two = zeros({6, 6}, DType::u8);
  two.index({Slice(0, 2)}).fill_(9);
  inputs.push_back(two);
  inputs.push_back(inputs[0].index({Slice(0, 1)}));                          // 1 x N
  inputs.push_back(inputs[0].index({Slice(), Slice(4, 5)}));                 // N x 1
  for (const Tensor& src : inputs) {
    cv::Mat expected;
    cv::equalizeHist(to_cv(src), expected);
    for (int threads : {1, 2}) {
      set_num_threads(threads);
      expect_equal_images(equalizeHist(src), expected, "equalizeHist " + shape_str(src.shape()));
    }
    expect_equal_images(ref::equalizeHist(src), expected, "ref::equalizeHist " + shape_str(src.shape()));
  }
}

TEST(EqualizeHistVsOpenCV, PerChannelIsSplitEqualizeMerge) {  // §37
  const Tensor rgb = photo_rgb("chelsea.png");
  std::vector<cv::Mat> planes;
  cv::split(to_cv(rgb), planes);
  for (cv::Mat& p : planes) cv::equalizeHist(p, p);
  cv::Mat expected;
  cv::merge(planes, expected);
  expect_equal_images(equalizeHistPerChannel(rgb), expected, "per channel");
}

TEST(EqualizeHistVsOpenCV, HsvChannelIsConvertEqualizeConvert) {  // §38
  const Tensor rgb = photo_rgb("coffee.png");
  for (int channel : {0, 1, 2}) {
    cv::Mat hsv;
    cv::cvtColor(to_cv(rgb), hsv, cv::COLOR_RGB2HSV);
    std::vector<cv::Mat> planes;
    cv::split(hsv, planes);
    cv::equalizeHist(planes[channel], planes[channel]);
    cv::merge(planes, hsv);
    cv::Mat expected;
    cv::cvtColor(hsv, expected, cv::COLOR_HSV2RGB);
    expect_equal_images(equalizeHistHSV(rgb, channel), expected, "HSV channel " + std::to_string(channel));
  }
}

TEST(EqualizeHistManualVsNumPy, GuideSection39) {
  const std::string dir = source_dir() + "/tests/imgproc/data/";
  for (const char* name : {"camera", "moon", "astronaut"}) {
    const Tensor input = load_npy(dir + "equalize_" + std::string(name) + "_input.npy");
    const Tensor expected = load_npy(dir + "equalize_" + std::string(name) + "_guide.npy");
    EXPECT_TENSOR_EQ(equalizeHistManual(input), expected)
        << name << ": differs from NumPy (regenerate with /usr/bin/python3 scripts/reference/equalize_reference.py)";
    if (input.dim() == 2) {  // documented: not OpenCV's formula
      cv::Mat cv_eq;
      cv::equalizeHist(to_cv(input), cv_eq);
      EXPECT_FALSE(equalizeHistManual(input).equal(from_cv(cv_eq))) << name;
    }
  }
}

TEST(EqualizeHistVsOpenCV, BadInput) {
  EXPECT_THROW_MSG(equalizeHist(zeros({4, 4, 3}, DType::u8)), "equalizeHist: expected a one-channel uint8 image");
  EXPECT_THROW_MSG(equalizeHist(zeros({4, 4}, DType::f32)), "got float32");
  EXPECT_THROW_MSG(equalizeHist(zeros({0, 4}, DType::u8)), "image is empty");
  EXPECT_THROW_MSG(equalizeHistManual(zeros({4, 4}, DType::u16)), "equalizeHistManual: expected a uint8 image");
  EXPECT_THROW_MSG(equalizeHistHSV(zeros({4, 4}, DType::u8)), "expected a uint8 RGB image {H, W, 3}");
  EXPECT_THROW_MSG(equalizeHistHSV(zeros({4, 4, 3}, DType::u8), 3), "channel must be 0 (H), 1 (S) or 2 (V), got 3");
}

TEST(LUTVsOpenCV, TablesOfEveryShapeAndDtype) {
  const Tensor rgb = photo_rgb("astronaut.png");
  const Tensor gray = photo_gray("camera.png");
  Tensor inv = Tensor::empty({256}, DType::u8);
  for (int i = 0; i < 256; ++i) inv.data<uint8_t>()[i] = static_cast<uint8_t>(255 - i);
  Tensor gamma = Tensor::empty({1, 256}, DType::f32);
  for (int i = 0; i < 256; ++i) gamma.data<float>()[i] = std::pow(i / 255.f, 0.5f);
  Tensor per = Tensor::empty({1, 256, 3}, DType::i16);
  for (int i = 0; i < 256 * 3; ++i) per.data<int16_t>()[i] = static_cast<int16_t>((i * 37) % 1000 - 500);
  const std::vector<std::pair<Tensor, Tensor>> cases = {
      {gray, inv}, {rgb, inv}, {gray, gamma}, {rgb, gamma.to(DType::f64)}, {rgb, per}, {rgb, per.view({256, 3})},
      {gray, inv.view({256, 1})}, {rgb.index({Slice(10, 27), Slice(40, 71)}), per},
      {rgb.select(2, 1), inv}, {rgb.index({Slice(None, None, -1)}), inv}, {full({1, 1}, 3, DType::u8), gamma},
      {rgb.index({Slice(0, 5), Slice(0, 9)}).select(2, 0).unsqueeze(2).expand({5, 9, 3}), per}};
  for (const auto& [src, lut] : cases) {
    cv::Mat expected;
    cv::Mat cv_lut = to_cv(lut.dim() == 1 ? lut.view({256, 1}) : lut.dim() == 3 ? lut.view({1, 256, 3}) : lut);
    if (lut.dim() == 2 && lut.size(1) == 3) cv_lut = to_cv(lut.view({1, 256, 3}));
    cv::LUT(to_cv(src), cv_lut, expected);
    const std::string label = "LUT src " + shape_str(src.shape()) + " lut " + shape_str(lut.shape());
    for (int threads : {1, 2}) {
      set_num_threads(threads);
      expect_equal_images(LUT(src, lut), expected, label);
    }
    expect_equal_images(ref::LUT(src, lut), expected, label + " (ref)");
  }
}

// The shared u8 table goes through a vector kernel (16 byte shuffles): a random table, every
// source value, row lengths around the vector widths, every Highway target this CPU runs.
TEST(LUTVsOpenCV, RandomU8TableEveryValueEveryHighwayTarget) {
  std::mt19937 rng(11);
  Tensor table = Tensor::empty({256}, DType::u8);
  for (int i = 0; i < 256; ++i) table.data<uint8_t>()[i] = static_cast<uint8_t>(rng());
  cv::Mat cv_table = to_cv(table.view({256, 1}));
  for (int64_t target : hwy::SupportedAndGeneratedTargets()) {
    hwy::SetSupportedTargetsForTest(target);
    for (int64_t w : {1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 256, 999})
      for (int64_t h : {1, 7}) {
        Tensor src = Tensor::empty({h, w}, DType::u8);
        for (int64_t i = 0; i < src.numel(); ++i) src.data<uint8_t>()[i] = static_cast<uint8_t>(i * 131 + rng() % 7);
        cv::Mat expected, flipped;
        cv::LUT(to_cv(src), cv_table, expected);
        cv::flip(expected, flipped, 1);
        const std::string label = shape_str(src.shape()) + " Highway target " + hwy::TargetName(target);
        expect_equal_images(LUT(src, table), expected, label);
        expect_equal_images(LUT(src.index({Slice(None), Slice(None, None, -1)}), table), flipped, label + " flipped");
      }
  }
  hwy::SetSupportedTargetsForTest(0);
}

TEST(LUTVsOpenCV, BadInput) {
  EXPECT_THROW_MSG(LUT(zeros({4, 4}, DType::u8), zeros({255}, DType::u8)), "LUT: lut must have 256 entries");
  EXPECT_THROW_MSG(LUT(zeros({4, 4}, DType::u8), zeros({256, 3}, DType::u8)), "got shape [256, 3]");
  EXPECT_THROW_MSG(LUT(zeros({4, 4, 3}, DType::u8), zeros({256, 4}, DType::u8)), "C = 3 channels");
  EXPECT_THROW_MSG(LUT(zeros({4, 4}, DType::f32), zeros({256}, DType::u8)), "src must be uint8, got float32");
  EXPECT_THROW_MSG(LUT(zeros({4, 4}, DType::u8), Tensor()), "lut is undefined");
}
