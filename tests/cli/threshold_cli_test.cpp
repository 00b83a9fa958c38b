// ctest-labels: opencv
// `ojo threshold | adaptivethreshold | canny | calchist | equalizehist | lut` as a subprocess;
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

const std::string kCamera = skimage_dir() + "/camera.png";
const std::string kAstronaut = skimage_dir() + "/astronaut.png";

}  // namespace

TEST(ThresholdCli, OtsuPrintsRetvalAndWritesTheImage) {
  TempDir dir;
  const cv::Mat gray = cv::imread(kCamera, cv::IMREAD_GRAYSCALE);
  cv::Mat expected;
  const double t = cv::threshold(gray, expected, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  ASSERT_EQ(run_ojo("threshold --thresh 0 --maxval 255 --type \"THRESH_BINARY|THRESH_OTSU\" " + kCamera + " " +
                    dir.path("o.png"),
                dir.path("out"), dir.path("err")),
            0)
      << read_bytes(dir.path("err"));
  char buf[64];
  std::snprintf(buf, sizeof buf, "{\"retval\": %.1f}\n", t);
  EXPECT_EQ(read_bytes(dir.path("out")), buf);
  EXPECT_EQ(cv::norm(cv::imread(dir.path("o.png"), cv::IMREAD_GRAYSCALE), expected, cv::NORM_INF), 0);
}

TEST(ThresholdCli, CannyL2FlagAndAdaptiveMatchOpenCV) {
  TempDir dir;
  const cv::Mat gray = cv::imread(kCamera, cv::IMREAD_GRAYSCALE);
  cv::Mat expected;
  ASSERT_EQ(run_ojo("canny --threshold1 50 --threshold2 100 --l2gradient " + kCamera + " " + dir.path("c.png"),
                dir.path("out"), dir.path("err")),
            0)
      << read_bytes(dir.path("err"));
  cv::Canny(gray, expected, 50, 100, 3, true);
  EXPECT_EQ(cv::norm(cv::imread(dir.path("c.png"), cv::IMREAD_GRAYSCALE), expected, cv::NORM_INF), 0);

  ASSERT_EQ(run_ojo("adaptivethreshold --max-value 255 --adaptive-method MEAN_C --threshold-type BINARY_INV "
                "--block-size 11 --c 2 " + kCamera + " " + dir.path("a.png"),
                dir.path("out"), dir.path("err")),
            0)
      << read_bytes(dir.path("err"));
  cv::adaptiveThreshold(gray, expected, 255, cv::ADAPTIVE_THRESH_MEAN_C, cv::THRESH_BINARY_INV, 11, 2);
  EXPECT_EQ(cv::norm(cv::imread(dir.path("a.png"), cv::IMREAD_GRAYSCALE), expected, cv::NORM_INF), 0);
}

TEST(ThresholdCli, CalcHistAndEqualizeHist) {
  TempDir dir;
  const cv::Mat rgb = cv_imread_rgb(kAstronaut, cv::IMREAD_COLOR);
  ASSERT_EQ(run_ojo("calchist --channels 0 --hist-size 32 --ranges 0,256 " + kAstronaut + " " + dir.path("h.npy"),
                dir.path("out"), dir.path("err")),
            0)
      << read_bytes(dir.path("err"));
  cv::Mat hist;
  cv::calcHist(std::vector<cv::Mat>{rgb}, {0}, cv::noArray(), hist, {32}, {0, 256});
  const ojo::Tensor h = ojo::load_npy(dir.path("h.npy"));
  ASSERT_EQ(h.shape(), (ojo::Shape{32, 1}));
  expect_equal_images(h, hist, "calchist");

  const cv::Mat gray = cv::imread(kCamera, cv::IMREAD_GRAYSCALE);
  cv::Mat eq;
  cv::equalizeHist(gray, eq);
  ASSERT_EQ(run_ojo("equalizehist " + kCamera + " " + dir.path("e.png"), dir.path("out"), dir.path("err")), 0);
  EXPECT_EQ(cv::norm(cv::imread(dir.path("e.png"), cv::IMREAD_GRAYSCALE), eq, cv::NORM_INF), 0);
  ASSERT_EQ(run_ojo("equalizehist --method guide " + kCamera + " " + dir.path("g.png"), dir.path("out"), dir.path("err")),
            0);
  EXPECT_GT(cv::norm(cv::imread(dir.path("g.png"), cv::IMREAD_GRAYSCALE), eq, cv::NORM_INF), 0);  // another formula
}

TEST(ThresholdCli, BadInputExitsNonZeroWithMessageAndNoOutput) {
  TempDir dir;
  EXPECT_EQ(run_ojo("adaptivethreshold --block-size 4 " + kCamera + " " + dir.path("x.png"), dir.path("out"),
                dir.path("err")),
            1);
  EXPECT_NE(read_bytes(dir.path("err")).find("blockSize must be odd and > 1"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir.path("x.png")));
  EXPECT_EQ(run_ojo("threshold --type THRESH_OTSU " + kAstronaut + " " + dir.path("y.png"), dir.path("out"), dir.path("err")),
            1);
  EXPECT_NE(read_bytes(dir.path("err")).find("THRESH_OTSU needs a one-channel"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir.path("y.png")));
  EXPECT_EQ(run_ojo("canny --threshold1 1 --threshold2 2 --aperture-size 9 " + kCamera + " " + dir.path("z.png"),
                dir.path("out"), dir.path("err")),
            1);
  EXPECT_NE(read_bytes(dir.path("err")).find("apertureSize must be 3, 5 or 7"), std::string::npos);
  EXPECT_EQ(run_ojo("lut --lut 1,2,3 " + kCamera + " " + dir.path("l.png"), dir.path("out"), dir.path("err")), 1);
  EXPECT_NE(read_bytes(dir.path("err")).find("expected 256 numbers"), std::string::npos);
  EXPECT_EQ(run_ojo("equalizehist --method numpy " + kCamera + " " + dir.path("e.png"), dir.path("out"), dir.path("err")),
            1);
  EXPECT_NE(read_bytes(dir.path("err")).find("expected opencv or guide"), std::string::npos);
}
