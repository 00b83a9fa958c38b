// ctest-labels: opencv
// `ojo resize | flip | getrotationmatrix2d | warpaffine` as a subprocess; OpenCV is the oracle.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "test_util.hpp"

namespace fs = std::filesystem;
using namespace ojo::test;

namespace {

const std::string kChelsea = skimage_dir() + "/chelsea.png";

}  // namespace

TEST(GeometryCli, ResizeAndFlipMatchOpenCV) {
  TempDir dir;
  const cv::Mat bgr = cv::imread(kChelsea, cv::IMREAD_COLOR);
  cv::Mat expected;
  ASSERT_EQ(run_ojo("resize --dsize 200,133 --interpolation INTER_CUBIC " + kChelsea + " " + dir.path("r.png"),
                dir.path("out"), dir.path("err")),
            0);
  cv::resize(bgr, expected, cv::Size(200, 133), 0, 0, cv::INTER_CUBIC);
  EXPECT_EQ(cv::norm(cv::imread(dir.path("r.png"), cv::IMREAD_COLOR), expected, cv::NORM_INF), 0);
  ASSERT_EQ(run_ojo("resize --fx 0.5 --fy 0.5 --interpolation AREA " + kChelsea + " " + dir.path("a.png"), dir.path("out"),
                dir.path("err")),
            0);
  cv::resize(bgr, expected, cv::Size(), 0.5, 0.5, cv::INTER_AREA);
  EXPECT_EQ(cv::norm(cv::imread(dir.path("a.png"), cv::IMREAD_COLOR), expected, cv::NORM_INF), 0);
  ASSERT_EQ(run_ojo("flip --flip-code -1 " + kChelsea + " " + dir.path("f.png"), dir.path("out"), dir.path("err")), 0);
  cv::flip(bgr, expected, -1);
  EXPECT_EQ(cv::norm(cv::imread(dir.path("f.png"), cv::IMREAD_COLOR), expected, cv::NORM_INF), 0);
}

TEST(GeometryCli, RotationMatrixAsJson) {
  TempDir dir;
  ASSERT_EQ(run_ojo("getrotationmatrix2d --center 10,20 --angle 90", dir.path("out"), dir.path("err")), 0);
  const std::string json = read_bytes(dir.path("out"));
  EXPECT_EQ(json.rfind("[[", 0), 0u) << json;
  EXPECT_NE(json.find("-10.0"), std::string::npos) << json;  // (1-a)*cx - b*cy with a=0 (approx), b=1
}

TEST(GeometryCli, BadInputExitsNonZeroWithMessageAndNoOutput) {
  TempDir dir;
  EXPECT_EQ(run_ojo("resize " + kChelsea + " " + dir.path("x.png"), dir.path("out"), dir.path("err")), 1);
  EXPECT_NE(read_bytes(dir.path("err")).find("fx and fy must both be > 0"), std::string::npos);
  EXPECT_EQ(run_ojo("resize --dsize 10,10 --interpolation BOGUS " + kChelsea + " " + dir.path("x.png"), dir.path("out"),
                dir.path("err")),
            1);
  EXPECT_NE(read_bytes(dir.path("err")).find("unknown value 'BOGUS'"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir.path("x.png")));
}

TEST(GeometryCli, WarpAffineMatchesOpenCV) {
  TempDir dir;
  const cv::Mat bgr = cv::imread(kChelsea, cv::IMREAD_COLOR);
  cv::Mat expected;
  const cv::Mat M = (cv::Mat_<double>(2, 3) << 0.866, 0.5, -50, -0.5, 0.866, 120);
  ASSERT_EQ(run_ojo("warpaffine --m \"0.866,0.5,-50;-0.5,0.866,120\" --dsize 400,300 --flags \"CUBIC|WARP_INVERSE_MAP\" "
                "--border-mode REFLECT " + kChelsea + " " + dir.path("w.png"),
                dir.path("out"), dir.path("err")),
            0)
      << read_bytes(dir.path("err"));
  cv::warpAffine(bgr, expected, M, cv::Size(400, 300), cv::INTER_CUBIC | cv::WARP_INVERSE_MAP, cv::BORDER_REFLECT);
  EXPECT_EQ(cv::norm(cv::imread(dir.path("w.png"), cv::IMREAD_COLOR), expected, cv::NORM_INF), 0);
  // Default size and flags, a constant border colour given in RGB (the PNG on disk is BGR).
  ASSERT_EQ(run_ojo("warpaffine --m \"1,0.2,10;0,1,-5\" --border-value 255,0,0 " + kChelsea + " " + dir.path("c.png"),
                dir.path("out"), dir.path("err")),
            0)
      << read_bytes(dir.path("err"));
  const cv::Mat M2 = (cv::Mat_<double>(2, 3) << 1, 0.2, 10, 0, 1, -5);
  cv::warpAffine(bgr, expected, M2, bgr.size(), cv::INTER_LINEAR,
                 cv::BORDER_CONSTANT, cv::Scalar(0, 0, 255));
  EXPECT_EQ(cv::norm(cv::imread(dir.path("c.png"), cv::IMREAD_COLOR), expected, cv::NORM_INF), 0);
}

TEST(GeometryCli, WarpAffineBadMatrixExitsNonZero) {
  TempDir dir;
  EXPECT_EQ(run_ojo("warpaffine --m \"1,0;0,1\" " + kChelsea + " " + dir.path("x.png"), dir.path("out"), dir.path("err")), 1);
  EXPECT_NE(read_bytes(dir.path("err")).find("M must be shaped [2, 3]"), std::string::npos) << read_bytes(dir.path("err"));
  EXPECT_EQ(run_ojo("warpaffine --m \"1,0,0;0,1,0\" --border-mode TRANSPARENT " + kChelsea + " " + dir.path("x.png"),
                dir.path("out"), dir.path("err")),
            1);
  EXPECT_NE(read_bytes(dir.path("err")).find("BORDER_TRANSPARENT needs dst"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir.path("x.png")));
}
