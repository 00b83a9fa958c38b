// ctest-labels: opencv
// `ojo gaussianblur | filter2d | sobel | medianblur | ...` as a subprocess; OpenCV is the oracle.
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

int run(const std::string& args, const std::string& err) { return run_ojo(args, "/dev/null", err); }

const std::string kAstronaut = skimage_dir() + "/astronaut.png";
const std::string kCamera = skimage_dir() + "/camera.png";

}  // namespace

TEST(FilterCli, GaussianBlurSharpenAndMedianMatchOpenCV) {
  TempDir dir;
  const cv::Mat bgr = cv::imread(kAstronaut, cv::IMREAD_COLOR);
  cv::Mat expected;
  ASSERT_EQ(run("gaussianblur --ksize 5 --sigma-x 0 " + kAstronaut + " " + dir.path("g.png"), dir.path("err")), 0);
  cv::GaussianBlur(bgr, expected, cv::Size(5, 5), 0);
  EXPECT_EQ(cv::norm(cv::imread(dir.path("g.png"), cv::IMREAD_COLOR), expected, cv::NORM_INF), 0);

  ASSERT_EQ(run("filter2d --kernel sharpen --border-type BORDER_REPLICATE " + kAstronaut + " " + dir.path("s.png"), dir.path("err")), 0);
  cv::filter2D(bgr, expected, -1, cv::Mat((cv::Mat_<float>(3, 3) << 0, -1, 0, -1, 5, -1, 0, -1, 0)), cv::Point(-1, -1), 0,
               cv::BORDER_REPLICATE);
  EXPECT_EQ(cv::norm(cv::imread(dir.path("s.png"), cv::IMREAD_COLOR), expected, cv::NORM_INF), 0);

  ASSERT_EQ(run("filter2d --kernel \"1,0,-1;2,0,-2;1,0,-1\" --ddepth 16S " + kCamera + " " + dir.path("k.npy"), dir.path("err")), 0);
  cv::filter2D(cv::imread(kCamera, cv::IMREAD_GRAYSCALE), expected, CV_16S, cv::Mat((cv::Mat_<float>(3, 3) << 1, 0, -1, 2, 0, -2, 1, 0, -1)));
  expect_equal_images(ojo::load_npy(dir.path("k.npy")), expected);

  ASSERT_EQ(run("medianblur --ksize 5 " + kAstronaut + " " + dir.path("m.png"), dir.path("err")), 0);
  cv::medianBlur(bgr, expected, 5);
  EXPECT_EQ(cv::norm(cv::imread(dir.path("m.png"), cv::IMREAD_COLOR), expected, cv::NORM_INF), 0);
}

TEST(FilterCli, SobelAndLaplacianToNpy) {
  TempDir dir;
  const cv::Mat gray = cv::imread(kCamera, cv::IMREAD_GRAYSCALE);
  cv::Mat expected;
  ASSERT_EQ(run("sobel --ddepth CV_16S --dx 1 --dy 0 --ksize 5 " + kCamera + " " + dir.path("sx.npy"), dir.path("err")), 0);
  cv::Sobel(gray, expected, CV_16S, 1, 0, 5);
  expect_equal_images(ojo::load_npy(dir.path("sx.npy")), expected);
  ASSERT_EQ(run("sobel --ddepth 32F --dx 0 --dy 1 --ksize FILTER_SCHARR --scale 0.5 " + kCamera + " " + dir.path("sc.npy"), dir.path("err")), 0);
  cv::Sobel(gray, expected, CV_32F, 0, 1, cv::FILTER_SCHARR, 0.5);
  expect_equal_images(ojo::load_npy(dir.path("sc.npy")), expected);
  ASSERT_EQ(run("laplacian --ddepth CV_16S --ksize 3 " + kCamera + " " + dir.path("l.npy"), dir.path("err")), 0);
  cv::Laplacian(gray, expected, CV_16S, 3);
  expect_equal_images(ojo::load_npy(dir.path("l.npy")), expected);
  ASSERT_EQ(run("boxfilter --ksize 4,6 --normalize false --ddepth CV_32F " + kCamera + " " + dir.path("b.npy"), dir.path("err")), 0);
  cv::boxFilter(gray, expected, CV_32F, cv::Size(4, 6), cv::Point(-1, -1), false);
  expect_equal_images(ojo::load_npy(dir.path("b.npy")), expected);
}

TEST(FilterCli, BadInputExitsNonZeroWithMessageAndNoOutput) {
  TempDir dir;
  EXPECT_NE(run("gaussianblur --ksize 4 " + kAstronaut + " " + dir.path("o.png"), dir.path("err")), 0);
  EXPECT_NE(read_bytes(dir.path("err")).find("GaussianBlur: ksize must be odd"), std::string::npos) << read_bytes(dir.path("err"));
  EXPECT_FALSE(fs::exists(dir.path("o.png")));

  EXPECT_NE(run("sobel --ddepth CV_16S --dx 1 --dy 0 " + kCamera + " " + dir.path("o.png"), dir.path("err")), 0);
  EXPECT_NE(read_bytes(dir.path("err")).find("write it to a .npy file"), std::string::npos) << read_bytes(dir.path("err"));
  EXPECT_FALSE(fs::exists(dir.path("o.png")));

  EXPECT_NE(run("filter2d --kernel blurry " + kCamera + " " + dir.path("o.png"), dir.path("err")), 0);
  EXPECT_NE(read_bytes(dir.path("err")).find("--kernel"), std::string::npos) << read_bytes(dir.path("err"));

  EXPECT_NE(run("medianblur --ksize 4 " + kCamera + " " + dir.path("o.png"), dir.path("err")), 0);
  EXPECT_NE(read_bytes(dir.path("err")).find("medianBlur: ksize must be odd"), std::string::npos) << read_bytes(dir.path("err"));
  EXPECT_EQ(run("sobel --help", dir.path("err")), 0);
}
