// ctest-labels: opencv
// `ojo erode | dilate | morphologyex | getstructuringelement` as a subprocess; OpenCV is the oracle.
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

// Runs `ojo ARGS`, stderr to `err`; returns the exit code.
int run(const std::string& args, const std::string& err) { return run_ojo(args, "/dev/null", err); }

const std::string kAstronaut = skimage_dir() + "/astronaut.png";

}  // namespace

TEST(MorphologyCli, ErodeEllipseAndGradientMatchOpenCV) {
  TempDir dir;
  const cv::Mat bgr = cv::imread(kAstronaut, cv::IMREAD_COLOR);
  const cv::Mat k = cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(5, 5));
  ASSERT_EQ(run("erode --shape MORPH_ELLIPSE --ksize 5 " + kAstronaut + " " + dir.path("e.png"), dir.path("err")), 0);
  cv::Mat expected;
  cv::erode(bgr, expected, k);
  EXPECT_EQ(cv::norm(cv::imread(dir.path("e.png"), cv::IMREAD_COLOR), expected, cv::NORM_INF), 0);

  ASSERT_EQ(run("morphologyex --op GRADIENT --kernel \"0,1,0;1,1,1;0,1,0\" --iterations 2 --border-type REPLICATE " +
                    kAstronaut + " " + dir.path("g.png"),
                dir.path("err")),
            0);
  cv::morphologyEx(bgr, expected, cv::MORPH_GRADIENT, cv::getStructuringElement(cv::MORPH_CROSS, cv::Size(3, 3)),
                   cv::Point(-1, -1), 2, cv::BORDER_REPLICATE);
  EXPECT_EQ(cv::norm(cv::imread(dir.path("g.png"), cv::IMREAD_COLOR), expected, cv::NORM_INF), 0);
}

TEST(MorphologyCli, StructuringElementToNpy) {
  TempDir dir;
  ASSERT_EQ(run("getstructuringelement --shape ELLIPSE --ksize 7,5 " + dir.path("k.npy"), dir.path("err")), 0);
  expect_equal_images(ojo::load_npy(dir.path("k.npy")), cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(7, 5)));
}

TEST(MorphologyCli, BadInputExitsNonZeroWithMessageAndNoOutput) {
  TempDir dir;
  EXPECT_EQ(run("morphologyex --op FOO " + kAstronaut + " " + dir.path("x.png"), dir.path("err")), 1);
  EXPECT_NE(read_bytes(dir.path("err")).find("unknown value 'FOO'"), std::string::npos);
  EXPECT_EQ(run("erode --iterations -1 " + kAstronaut + " " + dir.path("x.png"), dir.path("err")), 1);
  EXPECT_NE(read_bytes(dir.path("err")).find("iterations must be >= 0"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir.path("x.png")));
}
