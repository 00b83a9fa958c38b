// ctest-labels: opencv
// Masks and channels against OpenCV 4.6: cv::inRange, cv::bitwise_*, Mat::setTo, Mat::copyTo,
// cv::split / cv::merge / cv::extractChannel; colorMask against its NumPy definition computed with
// OpenCV (cv::compare + AND over channels); chromaKey against the guide's §9/§11 recipe written with
// OpenCV calls. Fast paths and ojo::ref, 1 and 2 threads.
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <hwy/targets.h>
#include <string>
#include <vector>

#include "ojo/core/parallel.hpp"
#include "ojo/imgproc/channels.hpp"
#include "ojo/imgproc/color.hpp"
#include "ojo/imgproc/mask.hpp"
#include "test_util.hpp"

using namespace ojo;
using namespace ojo::test;

namespace {

Tensor photo(const std::string& name, int channels = 3) {
  cv::Mat m = cv_imread_rgb(skimage_dir() + "/" + name, channels == 1 ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
  if (channels == 4) cv::cvtColor(m, m, cv::COLOR_RGB2RGBA);
  return from_cv(m);
}

cv::Scalar scalar_of(const std::vector<double>& v, int cn) {
  cv::Scalar s;
  for (int c = 0; c < 4; ++c) s[c] = v.size() == 1 ? v[0] : c < static_cast<int>(v.size()) ? v[c] : 0;
  (void)cn;
  return s;
}

// A deterministic mask with both values and ragged edges: pixels whose green channel is > 100.
Tensor some_mask(const Tensor& img) {
  cv::Mat m = to_cv(img), g, mask;
  if (m.channels() > 1) cv::extractChannel(m, g, 1);
  else g = m;
  cv::threshold(g, mask, 100, 255, cv::THRESH_BINARY);
  return from_cv(mask);
}

template <class F>
void at_threads(F&& f) {
  for (int threads : {1, 2}) {
    set_num_threads(threads);
    SCOPED_TRACE("threads " + std::to_string(threads));
    f();
  }
}

}  // namespace

// ------------------------------------------------------------------ inRange
TEST(InRange, GuideBlueScreenAndGreenScreenBoundsOnPhotos) {
  for (const char* name : {"astronaut.png", "chelsea.png", "coffee.png"}) {
    const Tensor rgb = photo(name), hsv = cvtColor(rgb, COLOR_RGB2HSV);
    const std::vector<std::pair<std::vector<double>, std::vector<double>>> bounds = {
        {{0, 0, 180}, {70, 70, 255}}, {{40, 40, 40}, {80, 255, 255}}, {{100, 50, 20}, {200, 150, 120}},
        {{0.5, 1.5, 2.5}, {254.5, 200.4, 100.6}}, {{-10, -3, 0}, {300, 255, 1e9}}, {{200, 0, 0}, {100, 255, 255}}};
    for (const Tensor* img : {&rgb, &hsv})
      for (const auto& [lo, hi] : bounds) {
        SCOPED_TRACE(std::string(name) + " bounds " + std::to_string(lo[0]) + ".." + std::to_string(hi[0]));
        cv::Mat expected;
        cv::inRange(to_cv(*img), scalar_of(lo, 3), scalar_of(hi, 3), expected);
        at_threads([&] { expect_equal_images(inRange(*img, lo, hi), expected); });
        expect_equal_images(ref::inRange(*img, lo, hi), expected, "ref");
      }
  }
}

TEST(InRange, OneTwoAndFourChannelsAndScalarBounds) {
  const Tensor gray = photo("camera.png", 1), rgba = photo("astronaut.png", 4);
  const Tensor two = merge({gray, gray.index({Slice(None, None, -1), Slice()})});
  cv::Mat expected;
  cv::inRange(to_cv(gray), cv::Scalar(50), cv::Scalar(150), expected);
  expect_equal_images(inRange(gray, 50, 150), expected, "gray scalar bounds");
  expect_equal_images(ref::inRange(gray, {50}, {150}), expected, "gray ref");
  cv::inRange(to_cv(two), cv::Scalar(20, 60), cv::Scalar(200, 250), expected);
  expect_equal_images(inRange(two, {20, 60}, {200, 250}), expected, "2 channels");
  cv::inRange(to_cv(rgba), cv::Scalar(10, 20, 30, 0), cv::Scalar(200, 210, 220, 255), expected);
  expect_equal_images(inRange(rgba, {10, 20, 30, 0}, {200, 210, 220, 255}), expected, "4 channels");
  cv::inRange(to_cv(rgba), cv::Scalar(60, 60, 60, 60), cv::Scalar(180, 180, 180, 180), expected);
  expect_equal_images(inRange(rgba, 60, 180), expected, "one value for every channel");
}

TEST(InRange, FloatAndSixteenBitImages) {
  const Tensor rgb = photo("coffee.png");
  const Tensor f = rgb.to(DType::f32), s16 = rgb.to(DType::i16), u16 = rgb.to(DType::u16);
  for (const Tensor* img : {&f, &s16, &u16}) {
    cv::Mat expected;
    cv::inRange(to_cv(*img), cv::Scalar(10.5, 20, 30), cv::Scalar(200, 210.5, 220), expected);
    expect_equal_images(inRange(*img, {10.5, 20, 30}, {200, 210.5, 220}), expected, dtype_name(img->dtype()));
    expect_equal_images(ref::inRange(*img, {10.5, 20, 30}, {200, 210.5, 220}), expected, "ref");
  }
}

TEST(InRange, EdgeSizesAndViews) {
  const Tensor rgb = photo("chelsea.png");
  const Tensor cases[] = {rgb.index({Slice(0, 1), Slice(0, 1)}), rgb.index({Slice(3, 4), Slice()}),
                          rgb.index({Slice(), Slice(7, 8)}), rgb.index({Slice(10, 27), Slice(5, 36)}),
                          rgb.index({Slice(None, None, -1), Slice(None, None, -3)}), zeros({9, 33, 3}, DType::u8),
                          full({9, 33, 3}, 255, DType::u8)};
  for (const Tensor& t : cases) {
    cv::Mat expected;
    cv::inRange(to_cv(t), cv::Scalar(0, 50, 0), cv::Scalar(255, 200, 128), expected);
    expect_equal_images(inRange(t, {0, 50, 0}, {255, 200, 128}), expected, shape_str(t.shape()));
  }
}

TEST(InRange, BadBounds) {
  const Tensor gray = zeros({4, 4}, DType::u8), rgb = zeros({4, 4, 3}, DType::u8);
  EXPECT_THROW_MSG(inRange(gray, {0, 0, 180}, {70, 70, 255}),
                   "inRange: lowerb has 3 values but the image has 1 channel");
  EXPECT_THROW_MSG(inRange(rgb, {0, 0}, {70, 70, 255}), "lowerb has 2 values but the image has 3 channels");
  EXPECT_THROW_MSG(inRange(rgb, {0, 0, 0}, {}), "upperb has 0 values");
  EXPECT_THROW_MSG(inRange(zeros({4, 4}, DType::i64), 0, 1), "unsupported dtype int64");
  EXPECT_THROW_MSG(inRange(zeros({0, 4}, DType::u8), 0, 1), "image is empty");
}

// ------------------------------------------------------------------ bitwise
TEST(Bitwise, AllOpsWithAndWithoutMaskOnPhotos) {
  const Tensor a = photo("astronaut.png"), b = photo("coffee.png").index({Slice(0, 400), Slice(0, 512)});
  const Tensor a2 = a.index({Slice(0, 400), Slice(0, 512)});
  const Tensor mask = some_mask(a2);
  const Tensor gray = photo("camera.png", 1), gmask = some_mask(gray);
  const cv::Mat ca = to_cv(a2), cb = to_cv(b), cm = to_cv(mask);
  at_threads([&] {
    cv::Mat e;
    cv::bitwise_not(ca, e);
    expect_equal_images(bitwise_not(a2), e, "not");
    cv::bitwise_and(ca, cb, e);
    expect_equal_images(bitwise_and(a2, b), e, "and");
    cv::bitwise_or(ca, cb, e);
    expect_equal_images(bitwise_or(a2, b), e, "or");
    cv::bitwise_xor(ca, cb, e);
    expect_equal_images(bitwise_xor(a2, b), e, "xor");
    // Python style: a new destination, so pixels outside the mask are 0.
    cv::Mat m1, m2, m3, m4;
    cv::bitwise_not(ca, m1, cm);
    cv::bitwise_and(ca, ca, m2, cm);
    cv::bitwise_or(ca, cb, m3, cm);
    cv::bitwise_xor(ca, cb, m4, cm);
    expect_equal_images(bitwise_not(a2, mask), m1, "not mask");
    expect_equal_images(bitwise_and(a2, a2, mask), m2, "and mask");
    expect_equal_images(bitwise_or(a2, b, mask), m3, "or mask");
    expect_equal_images(bitwise_xor(a2, b, mask), m4, "xor mask");
    expect_equal_images(ref::bitwise_and(a2, a2, mask), m2, "ref and mask");
    expect_equal_images(ref::bitwise_xor(a2, b, mask), m4, "ref xor mask");
    expect_equal_images(ref::bitwise_not(a2, mask), m1, "ref not mask");
    expect_equal_images(ref::bitwise_or(a2, b, mask), m3, "ref or mask");
    cv::Mat g;
    cv::bitwise_not(to_cv(gray), g, to_cv(gmask));
    expect_equal_images(bitwise_not(gray, gmask), g, "gray not mask");
  });
}

// With a mask, gray and RGB u8 images take one pass that applies the operation and the mask
// together (16-pixel groups for RGB), 128 or 256 bits at a time depending on the target; odd
// widths leave a tail for the scalar loops.
TEST(Bitwise, MaskedOpsEveryHighwayTarget) {
  for (int64_t target : hwy::SupportedAndGeneratedTargets()) {
    hwy::SetSupportedTargetsForTest(target);
    SCOPED_TRACE(std::string("Highway target ") + hwy::TargetName(target));
    for (int cn : {1, 3}) {
      const Tensor a = photo("astronaut.png", cn).index({Slice(0, 77), Slice(0, 301)});
      const Tensor b = photo("coffee.png", cn).index({Slice(0, 77), Slice(0, 301)});
      const Tensor mask = some_mask(a);
      const cv::Mat ca = to_cv(a), cb = to_cv(b), cm = to_cv(mask);
      cv::Mat e1, e2, e3, e4;
      cv::bitwise_not(ca, e1, cm);
      cv::bitwise_and(ca, cb, e2, cm);
      cv::bitwise_or(ca, cb, e3, cm);
      cv::bitwise_xor(ca, cb, e4, cm);
      at_threads([&] {
        expect_equal_images(bitwise_not(a, mask), e1, "not mask, channels " + std::to_string(cn));
        expect_equal_images(bitwise_and(a, b, mask), e2, "and mask, channels " + std::to_string(cn));
        expect_equal_images(bitwise_or(a, b, mask), e3, "or mask, channels " + std::to_string(cn));
        expect_equal_images(bitwise_xor(a, b, mask), e4, "xor mask, channels " + std::to_string(cn));
      });
    }
  }
  hwy::SetSupportedTargetsForTest(0);
}

TEST(Bitwise, GuideInvertedMaskAndViewsAndOtherDtypes) {
  const Tensor rgb = photo("chelsea.png");
  const Tensor mask = inRange(rgb, {0, 0, 0}, {120, 255, 255});
  cv::Mat inv, expected;
  cv::bitwise_not(to_cv(mask), inv);
  cv::bitwise_and(to_cv(rgb), to_cv(rgb), expected, inv);
  expect_equal_images(bitwise_and(rgb, rgb, bitwise_not(mask)), expected, "guide §9 method 2");
  const Tensor view = rgb.index({Slice(None, None, -1), Slice(20, 51)});
  const Tensor vmask = mask.index({Slice(None, None, -1), Slice(20, 51)});
  cv::bitwise_and(to_cv(view), to_cv(view), expected, to_cv(vmask));
  expect_equal_images(bitwise_and(view, view, vmask), expected, "views");
  const Tensor f = rgb.to(DType::f32), s = rgb.to(DType::i16);
  cv::bitwise_xor(to_cv(f), to_cv(f.index({Slice(None, None, -1)})), expected);
  expect_equal_images(bitwise_xor(f, f.index({Slice(None, None, -1)})), expected, "float32 bytes");
  cv::bitwise_not(to_cv(s), expected, to_cv(mask));
  expect_equal_images(bitwise_not(s, mask), expected, "int16 with mask");
  const Tensor bmask = mask.to(DType::boolean);
  cv::bitwise_and(to_cv(rgb), to_cv(rgb), expected, to_cv(mask));
  expect_equal_images(bitwise_and(rgb, rgb, bmask), expected, "bool mask");
}

TEST(Bitwise, BadInput) {
  const Tensor a = zeros({4, 5, 3}, DType::u8);
  EXPECT_THROW_MSG(bitwise_and(a, zeros({4, 6, 3}, DType::u8)), "bitwise_and: operands differ in shape: [4, 5, 3] and [4, 6, 3]");
  EXPECT_THROW_MSG(bitwise_or(a, zeros({4, 5, 3}, DType::f32)), "bitwise_or: operands differ in dtype: uint8 and float32");
  EXPECT_THROW_MSG(bitwise_and(a, a, zeros({4, 6}, DType::u8)), "mask shape [4, 6] does not match the image shape [4, 5, 3]");
  EXPECT_THROW_MSG(bitwise_xor(a, a, zeros({4, 5}, DType::f32)), "bitwise_xor: mask must be uint8 (or int8/bool), got float32");
  EXPECT_THROW_MSG(bitwise_not(a, zeros({4, 5, 3}, DType::u8)), "does not match the image shape");
}

// ------------------------------------------------------------------ setTo / copyTo
TEST(SetTo, GuideMaskedAssignmentMatchesMatSetTo) {
  const Tensor rgb = photo("astronaut.png");
  const Tensor mask = inRange(rgb, {0, 0, 180}, {70, 70, 255});
  for (const std::vector<double>& value : {std::vector<double>{0, 0, 0}, {255, 128, 7}, {300.7, -5, 2.5}, {42}}) {
    cv::Mat expected = to_cv(rgb);
    expected.setTo(scalar_of(value, 3), to_cv(mask));
    at_threads([&] {
      Tensor img = rgb.clone();
      setTo(img, value, mask);
      expect_equal_images(img, expected, "fast");
    });
    Tensor img = rgb.clone();
    ref::setTo(img, value, mask);
    expect_equal_images(img, expected, "ref");
  }
  cv::Mat all = to_cv(rgb);
  all.setTo(cv::Scalar(1, 2, 3));
  Tensor img = rgb.clone();
  expect_equal_images(setTo(img, {1, 2, 3}), all, "no mask");
}

// u8 setTo with 1, 3 and 4 channels dispatches to the best Highway target at run time: each one
// this CPU runs must agree.
TEST(SetTo, EveryHighwayTargetAndChannelCount) {
  const Tensor rgb = photo("astronaut.png");
  const Tensor images[] = {photo("astronaut.png", 1), rgb, cvtColor(rgb, COLOR_RGB2RGBA)};
  for (int64_t target : hwy::SupportedAndGeneratedTargets()) {
    hwy::SetSupportedTargetsForTest(target);
    for (const Tensor& src : images) {
      const int cn = src.dim() == 3 ? static_cast<int>(src.size(2)) : 1;
      const std::vector<double> value = {7, 200, 3, 99};
      const std::vector<double> v(value.begin(), value.begin() + cn);
      cv::Mat expected = to_cv(src);
      expected.setTo(scalar_of(v, cn), to_cv(some_mask(src)));
      Tensor img = src.clone();
      setTo(img, v, some_mask(src));
      expect_equal_images(img, expected, std::string("Highway target ") + hwy::TargetName(target));
    }
  }
  hwy::SetSupportedTargetsForTest(0);
}

TEST(SetTo, GrayRoiViewAndFloat) {
  const Tensor gray = photo("camera.png", 1);
  Tensor img = gray.clone();
  const Tensor roi = img.index({Slice(50, 67), Slice(100, 131)});
  const Tensor m = some_mask(roi);
  cv::Mat expected = to_cv(gray);
  cv::Mat eroi = expected(cv::Rect(100, 50, 31, 17));
  eroi.setTo(cv::Scalar(9), to_cv(m));
  setTo(roi, {9}, m);  // writes through the view into img
  expect_equal_images(img, expected, "ROI write-through");
  Tensor f = gray.to(DType::f32);
  cv::Mat ef = to_cv(f);
  ef.setTo(cv::Scalar(0.25), to_cv(some_mask(gray)));
  setTo(f, {0.25}, some_mask(gray));
  expect_equal_images(f, ef, "float32");
}

TEST(SetTo, BadInput) {
  Tensor img = zeros({4, 5, 3}, DType::u8);
  EXPECT_THROW_MSG(setTo(img, {1, 2}, zeros({4, 5}, DType::u8)), "setTo: value has 2 entries but the image has 3 channels");
  EXPECT_THROW_MSG(setTo(img, {0, 0, 0}, zeros({5, 4}, DType::u8)), "setTo: mask shape [5, 4] does not match");
  EXPECT_THROW_MSG(setTo(img, {0, 0, 0}, zeros({4, 5}, DType::i32)), "setTo: mask must be uint8 (or int8/bool), got int32");
}

TEST(CopyTo, MaskedCopyIntoExistingAndNewDestination) {
  const Tensor a = photo("astronaut.png").index({Slice(0, 300), Slice(0, 400)});
  const Tensor b = photo("coffee.png").index({Slice(0, 300), Slice(0, 400)});
  const Tensor mask = some_mask(a);
  cv::Mat expected = to_cv(b);
  to_cv(a).copyTo(expected, to_cv(mask));
  at_threads([&] {
    Tensor dst = b.clone();
    copyTo(a, dst, mask);
    expect_equal_images(dst, expected, "into existing");
  });
  Tensor dst = b.clone();
  ref::copyTo(a, dst, mask);
  expect_equal_images(dst, expected, "ref");
  cv::Mat fresh;
  to_cv(a).copyTo(fresh, to_cv(mask));
  expect_equal_images(copyTo(a, mask), fresh, "new destination is zero outside the mask");
  // a per-channel mask ({H, W, C}), as Mat::copyTo allows
  const Tensor cmask = inRange(a, 128, 255).unsqueeze(2).expand({300, 400, 3}).clone();
  Tensor pc = cmask.clone();
  { uint8_t* p = pc.data<uint8_t>(); for (int64_t i = 0; i < pc.numel(); i += 5) p[i] = 0; }
  expected = to_cv(b);
  to_cv(a).copyTo(expected, to_cv(pc));
  dst = b.clone();
  copyTo(a, dst, pc);
  expect_equal_images(dst, expected, "per-channel mask");
  dst = b.clone();
  ref::copyTo(a, dst, pc);
  expect_equal_images(dst, expected, "per-channel mask ref");
  EXPECT_THROW_MSG(copyTo(a, zeros({300, 400}, DType::u8), mask), "copyTo: destination is uint8 [300, 400], expected uint8 [300, 400, 3]");
  EXPECT_THROW_MSG(copyTo(a, mask.to(DType::f32)), "copyTo: mask must be uint8");
}

// ------------------------------------------------------------------ colorMask / chromaKey
TEST(ColorMask, EqualsAllChannelsEqualComputedWithOpenCV) {
  // A segmentation-style image built from the guide's class colours.
  const Tensor rgb = photo("astronaut.png");
  const Tensor seg = inRange(rgb, {0, 0, 0}, {128, 255, 255});
  Tensor img = zeros(rgb.shape(), DType::u8);
  setTo(img, {255, 0, 255}, seg);
  setTo(img, {0, 255, 255}, bitwise_not(seg));
  setTo(img, {0, 0, 255}, inRange(rgb, {0, 0, 200}, {255, 255, 255}));
  for (const std::vector<double>& colour : {std::vector<double>{255, 0, 255}, {0, 255, 255}, {0, 0, 255}, {1, 2, 3}}) {
    cv::Mat planes[3], eq[3], expected;
    cv::split(to_cv(img), planes);
    for (int c = 0; c < 3; ++c) cv::compare(planes[c], colour[c], eq[c], cv::CMP_EQ);
    cv::bitwise_and(eq[0], eq[1], expected);
    cv::bitwise_and(expected, eq[2], expected);
    expect_equal_images(colorMask(img, colour), expected, "colour " + std::to_string(colour[0]));
  }
  EXPECT_EQ(amax(colorMask(img, {255, 0, 255.5})), 0);
  EXPECT_THROW_MSG(colorMask(img, {255, 0}), "colorMask: colour has 2 values but the image has 3 channels");
}

namespace {
// The guide's recipe (§9 blue screen, §11 green screen) written with OpenCV calls.
cv::Mat guide_chroma_key(const cv::Mat& scene, const cv::Mat& background, cv::Scalar lo, cv::Scalar hi, bool hsv,
                         cv::Point origin) {
  cv::Mat keyed, mask;
  if (hsv) cv::cvtColor(scene, keyed, cv::COLOR_RGB2HSV);
  else keyed = scene;
  cv::inRange(keyed, lo, hi, mask);
  cv::Mat object = scene.clone();
  object.setTo(cv::Scalar(0, 0, 0), mask);
  cv::Mat crop = background(cv::Rect(origin.x, origin.y, scene.cols, scene.rows)).clone();
  cv::Mat inv;
  cv::bitwise_not(mask, inv);
  crop.setTo(cv::Scalar(0, 0, 0), inv);
  return crop + object;
}
}  // namespace

TEST(ChromaKey, BlueAndGreenScreenRecipeOfTheGuide) {
  const Tensor scene = photo("astronaut.png").index({Slice(0, 300), Slice(0, 400)});
  const Tensor bg = photo("coffee.png");
  struct Case {
    std::vector<double> lo, hi;
    KeySpace space;
    Point origin;
  };
  const Case cases[] = {{{0, 0, 180}, {70, 70, 255}, KeySpace::RGB, {0, 0}},
                        {{40, 40, 40}, {80, 255, 255}, KeySpace::HSV, {0, 0}},
                        {{0, 0, 0}, {179, 255, 90}, KeySpace::HSV, {200, 100}},
                        {{100, 0, 0}, {255, 255, 255}, KeySpace::RGB, {200, 100}}};
  for (const Case& c : cases) {
    const cv::Mat expected = guide_chroma_key(to_cv(scene), to_cv(bg), scalar_of(c.lo, 3), scalar_of(c.hi, 3),
                                              c.space == KeySpace::HSV, cv::Point(int(c.origin.x), int(c.origin.y)));
    expect_equal_images(chromaKey(scene, bg, {.lowerb = c.lo, .upperb = c.hi, .space = c.space, .origin = c.origin}),
                        expected, "origin " + std::to_string(c.origin.x));
  }
}

TEST(ChromaKey, BadInput) {
  const Tensor scene = zeros({30, 40, 3}, DType::u8);
  EXPECT_THROW_MSG(chromaKey(scene, zeros({29, 40, 3}, DType::u8), {.lowerb = {0, 0, 0}, .upperb = {1, 1, 1}}),
                   "chromaKey: background 40x29 (WxH) is smaller than the scene 40x30");
  EXPECT_THROW_MSG(chromaKey(scene, zeros({30, 40, 3}, DType::u8),
                             {.lowerb = {0, 0, 0}, .upperb = {1, 1, 1}, .origin = {1, 0}}),
                   "placed at origin (1, 0)");
  EXPECT_THROW_MSG(chromaKey(scene, zeros({30, 40}, DType::u8), {.lowerb = {0}, .upperb = {1}}),
                   "scene has 3 channels but the background has 1");
  EXPECT_THROW_MSG(chromaKey(scene, zeros({30, 40, 3}, DType::u8), {.lowerb = {0, 0}, .upperb = {1, 1, 1}}),
                   "chromaKey: inRange: lowerb has 2 values");
  EXPECT_THROW_MSG(chromaKey(zeros({30, 40}, DType::u8), zeros({30, 40}, DType::u8),
                             {.lowerb = {0}, .upperb = {1}, .space = KeySpace::HSV}),
                   "HSV keying needs a 3-channel RGB scene");
}

// ------------------------------------------------------------------ channels
TEST(Channels, SplitMergeExtractMatchOpenCV) {
  for (const char* name : {"astronaut.png", "coffee.png"}) {
    for (int cn : {3, 4}) {
      const Tensor img = photo(name, cn);
      std::vector<cv::Mat> planes;
      cv::split(to_cv(img), planes);
      at_threads([&] {
        const std::vector<Tensor> got = split(img);
        ASSERT_EQ(got.size(), planes.size());
        for (size_t c = 0; c < planes.size(); ++c) expect_equal_images(got[c], planes[c], "split " + std::to_string(c));
        cv::Mat merged;
        cv::merge(planes, merged);
        expect_equal_images(merge(got), merged, "merge");
      });
      const std::vector<Tensor> r = ref::split(img);
      for (size_t c = 0; c < planes.size(); ++c) expect_equal_images(r[c], planes[c], "ref split");
      cv::Mat merged, ch;
      cv::merge(planes, merged);
      expect_equal_images(ref::merge(r), merged, "ref merge");
      cv::extractChannel(to_cv(img), ch, 1);
      expect_equal_images(extractChannel(img, 1), ch, "extractChannel");
    }
  }
}

// Outputs of 1 MiB and more are written with streaming stores in 64-pixel-aligned chunks; an odd
// width and pixel count leave a tail for the scalar loop.
TEST(Channels, LargeMergeMatchesOpenCV) {
  for (int cn : {3, 4}) {
    cv::Mat big;
    cv::resize(to_cv(photo("coffee.png", cn)), big, cv::Size(1001, 777), 0, 0, cv::INTER_LINEAR);
    std::vector<cv::Mat> planes;
    cv::split(big, planes);
    cv::Mat merged;
    cv::merge(planes, merged);
    std::vector<Tensor> got;
    for (const cv::Mat& p : planes) got.push_back(from_cv(p));
    at_threads([&] { expect_equal_images(merge(got), merged, "merge of " + std::to_string(cn) + " planes"); });
  }
}

// 3 channels are (de)interleaved in 16-pixel groups, 128 or 256 bits at a time depending on the
// target; split streams outputs of 16 MiB and more (3001x1999x3 here, an odd pixel count).
TEST(Channels, SplitAndMergeEveryHighwayTargetAndLargeImage) {
  cv::Mat big;
  cv::resize(to_cv(photo("coffee.png")), big, cv::Size(3001, 1999), 0, 0, cv::INTER_LINEAR);
  const Tensor small = photo("chelsea.png"), large = from_cv(big);
  auto check = [](const Tensor& img, const std::string& label) {
    std::vector<cv::Mat> planes;
    cv::split(to_cv(img), planes);
    const std::vector<Tensor> got = split(img);
    ASSERT_EQ(got.size(), planes.size());
    for (size_t c = 0; c < planes.size(); ++c) expect_equal_images(got[c], planes[c], label + " split " + std::to_string(c));
    cv::Mat merged;
    cv::merge(planes, merged);
    expect_equal_images(merge(got), merged, label + " merge");
  };
  at_threads([&] { check(large, "3001x1999, best target"); });
  for (int64_t target : hwy::SupportedAndGeneratedTargets()) {
    hwy::SetSupportedTargetsForTest(target);
    const std::string label = std::string("Highway target ") + hwy::TargetName(target);
    check(small, label);
    check(large, label);
  }
  hwy::SetSupportedTargetsForTest(0);
}

TEST(Channels, ViewsMixedInputsAndOtherDtypes) {
  const Tensor rgb = photo("chelsea.png");
  const Tensor view = rgb.index({Slice(None, None, -1), Slice(3, 40)});
  std::vector<cv::Mat> planes;
  cv::split(to_cv(view), planes);
  const std::vector<Tensor> got = split(view);
  for (size_t c = 0; c < 3; ++c) expect_equal_images(got[c], planes[c], "split of a view");
  // merge of a 2-channel image and a plane -> 3 channels, as cv::merge
  const Tensor two = merge({got[0], got[1]});
  cv::Mat two_cv, expected;
  cv::merge(std::vector<cv::Mat>{planes[0], planes[1]}, two_cv);
  cv::merge(std::vector<cv::Mat>{two_cv, planes[2]}, expected);
  expect_equal_images(merge({two, got[2]}), expected, "mixed inputs");
  expect_equal_images(ref::merge({two, got[2]}), expected, "mixed inputs ref");
  const Tensor f = rgb.to(DType::f32);
  cv::split(to_cv(f), planes);
  expect_equal_images(split(f)[2], planes[2], "float32 split");
  cv::merge(planes, expected);
  expect_equal_images(merge(split(f)), expected, "float32 merge");
  const Tensor one = merge({got[1]});
  EXPECT_EQ(one.shape(), (Shape{got[1].size(0), got[1].size(1)}));
}

TEST(Channels, BadInput) {
  const Tensor a = zeros({4, 5}, DType::u8), b = zeros({4, 6}, DType::u8);
  EXPECT_THROW_MSG(merge({a, b}), "merge: input 1 is 6x4 (WxH) but input 0 is 5x4");
  EXPECT_THROW_MSG(merge({a, zeros({4, 5}, DType::f32)}), "merge: input 1 has dtype float32 but input 0 has uint8");
  EXPECT_THROW_MSG(merge({}), "merge: expected at least one channel");
  EXPECT_THROW_MSG(extractChannel(zeros({4, 5, 3}, DType::u8), 3), "extractChannel: channel 3 is out of range");
  EXPECT_THROW_MSG(split(zeros({0, 5, 3}, DType::u8)), "split: image is empty");
}
