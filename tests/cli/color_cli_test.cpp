// ctest-labels: opencv
// `ojo cvtcolor | inrange | bitwise_* | setto | chromakey | split | merge` as a subprocess;
// OpenCV is the oracle.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "ojo/io/npy.hpp"
#include "test_util.hpp"

namespace fs = std::filesystem;
using namespace ojo::test;

namespace {

struct CliRun {
  int code;
  std::string err;
};

CliRun run(const TempDir& dir, const std::string& args) {
  const int code = run_ojo(args, dir.path("stdout"), dir.path("stderr"));
  return {code, read_bytes(dir.path("stderr"))};
}

const std::string kAstronaut = skimage_dir() + "/astronaut.png";  // 512x512 RGB
const std::string kChelsea = skimage_dir() + "/chelsea.png";      // 451x300 RGB
const std::string kCoffee = skimage_dir() + "/coffee.png";        // 600x400 RGB

cv::Mat rgb(const std::string& path) { return cv_imread_rgb(path, cv::IMREAD_COLOR); }
cv::Mat read_png_rgb(const std::string& path) { return cv_imread_rgb(path, cv::IMREAD_UNCHANGED); }

}  // namespace

TEST(ColorCli, CvtColorToNpyAndPngMatchOpenCV) {
  TempDir dir;
  CliRun r = run(dir, "cvtcolor --code RGB2HSV " + kChelsea + " " + dir.path("hsv.npy"));
  ASSERT_EQ(r.code, 0) << r.err;
  cv::Mat expected;
  cv::cvtColor(rgb(kChelsea), expected, cv::COLOR_RGB2HSV);
  expect_equal_images(ojo::load_npy(dir.path("hsv.npy")), expected, "RGB2HSV");
  r = run(dir, "cvtcolor --code COLOR_HSV2RGB " + dir.path("hsv.npy") + " " + dir.path("back.png"));
  ASSERT_EQ(r.code, 0) << r.err;
  cv::Mat back;
  cv::cvtColor(expected, back, cv::COLOR_HSV2RGB);
  expect_equal_images(from_cv(read_png_rgb(dir.path("back.png"))), back, "HSV2RGB");
  r = run(dir, "cvtcolor --code rgb2gray " + kAstronaut + " " + dir.path("g.png"));
  ASSERT_EQ(r.code, 0) << r.err;
  cv::cvtColor(rgb(kAstronaut), expected, cv::COLOR_RGB2GRAY);
  expect_equal_images(from_cv(cv::imread(dir.path("g.png"), cv::IMREAD_UNCHANGED)), expected, "RGB2GRAY");
}

TEST(ColorCli, MaskCommandsFollowTheGuide) {
  TempDir dir;
  const std::string mask = dir.path("mask.png");
  CliRun r = run(dir, "inrange --lowerb 0,0,180 --upperb 70,70,255 " + kAstronaut + " " + mask);
  ASSERT_EQ(r.code, 0) << r.err;
  cv::Mat m, e;
  cv::inRange(rgb(kAstronaut), cv::Scalar(0, 0, 180), cv::Scalar(70, 70, 255), m);
  expect_equal_images(from_cv(cv::imread(mask, cv::IMREAD_UNCHANGED)), m, "inrange");

  ASSERT_EQ(run(dir, "bitwise_not " + mask + " " + dir.path("inv.png")).code, 0);
  cv::Mat inv;
  cv::bitwise_not(m, inv);
  expect_equal_images(from_cv(cv::imread(dir.path("inv.png"), cv::IMREAD_UNCHANGED)), inv, "bitwise_not");

  r = run(dir, "bitwise_and --mask " + dir.path("inv.png") + " " + kAstronaut + " " + kAstronaut + " " + dir.path("and.png"));
  ASSERT_EQ(r.code, 0) << r.err;
  cv::bitwise_and(rgb(kAstronaut), rgb(kAstronaut), e, inv);
  expect_equal_images(from_cv(read_png_rgb(dir.path("and.png"))), e, "bitwise_and --mask");

  r = run(dir, "setto --mask " + mask + " --value 0,0,0 " + kAstronaut + " " + dir.path("set.png"));
  ASSERT_EQ(r.code, 0) << r.err;
  e = rgb(kAstronaut);
  e.setTo(cv::Scalar(0, 0, 0), m);
  expect_equal_images(from_cv(read_png_rgb(dir.path("set.png"))), e, "setto");

  r = run(dir, "split --channel 2 " + kChelsea + " " + dir.path("b.png"));
  ASSERT_EQ(r.code, 0) << r.err;
  cv::extractChannel(rgb(kChelsea), e, 2);
  expect_equal_images(from_cv(cv::imread(dir.path("b.png"), cv::IMREAD_UNCHANGED)), e, "split");
  r = run(dir, "merge " + dir.path("b.png") + " " + dir.path("b.png") + " " + dir.path("b.png") + " " + dir.path("m.png"));
  ASSERT_EQ(r.code, 0) << r.err;
  cv::merge(std::vector<cv::Mat>{e, e, e}, e);
  expect_equal_images(from_cv(read_png_rgb(dir.path("m.png"))), e, "merge");
}

TEST(ColorCli, ChromaKeyGreenScreenInHsv) {
  TempDir dir;
  CliRun r = run(dir, "chromakey --background " + kCoffee + " --space HSV --lowerb 0,0,0 --upperb 179,255,90 --origin 50,20 " +
                       kChelsea + " " + dir.path("k.png"));
  ASSERT_EQ(r.code, 0) << r.err;
  const cv::Mat scene = rgb(kChelsea), bg = rgb(kCoffee);
  cv::Mat hsv, mask;
  cv::cvtColor(scene, hsv, cv::COLOR_RGB2HSV);
  cv::inRange(hsv, cv::Scalar(0, 0, 0), cv::Scalar(179, 255, 90), mask);
  cv::Mat expected = scene.clone();
  bg(cv::Rect(50, 20, scene.cols, scene.rows)).copyTo(expected, mask);
  expect_equal_images(from_cv(read_png_rgb(dir.path("k.png"))), expected, "chromakey");
}

TEST(ColorCli, BadInputExitsNonZeroWithMessageAndNoOutput) {
  TempDir dir;
  CliRun r = run(dir, "cvtcolor --code RGB2LAB " + kChelsea + " " + dir.path("x.png"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("unknown value 'RGB2LAB'"), std::string::npos) << r.err;
  r = run(dir, "chromakey --background " + kChelsea + " --lowerb 0,0,0 --upperb 1,1,1 " + kAstronaut + " " + dir.path("x.png"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("background 451x300 (WxH) is smaller than the scene 512x512"), std::string::npos) << r.err;
  r = run(dir, "inrange --lowerb 0,0,180 --upperb 70,70,255 " + skimage_dir() + "/camera.png " + dir.path("x.png"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("lowerb has 3 values but the image has 1 channel"), std::string::npos) << r.err;
  r = run(dir, "bitwise_and --mask " + skimage_dir() + "/camera.png " + kChelsea + " " + kChelsea + " " + dir.path("x.png"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("mask shape [512, 512] does not match the image shape [300, 451, 3]"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir.path("x.png")));
  r = run(dir, "cvtcolor --help");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(read_bytes(dir.path("stdout")).find("Images are read as RGB"), std::string::npos);
}
