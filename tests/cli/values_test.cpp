// ctest-labels: opencv
//
// The CLI's option value syntax (src/ojo/cli/values.hpp; DESIGN.md "The ojo CLI"), with the
// constant values taken from OpenCV's own headers.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "../../src/ojo/cli/values.hpp"
#include "ojo/io/npy.hpp"

namespace {

using ojo::cli::ConstantTable;
using ojo::cli::parse_bool;
using ojo::cli::parse_constant;
using ojo::cli::parse_int_list;
using ojo::cli::parse_list;
using ojo::cli::parse_matrix;
using ojo::cli::parse_size;

// Expects ojo::Error whose message contains every part.
template <class F>
void expect_error(F&& f, std::initializer_list<std::string> parts) {
  try {
    f();
    ADD_FAILURE() << "no ojo::Error thrown";
  } catch (const ojo::Error& e) {
    for (const std::string& part : parts) EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

const ConstantTable kImread{
    .prefix = "IMREAD_",
    .names = {{"IMREAD_UNCHANGED", cv::IMREAD_UNCHANGED}, {"IMREAD_GRAYSCALE", cv::IMREAD_GRAYSCALE},
              {"IMREAD_COLOR", cv::IMREAD_COLOR}, {"gray", cv::IMREAD_GRAYSCALE}},
};
const ConstantTable kThresh{
    .prefix = "THRESH_",
    .names = {{"THRESH_BINARY", cv::THRESH_BINARY}, {"THRESH_BINARY_INV", cv::THRESH_BINARY_INV},
              {"THRESH_OTSU", cv::THRESH_OTSU}},
    .flags = true,
};

TEST(CliValues, ConstantsWithOrWithoutPrefixAnyCase) {
  EXPECT_EQ(parse_constant("--m", "IMREAD_GRAYSCALE", kImread), cv::IMREAD_GRAYSCALE);
  EXPECT_EQ(parse_constant("--m", "GRAYSCALE", kImread), cv::IMREAD_GRAYSCALE);
  EXPECT_EQ(parse_constant("--m", "grayscale", kImread), cv::IMREAD_GRAYSCALE);
  EXPECT_EQ(parse_constant("--m", "Gray", kImread), cv::IMREAD_GRAYSCALE);
  EXPECT_EQ(parse_constant("--m", " color ", kImread), cv::IMREAD_COLOR);
  EXPECT_EQ(parse_constant("--m", "-1", kImread), cv::IMREAD_UNCHANGED);
}

TEST(CliValues, ConstantsCombineOnlyForFlagTables) {
  EXPECT_EQ(parse_constant("--type", "THRESH_BINARY|THRESH_OTSU", kThresh), cv::THRESH_BINARY | cv::THRESH_OTSU);
  EXPECT_EQ(parse_constant("--type", "binary_inv | otsu", kThresh), cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
  EXPECT_EQ(parse_constant("--type", "8", kThresh), cv::THRESH_OTSU);
  expect_error([] { parse_constant("--m", "COLOR|GRAY", kImread); }, {"--m", "COLOR|GRAY", "does not allow"});
}

TEST(CliValues, UnknownConstantListsChoices) {
  expect_error([] { parse_constant("--m", "sepia", kImread); },
               {"--m: unknown value 'sepia'", "IMREAD_UNCHANGED, IMREAD_GRAYSCALE", "IMREAD_ may be left out"});
  expect_error([] { parse_constant("--m", "7", kImread); }, {"'7'"});
  expect_error([] { parse_constant("--type", "THRESH_BINARY|", kThresh); }, {"unknown value ''"});
}

TEST(CliValues, Lists) {
  EXPECT_EQ(parse_list("--lowerb", "0,0,180"), (std::vector<double>{0, 0, 180}));
  EXPECT_EQ(parse_list("--x", " 1.5 , -2e1"), (std::vector<double>{1.5, -20}));
  EXPECT_EQ(parse_int_list("--ksize", "5"), (std::vector<int64_t>{5}));
  expect_error([] { parse_list("--lowerb", "0,,180"); }, {"--lowerb", "'0,,180'", "bad item ''"});
  expect_error([] { parse_list("--lowerb", "0,x"); }, {"bad item 'x'"});
  expect_error([] { parse_list("--lowerb", "nan"); }, {"bad item 'nan'"});
  expect_error([] { parse_int_list("--ksize", "5.5"); }, {"integers", "'5.5'"});
}

TEST(CliValues, SizesAreWidthHeightOrSquare) {
  EXPECT_EQ(parse_size("--ksize", "5").width, 5);
  EXPECT_EQ(parse_size("--ksize", "5").height, 5);
  EXPECT_EQ(parse_size("--dsize", "320,240").width, 320);
  EXPECT_EQ(parse_size("--dsize", "320,240").height, 240);
  expect_error([] { parse_size("--dsize", "1,2,3"); }, {"--dsize", "3 numbers"});
}

TEST(CliValues, MatricesFromTextAndNpy) {
  const ojo::Tensor k = parse_matrix("--kernel", "0,-1,0;-1,5,-1;0,-1,0");
  EXPECT_TRUE(k.equal(ojo::Tensor::from<double>({{0, -1, 0}, {-1, 5, -1}, {0, -1, 0}}))) << k;
  EXPECT_EQ(parse_matrix("--kernel", "1,2,3").shape(), (ojo::Shape{1, 3}));
  expect_error([] { parse_matrix("--kernel", "1,2;3"); }, {"--kernel", "rows of 2 and 1"});

  const auto dir = std::filesystem::temp_directory_path();
  const std::string ok = (dir / "ojo_values_test_k.npy").string(), bad = (dir / "ojo_values_test_v.npy").string();
  ojo::save_npy(ok, ojo::Tensor::from<int32_t>({{1, 2}, {3, 4}}));
  ojo::save_npy(bad, ojo::Tensor::from<int32_t>({1, 2, 3}));
  EXPECT_TRUE(parse_matrix("--kernel", ok).equal(ojo::Tensor::from<double>({{1, 2}, {3, 4}})));
  expect_error([&] { parse_matrix("--kernel", bad); }, {"--kernel", "shape [3]", "2-d"});
  std::filesystem::remove(ok);
  std::filesystem::remove(bad);
}

TEST(CliValues, Booleans) {
  for (const char* t : {"true", "TRUE", "1", "yes", "on"}) EXPECT_TRUE(parse_bool("--l2gradient", t)) << t;
  for (const char* f : {"false", "0", "No", "off"}) EXPECT_FALSE(parse_bool("--l2gradient", f)) << f;
  expect_error([] { parse_bool("--l2gradient", "maybe"); }, {"--l2gradient", "'maybe'"});
}

}  // namespace
